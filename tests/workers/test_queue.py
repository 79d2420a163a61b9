"""The queue's guarantees without worker processes: a court of a run is queued once, a run ends once."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.workers.conftest import scalar
from warduty.config import Settings
from warduty.crawl.crawler import CrawlOptions
from warduty.crawl.lock import CrawlLock, CrawlLocked
from warduty.crawl.runs import close_run
from warduty.jobs.queue import (
    QueueError,
    defer_courts,
    finish_queued_run,
    new_app,
    plan_queued_run,
    queue_engine,
    queued_run_options,
)

pytestmark = pytest.mark.postgres

COURTS = ["77GV0017", "63GV0001"]
OPTIONS = CrawlOptions(courts=COURTS, since=date(2024, 1, 1), until=date(2024, 4, 12))


@pytest.fixture
def settings(postgres_url: str, tmp_path: Path) -> Settings:
    return Settings(db=postgres_url, data_dir=tmp_path / "data")


def test_a_court_of_a_run_is_queued_once_and_the_run_ends_once(settings: Settings) -> None:
    engine = queue_engine(settings)
    queue_engine(settings)  # preparing again changes nothing
    run = plan_queued_run(settings, engine, OPTIONS)
    assert sorted(run.courts) == sorted(COURTS)
    assert scalar(engine, "SELECT status FROM runs WHERE id = :r", r=run.run_id) == "queued"

    async def defer_twice() -> None:
        app = new_app(settings)
        async with app.open_async():
            await defer_courts(app, run)
            await defer_courts(app, run)

    asyncio.run(defer_twice())
    jobs = "SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'warduty.crawl_court'"
    assert scalar(engine, jobs) == len(COURTS)
    locks = scalar(engine, "SELECT string_agg(lock, ',' ORDER BY lock) FROM procrastinate_jobs")
    assert str(locks).startswith("host:") and str(locks).count("host:") == 2
    # No court was worked: the end still comes once, and says the run is incomplete.
    first = finish_queued_run(settings, engine, run.run_id)
    assert first is not None and first.status == "incomplete"
    assert finish_queued_run(settings, engine, run.run_id) is None
    assert scalar(engine, "SELECT status FROM runs WHERE id = :r", r=run.run_id) == "incomplete"
    assert scalar(engine, "SELECT count(*) FROM tasks WHERE state = 'pending'") == 0
    unfinished = "SELECT json_array_length((statistics::json)->'unfinished') FROM runs WHERE id = :r"
    assert scalar(engine, unfinished, r=run.run_id) == scalar(engine, "SELECT count(*) FROM tasks")


def test_a_queued_run_can_be_closed_and_its_courts_are_then_skipped(settings: Settings) -> None:
    engine = queue_engine(settings)
    run = plan_queued_run(settings, engine, OPTIONS)
    view = close_run(engine, run.run_id, "not wanted")
    assert view.status == "abandoned"
    assert queued_run_options(engine, run.run_id) is None  # what a court job checks before it starts
    assert finish_queued_run(settings, engine, run.run_id) is None


def test_a_queued_run_is_refused_while_a_crawl_holds_the_database(settings: Settings) -> None:
    engine: Engine = queue_engine(settings)
    with CrawlLock(engine), pytest.raises(CrawlLocked):
        plan_queued_run(settings, engine, OPTIONS)
    assert scalar(engine, "SELECT count(*) FROM runs") == 0
    with pytest.raises(QueueError, match="--resume does not apply"):
        plan_queued_run(settings, engine, CrawlOptions(courts=COURTS, resume=True))


def test_workers_starting_together_on_a_new_database_prepare_it_once(settings: Settings) -> None:
    with ThreadPoolExecutor(4) as pool:
        engines = list(pool.map(lambda _: queue_engine(settings), range(4)))
    assert scalar(engines[0], "SELECT to_regclass('procrastinate_jobs') IS NOT NULL") is True
    assert scalar(engines[0], "SELECT count(*) FROM queue_courts") == 0
