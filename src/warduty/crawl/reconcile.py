"""End of a run: check every searched window's rows against its counter, and mark vanished cases.

A window is *complete* when every page was read and the rows add up to the counter the site printed.
Only complete windows can prove that a case vanished: a stored case of that court, article and receipt
window that the run did not see again gets ``missing_since`` (it is never deleted). And only a court whose
listings the run completed proves anything: every listing task of the court done and every window
settled (none mismatched or unread). A court with a result list the parsers did not fully understand
proves nothing gone, however its counters add up; nor does a run older than the newest crawl (a stale
run resumed late would mark missing what the newer run saw), nor a case a later run saw.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, exists, or_, select, update

from warduty.crawl.frontier import TaskKind, TaskState
from warduty.store import driver
from warduty.store.schema import cases, person_articles, persons, runs, searches, tasks


@dataclass(frozen=True, slots=True)
class Reconciliation:
    mismatches: list[dict[str, Any]]
    unconfirmed_empty: list[str]  # courts whose empty windows no control search could confirm
    missing_marked: int
    held_back: list[str] = field(default_factory=list)  # courts whose vanished cases were not marked


def reconcile(
    connection: Connection, run_id: int, today: date | None = None, distrusted: Collection[str] = ()
) -> Reconciliation:
    """Settle the run's windows; ``distrusted`` courts (listings not understood) get no case marked
    missing."""
    windows = connection.execute(select(searches).where(searches.c.run_id == run_id)).all()
    mismatches = []
    settled: list[dict[str, Any]] = []
    for window in windows:
        if window.state != "open":
            continue
        if window.total is None:  # page 1 never came (deferred or failed): the run reports the task
            settled.append({"window_id": window.id, "new_state": "unread"})
            continue
        complete = window.total is not None and window.rows_read == window.total
        complete = complete and window.pages_read == (window.pages or 0)
        if not complete:
            mismatches.append(
                {
                    "court": window.court_code,
                    "article": window.article,
                    "from": window.received_from.isoformat(),
                    "to": window.received_to.isoformat(),
                    "counter": window.total,
                    "rows": window.rows_read,
                    "pages_read": window.pages_read,
                    "pages": window.pages,
                }
            )
        settled.append({"window_id": window.id, "new_state": "complete" if complete else "mismatch"})
    driver.execute_many(connection, _SETTLE, settled)
    controls: Counter[str] = Counter()
    for window in windows:
        if window.state == "control":
            controls[window.court_code] += window.total or 0
    empty_courts = sorted({w.court_code for w in windows if w.state == "empty"})
    unconfirmed = [code for code in empty_courts if controls[code] == 0]
    listed = {w.court_code for w in windows}
    held_back = sorted((set(distrusted) | unfinished_listings(connection, run_id)) & listed)
    marked = 0
    if not _superseded(connection, run_id):
        marked = _mark_missing(connection, run_id, today or datetime.now(UTC).date(), set(held_back))
    else:
        held_back = sorted(listed)
    return Reconciliation(mismatches, unconfirmed, marked, held_back)


def unfinished_listings(connection: Connection, run_id: int) -> set[str]:
    """Courts whose listings this run did not complete: a search task not done, or a window whose rows
    did not add up or whose first page never came (call after the windows are settled)."""
    tasks_left = connection.execute(
        select(tasks.c.court_code)
        .where(
            tasks.c.run_id == run_id,
            tasks.c.kind.in_([TaskKind.SEARCH, TaskKind.CONTROL]),
            tasks.c.state != TaskState.DONE,
        )
        .distinct()
    ).scalars()
    windows_left = connection.execute(
        select(searches.c.court_code)
        .where(searches.c.run_id == run_id, searches.c.state.in_(["open", "mismatch", "unread"]))
        .distinct()
    ).scalars()
    return set(tasks_left) | set(windows_left)


def _superseded(connection: Connection, run_id: int) -> bool:
    """A newer crawl exists: this run's view of the sites is not the latest."""
    newer = connection.execute(
        select(runs.c.id).where(runs.c.kind == "crawl", runs.c.id > run_id).limit(1)
    ).first()
    return newer is not None


def _mark_missing(connection: Connection, run_id: int, today: date, held_back: set[str]) -> int:
    windows = connection.execute(
        select(searches).where(searches.c.run_id == run_id, searches.c.state == "complete")
    ).all()
    rows = [
        {
            "window_court": window.court_code,
            "window_article": window.article,
            "window_from": window.received_from,
            "window_to": window.received_to,
            "this_run": run_id,
            "today": today,
        }
        for window in windows
        if window.court_code not in held_back
    ]
    return driver.execute_many(connection, _MARK_MISSING, rows)


_SETTLE = update(searches).where(searches.c.id == bindparam("window_id")).values(state=bindparam("new_state"))
# A stored case of the window's court, receipt dates and article that this run did not see: one statement
# for all the complete windows (a case marked by one window is not marked, nor counted, again).
_MARK_MISSING = (
    update(cases)
    .where(
        cases.c.court_code == bindparam("window_court"),
        cases.c.received >= bindparam("window_from"),
        cases.c.received <= bindparam("window_to"),
        cases.c.missing_since.is_(None),
        or_(cases.c.last_seen_run.is_(None), cases.c.last_seen_run < bindparam("this_run")),
        exists(
            select(person_articles.c.id)
            .join(persons, persons.c.id == person_articles.c.person_id)
            .where(persons.c.case_id == cases.c.id, person_articles.c.article == bindparam("window_article"))
        ),
    )
    .values(missing_since=bindparam("today"))
)
