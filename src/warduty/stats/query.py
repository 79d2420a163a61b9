"""SQL building blocks (SQLAlchemy Core, SQLite and PostgreSQL alike) for the counts in ``series``.

Every statement is built from expressions with bound values; nothing is formatted into SQL text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Connection,
    FromClause,
    Select,
    and_,
    extract,
    func,
    or_,
    select,
)

from warduty.courts.registry import FIRST_INSTANCE_LEVELS
from warduty.stats.definitions import (
    APPELLATE_COURT,
    FIRST_INSTANCE_DOCKET,
    Filters,
    Metric,
)
from warduty.stats.outcomes import Outcome, results_of
from warduty.store.schema import cases, courts, person_articles, persons, runs

Dimension = Literal["month", "article", "part_group", "court", "region", "circuit"]
DIMENSIONS: tuple[Dimension, ...] = ("month", "article", "part_group", "court", "region", "circuit")
VERDICT_ACT_KINDS = ("Приговор", "ПРИГОВОР", "приговор")


def decision_date() -> ColumnElement[Any]:
    """A defendant's decision date, else the case's."""
    return func.coalesce(persons.c.decided, cases.c.decided)


def event_date(metric: Metric) -> ColumnElement[Any]:
    return cases.c.received if metric == "received" else decision_date()


def verdict_results(connection: Connection) -> list[str]:
    """The distinct defendant results stored that state a verdict."""
    rows = connection.execute(select(persons.c.result).distinct().where(persons.c.result.is_not(None)))
    return results_of("verdict", (row[0] for row in rows))


def outcome_condition(
    connection: Connection, column: ColumnElement[Any], outcome: Outcome
) -> ColumnElement[bool]:
    """``column`` (a result as the court printed it) states ``outcome`` by
    :func:`warduty.stats.outcomes.classify_outcome`: the one classifier, applied to the distinct stored
    strings (no result at all is ``pending``)."""
    rows = connection.execute(select(column).distinct().where(column.is_not(None)))
    matching = column.in_(results_of(outcome, (row[0] for row in rows)))
    return or_(matching, column.is_(None)) if outcome == "pending" else matching


def base_from() -> FromClause:
    return (
        cases.join(courts, courts.c.code == cases.c.court_code)
        .join(persons, persons.c.case_id == cases.c.id)
        .join(person_articles, person_articles.c.person_id == persons.c.id)
    )


def conditions(metric: Metric, filters: Filters, verdicts: Sequence[str]) -> list[ColumnElement[bool]]:
    """WHERE terms: first instance, the articles, the period on the metric's date, the result."""
    terms: list[ColumnElement[bool]] = [
        courts.c.level.in_(FIRST_INSTANCE_LEVELS),
        cases.c.court_code != APPELLATE_COURT,
        cases.c.docket == FIRST_INSTANCE_DOCKET,
        person_articles.c.article.in_(filters.articles),
    ]
    if filters.mobilisation_parts is not None:
        terms.append(person_articles.c.wartime_part.is_(filters.mobilisation_parts))
    if not filters.include_missing:
        terms.append(cases.c.missing_since.is_(None))
    if filters.courts:
        terms.append(cases.c.court_code.in_(filters.courts))
    day = event_date(metric)
    terms.append(day.is_not(None))
    if filters.since is not None:
        terms.append(day >= filters.since)
    if filters.until is not None:
        terms.append(day <= filters.until)
    if metric == "sentences":
        terms.append(persons.c.result.in_(list(verdicts)))
    return terms


def dimension_columns(metric: Metric, dimension: Dimension) -> list[ColumnElement[Any]]:
    if dimension == "month":
        day = event_date(metric)
        return [extract("year", day).label("year"), extract("month", day).label("month")]
    if dimension == "article":
        return [person_articles.c.article.label("article")]
    if dimension == "part_group":
        return [person_articles.c.wartime_part.label("part_group")]
    if dimension == "court":
        return [cases.c.court_code.label("court")]
    if dimension == "region":
        return [courts.c.seat_region_ru.label("region"), courts.c.seat_region_en.label("region_en")]
    return [courts.c.circuit.label("circuit")]


def counted_unit(metric: Metric) -> ColumnElement[Any]:
    return cases.c.id if metric == "received" else persons.c.id


def count_statement(
    metric: Metric,
    filters: Filters,
    by: Sequence[Dimension],
    verdicts: Sequence[str],
    *,
    cases_only: bool = False,
) -> Select[Any]:
    """Counts of ``metric``; ``cases_only``: of the distinct cases behind them instead (a sentence
    counts a defendant: two sentenced in one case are one case)."""
    columns = [column for dimension in by for column in dimension_columns(metric, dimension)]
    unit = cases.c.id if cases_only else counted_unit(metric)
    value = func.count(unit.distinct()).label("value")
    statement = (
        select(*columns, value).select_from(base_from()).where(and_(*conditions(metric, filters, verdicts)))
    )
    if columns:
        statement = statement.group_by(*columns)
    return statement


def units_statement(metric: Metric, filters: Filters, verdicts: Sequence[str]) -> Select[Any]:
    """The distinct counted units (case or person ids) with their case id and date."""
    return (
        select(
            counted_unit(metric).label("unit"), cases.c.id.label("case_id"), event_date(metric).label("day")
        )
        .select_from(base_from())
        .where(and_(*conditions(metric, filters, verdicts)))
        .distinct()
    )


def case_ids(
    connection: Connection,
    metric: Metric,
    filters: Filters,
    *,
    outcome: Outcome | None = None,
    region: str | None = None,
) -> Select[Any]:
    """The distinct ids of the cases behind a count of ``metric`` under ``filters``: the cases a figure
    links to. Sentences are defendants whose result is ``outcome`` (default: a verdict) decided in the
    period; ``region`` is the court's seat region (Russian or English)."""
    if metric == "sentences" and outcome is None:
        outcome = "verdict"
    terms = conditions(metric, filters, [])
    if metric == "sentences":
        terms = terms[:-1]  # the result term: replaced by the outcome's
    if outcome is not None:
        terms.append(outcome_condition(connection, persons.c.result, outcome))
    if region is not None:
        terms.append(or_(courts.c.seat_region_ru == region, courts.c.seat_region_en == region))
    return select(cases.c.id).select_from(base_from()).where(and_(*terms)).distinct()


def case_count(
    connection: Connection,
    metric: Metric,
    filters: Filters,
    *,
    outcome: Outcome | None = None,
    region: str | None = None,
) -> int:
    """How many cases :func:`case_ids` finds."""
    ids = case_ids(connection, metric, filters, outcome=outcome, region=region).subquery()
    return int(connection.execute(select(func.count()).select_from(ids)).scalar_one())


def as_of_date(connection: Connection) -> date | None:
    """The last day the newest crawl looked at (its plan's ``until``), else its finish date; without a
    crawl run (a database loaded otherwise), the newest receipt date stored; None for an empty one."""
    for row in connection.execute(
        select(runs.c.plan, runs.c.finished_at, runs.c.started_at)
        .where(runs.c.kind == "crawl")
        .order_by(runs.c.id.desc())
        .limit(20)
    ):
        plan = row.plan if isinstance(row.plan, dict) else {}
        until = plan.get("until")
        if isinstance(until, str):
            try:
                return date.fromisoformat(until)
            except ValueError:
                pass
        moment = row.finished_at or row.started_at
        if isinstance(moment, datetime):
            return moment.date()
    newest = connection.execute(select(func.max(cases.c.received))).scalar()
    if isinstance(newest, datetime):
        return newest.date()
    return newest if isinstance(newest, date) else None
