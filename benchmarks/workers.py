"""Makespan of a queued crawl done by 1, 2 and 4 ``warduty worker`` processes, against the politeness bound.

Each worker is its own process with its own platform-wide interval, as a worker on its own address would
be; the per-host interval holds across workers because a court's job lock is its host. With N workers no
polite crawl can finish sooner than

    bound(N) = max(max over hosts of pages(host) x host interval,  all pages x global interval / N)

The replica runs in its own process (its guard at 0.8x the host interval counts politeness violations);
each N crawls into a fresh PostgreSQL database, every court with cases from 2021-01-01 to 2024-04-12. The
makespan runs from the moment the court jobs are queued (the workers already waiting) to the run's end
(reconciled, by the queue's ``finish_run``). Run:

    .venv/bin/python benchmarks/workers.py [--scale 0.1] [--host-interval 0.1] [--global-interval 0.02] \
        [--workers 1,2,4] [--concurrency 8]

PostgreSQL: ``WARDUTY_TEST_PG`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``), whose
server gets one scratch database per N, dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

from warduty.config import Settings
from warduty.crawl.crawler import CrawlOptions
from warduty.jobs.queue import enqueue_crawl, queue_engine
from warduty.replica.process import ReplicaProcess
from warduty.replica.server import STATS_PATH

AS_OF = date(2024, 4, 12)
ADMIN_URL = os.environ.get("WARDUTY_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@dataclass(frozen=True)
class Result:
    workers: int
    pages: int
    largest_host_pages: int
    makespan: float
    bound: float
    violations: int
    status: str


def violations(origin: str) -> int:
    with urllib.request.urlopen(origin + STATS_PATH, timeout=10) as answer:
        return int(json.loads(answer.read())["politeness_violations_total"])


def measure(count: int, replica: ReplicaProcess, args: argparse.Namespace, folder: Path) -> Result:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"warduty_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    settings = Settings(
        db=url, data_dir=folder, min_interval=args.host_interval, global_interval=args.global_interval,
        sudrf_origin=replica.origin, cooldown=2.0, timeout=10.0,
    )  # fmt: skip
    workers: list[subprocess.Popen[bytes]] = []
    try:
        engine = queue_engine(settings)
        env = {
            **os.environ, "WARDUTY_DB": url, "WARDUTY_DATA_DIR": str(folder),
            "WARDUTY_CONFIG": str(folder / "none.toml"), "WARDUTY_COOLDOWN": "2", "WARDUTY_TIMEOUT": "10",
        }  # fmt: skip
        for _ in range(count):
            command = [
                sys.executable, "-m", "warduty.cli", "worker", "--sudrf-origin", replica.origin,
                "--min-interval", str(args.host_interval), "--global-interval", str(args.global_interval),
                "--no-schedule", "--concurrency", str(args.concurrency),
            ]  # fmt: skip
            workers.append(
                subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            )
        _wait(lambda: _scalar(engine, "SELECT count(*) FROM procrastinate_workers") == count, 120)
        before = violations(replica.origin)
        options = CrawlOptions(since=date(2021, 1, 1), until=AS_OF)
        run = enqueue_crawl(settings, options, engine=engine)
        started = time.perf_counter()
        _wait(lambda: _scalar(engine, f"SELECT status FROM runs WHERE id = {run.run_id}") != "queued", 3600)
        makespan = time.perf_counter() - started
        status = str(_scalar(engine, f"SELECT status FROM runs WHERE id = {run.run_id}"))
        with engine.connect() as connection:
            per_court = [
                int(n)
                for (n,) in connection.execute(
                    text("SELECT count(*) FROM fetches WHERE run_id = :r GROUP BY court_code"),
                    {"r": run.run_id},
                )
            ]
        engine.dispose()
        pages = sum(per_court)
        largest = max(per_court)
        bound = max(largest * args.host_interval, pages * args.global_interval / count)
        return Result(count, pages, largest, makespan, bound, violations(replica.origin) - before, status)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _scalar(engine: Engine, sql: str) -> object:
    with engine.connect() as connection:
        return connection.execute(text(sql)).scalar()


def _wait(check: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:.0f}s")
        time.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--host-interval", type=float, default=0.1)
    parser.add_argument("--global-interval", type=float, default=0.02)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--concurrency", type=int, default=8, help="courts at once per worker")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    replica = ReplicaProcess(AS_OF, scale=args.scale, min_interval=0.8 * args.host_interval).start()
    try:
        results = []
        for count in counts:
            with tempfile.TemporaryDirectory() as tmp:
                results.append(measure(count, replica, args, Path(tmp)))
                print(results[-1], file=sys.stderr)
    finally:
        replica.stop()
    print(
        f"host interval {args.host_interval} s, global interval {args.global_interval} s per worker, "
        f"{args.concurrency} courts at once per worker"
    )
    print("| workers | pages | largest host | makespan | bound | ratio | speed-up | violations | run |")
    print("|---|---|---|---|---|---|---|---|---|")
    for result in results:
        print(
            f"| {result.workers} | {result.pages:,} | {result.largest_host_pages} | {result.makespan:.1f} s "
            f"| {result.bound:.1f} s | {result.makespan / result.bound:.2f}x "
            f"| {results[0].makespan / result.makespan:.2f}x | {result.violations} | {result.status} |"
        )


if __name__ == "__main__":
    main()
