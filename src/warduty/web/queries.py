"""Read-only queries behind the API and the dashboard (SQLAlchemy Core, bound parameters only).

The monthly counts here (receipts and verdicts per article group, GROUP BY date folded into months)
are a stand-in until ``warduty.stats`` provides the published definitions; they follow the definitions
in ARCHITECTURE.md: a case counts once per group in the month of its receipt date, a sentence counts
once per defendant with a verdict dated in the month.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, exists, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from warduty.law import GROUPS
from warduty.store.schema import acts, cases, courts, events, fetches, person_articles, persons, runs

WATCHED_GROUPS: tuple[str, ...] = tuple(g for g in GROUPS if g not in ("other_military", "non_military"))
VERDICT_MARK = "ПРИГОВОР"
# Outcome of a case from the result the court printed; "pending" is no result yet.
OUTCOMES: dict[str, str] = {
    "verdict": "%ПРИГОВОР%",
    "terminated": "%ПРЕКРАЩЕНО%",
    "returned": "%ВОЗВРАЩЕНО%",
    "transferred": "%ПОДСУДНОСТИ%",
}
OUTCOME_NAMES: tuple[str, ...] = (*OUTCOMES, "other", "pending")
# A month is still filling while it contains the as-of date, and the month before it too while the
# as-of date is within this many days of its end (cards appear on the sites with a delay).
PUBLICATION_LAG_DAYS = 14


@dataclass(frozen=True, slots=True)
class CaseFilters:
    court: str | None = None
    region: str | None = None
    article: str | None = None
    part: str | None = None
    group: str | None = None
    received_from: date | None = None
    received_to: date | None = None
    decided_from: date | None = None
    decided_to: date | None = None
    outcome: str | None = None
    missing: bool | None = None

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__ if getattr(self, k) is not None}


@dataclass(frozen=True, slots=True)
class MonthCount:
    month: str  # YYYY-MM
    group: str
    count: int
    incomplete: bool

    def to_dict(self) -> dict[str, object]:
        return {"month": self.month, "group": self.group, "count": self.count, "incomplete": self.incomplete}


@dataclass(frozen=True, slots=True)
class Overview:
    as_of: date | None
    latest_month: str | None
    latest: dict[str, dict[str, int]]  # metric -> group -> count in the latest complete month
    received: list[MonthCount]
    sentences: list[MonthCount]
    regions: list[dict[str, object]]
    sentence_mix: dict[str, object]
    incomplete_months: list[str] = field(default_factory=list)


def outcome_of(result: str | None) -> str:
    if not result or not result.strip():
        return "pending"
    upper = result.upper()
    for name, pattern in OUTCOMES.items():
        if pattern.strip("%") in upper:
            return name
    return "other"


def _outcome_condition(outcome: str) -> ColumnElement[bool]:
    if outcome == "pending":
        return or_(cases.c.result.is_(None), cases.c.result == "")
    if outcome == "other":
        return and_(
            cases.c.result.is_not(None),
            cases.c.result != "",
            *(~cases.c.result.like(p) for p in OUTCOMES.values()),
        )
    return cases.c.result.like(OUTCOMES[outcome])


def _case_conditions(filters: CaseFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.court:
        conditions.append(cases.c.court_code == filters.court)
    if filters.region:
        conditions.append(
            cases.c.court_code.in_(
                select(courts.c.code).where(
                    or_(courts.c.seat_region_ru == filters.region, courts.c.seat_region_en == filters.region)
                )
            )
        )
    if filters.article or filters.part or filters.group:
        ref: list[ColumnElement[bool]] = [persons.c.case_id == cases.c.id]
        if filters.article:
            ref.append(person_articles.c.article == filters.article)
        if filters.part:
            ref.append(person_articles.c.part == filters.part)
        if filters.group:
            ref.append(person_articles.c.article_group == filters.group)
        conditions.append(exists(select(1).select_from(persons.join(person_articles)).where(*ref)))
    for column, low, high in (
        (cases.c.received, filters.received_from, filters.received_to),
        (cases.c.decided, filters.decided_from, filters.decided_to),
    ):
        if low:
            conditions.append(column >= low)
        if high:
            conditions.append(column <= high)
    if filters.outcome:
        conditions.append(_outcome_condition(filters.outcome))
    if filters.missing is not None:
        conditions.append(
            cases.c.missing_since.is_not(None) if filters.missing else cases.c.missing_since.is_(None)
        )
    return conditions


CASE_COLUMNS = (
    "id",
    "court_code",
    "court_name_en",
    "court_name_ru",
    "region_en",
    "region_ru",
    "docket",
    "case_number",
    "uid",
    "received",
    "decided",
    "result",
    "outcome",
    "legal_force",
    "missing_since",
    "articles",
)


def list_cases(
    connection: Connection, filters: CaseFilters, *, after: int | None, limit: int
) -> tuple[list[dict[str, Any]], int | None]:
    """One page of cases, newest id first; returns the rows and the id to continue after (or None)."""
    conditions = _case_conditions(filters)
    if after is not None:
        conditions.append(cases.c.id < after)
    statement = (
        select(
            cases.c.id,
            cases.c.court_code,
            courts.c.name_en.label("court_name_en"),
            courts.c.name_ru.label("court_name_ru"),
            courts.c.seat_region_en.label("region_en"),
            courts.c.seat_region_ru.label("region_ru"),
            cases.c.docket,
            cases.c.case_number,
            cases.c.uid,
            cases.c.received,
            cases.c.decided,
            cases.c.result,
            cases.c.legal_force,
            cases.c.missing_since,
        )
        .select_from(cases.join(courts, courts.c.code == cases.c.court_code))
        .where(*conditions)
        .order_by(cases.c.id.desc())
        .limit(limit + 1)
    )
    rows = [dict(r._mapping) for r in connection.execute(statement)]
    more = len(rows) > limit
    rows = rows[:limit]
    articles = _articles_of(connection, [r["id"] for r in rows])
    for row in rows:
        row["outcome"] = outcome_of(row["result"])
        row["articles"] = articles.get(row["id"], [])
    return rows, (rows[-1]["id"] if more and rows else None)


def _articles_of(connection: Connection, case_ids: Sequence[int]) -> dict[int, list[str]]:
    if not case_ids:
        return {}
    statement = (
        select(persons.c.case_id, person_articles.c.article, person_articles.c.part, person_articles.c.point)
        .select_from(persons.join(person_articles))
        .where(persons.c.case_id.in_(case_ids))
        .distinct()
    )
    found: dict[int, set[str]] = defaultdict(set)
    for case_id, article, part, point in connection.execute(statement):
        label = article + (f" ч.{part}" if part else "") + (f" п.{point}" if point else "")
        found[case_id].add(label)
    return {k: sorted(v) for k, v in found.items()}


def case_detail(connection: Connection, case_id: int) -> dict[str, Any] | None:
    """A case with its court, events, persons (names included: the caller pseudonymises) and acts."""
    row = connection.execute(
        select(
            cases,
            courts.c.name_en.label("court_name_en"),
            courts.c.name_ru.label("court_name_ru"),
            courts.c.seat_region_en.label("region_en"),
            courts.c.seat_region_ru.label("region_ru"),
        )
        .select_from(cases.join(courts, courts.c.code == cases.c.court_code))
        .where(cases.c.id == case_id)
    ).first()
    if row is None:
        return None
    case = dict(row._mapping)
    case["outcome"] = outcome_of(case["result"])
    case["events"] = [
        dict(r._mapping)
        for r in connection.execute(
            select(
                events.c.position,
                events.c.name,
                events.c.date,
                events.c.time,
                events.c.place,
                events.c.result,
                events.c.basis,
                events.c.posted,
            )
            .where(events.c.case_id == case_id)
            .order_by(events.c.position)
        )
    ]
    people = [
        dict(r._mapping)
        for r in connection.execute(
            select(
                persons.c.id,
                persons.c.position,
                persons.c.name,
                persons.c.hidden,
                persons.c.articles_raw,
                persons.c.decided,
                persons.c.result,
            )
            .where(persons.c.case_id == case_id)
            .order_by(persons.c.position)
        )
    ]
    refs: dict[int, list[dict[str, object]]] = defaultdict(list)
    if people:
        for r in connection.execute(
            select(person_articles)
            .where(person_articles.c.person_id.in_([p["id"] for p in people]))
            .order_by(person_articles.c.id)
        ):
            refs[r.person_id].append(
                {
                    "article": r.article,
                    "part": r.part,
                    "point": r.point,
                    "group": r.article_group,
                    "wartime_part": r.wartime_part,
                }
            )
    for person in people:
        person["articles"] = refs.get(person.pop("id"), [])
    case["persons"] = people
    case["acts"] = [
        dict(r._mapping)
        for r in connection.execute(
            select(
                acts.c.id,
                acts.c.position,
                acts.c.kind,
                acts.c.doc_url,
                acts.c.published,
                acts.c.text,
                acts.c.verdict,
            )
            .where(acts.c.case_id == case_id)
            .order_by(acts.c.position)
        )
    ]
    return case


def archive_pointer(connection: Connection, case_id: int) -> dict[str, Any] | None:
    """The fetch a case row came from: WARC file, offset, URL and time; None when the case is unknown."""
    row = connection.execute(
        select(
            cases.c.id,
            cases.c.court_code,
            cases.c.case_number,
            fetches.c.url,
            fetches.c.fetched_at,
            fetches.c.warc_file,
            fetches.c.warc_offset,
        )
        .select_from(cases.outerjoin(fetches, fetches.c.id == cases.c.fetch_id))
        .where(cases.c.id == case_id)
    ).first()
    return None if row is None else dict(row._mapping)


def person_names(connection: Connection, case_id: int) -> list[tuple[int, str]]:
    return [
        (r.position, r.name)
        for r in connection.execute(
            select(persons.c.position, persons.c.name).where(
                persons.c.case_id == case_id, persons.c.hidden.is_(False), persons.c.name.is_not(None)
            )
        )
        if r.name and r.name.strip()
    ]


def courts_with_freshness(connection: Connection) -> list[dict[str, Any]]:
    """Every court with its case counts, when a page of it was last fetched and when a case last changed."""
    counts = {
        r.court_code: (r.total, r.missing)
        for r in connection.execute(
            select(
                cases.c.court_code,
                func.count().label("total"),
                func.count(cases.c.missing_since).label("missing"),
            ).group_by(cases.c.court_code)
        )
    }
    checked = {
        r.court_code: r.last
        for r in connection.execute(
            select(fetches.c.court_code, func.max(fetches.c.fetched_at).label("last")).group_by(
                fetches.c.court_code
            )
        )
    }
    changed_runs = select(cases.c.court_code, func.max(cases.c.changed_run).label("run")).group_by(
        cases.c.court_code
    )
    run_times = {r.id: r.finished_at or r.started_at for r in connection.execute(select(runs))}
    changed = {r.court_code: run_times.get(r.run) for r in connection.execute(changed_runs) if r.run}
    out = []
    for court in connection.execute(select(courts).order_by(courts.c.code)):
        total, missing = counts.get(court.code, (0, 0))
        out.append(
            {
                "code": court.code,
                "level": court.level,
                "name_en": court.name_en,
                "name_ru": court.name_ru,
                "region_en": court.seat_region_en,
                "region_ru": court.seat_region_ru,
                "circuit": court.circuit,
                "engine": court.engine,
                "captcha": court.captcha,
                "cases": total,
                "missing": missing,
                "last_checked": checked.get(court.code),
                "last_changed": changed.get(court.code),
            }
        )
    return out


def list_runs(
    connection: Connection, *, after: int | None, limit: int
) -> tuple[list[dict[str, Any]], int | None]:
    conditions = [runs.c.id < after] if after is not None else []
    rows = [
        dict(r._mapping)
        for r in connection.execute(
            select(runs.c.id, runs.c.kind, runs.c.started_at, runs.c.finished_at, runs.c.status, runs.c.plan)
            .where(*conditions)
            .order_by(runs.c.id.desc())
            .limit(limit + 1)
        )
    ]
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1]["id"] if more and rows else None)


def run_detail(connection: Connection, run_id: int) -> dict[str, Any] | None:
    row = connection.execute(select(runs).where(runs.c.id == run_id)).first()
    return None if row is None else dict(row._mapping)


def data_version(connection: Connection) -> tuple[object, ...]:
    """Changes whenever a run starts or finishes: the key under which derived figures are cached."""
    row = connection.execute(select(func.count(), func.max(runs.c.id), func.max(runs.c.finished_at))).one()
    return tuple(row)


def as_of_date(connection: Connection) -> date | None:
    """The last day the newest finished crawl looked at (its plan's ``until``), else its finish date."""
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
    return None


def incomplete_months(as_of: date | None) -> list[str]:
    if as_of is None:
        return []
    months = [as_of.strftime("%Y-%m")]
    if as_of.day <= PUBLICATION_LAG_DAYS:
        months.insert(0, (as_of.replace(day=1) - timedelta(days=1)).strftime("%Y-%m"))
    return months


def month_range(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


def _fold(
    daily: Sequence[tuple[date | None, str, int]], as_of: date | None, since: date | None
) -> list[MonthCount]:
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for day, group, count in daily:
        if day is None or (since and day < since) or (as_of and day > as_of):
            continue
        totals[(day.strftime("%Y-%m"), group)] += count
    if not totals:
        return []
    months = sorted({m for m, _ in totals})
    last = as_of.strftime("%Y-%m") if as_of else months[-1]
    open_months = set(incomplete_months(as_of))
    return [
        MonthCount(month, group, totals.get((month, group), 0), month in open_months)
        for month in month_range(months[0], last)
        for group in WATCHED_GROUPS
    ]


def received_by_month(
    connection: Connection, filters: CaseFilters, as_of: date | None, since: date | None = None
) -> list[MonthCount]:
    """Cases received per month and article group (a case counts once per group)."""
    inner = (
        select(cases.c.id, cases.c.received, person_articles.c.article_group)
        .select_from(cases.join(persons, persons.c.case_id == cases.c.id).join(person_articles))
        .where(person_articles.c.article_group.in_(WATCHED_GROUPS), *_case_conditions(filters))
        .distinct()
        .subquery()
    )
    daily = connection.execute(
        select(inner.c.received, inner.c.article_group, func.count()).group_by(
            inner.c.received, inner.c.article_group
        )
    )
    return _fold([(r[0], r[1], r[2]) for r in daily], as_of, since)


def sentences_by_month(
    connection: Connection, filters: CaseFilters, as_of: date | None, since: date | None = None
) -> list[MonthCount]:
    """Defendants with a verdict (приговор) dated in the month, per article group."""
    inner = (
        select(persons.c.id, persons.c.decided, person_articles.c.article_group)
        .select_from(cases.join(persons, persons.c.case_id == cases.c.id).join(person_articles))
        .where(
            person_articles.c.article_group.in_(WATCHED_GROUPS),
            persons.c.result.like(f"%{VERDICT_MARK}%"),
            *_case_conditions(filters),
        )
        .distinct()
        .subquery()
    )
    daily = connection.execute(
        select(inner.c.decided, inner.c.article_group, func.count()).group_by(
            inner.c.decided, inner.c.article_group
        )
    )
    return _fold([(r[0], r[1], r[2]) for r in daily], as_of, since)


def regions(connection: Connection, since: date | None, until: date | None) -> list[dict[str, object]]:
    """Cases received per court seat region in the window, most first."""
    conditions: list[ColumnElement[bool]] = []
    if since:
        conditions.append(cases.c.received >= since)
    if until:
        conditions.append(cases.c.received <= until)
    per_court = (
        select(cases.c.court_code, func.count().label("n")).where(*conditions).group_by(cases.c.court_code)
    ).subquery()
    statement = (
        select(courts.c.seat_region_en, courts.c.seat_region_ru, func.sum(per_court.c.n).label("cases"))
        .select_from(per_court.join(courts, courts.c.code == per_court.c.court_code))
        .group_by(courts.c.seat_region_en, courts.c.seat_region_ru)
        .order_by(func.sum(per_court.c.n).desc(), courts.c.seat_region_en)
    )
    return [
        {"region_en": r.seat_region_en, "region_ru": r.seat_region_ru, "cases": int(r.cases)}
        for r in connection.execute(statement)
    ]


def sentence_mix(connection: Connection, since: date | None, until: date | None) -> dict[str, object]:
    """Punishments read from verdict texts in the window, with the number of verdicts behind them."""
    punishment = acts.c.verdict["punishment"].as_string()
    conditions: list[ColumnElement[bool]] = [
        acts.c.verdict.is_not(None),
        acts.c.verdict["is_verdict"].as_boolean(),
    ]
    if since:
        conditions.append(cases.c.decided >= since)
    if until:
        conditions.append(cases.c.decided <= until)
    rows = connection.execute(
        select(punishment.label("punishment"), func.count())
        .select_from(acts.join(cases, cases.c.id == acts.c.case_id))
        .where(*conditions)
        .group_by(punishment)
    ).all()
    counts = {str(r[0] or "unknown"): int(r[1]) for r in rows}
    return {
        "verdicts": sum(counts.values()),
        "punishments": dict(sorted(counts.items(), key=lambda kv: -kv[1])),
    }
