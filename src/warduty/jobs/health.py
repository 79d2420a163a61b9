"""Health: is the database reachable, when did a run last succeed, are queue workers alive, who holds the
crawl lock, which alerts are still owed. ``/healthz`` and ``warduty status`` both show this."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from warduty.alerts.storage import pending_count
from warduty.config import ConfigError, Settings
from warduty.crawl.lock import LockHolder
from warduty.crawl.runs import RunView, list_runs
from warduty.jobs.alerts import channel_names
from warduty.store import DatabaseError, describe_error
from warduty.store.schema import runs

T = TypeVar("T")
SUCCESS = ("done", "finished")  # a crawl that completed, an asylum fetch or load that finished
WORKER_TABLE = "procrastinate_workers"
WORKER_FRESH_SECONDS = 60  # a worker whose last heartbeat is older is not counted as alive


@dataclass(frozen=True, slots=True)
class LastSuccess:
    run_id: int
    kind: str
    finished_at: datetime
    age_seconds: float


@dataclass(frozen=True, slots=True)
class Workers:
    """Queue workers (procrastinate, on PostgreSQL); ``applicable`` False where there is no queue."""

    applicable: bool
    alive: int = 0
    registered: int = 0
    note: str = ""


@dataclass(frozen=True, slots=True)
class Health:
    database: bool
    backend: str
    error: str | None = None  # why the database is not reachable
    last_success: LastSuccess | None = None
    workers: Workers = field(default_factory=lambda: Workers(False, note="not checked"))
    runs: list[RunView] = field(default_factory=list)  # the newest runs (``warduty status``)
    lock_holder: LockHolder | None = None
    pending_alerts: int | None = None  # None: no push channel configured (or not checked)
    checked_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def healthy(self) -> bool:
        return self.database

    def to_dict(self) -> dict[str, Any]:
        last = self.last_success
        return {
            "ok": self.healthy,  # the API envelope's flag (docs/web.md)
            "status": "ok" if self.healthy else "unavailable",
            "checked_at": self.checked_at.isoformat(),
            "database": {"reachable": self.database, "backend": self.backend, "error": self.error},
            "last_success": None
            if last is None
            else {
                "run": last.run_id,
                "kind": last.kind,
                "finished_at": last.finished_at.isoformat(),
                "age_seconds": round(last.age_seconds),
            },
            "workers": {
                "applicable": self.workers.applicable,
                "alive": self.workers.alive,
                "registered": self.workers.registered,
                "note": self.workers.note,
            },
            "crawl_lock": self.lock_holder.describe() if self.lock_holder else None,
            "pending_alerts": self.pending_alerts,
        }


def check_health(
    engine: Engine, settings: Settings | None = None, *, runs_shown: int = 0, now: datetime | None = None
) -> Health:
    """The health of ``engine``'s database; never raises for a database that is down or not migrated.
    ``runs_shown``: also list that many newest runs and the crawl lock's holder (``warduty status``);
    ``settings``: also count the alerts owed to the configured push channels."""
    moment = now or datetime.now(UTC)
    backend = engine.dialect.name
    try:
        with engine.connect() as connection:
            connection.execute(select(1))
    except DBAPIError as exc:
        return Health(False, backend, describe_error(exc, engine.url.render_as_string()), checked_at=moment)
    except (SQLAlchemyError, DatabaseError, OSError) as exc:
        return Health(False, backend, _first_line(exc), checked_at=moment)
    # Reachable: each part on its own connection, so a missing table (a database not migrated yet, a
    # failed statement on PostgreSQL) leaves the other parts readable.
    last = _part(engine, lambda c: last_success(c, moment), None)
    workers = _part(engine, worker_state, Workers(False, note="could not be read"))
    owed = _part(engine, lambda c: _pending_alerts(c, settings), None)
    views: list[RunView] = []
    holder: LockHolder | None = None
    if runs_shown:
        with contextlib.suppress(SQLAlchemyError):
            views, holder = list_runs(engine, runs_shown)
    return Health(True, backend, None, last, workers, views, holder, owed, moment)


def _part(engine: Engine, read: Callable[[Connection], T], default: T) -> T:
    try:
        with engine.connect() as connection:
            return read(connection)
    except SQLAlchemyError:
        return default


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def last_success(connection: Connection, now: datetime) -> LastSuccess | None:
    """The newest run that ended well (a table without runs: None)."""
    row = connection.execute(
        select(runs.c.id, runs.c.kind, runs.c.finished_at)
        .where(runs.c.status.in_(SUCCESS), runs.c.finished_at.is_not(None))
        .order_by(runs.c.finished_at.desc(), runs.c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    finished = row.finished_at if row.finished_at.tzinfo else row.finished_at.replace(tzinfo=UTC)
    return LastSuccess(int(row.id), str(row.kind), finished, max(0.0, (now - finished).total_seconds()))


def worker_state(connection: Connection) -> Workers:
    """Procrastinate's workers: rows of ``procrastinate_workers`` with a recent heartbeat."""
    if connection.dialect.name != "postgresql":
        return Workers(False, note="no workers: SQLite runs crawls in one process (`warduty crawl`)")
    exists = connection.execute(text("SELECT to_regclass(:name)"), {"name": WORKER_TABLE}).scalar()
    if exists is None:
        return Workers(False, note="no workers: the queue is not installed in this database")
    registered, alive = connection.execute(
        text(
            "SELECT count(*), count(*) FILTER "
            "(WHERE last_heartbeat > now() - make_interval(secs => :fresh)) FROM procrastinate_workers"
        ),
        {"fresh": WORKER_FRESH_SECONDS},
    ).one()
    return Workers(True, int(alive), int(registered), note="" if alive else "no worker alive")


def _pending_alerts(connection: Connection, settings: Settings | None) -> int | None:
    if settings is None:
        return None
    try:
        names = channel_names(settings)
    except ConfigError:
        return None
    if not names:
        return None
    return pending_count(connection, names)
