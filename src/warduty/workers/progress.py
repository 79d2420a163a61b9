"""The queue's court table: one row per court of a queued crawl run.

A worker marks its court "working" when the job starts, writes how far it is every few seconds (the runs
page shows it live), and at the end stores the court's report, the pages it did not understand and its
politeness waits, marking the court "done" (or "failed" when the job raised). The run's end reads them
back. The table lives beside procrastinate's, created by :func:`create_tables` (not an Alembic revision:
it is the queue's, present only where workers run).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)

from warduty.crawl.crawler import CourtReport
from warduty.crawl.issues import PageIssue

QUEUED, WORKING, DONE, FAILED = "queued", "working", "done", "failed"
FINISHED = (DONE, FAILED)

metadata = MetaData()

queue_courts = Table(
    "queue_courts",
    metadata,
    Column("run_id", Integer, primary_key=True),
    Column("court", String(16), primary_key=True),
    Column("state", String(16), nullable=False),  # queued, working, done, failed
    Column("worker", String(200)),  # the worker that took it last: its name (pid@host, egress)
    Column("attempts", Integer, nullable=False, default=0),  # >1: taken up again after a worker died
    Column("done", Integer, nullable=False, default=0),  # pages used in the current attempt
    Column("kind", String(16)),  # the kind of the latest page
    Column("error", String(2000)),
    Column("updated_at", DateTime(timezone=True)),
    Column("report", JSON),
    Column("issues", JSON),
    Column("waits", JSON),
)

# What the schedule's jobs did when they worked (a firing whose date rule says "not today" is not kept).
schedule_log = Table(
    "schedule_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("job", String(32), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("outcome", String(2000)),  # what it did, or why it failed
    Column("ok", Integer),  # 1 done, 0 failed, NULL running
)


@dataclass(frozen=True, slots=True)
class LoggedRun:
    job: str
    started_at: datetime
    finished_at: datetime | None
    outcome: str | None
    ok: bool | None


def log_start(engine: Engine, job: str) -> int:
    with engine.begin() as connection:
        return int(
            connection.execute(
                insert(schedule_log)
                .values(job=job, started_at=datetime.now(UTC))
                .returning(schedule_log.c.id)
            ).scalar_one()
        )


def log_end(engine: Engine, entry_id: int, outcome: str, *, ok: bool) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(schedule_log)
            .where(schedule_log.c.id == entry_id)
            .values(finished_at=datetime.now(UTC), outcome=outcome[:2000], ok=int(ok))
        )


def last_runs(engine: Engine) -> dict[str, LoggedRun]:
    """The latest logged run of each scheduled job (none before a worker made the table)."""
    latest: dict[str, LoggedRun] = {}
    if not inspect(engine).has_table(schedule_log.name):
        return latest
    with engine.connect() as connection:
        newest = select(func.max(schedule_log.c.id)).group_by(schedule_log.c.job)
        for row in connection.execute(select(schedule_log).where(schedule_log.c.id.in_(newest))):
            ok = None if row.ok is None else bool(row.ok)
            latest[row.job] = LoggedRun(row.job, row.started_at, row.finished_at, row.outcome, ok)
    return latest


@dataclass(frozen=True, slots=True)
class CourtProgress:
    """A court of a queued run as the runs page shows it."""

    run_id: int
    court: str
    state: str
    worker: str | None
    attempts: int
    done: int
    kind: str | None
    updated_at: datetime | None
    error: str | None


@dataclass(frozen=True, slots=True)
class CourtResults:
    """What the court jobs of a run left for its end."""

    reports: dict[str, CourtReport]
    waits: dict[str, float]
    issues: list[PageIssue]


def create_tables(engine: Engine) -> None:
    metadata.create_all(engine, checkfirst=True)


def add_courts(engine: Engine, run_id: int, codes: Sequence[str]) -> None:
    if not codes:
        return
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(
            insert(queue_courts),
            [
                {
                    "run_id": run_id,
                    "court": code,
                    "state": QUEUED,
                    "attempts": 0,
                    "done": 0,
                    "updated_at": now,
                }
                for code in codes
            ],
        )


def start_court(engine: Engine, run_id: int, court: str, worker: str) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(queue_courts)
            .where(queue_courts.c.run_id == run_id, queue_courts.c.court == court)
            .values(
                state=WORKING,
                worker=worker,
                attempts=queue_courts.c.attempts + 1,
                done=0,
                kind=None,
                error=None,
                updated_at=datetime.now(UTC),
            )
        )


def note_progress(engine: Engine, run_id: int, court: str, done: int, kind: str) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(queue_courts)
            .where(queue_courts.c.run_id == run_id, queue_courts.c.court == court)
            .values(done=done, kind=kind, updated_at=datetime.now(UTC))
        )


def end_court(
    engine: Engine,
    run_id: int,
    court: str,
    report: CourtReport,
    issues: Sequence[PageIssue],
    waits: dict[str, float],
    error: str | None = None,
) -> bool:
    """Store the court's outcome; True when no court of the run is left unfinished (read after this
    court's commit, so of two courts ending at once at least the later one sees the run complete)."""
    with engine.begin() as connection:
        connection.execute(
            update(queue_courts)
            .where(queue_courts.c.run_id == run_id, queue_courts.c.court == court)
            .values(
                state=FAILED if error else DONE,
                error=error[:2000] if error else None,
                updated_at=datetime.now(UTC),
                report=report.to_dict(),
                issues=[issue.to_dict() for issue in issues],
                waits={host: round(seconds, 3) for host, seconds in waits.items()},
            )
        )
    with engine.connect() as connection:
        left = connection.execute(
            select(func.count())
            .select_from(queue_courts)
            .where(queue_courts.c.run_id == run_id, queue_courts.c.state.not_in(FINISHED))
        ).scalar_one()
    return int(left) == 0


def court_results(engine: Engine, run_id: int) -> CourtResults:
    reports: dict[str, CourtReport] = {}
    waits: dict[str, float] = {}
    issues: list[PageIssue] = []
    with engine.connect() as connection:
        rows = connection.execute(
            select(queue_courts.c.court, queue_courts.c.report, queue_courts.c.issues, queue_courts.c.waits)
            .where(queue_courts.c.run_id == run_id)
            .order_by(queue_courts.c.court)
        ).all()
    for row in rows:
        reports[row.court] = CourtReport.from_dict(row.report if isinstance(row.report, dict) else {})
        for entry in row.issues if isinstance(row.issues, list) else []:
            issues.append(PageIssue.from_dict(entry))
        for host, seconds in (row.waits if isinstance(row.waits, dict) else {}).items():
            waits[host] = waits.get(host, 0.0) + float(seconds)
    return CourtResults(reports, waits, issues)


def live_progress(engine: Engine, run_ids: Sequence[int]) -> list[CourtProgress]:
    """The courts of these runs, working ones first."""
    if not run_ids:
        return []
    with engine.connect() as connection:
        rows = connection.execute(select(queue_courts).where(queue_courts.c.run_id.in_(list(run_ids)))).all()
    order = {WORKING: 0, QUEUED: 1, FAILED: 2, DONE: 3}
    views = [
        CourtProgress(
            row.run_id,
            row.court,
            row.state,
            row.worker,
            row.attempts,
            row.done,
            row.kind,
            row.updated_at,
            row.error,
        )
        for row in rows
    ]
    return sorted(views, key=lambda v: (-v.run_id, order.get(v.state, 9), v.court))


@dataclass(frozen=True, slots=True)
class WorkerView:
    """A live worker, from procrastinate's heartbeat table, with the court jobs it is doing now."""

    id: int
    last_heartbeat: datetime
    silent_seconds: float  # since its last heartbeat: a dead worker's grows until it is pruned
    courts: tuple[CourtProgress, ...]


@dataclass(frozen=True, slots=True)
class QueueStatus:
    workers: list[WorkerView]
    courts: list[CourtProgress]  # every court of the runs still queued


def queue_status(engine: Engine) -> QueueStatus:
    """The workers and the courts of the queued runs; empty where no worker ever ran (or on SQLite)."""
    if engine.dialect.name != "postgresql" or not inspect(engine).has_table(queue_courts.name):
        return QueueStatus([], [])
    with engine.connect() as connection:
        queued = connection.execute(text("SELECT id FROM runs WHERE status = 'queued'")).scalars().all()
        workers = connection.execute(
            text(
                "SELECT w.id, w.last_heartbeat, extract(epoch FROM now() - w.last_heartbeat) AS silent,"
                " array_remove(array_agg(((j.args->>'run_id') || ':' || (j.args->>'court'))), NULL) AS jobs"
                " FROM procrastinate_workers w LEFT JOIN procrastinate_jobs j"
                " ON j.worker_id = w.id AND j.status = 'doing' AND j.task_name = 'warduty.crawl_court'"
                " GROUP BY w.id, w.last_heartbeat ORDER BY w.id"
            )
        ).all()
    courts = live_progress(engine, [int(run) for run in queued])
    by_key = {f"{c.run_id}:{c.court}": c for c in courts}
    views = [
        WorkerView(
            int(row.id),
            row.last_heartbeat,
            float(row.silent),
            tuple(by_key[key] for key in row.jobs if key in by_key),
        )
        for row in workers
    ]
    return QueueStatus(views, courts)
