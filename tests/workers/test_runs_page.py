"""The dashboard's runs page shows every worker's live progress and the schedule's next and last runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.crawl.test_crawler import AS_OF
from tests.workers.conftest import Processes, scalar, wait_for
from warduty.config import Settings
from warduty.jobs import open_store
from warduty.replica.population import generate_population
from warduty.replica.server import ReplicaServer
from warduty.web import create_app

pytestmark = pytest.mark.postgres


def test_the_runs_page_shows_each_worker_at_work_and_the_schedule(
    processes: Processes, queue_db: Engine, postgres_url: str, tmp_path: Path
) -> None:
    population = generate_population(scale=0.25)
    config = tmp_path / "w.toml"
    config.write_text('[schedule]\nbriefing = "3 09:00"\n', encoding="utf-8")
    processes.env["WARDUTY_CONFIG"] = str(config)
    settings = Settings(db=postgres_url, data_dir=tmp_path / "data", schedule_briefing="3 09:00")
    with ReplicaServer(population, as_of=AS_OF, seed=1) as server:
        queued = processes.run("crawl", "--queue", "--courts", "63GV0002,77GV0017", "--since", "2023-01-01")
        assert queued.returncode == 0, queued.stderr
        web = TestClient(create_app(settings, engine=queue_db))
        before = web.get("/runs").text
        assert "No worker is running." in before and "queued" in before
        for number in range(2):  # slow on purpose: one request per host every half second
            processes.start(
                "worker", "--sudrf-origin", server.origin, "--min-interval", "0.5", "--heartbeat", "1",
                "--stalled-after", "3", "--no-schedule", "--concurrency", "1",
                log=tmp_path / f"worker-{number}.log",
            )  # fmt: skip
        working = "SELECT count(*) FROM queue_courts WHERE state = 'working' AND done > 0"
        wait_for(lambda: scalar(queue_db, working) == 2, 60, "both workers to be at work")
        page = web.get("/runs").text
        ru = web.get("/runs?lang=ru").text
    workers = page[page.index('id="workers"') : page.index('id="queued-courts"')]
    rows = re.findall(
        r"<tr><td>(\d+) · (\d+)@\S+ via direct</td><td>[^<]+</td><td>Run \d+: (\w+), (\d+) pages", workers
    )
    assert len(rows) == 2, workers
    assert {court for *_, court, _done in rows} == {"63GV0002", "77GV0017"}
    assert all(int(done) > 0 for *_, done in rows)
    courts = page[page.index('id="queued-courts"') : page.index('id="schedule"')]
    assert courts.count('class="status-working"') == 2
    schedule = page[page.index('id="schedule"') : page.index('id="runs"')]
    assert "briefing" in schedule and "3 09:00 Moscow time" in schedule and " MSK" in schedule
    assert "Обработчики" in ru and "Расписание" in ru


def test_the_runs_page_without_workers_is_as_before(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")  # SQLite: no queue, no schedule shown
    open_store(settings.database_url)
    web = TestClient(create_app(settings))
    page = web.get("/runs")
    assert page.status_code == 200
    assert 'id="workers"' not in page.text and 'id="schedule"' not in page.text and 'id="runs"' in page.text
