"""The application layer runs a crawl end to end: lock, a new database migrated, progress callbacks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from warduty.config import Settings
from warduty.crawl.crawler import CrawlOptions, ProgressEvent
from warduty.crawl.lock import CrawlLock, CrawlLocked
from warduty.jobs import default_solver, open_store, run_crawl
from warduty.replica.population import generate_population
from warduty.replica.server import ReplicaServer
from warduty.store import make_engine

AS_OF = date(2024, 4, 12)
OPTIONS = CrawlOptions(courts=["77GV0017"], since=date(2023, 1, 1), until=AS_OF, retry_pause=0.01)


def _settings(tmp_path: Path, origin: str) -> Settings:
    return Settings(data_dir=tmp_path, min_interval=0.0, global_interval=0.0, sudrf_origin=origin)


def test_run_crawl_prepares_a_new_database_and_reports_progress(tmp_path: Path) -> None:
    started: list[int] = []
    events: list[ProgressEvent] = []
    with ReplicaServer(generate_population(scale=0.05), as_of=AS_OF, seed=1) as server:
        report = run_crawl(
            _settings(tmp_path, server.origin),
            OPTIONS,
            solver=default_solver(),
            on_start=started.append,
            on_progress=events.append,
        )
    assert report.status == "done" and started == [1]
    assert events and {e.court for e in events} == {"77GV0017"} and len(events) >= report.fetched > 0
    with make_engine(Settings(data_dir=tmp_path).database_url).connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM courts")).scalar_one() == 116
        assert connection.execute(text("SELECT count(*) FROM cases")).scalar_one() > 0
    assert (tmp_path / "archive" / f"run-{report.run_id}").is_dir()


def test_run_crawl_is_refused_at_once_while_another_crawl_holds_the_database(tmp_path: Path) -> None:
    store = open_store(Settings(data_dir=tmp_path).database_url)
    started: list[int] = []
    with CrawlLock(store.engine), pytest.raises(CrawlLocked):
        run_crawl(_settings(tmp_path, "http://127.0.0.1:9"), OPTIONS, on_start=started.append)
    assert started == []
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM runs")).scalar_one() == 0
