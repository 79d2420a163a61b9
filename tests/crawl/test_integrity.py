"""Run integrity (issue 16): one crawl per database, "missing" only from a complete and current run, stale
runs visible and closable, and a hostile crawl killed with SIGKILL then resumed ends equal to the truth.

On SQLite and PostgreSQL (the ``db_url`` fixture): the lock is an OS file lock on one, an advisory lock on
the other, and the crawler's statements must mean the same on both.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from tests.crawl.test_crawler import AS_OF, SINCE, UNTIL, _crawl, _engine
from warduty.cli import app
from warduty.crawl.client import ClientOptions
from warduty.crawl.crawler import CrawlOptions
from warduty.crawl.lock import CrawlLock, CrawlLocked, current_holder
from warduty.crawl.reconcile import reconcile
from warduty.crawl.runs import list_runs
from warduty.jobs import new_crawler
from warduty.law import WATCHED_ARTICLES
from warduty.replica.population import Population, generate_population
from warduty.replica.server import ReplicaServer
from warduty.replica.verify import crawled, differences, expected, removed
from warduty.store import make_engine

COURTS = ["61GV0016", "51GV0006", "63GV0001"]  # both engines, no captcha; the first two lose cases by LATER
LATER = date(2024, 5, 12)
runner = CliRunner()


@pytest.fixture(scope="module")
def population() -> Population:
    return generate_population(scale=0.25)


def _truth(population: Population, as_of: date) -> tuple[dict, set[tuple[str, str]]]:
    cases = [c for code in COURTS for c in population.cases_for(code)]
    scope = (cases, as_of, WATCHED_ARTICLES, SINCE, UNTIL)
    return expected(*scope), removed(*scope)


def _settled(snapshot: dict) -> dict:
    """Without events: events posted under an unchanged listing row wait for the row's next change in
    an incremental crawl (they may lag, never err; ``test_crawler`` checks that)."""
    return {key: {**value, "events": None} for key, value in snapshot.items()}


def _missing(engine: Engine) -> dict[tuple[str, str], object]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT court_code, case_number, missing_since FROM cases"))
        return {(r.court_code, r.case_number): r.missing_since for r in rows}


def _marked(engine: Engine) -> set[tuple[str, str]]:
    return {key for key, since in _missing(engine).items() if since is not None}


def _count(engine: Engine, sql: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(sql)).scalar_one())


def _env(data: Path, db_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "WARDUTY_DATA_DIR": str(data),
        "WARDUTY_CONFIG": str(data / "none.toml"),
        "WARDUTY_DB": db_url,
    }


def _cli_crawl(data: Path, db_url: str, origin: str, *extra: str, **popen: object) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "warduty.cli", "crawl", "--courts", ",".join(COURTS),
        "--since", SINCE.isoformat(), "--until", UNTIL.isoformat(), "--sudrf-origin", origin,
        "--global-interval", "0", "--cooldown", "0.05", *extra,
    ]  # fmt: skip
    return subprocess.Popen(command, env=_env(data, db_url), **popen)  # type: ignore[call-overload,no-any-return]


# -- the lock -----------------------------------------------------------------------------------------


def test_the_lock_admits_one_crawl_names_its_holder_and_is_released(tmp_path: Path, db_url: str) -> None:
    engine = _engine(tmp_path, url=db_url)
    other = make_engine(db_url)  # another engine, as another process would have
    assert current_holder(engine) is None
    with CrawlLock(engine) as lock:
        lock.set_run(7)
        with pytest.raises(CrawlLocked) as refused:
            CrawlLock(other).acquire()
        holder = refused.value.holder
        assert (holder.pid, holder.run_id) == (os.getpid(), 7)
        assert holder.host and holder.since is not None
        assert f"pid {os.getpid()}" in str(refused.value) and "run 7" in str(refused.value)
        assert current_holder(other) == holder
    assert current_holder(other) is None
    with CrawlLock(other):  # free again
        pass


def test_a_crawl_refused_by_the_lock_writes_no_run(
    population: Population, tmp_path: Path, db_url: str
) -> None:
    engine = _engine(tmp_path, url=db_url)
    with ReplicaServer(population, as_of=AS_OF, seed=1) as server, CrawlLock(make_engine(db_url)):
        client = ClientOptions(host_interval=0.0, global_interval=0.0, origin=server.origin)
        crawler = new_crawler(engine, client, tmp_path)
        with pytest.raises(CrawlLocked):
            asyncio.run(crawler.run(CrawlOptions(courts=COURTS, since=SINCE, until=UNTIL)))
    assert _count(engine, "SELECT count(*) FROM runs") == 0


# -- "missing" only from a complete, current run -------------------------------------------------------


def test_missing_is_decided_only_by_a_complete_current_run(
    population: Population, tmp_path: Path, db_url: str
) -> None:
    """Resume after a finished run changes no ``missing_since``; a stale older run reconciled again marks
    nothing; a court whose listings the run did not complete gets nothing marked; ``replica verify``
    compares ``missing_since`` and reports a live case marked missing."""
    engine = _engine(tmp_path, url=db_url)
    with ReplicaServer(population, as_of=AS_OF, seed=1) as first:
        _crawl(engine, first, tmp_path, courts=COURTS)
    with engine.begin() as connection:  # run 1 left "running", as a crash or a WAL-less copy leaves it
        connection.execute(text("UPDATE runs SET status = 'running', finished_at = NULL WHERE id = 1"))
    with ReplicaServer(population, as_of=LATER, seed=1) as second:
        finished = _crawl(engine, second, tmp_path, courts=COURTS)
        assert finished.status == "done" and finished.run_id == 2
        before = _missing(engine)
        resumed = _crawl(engine, second, tmp_path, courts=COURTS, resume=True)
    assert resumed.run_id == 3
    assert _missing(engine) == before
    with engine.connect() as connection:  # run 2 started under the lock: nothing could be working on run 1
        stale_run = connection.execute(text("SELECT status, statistics FROM runs WHERE id = 1")).one()
    assert stale_run.status == "abandoned" and "when run 2 started" in str(stale_run.statistics)
    want, gone = _truth(population, LATER)
    assert _marked(engine) == gone & set(before) and gone & set(before), "the later month removed cases"
    assert differences(_settled(want), _settled(crawled(engine)), gone=gone) == []

    # The stale run 1 reconciled again (as the old --resume did) marks nothing: newer runs exist.
    with engine.begin() as connection:
        connection.execute(text("UPDATE cases SET missing_since = NULL"))
        stale = reconcile(connection, 1)
    assert stale.missing_marked == 0 and _marked(engine) == set()

    # Run 3 with one court's search unfinished: that court proves nothing gone, the others do.
    partial = Counter(code for code, _ in gone & set(before)).most_common(1)[0][0]
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE tasks SET state = 'failed' WHERE id = (SELECT min(id) FROM tasks"
                " WHERE run_id = 3 AND kind = 'search' AND court_code = :court)"
            ),
            {"court": partial},
        )
        outcome = reconcile(connection, 3)
    assert partial in outcome.held_back
    assert {code for code, _ in _marked(engine)} <= set(COURTS) - {partial}

    # replica verify: a live case marked missing, and a removed case not marked, are both reported.
    with engine.begin() as connection:
        connection.execute(text("UPDATE cases SET missing_since = NULL"))
        live = next(iter(want))
        connection.execute(
            text("UPDATE cases SET missing_since = :day WHERE court_code = :court AND case_number = :number"),
            {"day": LATER, "court": live[0], "number": live[1]},
        )
    problems = differences(want, crawled(engine), limit=100, gone=gone)
    assert f"{live} is served by the site but marked missing since {LATER}" in problems
    assert any("was removed from the site but is not marked missing" in p for p in problems)


# -- two crawls at once, SIGKILL, stale runs ------------------------------------------------------------


def test_a_second_concurrent_crawl_is_refused_naming_the_holder(
    population: Population, tmp_path: Path, db_url: str
) -> None:
    engine = _engine(tmp_path, url=db_url)
    data = tmp_path / "data"
    with ReplicaServer(population, as_of=AS_OF, seed=1) as server:
        first = _cli_crawl(data, db_url, server.origin, "--min-interval", "0.5")
        deadline = time.monotonic() + 60
        while current_holder(engine) is None or current_holder(engine).run_id is None:  # type: ignore[union-attr]
            assert first.poll() is None and time.monotonic() < deadline, "the first crawl did not start"
            time.sleep(0.02)
        second = _cli_crawl(
            data, db_url, server.origin, "--min-interval", "0", stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        _out, err = second.communicate(timeout=60)
        assert first.poll() is None, "the first crawl ended before the second was tried"
        assert second.returncode != 0
        message = " ".join(err.decode().split())
        assert f"another crawl is running on this database: pid {first.pid}" in message, message
        assert "run 1" in message and "since" in message and "Traceback" not in message
        assert _count(engine, "SELECT count(*) FROM runs") == 1  # the refused crawl wrote no run
        assert first.wait(timeout=300) == 0
    want, gone = _truth(population, AS_OF)
    assert differences(want, crawled(engine), gone=gone) == []
    assert current_holder(engine) is None


KILLS = 3


def _released(engine: Engine, within: float = 10.0) -> bool:
    """The crawl lock is free, or becomes free by itself within ``within`` seconds: PostgreSQL drops a
    killed client's advisory lock when its server process sees the connection closed, an instant later."""
    deadline = time.monotonic() + within
    while current_holder(engine) is not None:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _done_tasks(engine: Engine) -> int:
    try:
        return _count(engine, "SELECT count(*) FROM tasks WHERE state = 'done'")
    except Exception:  # the schema is not there yet
        return 0


def test_hostile_crawl_killed_at_random_points_then_resumed_equals_the_truth(
    population: Population, tmp_path: Path, db_url: str
) -> None:
    """A month after a first crawl, a crawl of a hostile replica is SIGKILLed at seeded random points and
    resumed: no kill leaves the lock behind or marks a case missing; the end equals the replica's truth,
    ``missing_since`` included (cases the replica removed are missing, no live case is)."""
    engine = _engine(tmp_path, url=db_url)
    with ReplicaServer(population, as_of=AS_OF, seed=1) as calm:
        _crawl(engine, calm, tmp_path / "data", courts=COURTS)
    assert _marked(engine) == set()
    chooser = random.Random(20261205)
    data = tmp_path / "data"
    with ReplicaServer(
        population, as_of=LATER, faults="hostile", seed=5, slow_delay=0.3, retry_after=1, throttle_window=0.3
    ) as server:
        resume: tuple[str, ...] = ()
        for kill in range(KILLS):
            process = _cli_crawl(data, db_url, server.origin, "--min-interval", "0", *resume)
            # Close kill points: the crawl commits several pages at once and is quick, so a far target
            # could outlast the run's last tasks.
            target = _done_tasks(engine) + chooser.randint(3, 15)
            deadline = time.monotonic() + 60
            while process.poll() is None and _done_tasks(engine) < target and time.monotonic() < deadline:
                time.sleep(0.005)
            if process.poll() is not None:  # it finished its run first: later kills have nothing to kill
                assert kill > 0, "the crawl ended before the first kill"
                break
            process.send_signal(signal.SIGKILL)
            process.wait()
            resume = ("--resume",)
            assert _released(engine)  # the lock died with the process
            assert _marked(engine) == set()  # a killed run marks nothing
            views, _ = list_runs(engine)
            assert views[0].id == 2 and views[0].stale and views[0].state == "running (stale)"
        for _ in range(4):  # hostile faults may leave pages to a further resume
            with engine.connect() as connection:
                status = connection.execute(text("SELECT status FROM runs WHERE id = 2")).scalar_one()
            if status == "done":  # a resume now would start a new run and fetch every search again
                break
            final = _cli_crawl(data, db_url, server.origin, "--min-interval", "0", "--resume")
            assert final.wait(timeout=300) == 0
            with engine.connect() as connection:
                status = connection.execute(text("SELECT status FROM runs WHERE id = 2")).scalar_one()
            if status == "done":
                break
    assert status == "done"
    assert _count(engine, "SELECT count(*) FROM runs") == 2  # every session continued run 2
    want, gone = _truth(population, LATER)
    got = crawled(engine)
    assert differences(_settled(want), _settled(got), limit=30, gone=gone) == []
    assert _marked(engine) == gone & set(got) and _marked(engine), "removed cases are marked missing"


def test_runs_lists_a_stale_run_and_closes_it_only_when_its_holder_is_gone(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = _engine(tmp_path, url=db_url)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO runs (kind, started_at, status) VALUES ('crawl', :now, 'running')"),
            {"now": date(2026, 1, 2)},
        )
    monkeypatch.setenv("WARDUTY_DB", db_url)
    monkeypatch.setenv("WARDUTY_CONFIG", str(tmp_path / "none.toml"))
    listed = runner.invoke(app, ["runs"])
    assert listed.exit_code == 0, listed.output
    assert "run 1 is stale: holder is gone" in listed.output and "crawl lock: free" in listed.output
    with CrawlLock(make_engine(db_url)) as lock:
        lock.set_run(1)
        busy = runner.invoke(app, ["runs"])
        assert "stale" not in busy.output and f"pid {os.getpid()}" in busy.output
        refused = runner.invoke(app, ["runs", "close", "1"])
        assert refused.exit_code == 1 and "crawl lock is held by" in " ".join(refused.output.split())
    closed = runner.invoke(app, ["runs", "close", "1", "--note", "killed in a test"])
    assert closed.exit_code == 0 and "abandoned" in closed.output, closed.output
    with engine.connect() as connection:
        row = connection.execute(text("SELECT status, finished_at, statistics FROM runs WHERE id = 1")).one()
    assert row.status == "abandoned" and row.finished_at is not None
    again = runner.invoke(app, ["runs", "close", "1"])
    assert again.exit_code == 1 and "only a running, queued or incomplete run" in again.output
    missing = runner.invoke(app, ["runs", "close", "9"])
    assert missing.exit_code == 1 and "no run 9" in missing.output


def test_the_admin_pages_crawl_goes_through_the_same_lock(tmp_path: Path) -> None:
    """ "Start crawl" on the admin page while another crawl holds the database: refused, naming it."""
    from types import SimpleNamespace

    from warduty.config import Settings
    from warduty.web.admin import AdminState, CrawlJob
    from warduty.web.sessions import SessionStore

    engine = _engine(tmp_path)
    settings = Settings(data_dir=tmp_path, db=str(engine.url), sudrf_origin="http://127.0.0.1:9")
    context = SimpleNamespace(engine=engine, settings=settings, data_changed=lambda: None)
    job = CrawlJob(CrawlOptions(courts=COURTS[:1], since=SINCE, until=UNTIL), datetime.now(UTC))
    with CrawlLock(make_engine(str(engine.url))) as lock:
        lock.set_run(5)
        AdminState(SessionStore(lifetime=60.0, idle=60.0))._run(context, job)  # type: ignore[arg-type]  # what the admin's thread runs
    assert job.status == "refused", job.message
    assert (
        f"another crawl is running on this database: pid {os.getpid()}" in job.message
        and "run 5" in job.message
    )
    assert _count(engine, "SELECT count(*) FROM runs") == 0
