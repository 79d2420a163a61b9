"""The durable crawl frontier: tasks of a run kept in the database, so a killed run resumes.

A task is finished in the same transaction that stores what it produced (rows and child tasks), so after
a crash a task is either done with all its output stored, or still pending and fetched again. The tasks'
new states are held back and written together just before the transaction commits (one statement for all
its pages, where each page took one), and before any read of pending tasks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func, select, update

from warduty.store import driver
from warduty.store.schema import tasks
from warduty.store.upsert import insert_for


class TaskKind(StrEnum):
    SEARCH = "search"  # a page of a search window's results
    CONTROL = "control"  # a search with no article: does the court list anything at all?
    CARD = "card"
    DOC = "doc"  # an act's print view


class TaskState(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"
    DEFERRED = "deferred"  # a captcha was not solved; a resumed run tries again


# Within one court, searches come before cards and cards before documents.
_KIND_ORDER = {TaskKind.CONTROL: 0, TaskKind.SEARCH: 1, TaskKind.CARD: 2, TaskKind.DOC: 3}


@dataclass(frozen=True, slots=True)
class TaskSpec:
    kind: TaskKind
    court_code: str
    url: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Task:
    id: int
    kind: TaskKind
    court_code: str
    url: str
    payload: dict[str, Any]
    attempts: int


class Frontier:
    def __init__(self, engine: Engine, run_id: int) -> None:
        self.engine = engine
        self.run_id = run_id
        self._finished: list[dict[str, Any]] = []  # new task states held back for the transaction's commit

    def add(self, connection: Connection, specs: Iterable[TaskSpec]) -> int:
        """Add tasks not yet in this run (a URL is fetched once per run). Returns how many were new."""
        rows = [
            {
                "run_id": self.run_id,
                "kind": spec.kind,
                "court_code": spec.court_code,
                "url": spec.url,
                "payload": spec.payload,
                "state": TaskState.PENDING,
                "attempts": 0,
            }
            for spec in specs
        ]
        if not rows:
            return 0
        return _insert_new(connection, rows)

    def pending(self, connection: Connection, court_code: str, limit: int = 200) -> list[Task]:
        """The court's next pending tasks (searches, then cards, then documents)."""
        self.flush(connection)
        rows = connection.execute(
            _PENDING, {"pending_run": self.run_id, "pending_court": court_code, "pending_limit": limit}
        ).all()
        found = [
            Task(r.id, TaskKind(r.kind), r.court_code, r.url, dict(r.payload or {}), r.attempts) for r in rows
        ]
        return sorted(found, key=lambda t: (_KIND_ORDER.get(t.kind, 9), t.id))

    def finish(
        self, task: Task, state: TaskState, *, error: str | None = None, fetch_id: int | None = None
    ) -> None:
        """Finish ``task`` in the open transaction: written by :meth:`flush`, which whoever commits calls
        first (the crawl's writer); whoever rolls back calls :meth:`discard`."""
        self._finished.append(
            {
                "task_id": task.id,
                "new_state": state,
                "new_error": error,
                "new_fetch": fetch_id,
                "new_attempts": task.attempts + 1,
            }
        )

    def flush(self, connection: Connection) -> None:
        finished, self._finished = self._finished, []
        driver.execute_many(connection, _FINISH, finished)

    def discard(self) -> None:
        self._finished = []

    def counts(self) -> Counter[str]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(tasks.c.kind, tasks.c.state, func.count())
                .where(tasks.c.run_id == self.run_id)
                .group_by(tasks.c.kind, tasks.c.state)
            ).all()
        return Counter({f"{kind}:{state}": n for kind, state, n in rows})

    def unfinished(
        self, states: Sequence[TaskState] = (TaskState.FAILED, TaskState.DEFERRED)
    ) -> list[tuple[str, str, str, str]]:
        """(court, kind, url, error) of tasks that did not complete."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(tasks.c.court_code, tasks.c.kind, tasks.c.url, tasks.c.error)
                .where(tasks.c.run_id == self.run_id, tasks.c.state.in_(list(states)))
                .order_by(tasks.c.court_code, tasks.c.id)
            ).all()
        return [(r.court_code, r.kind, r.url, r.error or "") for r in rows]


def _insert_new(connection: Connection, rows: list[dict[str, Any]]) -> int:
    """Insert tasks whose (run, url) is new; existing tasks keep their state."""
    return driver.execute_many(connection, _insert_statement(connection.dialect.name), rows)


@lru_cache(maxsize=4)
def _insert_statement(dialect: str) -> Any:
    # One cached statement run as executemany; the driver's row count leaves out the URLs already there.
    statement = insert_for(dialect, tasks)
    return statement.on_conflict_do_nothing(index_elements=["run_id", "url"])


_PENDING = (
    select(tasks.c.id, tasks.c.kind, tasks.c.court_code, tasks.c.url, tasks.c.payload, tasks.c.attempts)
    .where(
        tasks.c.run_id == bindparam("pending_run"),
        tasks.c.court_code == bindparam("pending_court"),
        tasks.c.state == TaskState.PENDING,
    )
    .order_by(tasks.c.id)
    .limit(bindparam("pending_limit"))
)
_FINISH = (
    update(tasks)
    .where(tasks.c.id == bindparam("task_id"))
    .values(
        state=bindparam("new_state"),
        error=bindparam("new_error"),
        fetch_id=bindparam("new_fetch"),
        attempts=bindparam("new_attempts"),
    )
)
