"""The statistics the API and the dashboard show, computed by ``warduty.stats``.

Nothing here counts on its own: series, records, regional rankings and the sentence mix are the stats
module's functions with the briefing's parameters (art. 337 series from ``SERIES_START``, regions since
mobilisation by court seat, the month's sentence mix), so a number on the dashboard is the number the
briefing prints. Months still being posted come from the nowcast's posting-lag distributions, exactly
as the briefing marks them, plus the month holding the as-of date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal
from urllib.parse import urlencode

from sqlalchemy import Connection, Engine

from warduty.law import GROUP_ARTICLES as LAW_GROUP_ARTICLES
from warduty.stats import (
    Filters,
    LagDistribution,
    Metric,
    MonthCount,
    MoscowReading,
    Nowcast,
    Record,
    RegionCount,
    SentenceMix,
    count,
    monthly_series,
    record,
    region_ranking,
    sentence_mix,
)
from warduty.stats.figures import (
    NOWCAST_MONTHS,
    SERIES_START,
    BriefingData,
    Figure,
    compute,
    lag_distributions,
    month_filters,
)
from warduty.stats.months import Lang, first_day, in_month, month_of, month_range
from warduty.stats.months import briefing_month as briefing_month  # the web's name for it
from warduty.stats.nowcast import recent_nowcasts
from warduty.stats.records import first_above_phrase, number, record_phrase

GroupBy = Literal["group", "article", "none"]
# Article groups the dashboard shows, each with its Criminal Code articles (the law catalogue's).
GROUP_ARTICLES: dict[str, tuple[str, ...]] = LAW_GROUP_ARTICLES
WATCHED_GROUPS: tuple[str, ...] = tuple(GROUP_ARTICLES)
ALL_ARTICLES: tuple[str, ...] = tuple(sorted({a for arts in GROUP_ARTICLES.values() for a in arts}))
TOP_REGIONS = 10
EARLIEST = date(2000, 1, 1)  # dates before this (or after LATEST) are refused as parameters
LATEST = date(2100, 12, 31)


class StatisticsRequestError(ValueError):
    """A request the statistics cannot answer (the message says why; the API answers 400)."""


@dataclass(frozen=True, slots=True)
class SeriesQuery:
    """What ``/series`` asks for; hashable, so it is also the cache key."""

    metric: Metric = "received"
    articles: tuple[str, ...] = ALL_ARTICLES
    group_by: GroupBy = "group"
    courts: tuple[str, ...] = ()
    since: date | None = None
    as_of: date | None = None
    include_missing: bool = True
    mobilisation_parts: bool | None = None

    def filters(self, articles: tuple[str, ...]) -> Filters:
        return Filters(
            articles=articles,
            since=self.since,
            until=self.as_of,
            include_missing=self.include_missing,
            mobilisation_parts=self.mobilisation_parts,
            courts=self.courts,
        )

    def labels(self) -> dict[str, tuple[str, ...]]:
        """Each series' label and the articles it counts (a case under two of them counts once)."""
        if self.group_by == "none":
            return {"all": self.articles}
        if self.group_by == "article":
            return {article: (article,) for article in self.articles}
        chosen = {
            group: tuple(a for a in articles if a in self.articles)
            for group, articles in GROUP_ARTICLES.items()
        }
        return {group: articles for group, articles in chosen.items() if articles}


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    month: str
    group: str  # the series label: an article group, an article, or "all"
    count: int
    incomplete: bool
    nowcast: Nowcast | None = None
    cases: int | None = None  # sentences: the cases behind the count (the case list it links to)

    def to_dict(self) -> dict[str, object]:
        return {
            "month": self.month,
            "group": self.group,
            "count": self.count,
            "incomplete": self.incomplete,
            "nowcast": self.nowcast.to_dict() if self.nowcast else None,
            "cases": self.count if self.cases is None else self.cases,
        }

    def to_row(self) -> dict[str, object]:
        """Flat, for CSV."""
        estimate = self.nowcast
        return {
            "month": self.month,
            "group": self.group,
            "count": self.count,
            "incomplete": self.incomplete,
            "estimate": round(estimate.estimate, 1) if estimate else None,
            "low": estimate.low if estimate else None,
            "high": estimate.high if estimate else None,
        }


SERIES_COLUMNS = ("month", "group", "count", "incomplete", "estimate", "low", "high")


def series_points(
    connection: Connection,
    query: SeriesQuery,
    distributions: dict[str, list[LagDistribution]] | None = None,
) -> list[SeriesPoint]:
    """Monthly counts per label from the first month of ``since`` (default ``SERIES_START``) to the
    as-of month; every month is there, months without records as 0. ``distributions`` (label -> lag
    estimates) may be passed in from a cache; missing ones are computed."""
    if query.as_of is None:
        return []
    first = month_of(query.since) if query.since else SERIES_START
    last = month_of(query.as_of)
    if first > last:
        return []
    labels = query.labels()
    per_article = _per_article_months(connection, query, labels)
    points: list[SeriesPoint] = []
    for label, articles in labels.items():
        if len(articles) == 1 and articles[0] in per_article:
            values = per_article[articles[0]]
        else:
            values = {
                m.month: m.value
                for m in monthly_series(connection, query.metric, query.filters(articles), first, last)
            }
        series = {month: values.get(month, 0) for month in month_range(first, last)}
        lags = (distributions or {}).get(label)
        if lags is None:
            lags = lag_distributions(connection, query.metric, articles, query.as_of)
        nowcasts = recent_nowcasts(series, query.as_of, lags, months=NOWCAST_MONTHS)
        in_cases = _cases_by_month(connection, query, articles, first, last)
        for month, value in series.items():
            incomplete = month in nowcasts or month == last
            cases = in_cases.get(month, 0) if in_cases is not None else None
            points.append(SeriesPoint(month, label, value, incomplete, nowcasts.get(month), cases))
    return sorted(points, key=lambda p: (p.month, list(labels).index(p.group)))


def _cases_by_month(
    connection: Connection, query: SeriesQuery, articles: tuple[str, ...], first: str, last: str
) -> dict[str, int] | None:
    """Sentences: the cases behind each month's count; None for cases received (the count is cases)."""
    if query.metric == "received":
        return None
    series = monthly_series(connection, query.metric, query.filters(articles), first, last, cases_only=True)
    return {m.month: m.value for m in series}


def _per_article_months(
    connection: Connection, query: SeriesQuery, labels: dict[str, tuple[str, ...]]
) -> dict[str, dict[str, int]]:
    """One grouped query for every single-article series (the same counts ``monthly_series`` gives)."""
    singles = tuple(sorted({arts[0] for arts in labels.values() if len(arts) == 1}))
    if not singles:
        return {}
    out: dict[str, dict[str, int]] = {article: {} for article in singles}
    for cell in count(connection, query.metric, query.filters(singles), ("month", "article")):
        month, article = cell.labels
        out[article][month] = cell.value
    return out


# -- records -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordRow:
    metric: Metric
    group: str
    record: Record

    def to_dict(self) -> dict[str, object]:
        return {
            "metric": self.metric,
            "group": self.group,
            **self.record.to_dict(),
            "text": record_text(self),
            "text_ru": record_text(self, "ru"),
        }

    def text(self, lang: Lang) -> str:
        return record_text(self, lang)

    def to_row(self) -> dict[str, object]:
        high = self.record.previous_high
        return {
            "metric": self.metric,
            "group": self.group,
            "month": self.record.month,
            "value": self.record.value,
            "is_record": self.record.is_record,
            "highest_since": self.record.highest_since,
            "previous_high_month": high.month if high else None,
            "previous_high_value": high.value if high else None,
            "first_above": self.record.first_above,
            "text": record_text(self),
        }


RECORD_COLUMNS = (
    "metric", "group", "month", "value", "is_record", "highest_since", "previous_high_month",
    "previous_high_value", "first_above", "text",
)  # fmt: skip


NOUNS: dict[Metric, tuple[str, str]] = {"received": ("cases received", "дел поступило"), "sentences": (
    "sentences", "приговоров"
)}  # fmt: skip


def record_text(row: RecordRow, lang: Lang = "en") -> str:
    """The row's month in the one record wording (:func:`warduty.stats.records.record_phrase`)."""
    r = row.record
    noun = NOUNS[row.metric][lang == "ru"]
    text = f"{number(r.value, lang)} {noun} {in_month(r.month, lang)}: {record_phrase(r, lang)}"
    above = first_above_phrase(r, lang=lang)
    return f"{text}; {above}" if above else text


def records_of(points: Sequence[SeriesPoint], metric: Metric, month: str) -> list[RecordRow]:
    """``warduty.stats.record`` of ``month`` in each label's series (from its first month); labels with
    no record in the month are left out (nothing to say about a zero)."""
    rows: list[RecordRow] = []
    labels = list(dict.fromkeys(p.group for p in points))
    for label in labels:
        series = [MonthCount(p.month, p.count) for p in points if p.group == label and p.month <= month]
        if any(m.month == month and m.value > 0 for m in series):
            rows.append(RecordRow(metric, label, record(series, month)))
    return rows


# -- regions and the overview ----------------------------------------------------------------------


def regions(
    connection: Connection,
    metric: Metric,
    articles: tuple[str, ...],
    since: date | None,
    until: date | None,
    moscow: MoscowReading,
) -> list[RegionCount]:
    return region_ranking(connection, metric, Filters(articles=articles, since=since, until=until), moscow)


@dataclass(frozen=True, slots=True)
class Overview:
    as_of: date | None
    month: str | None  # the newest month ended by the as-of date: the month a briefing would be about
    received: list[SeriesPoint] = field(default_factory=list)  # by group, from SERIES_START
    sentences: list[SeriesPoint] = field(default_factory=list)
    records: list[RecordRow] = field(default_factory=list)
    regions_oblast: list[RegionCount] = field(default_factory=list)  # art. 337 since mobilisation
    regions_city_and_oblast: list[RegionCount] = field(default_factory=list)
    sentence_mix: SentenceMix | None = None  # art. 337, the month

    @property
    def incomplete_months(self) -> list[str]:
        return sorted({p.month for p in (*self.received, *self.sentences) if p.incomplete})

    @property
    def month_incomplete(self) -> bool:
        return self.month in self.incomplete_months

    def latest(self) -> dict[str, dict[str, int]]:
        return {
            name: {p.group: p.count for p in points if p.month == self.month}
            for name, points in (("received", self.received), ("sentences", self.sentences))
        }

    def nowcasts(self) -> dict[str, dict[str, dict[str, object]]]:
        """metric -> group -> the month's nowcast, for the groups whose month is still being posted."""
        return {
            name: {p.group: p.nowcast.to_dict() for p in points if p.month == self.month and p.nowcast}
            for name, points in (("received", self.received), ("sentences", self.sentences))
        }

    def to_dict(self) -> dict[str, object]:
        return {
            "as_of": self.as_of,
            "latest_month": self.month,
            "latest_month_incomplete": self.month_incomplete,
            "latest": self.latest(),
            "nowcasts": self.nowcasts(),
            "incomplete_months": self.incomplete_months,
            "records": [r.to_dict() for r in self.records],
            "received": [p.to_dict() for p in self.received],
            "sentences": [p.to_dict() for p in self.sentences],
            "regions": [r.to_dict() for r in self.regions_oblast],
            "regions_city_and_oblast": [r.to_dict() for r in self.regions_city_and_oblast],
            "sentence_mix": self.sentence_mix.to_dict() if self.sentence_mix else None,
        }


def month_sentence_mix(connection: Connection, month: str) -> SentenceMix:
    """The briefing's sentence mix: art. 337 sentences of the month and their published texts."""
    return sentence_mix(connection, month_filters(month))


# -- briefing figures ------------------------------------------------------------------------------


def briefing_data(engine: Engine, month: str, as_of: date) -> BriefingData:
    """The briefing's figures (``warduty.stats.figures.compute``) after checking the request."""
    check_briefing_request(month, as_of)
    return compute(engine, month, as_of)


def check_briefing_request(month: str, as_of: date) -> None:
    if not EARLIEST <= as_of <= LATEST:
        raise StatisticsRequestError(f"as_of must be between {EARLIEST} and {LATEST}")
    if month < SERIES_START:
        raise StatisticsRequestError(f"the series start in {SERIES_START}; ask for {SERIES_START} or later")
    if first_day(month) > as_of:
        raise StatisticsRequestError(f"{month} starts after the as-of date {as_of}")


def figure_row(figure: Figure) -> dict[str, object]:
    """A figure of ``figures.json`` with a link to the case list behind it."""
    return {**figure.to_dict(), "id": figure.key, "cases_url": cases_url(figure)}


def cases_url(figure: Figure) -> str | None:
    """The case list behind a figure: its basis (``warduty.stats.figures.CaseBasis``) as ``/cases``
    parameters, so the list is filtered by the rule the figure counts with; None when it has none."""
    basis = figure.basis
    if basis is None:
        return None
    params = basis.case_list_query()
    return "/cases?" + urlencode(params)
