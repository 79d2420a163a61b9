"""Crawls through the PostgreSQL queue: enqueue a run, the court job a worker runs, the run's end, and
the worker itself.

A queued crawl is planned like any crawl (one run row, its frontier, under the crawl lock for that
moment), its status set to "queued", and one ``crawl_court`` job per court is deferred with procrastinate
``lock`` = the court's host: at most one worker talks to a host at a time, so the per-host interval holds
across workers, while each worker keeps its own platform-wide interval (one pacer per worker process) and
its own egress (``--proxy``). The court job whose end leaves no court of its run unfinished defers
``finish_run``; that reconciles the run exactly once (under an advisory lock, and only while the run is
"queued"). A worker killed mid-job stops sending heartbeats; every worker looks for such stalled jobs
and puts them back in the queue, and the frontier's idempotent upserts make the retried court's result
the same as an uninterrupted one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from procrastinate import App, JobContext, PsycopgConnector
from procrastinate.app import WorkerOptions as QueueWorkerOptions
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.schema import SchemaManager
from sqlalchemy import Engine, func, make_url, select, text, update

from warduty.config import ConfigError, Settings
from warduty.courts import CourtRegistry, load_registry, normalize_host
from warduty.crawl.captcha import CaptchaSolver
from warduty.crawl.crawler import CourtReport, CrawlOptions, ProgressEvent, RunReport
from warduty.crawl.frontier import TaskState
from warduty.crawl.lock import CrawlLock
from warduty.crawl.pacing import Pacer
from warduty.jobs.alerts import after_run
from warduty.jobs.crawl import client_options, default_solver, new_crawler
from warduty.jobs.store import prepare_store
from warduty.store import make_engine, require_writable
from warduty.store.schema import cases, runs, tasks
from warduty.workers import progress
from warduty.workers.progress import add_courts, create_tables, end_court, note_progress, start_court

log = logging.getLogger(__name__)

QUEUED = "queued"  # a run's status while workers do its courts
CRAWL_QUEUE = "crawl"
COURT_TASK = "warduty.crawl_court"
FINISH_TASK = "warduty.finish_run"
PROGRESS_EVERY = 2.0  # seconds between two progress writes of a court job
# pg_advisory_lock(int, int) keys: the queue's schema, and a run's end (second key: the run id).
_SCHEMA_KEY, _FINISH_KEY = 0x77717565, 0x77666E73  # 'wque', 'wfns'


class QueueError(ConfigError):
    """The queue cannot be used with these settings (it needs PostgreSQL); the message says why."""


@dataclass(frozen=True)
class QueuedRun:
    run_id: int
    courts: list[str]  # court codes with a job deferred


@dataclass
class WorkerRuntime:
    """What the jobs of one worker process share: its settings (egress, intervals), one database
    engine, one pacer (one platform-wide interval for all its jobs) and its captcha solver."""

    settings: Settings
    engine: Engine
    registry: CourtRegistry
    pacer: Pacer
    solver: CaptchaSolver | None
    name: str


def conninfo(database_url: str) -> str:
    """The libpq URL of a PostgreSQL database URL; :class:`QueueError` for any other database."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise QueueError(
            f"workers and schedules need PostgreSQL (set db to postgresql+psycopg://...); "
            f"the database is {url.get_backend_name()}: run `warduty crawl` without --queue instead"
        )
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def new_app(settings: Settings) -> App:
    """The procrastinate app on the configured PostgreSQL database, with warduty's tasks."""
    app = App(connector=PsycopgConnector(conninfo=conninfo(settings.database_url)))
    app.task(name=COURT_TASK, queue=CRAWL_QUEUE, pass_context=True)(crawl_court)
    app.task(name=FINISH_TASK, queue=CRAWL_QUEUE, pass_context=True)(finish_run)
    # The schedule's periodic tasks are registered by the worker (warduty.jobs.schedule).
    return app


def prepare_queue(engine: Engine) -> None:
    """Migrate the store, and add procrastinate's schema and the queue's tables if they are missing.
    Idempotent, and safe when several workers start at once on a new database (an advisory lock, held
    on a connection of its own, lets one prepare while the others wait)."""
    with engine.connect() as guard:
        guard.execute(text("SELECT pg_advisory_lock(:a, 0)"), {"a": _SCHEMA_KEY})
        guard.commit()
        try:
            prepare_store(engine)
            with engine.begin() as connection:
                present = connection.execute(text("SELECT to_regclass('procrastinate_jobs') IS NOT NULL"))
                if not present.scalar():
                    # Straight to psycopg, without parameters: the schema's % signs are not placeholders.
                    with connection.connection.dbapi_connection.cursor() as cursor:  # type: ignore[union-attr]
                        cursor.execute(SchemaManager.get_schema())
            create_tables(engine)
        finally:
            guard.execute(text("SELECT pg_advisory_unlock(:a, 0)"), {"a": _SCHEMA_KEY})
            guard.commit()


def queue_engine(settings: Settings) -> Engine:
    """The engine of a queue command: PostgreSQL (else :class:`QueueError`), writable, prepared."""
    conninfo(settings.database_url)
    engine = make_engine(settings.database_url)
    require_writable(engine)
    prepare_queue(engine)
    return engine


# -- enqueue -------------------------------------------------------------------------------------------


def enqueue_crawl(settings: Settings, options: CrawlOptions, *, engine: Engine | None = None) -> QueuedRun:
    """Plan a crawl run and defer one job per court for the workers.

    Takes the crawl lock only while planning: raises :class:`~warduty.crawl.lock.CrawlLocked` when a
    single-process crawl holds the database."""
    engine = engine or queue_engine(settings)
    run = plan_queued_run(settings, engine, options)

    async def defer() -> None:
        app = new_app(settings)
        async with app.open_async():
            await defer_courts(app, run)

    asyncio.run(defer())
    return run


def plan_queued_run(settings: Settings, engine: Engine, options: CrawlOptions) -> QueuedRun:
    """The run row and frontier of a queued crawl (under the crawl lock), and its courts' rows."""
    if options.resume:
        raise QueueError("--resume does not apply to a queued crawl: workers take up unfinished jobs")
    with CrawlLock(engine) as lock:
        crawler = new_crawler(engine, client_options(settings), settings.data_dir)
        run_id = crawler.plan_run(options)
        lock.set_run(run_id)
        with engine.begin() as connection:
            connection.execute(update(runs).where(runs.c.id == run_id).values(status=QUEUED))
            plan = connection.execute(select(runs.c.plan).where(runs.c.id == run_id)).scalar_one()
    codes = _largest_first(engine, [str(code) for code in plan["courts"]])
    add_courts(engine, run_id, codes)
    return QueuedRun(run_id, codes)


def _largest_first(engine: Engine, codes: list[str]) -> list[str]:
    """The courts with the most cases first (jobs are taken in the order they were queued), so the run's
    last minutes are not one large court's alone; a new database keeps the plan's order."""
    with engine.connect() as connection:
        counted = connection.execute(select(cases.c.court_code, func.count()).group_by(cases.c.court_code))
        sizes: dict[str, int] = {str(code): int(count) for code, count in counted}
    return sorted(codes, key=lambda code: -sizes.get(code, 0))


async def defer_courts(app: App, run: QueuedRun, registry: CourtRegistry | None = None) -> None:
    """One job per court of ``run`` on the open ``app``; its lock is the court's host."""
    registry = registry or load_registry()
    for code in run.courts:
        court = registry.by_code(code)
        with contextlib.suppress(AlreadyEnqueued):  # the same court of the same run is queued once
            await app.configure_task(
                COURT_TASK,
                lock=f"host:{court.search_host or court.host or code}",
                queueing_lock=f"run:{run.run_id}:court:{code}",
            ).defer_async(run_id=run.run_id, court=code)


# -- the jobs ------------------------------------------------------------------------------------------


def _runtime(context: JobContext) -> WorkerRuntime:
    runtime = context.additional_context.get("runtime")
    if not isinstance(runtime, WorkerRuntime):
        raise RuntimeError("a warduty job runs only in `warduty worker` (no runtime in its context)")
    return runtime


def queued_run_options(engine: Engine, run_id: int) -> CrawlOptions | None:
    """The options a queued run was planned with; None when the run is no longer queued."""
    with engine.connect() as connection:
        row = connection.execute(select(runs.c.status, runs.c.plan).where(runs.c.id == run_id)).first()
    if row is None or row.status != QUEUED or not isinstance(row.plan, dict):
        return None
    plan: dict[str, Any] = row.plan
    return CrawlOptions(
        courts=list(plan["courts"]),
        articles=tuple(plan["articles"]),
        since=date.fromisoformat(plan["since"]),
        until=date.fromisoformat(plan["until"]),
    )


async def crawl_court(context: JobContext, run_id: int, court: str) -> None:
    """One court of a queued run: its pending tasks, then its report; the last court defers the end."""
    runtime = _runtime(context)
    engine, settings = runtime.engine, runtime.settings
    options = queued_run_options(engine, run_id)
    if options is None:
        log.warning("run %s is not queued any more (finished or closed): court %s skipped", run_id, court)
        return
    start_court(engine, run_id, court, runtime.name)
    # The host's lock may just have changed hands: its previous holder may have asked a moment ago.
    await asyncio.sleep(settings.min_interval)
    crawler = new_crawler(
        engine,
        client_options(settings),
        settings.data_dir,
        registry=runtime.registry,
        solver=runtime.solver,
        on_progress=_progress_writer(engine, run_id, court),
        pacer=runtime.pacer,
    )
    error: str | None = None
    before = {host: stats.waited for host, stats in runtime.pacer.stats.items()}
    try:
        reports, waits = await crawler.work(run_id, [court], options)
        report = reports[court]
    except Exception as exc:  # the run still ends; its statistics list this court's unfinished tasks
        log.exception("run %s court %s failed", run_id, court)
        error, report, waits = f"{type(exc).__name__}: {exc}", CourtReport(), {}
    # The pacer is the worker's: keep this court's hosts, and only what this job waited for them.
    registered = runtime.registry.by_code(court)
    own = {normalize_host(h) for h in (registered.host, registered.search_host) if h}
    waits = {h: w - before.get(h, 0.0) for h, w in waits.items() if normalize_host(h) in own}
    if end_court(engine, run_id, court, report, crawler.page_issues, waits, error):
        with contextlib.suppress(AlreadyEnqueued):
            await context.app.configure_task(FINISH_TASK, queueing_lock=f"finish:{run_id}").defer_async(
                run_id=run_id
            )


def _progress_writer(engine: Engine, run_id: int, court: str) -> Callable[[ProgressEvent], None]:
    last = 0.0

    def write(event: ProgressEvent) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY:
            last = now
            note_progress(engine, run_id, court, event.done, event.kind)

    return write


async def finish_run(context: JobContext, run_id: int) -> None:
    runtime = _runtime(context)
    await asyncio.to_thread(finish_queued_run, runtime.settings, runtime.engine, run_id, runtime.registry)


def finish_queued_run(
    settings: Settings, engine: Engine, run_id: int, registry: CourtRegistry | None = None
) -> RunReport | None:
    """Reconcile a queued run whose courts are all done: exactly once (None when it was not queued);
    then, with the run's lock released, detect and send its alerts (``jobs.alerts.after_run``)."""
    report = _reconcile_once(settings, engine, run_id, registry)
    if report is not None:
        after_run(settings, engine, report.run_id)  # never raises, never fails the run
    return report


def _reconcile_once(
    settings: Settings, engine: Engine, run_id: int, registry: CourtRegistry | None
) -> RunReport | None:
    with engine.connect() as guard:
        guard.execute(text("SELECT pg_advisory_lock(:a, :b)"), {"a": _FINISH_KEY, "b": run_id})
        try:
            status = guard.execute(select(runs.c.status).where(runs.c.id == run_id)).scalar()
            guard.commit()
            if status != QUEUED:
                return None
            _fail_leftovers(engine, run_id)
            results = progress.court_results(engine, run_id)
            crawler = new_crawler(engine, client_options(settings), settings.data_dir, registry=registry)
            report = crawler.finish(run_id, results.reports, results.waits, results.issues)
            log.info("run %s finished by the queue: %s", run_id, report.status)
            return report
        finally:
            guard.execute(text("SELECT pg_advisory_unlock(:a, :b)"), {"a": _FINISH_KEY, "b": run_id})
            guard.commit()


def _fail_leftovers(engine: Engine, run_id: int) -> None:
    """Tasks still pending at the end belong to a court whose job failed: mark them failed, so the run is
    "incomplete" with them listed, and ``warduty crawl --resume`` can do them."""
    with engine.begin() as connection:
        connection.execute(
            update(tasks)
            .where(tasks.c.run_id == run_id, tasks.c.state == TaskState.PENDING)
            .values(state=TaskState.FAILED, error="not done: its court's job failed")
        )


# -- the worker ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkerOptions:
    concurrency: int = 8  # courts at once, sharing the worker's pacer
    queues: tuple[str, ...] = ()  # empty: every queue
    heartbeat: float = 10.0  # seconds between two heartbeats of a worker
    stalled_after: float = 30.0  # a worker silent this long is dead: its jobs go back in the queue
    wait: bool = True  # False: stop when no job is left (tests, benchmarks)
    schedule: bool = True  # register the settings' periodic jobs


def worker_name(settings: Settings) -> str:
    egress = settings.proxy or "direct"
    return f"{os.getpid()}@{socket.gethostname()} via {egress}"[:200]


async def run_worker(settings: Settings, options: WorkerOptions, *, engine: Engine | None = None) -> None:
    """Take jobs until stopped (SIGINT/SIGTERM end it after the running jobs), retrying stalled jobs."""
    engine = engine or queue_engine(settings)
    app = new_app(settings)
    from warduty.jobs.schedule import register_schedule  # the schedule's tasks need the queue's app

    # Every worker can run a firing another worker deferred; only these fire the schedule themselves.
    register_schedule(app, settings, periodic=options.schedule)
    runtime = WorkerRuntime(
        settings,
        engine,
        load_registry(),
        Pacer(settings.min_interval, settings.global_interval),
        default_solver(),
        worker_name(settings),
    )
    async with app.open_async():
        watchdog = asyncio.create_task(_retry_stalled(app, options.stalled_after))
        try:
            chosen: QueueWorkerOptions = {
                "name": runtime.name,
                "concurrency": options.concurrency,
                "wait": options.wait,
                "additional_context": {"runtime": runtime},
                "update_heartbeat_interval": options.heartbeat,
                "stalled_worker_timeout": options.stalled_after,
            }
            if options.queues:
                chosen["queues"] = list(options.queues)
            await app.run_worker_async(**chosen)
        finally:
            watchdog.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watchdog


async def _retry_stalled(app: App, stalled_after: float) -> None:
    """Put back in the queue the jobs of workers that stopped sending heartbeats (killed, or their
    machine gone), so no person is needed; checks every third of ``stalled_after``."""
    while True:
        try:
            for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after):
                log.warning(
                    "job %s (%s %s) of a dead worker: queued again", job.id, job.task_name, job.task_kwargs
                )
                await app.job_manager.retry_job(job)
        except Exception:  # a database hiccup: the next round tries again
            log.exception("looking for stalled jobs failed")
        await asyncio.sleep(max(stalled_after / 3, 0.5))
