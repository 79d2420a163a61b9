"""Posting lags from the database: for each counted record, the day of the event and the day the site
posted it, as the cards' «Дата размещения» of the events state (else the day the record was first seen).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from warduty.stats.definitions import Filters, Metric
from warduty.stats.query import units_statement, verdict_results
from warduty.store.schema import cases, events, runs


def posting_lags(connection: Connection, metric: Metric, filters: Filters) -> list[tuple[date, date]]:
    """(event day, posted day) for every case received (``received``) or sentence (``sentences``).

    Two plain queries joined here: SQLite plans the grouped-subquery join badly on large tables.
    """
    units = units_statement(metric, filters, verdict_results(connection)).subquery()
    rows = connection.execute(
        select(units.c.case_id, units.c.day, runs.c.started_at)
        .select_from(units.join(cases, cases.c.id == units.c.case_id))
        .outerjoin(runs, runs.c.id == cases.c.first_seen_run)
    ).all()
    case_ids = select(units.c.case_id)
    if metric == "received":
        first_posted = {
            row.case_id: _day(row.posted)
            for row in connection.execute(
                select(events.c.case_id, func.min(events.c.posted).label("posted"))
                .where(events.c.case_id.in_(case_ids))
                .group_by(events.c.case_id)
            )
        }
        posted: dict[tuple[int, date | None], date | None] = {
            (case_id, None): day for case_id, day in first_posted.items()
        }
    else:
        posted = {
            (row.case_id, _day(row.date)): _day(row.posted)
            for row in connection.execute(
                select(events.c.case_id, events.c.date, func.min(events.c.posted).label("posted"))
                .where(events.c.case_id.in_(case_ids))
                .group_by(events.c.case_id, events.c.date)
            )
        }
    pairs: list[tuple[date, date]] = []
    for row in rows:
        day = _day(row.day)
        key = (row.case_id, None if metric == "received" else day)
        seen = posted.get(key) or _day(row.started_at)
        if day is not None and seen is not None:
            pairs.append((day, seen))
    return pairs


def _day(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
