"""Counts of cases received and sentences: by month, article, part group, court, region and circuit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection

from warduty.stats.calendar import working_days
from warduty.stats.definitions import Filters, Metric
from warduty.stats.months import month_of, month_range
from warduty.stats.query import DIMENSIONS, Dimension, count_statement, verdict_results


@dataclass(frozen=True, slots=True)
class Count:
    """One cell: ``labels`` hold one value per dimension asked for, in order."""

    labels: tuple[str, ...]
    value: int


@dataclass(frozen=True, slots=True)
class MonthCount:
    month: str  # YYYY-MM
    value: int

    def to_dict(self) -> dict[str, object]:
        return {"month": self.month, "value": self.value}


def _label(dimension: Dimension, row: Any) -> str:
    if dimension == "month":
        return f"{int(row.year):04d}-{int(row.month):02d}"
    if dimension == "part_group":
        return "mobilisation" if row.part_group else "other"
    return str(getattr(row, dimension))


def count(
    connection: Connection,
    metric: Metric,
    filters: Filters,
    by: Sequence[Dimension] = (),
    *,
    cases_only: bool = False,
) -> list[Count]:
    """Counts per combination of ``by`` (an empty ``by`` gives one total), largest first;
    ``cases_only``: the cases behind each count (what the case list a count links to holds)."""
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown:
        raise ValueError(f"unknown dimension {unknown[0]!r}; use one of {', '.join(DIMENSIONS)}")
    statement = count_statement(metric, filters, by, verdict_results(connection), cases_only=cases_only)
    counts = [
        Count(tuple(_label(d, row) for d in by), int(row.value)) for row in connection.execute(statement)
    ]
    if not by and not counts:
        counts = [Count((), 0)]
    return sorted(counts, key=lambda c: (-c.value, c.labels))


def total(connection: Connection, metric: Metric, filters: Filters) -> int:
    return count(connection, metric, filters)[0].value


def monthly_series(
    connection: Connection,
    metric: Metric,
    filters: Filters,
    first: str,
    last: str,
    *,
    cases_only: bool = False,
) -> list[MonthCount]:
    """Every month from ``first`` to ``last`` with its count (``cases_only``: of the cases behind it);
    months without records are 0."""
    values = {
        c.labels[0]: c.value for c in count(connection, metric, filters, ("month",), cases_only=cases_only)
    }
    return [MonthCount(m, values.get(m, 0)) for m in month_range(first, last)]


def running_totals(series: Sequence[MonthCount]) -> list[MonthCount]:
    totals: list[MonthCount] = []
    running = 0
    for item in series:
        running += item.value
        totals.append(MonthCount(item.month, running))
    return totals


def per_working_day(value: int, month: str) -> float:
    """``value`` divided by the month's working days on the production calendar."""
    return value / working_days(month)


def month_span(since: date, until: date) -> tuple[str, str]:
    return month_of(since), month_of(until)
