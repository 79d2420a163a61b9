"""Three ``warduty worker`` processes on PostgreSQL crawl the flaky replica: the database equals a
single-process crawl, no host is asked too often, and a worker killed mid-job loses and doubles nothing."""

from __future__ import annotations

import os
import signal
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.crawl.test_crawler import AS_OF, _crawl, _engine
from tests.workers.conftest import Processes, scalar, wait_for
from warduty.replica.population import Population, generate_population
from warduty.replica.server import ReplicaServer
from warduty.replica.verify import crawled

pytestmark = pytest.mark.postgres

COURTS = ["77GV0017", "63GV0001", "63GV0002", "77GV0006", "66GV0001"]  # both engines, no captcha
SINCE = date(2023, 1, 1)
HOST_INTERVAL = 0.2  # the workers' per-host interval
REPLICA_INTERVAL = 0.15  # the replica counts a request sooner than this after the last as a violation


@pytest.fixture(scope="module")
def population() -> Population:
    return generate_population(scale=0.25)


def _flaky(population: Population, min_interval: float = 0.0) -> ReplicaServer:
    return ReplicaServer(
        population, as_of=AS_OF, faults="flaky", seed=11, slow_delay=2.0, retry_after=1,
        min_interval=min_interval,
    )  # fmt: skip


def _worker(processes: Processes, origin: str, log: Path) -> int:
    """A worker process: its pid, which its name in the queue starts with."""
    process = processes.start(
        "worker", "--sudrf-origin", origin, "--min-interval", str(HOST_INTERVAL), "--global-interval", "0",
        "--heartbeat", "1", "--stalled-after", "3", "--no-schedule", log=log,
    )  # fmt: skip
    return process.pid


def _run_status(engine: Engine) -> str:
    return str(scalar(engine, "SELECT status FROM runs WHERE kind = 'crawl' ORDER BY id DESC LIMIT 1"))


def test_three_workers_equal_one_process_and_survive_a_killed_worker(
    population: Population, processes: Processes, queue_db: Engine, tmp_path: Path
) -> None:
    with _flaky(population) as reference_server:
        reference = _engine(tmp_path, "reference")
        single = _crawl(reference, reference_server, tmp_path / "ref-data", courts=COURTS, since=SINCE)
    assert single.status == "done"

    with _flaky(population, REPLICA_INTERVAL) as server:
        queued = processes.run(
            "crawl", "--queue", "--courts", ",".join(COURTS), "--since", SINCE.isoformat(),
            "--until", AS_OF.isoformat(),
        )  # fmt: skip
        assert queued.returncode == 0, queued.stderr
        assert f"{len(COURTS)} court jobs" in queued.stdout
        assert _run_status(queue_db) == "queued"
        pids = [_worker(processes, server.origin, tmp_path / f"worker-{n}.log") for n in range(3)]
        busy = (
            "SELECT q.worker FROM queue_courts q JOIN tasks t ON t.court_code = q.court"
            " WHERE q.state = 'working' AND t.state = 'done' GROUP BY q.worker HAVING count(*) >= 8 LIMIT 1"
        )
        wait_for(lambda: scalar(queue_db, busy) is not None, 60, "a worker well into a court", every=0.05)
        victim_name = str(scalar(queue_db, busy))
        victim = int(victim_name.split("@")[0])
        assert victim in pids
        killed_court = scalar(queue_db, "SELECT court FROM queue_courts WHERE worker = :w", w=victim_name)
        os.kill(victim, signal.SIGKILL)
        wait_for(lambda: _run_status(queue_db) != "queued", 150, "the run to end", every=0.5)
        violations = server.politeness_violations()
        faults = server.stats()["faults"]

    logs = "\n".join(p.read_text(errors="replace")[-2000:] for p in tmp_path.glob("*.log"))
    assert _run_status(queue_db) == "done", logs
    assert violations == {}, violations
    assert sum(faults.values()) > 0  # type: ignore[union-attr]
    # The killed worker's court was taken up again by another worker and finished there.
    row = scalar(
        queue_db, "SELECT attempts || ' ' || state FROM queue_courts WHERE court = :c", c=killed_court
    )
    assert row == "2 done", logs
    assert scalar(queue_db, "SELECT worker FROM queue_courts WHERE court = :c", c=killed_court) != victim_name
    # Nothing lost, nothing doubled: the same cases, persons, events and acts as the single process.
    assert crawled(queue_db) == crawled(reference)
    for table, key in (("cases", "court_code, case_number"), ("tasks", "run_id, url")):
        total = scalar(queue_db, f"SELECT count(*) FROM {table}")
        distinct = scalar(queue_db, f"SELECT count(*) FROM (SELECT DISTINCT {key} FROM {table}) d")
        assert total == distinct, table
    assert scalar(queue_db, "SELECT count(*) FROM tasks WHERE state <> 'done'") == 0
    # The run's end ran once, with every court's report.
    statistics = scalar(queue_db, "SELECT statistics::text FROM runs WHERE kind = 'crawl'")
    assert all(code in str(statistics) for code in COURTS)
    assert (
        scalar(queue_db, "SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'warduty.finish_run'")
        == 1
    )
