"""The crawler against the replica: complete, polite, fault-tolerant, resumable, incremental."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from warduty.courts import load_registry
from warduty.crawl.client import ClientOptions
from warduty.crawl.crawler import CrawlOptions, RunReport
from warduty.crawl.ocr import OcrSolver
from warduty.crawl.reparse import reparse
from warduty.jobs import new_crawler
from warduty.law import WATCHED_ARTICLES
from warduty.replica.population import Population, generate_population
from warduty.replica.server import ReplicaServer
from warduty.replica.verify import crawled, differences, expected
from warduty.store import make_engine, migrate, sync_courts

# Standard engine, vintage engine, two captcha courts of one region (St Petersburg), one large court.
COURTS = ["77GV0017", "63GV0001", "78GV0001", "39GV0005", "63GV0002"]
AS_OF = date(2024, 4, 12)
SINCE, UNTIL = date(2022, 1, 1), AS_OF


@pytest.fixture(scope="module")
def population() -> Population:
    return generate_population(scale=0.25)


def _engine(tmp_path: Path, name: str = "w", url: str | None = None) -> Engine:
    engine = make_engine(url or f"sqlite:///{tmp_path / name}.sqlite")
    migrate(engine)
    with engine.begin() as connection:
        sync_courts(connection, load_registry())
    return engine


def _crawl(
    engine: Engine,
    server: ReplicaServer,
    data: Path,
    *,
    solver: object = None,
    **options: object,
) -> RunReport:
    client = ClientOptions(
        host_interval=0.0, global_interval=0.0, timeout=1.0, retries=4, backoff=0.01, cooldown=0.05,
        origin=server.origin, seed=3,
    )  # fmt: skip
    crawler = new_crawler(engine, client, data, solver=solver)  # type: ignore[arg-type]
    values: dict[str, object] = {"courts": COURTS, "since": SINCE, "until": UNTIL, "retry_pause": 0.01}
    values.update(options)
    return asyncio.run(crawler.run(CrawlOptions(**values)))  # type: ignore[arg-type]


def _truth(population: Population, as_of: date) -> dict:
    cases = [c for code in COURTS for c in population.cases_for(code)]
    return expected(cases, as_of, WATCHED_ARTICLES, SINCE, UNTIL)


@pytest.fixture
def server(population: Population) -> Iterator[ReplicaServer]:
    with ReplicaServer(
        population, as_of=AS_OF, faults="flaky", seed=11, slow_delay=2.0, retry_after=1
    ) as running:
        yield running


def test_flaky_crawl_equals_ground_truth_and_is_polite(
    population: Population, server: ReplicaServer, tmp_path: Path
) -> None:
    engine = _engine(tmp_path)
    solver = OcrSolver()
    report = _crawl(engine, server, tmp_path, solver=solver)
    assert report.status == "done", report.courts
    assert report.counter_mismatches == []
    want = _truth(population, AS_OF)
    assert len(want) > 150
    assert differences(want, crawled(engine)) == []
    assert server.politeness_violations() == {}
    # The captchas were read by OCR, and one solved captcha served both St Petersburg courts.
    assert server.site.captcha.solved == 1 and solver.read <= 2
    assert sum(server.stats()["faults"].values()) > 0  # type: ignore[union-attr]
    # The archive replays into an identical database, without the network.
    rebuilt = _engine(tmp_path, "rebuilt")
    replay = reparse(rebuilt, load_registry(), tmp_path / "archive")
    assert replay.runs == 1 and sum(replay.used.values()) > 0
    assert crawled(rebuilt) == crawled(engine)


def test_rerun_fetches_no_card_and_a_later_month_only_what_changed(
    population: Population, tmp_path: Path, db_url: str
) -> None:
    """On SQLite and on PostgreSQL: the crawler's statements must mean the same on both."""
    engine = _engine(tmp_path, url=db_url)
    solver = OcrSolver()
    with ReplicaServer(population, as_of=AS_OF, seed=1) as first:
        _crawl(engine, first, tmp_path, solver=solver)
        again = _crawl(engine, first, tmp_path, solver=solver)
    assert sum(r.cards for r in again.courts.values()) == 0
    later = date(2024, 5, 12)
    with ReplicaServer(population, as_of=later, seed=1) as second:
        report = _crawl(engine, second, tmp_path, solver=solver, until=UNTIL)
    before, after = _truth(population, AS_OF), _truth(population, later)
    changed = {k for k in after if k not in before or after[k] != before[k]}
    vanished = set(before) - set(after)
    cards = sum(r.cards for r in report.courts.values())
    assert 0 < cards <= len(changed) + 5, (cards, len(changed))
    got = crawled(engine)
    # Cards are fetched again when their listing row changes (decision, result, legal force, acts);
    # events posted meanwhile under an unchanged row wait for the next change, so they may lag, never err.
    without_events = {k: {**v, "events": None} for k, v in after.items()}
    assert differences(without_events, {k: {**got[k], "events": None} for k in after}, limit=30) == []
    for key, case in after.items():
        assert set(got[key]["events"]) <= set(case["events"]), key
    with engine.connect() as connection:
        missing = {
            (r.court_code, r.case_number)
            for r in connection.execute(
                text("SELECT court_code, case_number FROM cases WHERE missing_since IS NOT NULL")
            )
        }
    assert missing == vanished


def test_hostile_stores_nothing_wrong_and_a_resume_completes(population: Population, tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    solver = OcrSolver()
    with ReplicaServer(
        population, as_of=AS_OF, faults="hostile", seed=5, slow_delay=2.0, retry_after=1, throttle_window=0.5
    ) as server:
        first = _crawl(engine, server, tmp_path, solver=solver, page_retries=0)
        want = _truth(population, AS_OF)
        got = crawled(engine)
        assert set(got) <= set(want)
        assert differences({k: want[k] for k in got}, got) == []
        if first.status != "done":
            reasons = {reason for r in first.courts.values() for reason in r.reasons}
            assert reasons, "an incomplete run names its reasons"
        for _ in range(4):
            report = _crawl(engine, server, tmp_path, solver=solver, resume=True)
            if report.status == "done":
                break
    assert report.status == "done"
    assert differences(want, crawled(engine)) == []


def _missing(engine: Engine) -> dict[tuple[str, str], object]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT court_code, case_number, missing_since FROM cases"))
        return {(r.court_code, r.case_number): r.missing_since for r in rows}


def test_resume_after_a_finished_run_leaves_an_older_stale_run_alone(
    population: Population, tmp_path: Path
) -> None:
    """A stale "running" run (a crash, or a database copied without its WAL) under a newer finished one:
    ``--resume`` must not continue the stale run, whose reconciliation would mark live cases missing."""
    engine = _engine(tmp_path)
    solver = OcrSolver()
    later = date(2024, 5, 12)
    with ReplicaServer(population, as_of=AS_OF, seed=1) as first:
        _crawl(engine, first, tmp_path, solver=solver)
    with engine.begin() as connection:
        connection.execute(text("UPDATE runs SET status = 'running', finished_at = NULL WHERE id = 1"))
    with ReplicaServer(population, as_of=later, seed=1) as second:
        finished = _crawl(engine, second, tmp_path, solver=solver, until=UNTIL)
        assert finished.status == "done"
        before = _missing(engine)
        resumed = _crawl(engine, second, tmp_path, solver=solver, until=UNTIL, resume=True)
    assert resumed.run_id == finished.run_id + 1  # a new run, not the stale run 1
    assert _missing(engine) == before
    assert len(before) > 0
