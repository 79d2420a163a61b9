"""SIGKILL the crawler at random points, resume each time: the result equals an uninterrupted crawl."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from tests.crawl.test_crawler import AS_OF, SINCE, UNTIL, _crawl, _engine
from warduty.crawl.archive import iter_run, read_response
from warduty.crawl.client import ArchiveRef
from warduty.replica.population import generate_population
from warduty.replica.server import ReplicaServer
from warduty.replica.verify import crawled
from warduty.store import make_engine

COURTS = ["77GV0017", "63GV0001", "63GV0002", "77GV0006", "66GV0001"]  # both engines, no captcha
KILLS = 10


def _cli(data: Path, origin: str, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "WARDUTY_DATA_DIR": str(data), "WARDUTY_CONFIG": str(data / "none.toml")}
    env.pop("WARDUTY_DB", None)
    command = [
        sys.executable, "-m", "warduty.cli", "crawl", "--courts", ",".join(COURTS),
        "--since", SINCE.isoformat(), "--until", UNTIL.isoformat(), "--sudrf-origin", origin,
        "--min-interval", "0", "--global-interval", "0", *extra,
    ]  # fmt: skip
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _done_tasks(database: Path) -> int:
    try:
        with sqlite3.connect(database, timeout=5) as connection:
            return int(connection.execute("SELECT count(*) FROM tasks WHERE state = 'done'").fetchone()[0])
    except sqlite3.Error:
        return 0


def _run_done(database: Path) -> bool:
    """Has the latest crawl finished? (A kill can land after its last commit, while the process ends.)"""
    with sqlite3.connect(database, timeout=5) as connection:
        row = connection.execute("SELECT status FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    return row is not None and row[0] == "done"


def _fetched_urls(database: Path) -> Counter[str]:
    with sqlite3.connect(database) as connection:
        return Counter(url for (url,) in connection.execute("SELECT url FROM fetches"))


def test_killed_and_resumed_crawl_equals_an_uninterrupted_one(tmp_path: Path) -> None:
    population = generate_population(scale=0.25)
    chooser = random.Random(20240412)
    with ReplicaServer(population, as_of=AS_OF, seed=2) as server:
        reference = _engine(tmp_path, "reference")
        _crawl(reference, server, tmp_path / "ref-data", courts=COURTS)
        data = tmp_path / "killed"
        database = data / "warduty.sqlite"
        kills = 0
        resume: tuple[str, ...] = ()
        finished = False
        while kills < KILLS:
            process = _cli(data, server.origin, *resume)
            target = _done_tasks(database) + chooser.randint(2, 12)
            deadline = time.monotonic() + 60
            while process.poll() is None and _done_tasks(database) < target and time.monotonic() < deadline:
                time.sleep(0.02)
            if process.poll() is not None:  # finished before the kill point
                assert process.returncode == 0
                finished = True
                break
            process.send_signal(signal.SIGKILL)
            process.wait()
            kills += 1
            resume = ("--resume",)
            if _run_done(database):  # the kill landed after the run's last commit, while the process ended
                finished = True
                break
        if not finished:  # after a finished run, --resume has nothing to resume and would start a new run
            final = _cli(data, server.origin, "--resume")
            assert final.wait(timeout=300) == 0
    assert kills >= 5, "the crawl ended too quickly to be interrupted"
    resumed = make_engine(f"sqlite:///{database}")
    assert crawled(resumed) == crawled(reference)
    # Nothing stored twice, and every page fetched once, except pages in flight at a kill.
    with sqlite3.connect(database) as connection:
        duplicates = connection.execute(
            "SELECT count(*) FROM (SELECT court_code, docket, case_number FROM cases"
            " GROUP BY 1, 2, 3 HAVING count(*) > 1)"
        ).fetchone()[0]
    assert duplicates == 0
    refetched = sum(n - 1 for n in _fetched_urls(database).values() if n > 1)
    baseline = sum(n - 1 for n in _fetched_urls(tmp_path / "reference.sqlite").values() if n > 1)
    assert refetched - baseline <= kills * len(COURTS), (refetched, baseline, kills)
    # Every archive file reads from its start to its end (a kill in the middle of a record leaves its member
    # half written; the resumed run cuts it off before appending), and every fetch row finds its record.
    runs = sorted((data / "archive").glob("run-*"))
    assert runs and all(list(iter_run(run)) for run in runs)
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT warc_file, warc_offset FROM fetches").fetchall()
    assert rows and all(read_response(ArchiveRef(file, offset), data) for file, offset in rows)
