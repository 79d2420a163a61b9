"""Read-only queries behind the API and the dashboard (SQLAlchemy Core, bound parameters only): case
lists, case detail, courts' freshness, runs and the data version. Every statistic (series, records,
regions, sentence mix, briefing figures) comes from ``warduty.stats`` via ``warduty.web.statistics``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, exists, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from warduty.courts.registry import FIRST_INSTANCE_LEVELS
from warduty.law import GROUP_ARTICLES, WATCHED_ARTICLES
from warduty.stats.definitions import (
    APPELLATE_COURT,
    FIRST_INSTANCE_DOCKET,
    Filters,
    Metric,
)
from warduty.stats.outcomes import OUTCOMES, Outcome, classify_outcome
from warduty.stats.query import as_of_date as as_of_date  # defined with the statistics
from warduty.stats.query import case_ids, outcome_condition
from warduty.store.schema import acts, cases, courts, events, fetches, person_articles, persons, runs


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
    outcome: Outcome | None = None  # the case's result by warduty.stats.outcomes
    missing: bool | None = None
    # True: only the cases the statistics count (first-instance docket of a garrison or district court)
    first_instance: bool | None = None
    # The cases behind a statistic of this metric, by the statistics' own rule (warduty.stats.query.
    # case_ids): the article, the period on the metric's date (a defendant's decision date, else the
    # case's) and, for sentences, the defendant's outcome (default: a verdict). A figure links here.
    counted: Metric | None = None

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__ if getattr(self, k) is not None}


OUTCOME_NAMES: tuple[Outcome, ...] = OUTCOMES


def _counted_cases(connection: Connection, filters: CaseFilters, metric: Metric) -> ColumnElement[bool]:
    """The cases a statistic of ``metric`` counts under the list's article, period and outcome."""
    low, high = (
        (filters.received_from, filters.received_to)
        if metric == "received"
        else (filters.decided_from, filters.decided_to)
    )
    if filters.article:
        articles: tuple[str, ...] = (filters.article,)
    else:
        articles = GROUP_ARTICLES.get(filters.group, ()) if filters.group else WATCHED_ARTICLES
    basis = Filters(articles=articles, since=low, until=high)
    outcome = filters.outcome if metric == "sentences" else None
    return cases.c.id.in_(case_ids(connection, metric, basis, outcome=outcome))


def _case_conditions(connection: Connection, filters: CaseFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    metric = filters.counted
    if metric is not None:
        conditions.append(_counted_cases(connection, filters, metric))
        # the article, the period and (for sentences) the outcome are the statistic's, applied above
        filters = replace(
            filters, article=None, group=None, received_from=None, received_to=None, decided_from=None,
            decided_to=None, first_instance=None, outcome=None if metric == "sentences" else filters.outcome,
        )  # fmt: skip
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
        conditions.append(outcome_condition(connection, cases.c.result, filters.outcome))
    if filters.missing is not None:
        conditions.append(
            cases.c.missing_since.is_not(None) if filters.missing else cases.c.missing_since.is_(None)
        )
    if filters.first_instance is not None:
        counted = and_(
            cases.c.docket == FIRST_INSTANCE_DOCKET,
            cases.c.court_code != APPELLATE_COURT,
            cases.c.court_code.in_(select(courts.c.code).where(courts.c.level.in_(FIRST_INSTANCE_LEVELS))),
        )
        conditions.append(counted if filters.first_instance else ~counted)
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
    conditions = _case_conditions(connection, filters)
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
        row["outcome"] = classify_outcome(row["result"])
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
    case["outcome"] = classify_outcome(case["result"])
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
    attention = court_attention(connection)
    out = []
    for court in connection.execute(select(courts).order_by(courts.c.code)):
        total, missing = counts.get(court.code, (0, 0))
        latest = attention.get(court.code, CourtAttention(None, 0, ()))
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
                "last_run": latest.run,
                "needs_attention": latest.issues > 0,
                "issues": latest.issues,
                "attention": list(latest.problems),
            }
        )
    return out


@dataclass(frozen=True, slots=True)
class CourtAttention:
    run: int | None  # the latest crawl run that crawled the court
    issues: int  # pages of the court that run did not understand
    problems: tuple[str, ...]  # what was not understood, each once (a few)


ATTENTION_PROBLEMS = 5


def court_attention(connection: Connection) -> dict[str, CourtAttention]:
    """Per court, what the latest finished crawl that crawled it did not understand (from the run's
    statistics and issues; a court whose pages were all read has no issues)."""
    found: dict[str, CourtAttention] = {}
    rows = connection.execute(
        select(runs.c.id, runs.c.statistics)
        .where(runs.c.kind == "crawl", runs.c.statistics.is_not(None))
        .order_by(runs.c.id.desc())
    )
    for row in rows:
        statistics = row.statistics if isinstance(row.statistics, dict) else {}
        crawled = statistics.get("courts")
        if not isinstance(crawled, dict):
            continue
        fresh = {
            code: facts for code, facts in crawled.items() if code not in found and isinstance(facts, dict)
        }
        troubled = {code for code, facts in fresh.items() if facts.get("issues")}
        problems = _problems(connection, row.id, troubled) if troubled else {}
        for code, facts in fresh.items():
            count = int(facts.get("issues") or 0)
            found[code] = CourtAttention(row.id, count, tuple(problems.get(code, ())))
    return found


def _problems(connection: Connection, run_id: int, codes: set[str]) -> dict[str, list[str]]:
    stored = connection.execute(select(runs.c.issues).where(runs.c.id == run_id)).scalar_one_or_none()
    out: dict[str, list[str]] = {}
    for entry in stored if isinstance(stored, list) else []:
        if not isinstance(entry, dict) or entry.get("court") not in codes:
            continue
        known = out.setdefault(str(entry["court"]), [])
        for problem in entry.get("problems") or ():
            if len(known) < ATTENTION_PROBLEMS and str(problem) not in known:
                known.append(str(problem))
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
