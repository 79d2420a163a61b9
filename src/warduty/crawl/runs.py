"""Runs as an operator sees them: which are still running, which a crash left behind, and closing those.

A crawl run marked "running" is *stale* when no process holds the database's crawl lock for it
(``crawl/lock.py``): the process that worked on it died (or the database is a copy). A stale run can be
closed as "abandoned" with a note; ``--resume`` then starts a new run instead of continuing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from warduty.crawl.lock import LockHolder, current_holder
from warduty.store.schema import runs

ABANDONED = "abandoned"


@dataclass(frozen=True, slots=True)
class RunView:
    id: int
    kind: str
    status: str
    started_at: datetime | None
    finished_at: datetime | None
    pid: int | None
    host: str | None
    stale: bool  # "running" but no live process holds the lock for it

    @property
    def state(self) -> str:
        return f"{self.status} (stale)" if self.stale else self.status


class RunCloseError(ValueError):
    """The run cannot be closed; the message says why."""


def list_runs(engine: Engine, limit: int = 50) -> tuple[list[RunView], LockHolder | None]:
    """The newest runs, newest first, and the crawl lock's holder now (None: no crawl is running)."""
    holder = current_holder(engine)
    with engine.connect() as connection:
        rows = connection.execute(
            select(runs.c.id, runs.c.kind, runs.c.status, runs.c.started_at, runs.c.finished_at, runs.c.plan)
            .order_by(runs.c.id.desc())
            .limit(limit)
        ).all()
    return [_view(row._mapping, holder) for row in rows], holder


def close_run(engine: Engine, run_id: int, note: str) -> RunView:
    """Mark a stale "running" (or "incomplete") crawl run as abandoned; refused while a crawl holds the
    lock for it."""
    holder = current_holder(engine)
    with engine.begin() as connection:
        row = connection.execute(
            select(
                runs.c.id, runs.c.kind, runs.c.status, runs.c.started_at, runs.c.finished_at, runs.c.plan
            ).where(runs.c.id == run_id)
        ).first()
        if row is None:
            raise RunCloseError(f"no run {run_id}")
        # "queued": a run for the workers (issue 14) that should not go on; they skip its courts' jobs.
        if row.status not in ("running", "incomplete", "queued"):
            raise RunCloseError(
                f"run {run_id} is {row.status}: only a running, queued or incomplete run can be closed"
            )
        if row.kind == "crawl" and holder is not None and holder.run_id in (run_id, None):
            raise RunCloseError(
                f"run {run_id} may still be working: the crawl lock is held by {holder.describe()}"
            )
        now = abandon(connection, run_id, note)
    return RunView(run_id, row.kind, ABANDONED, row.started_at, now, *_process(row.plan), stale=False)


def abandon(connection: Connection, run_id: int, note: str) -> datetime:
    """Mark the run abandoned, keeping what statistics an earlier session wrote; returns the time."""
    now = datetime.now(UTC)
    earlier = connection.execute(select(runs.c.statistics).where(runs.c.id == run_id)).scalar()
    statistics = {
        **(earlier if isinstance(earlier, dict) else {}),
        "run": run_id,
        "status": ABANDONED,
        "note": note,
        "closed_at": now.isoformat(),
    }
    connection.execute(
        update(runs)
        .where(runs.c.id == run_id)
        .values(status=ABANDONED, finished_at=now, statistics=statistics)
    )
    return now


def abandon_stale(connection: Connection, new_run: int) -> list[int]:
    """Close the crawl runs still marked "running" when a new run starts under the crawl lock: no process
    can be working on them (the lock is this crawl's), and ``--resume`` continues only the latest run."""
    stale = connection.execute(
        select(runs.c.id).where(runs.c.kind == "crawl", runs.c.status == "running", runs.c.id != new_run)
    ).scalars()
    closed = list(stale)
    for run_id in closed:
        abandon(connection, run_id, f"left running by a process that was gone when run {new_run} started")
    return closed


def _view(row: Any, holder: LockHolder | None) -> RunView:
    running = row["status"] == "running"
    held = holder is not None and holder.run_id in (row["id"], None)
    stale = running and row["kind"] == "crawl" and not held
    return RunView(
        row["id"],
        row["kind"],
        row["status"],
        row["started_at"],
        row["finished_at"],
        *_process(row["plan"]),
        stale=stale,
    )


def _process(plan: Any) -> tuple[int | None, str | None]:
    process = plan.get("process") if isinstance(plan, dict) else None
    if not isinstance(process, dict):
        return None, None
    pid, host = process.get("pid"), process.get("host")
    return (pid if isinstance(pid, int) else None), (host if isinstance(host, str) else None)
