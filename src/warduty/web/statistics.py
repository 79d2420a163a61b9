"""The statistics the API and the dashboard show, computed by ``warduty.stats`` and ``warduty.report``.

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

from warduty.law import group_of
from warduty.report.figures import (
    ARTICLE,
    NOWCAST_MONTHS,
    SERIES_START,
    BriefingData,
    Figure,
    compute,
    lag_distributions,
)
from warduty.stats import (
    MOBILISATION_START,
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
from warduty.stats.months import first_day, last_day, month_of, month_range, shift
from warduty.stats.nowcast import recent_nowcasts

GroupBy = Literal["group", "article", "none"]
# Article groups the dashboard shows, each with its Criminal Code articles (from the law catalogue).
GROUP_ARTICLES: dict[str, tuple[str, ...]] = {
    group: tuple(a for a in ("332", "333", "334", "337", "338", "339") if group_of(a) == group)
    for group in ("awol", "desertion", "insubordination", "violence_against_superior", "malingering")
}
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

    def to_dict(self) -> dict[str, object]:
        return {
            "month": self.month,
            "group": self.group,
            "count": self.count,
            "incomplete": self.incomplete,
            "nowcast": self.nowcast.to_dict() if self.nowcast else None,
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


def briefing_month(as_of: date) -> str:
    """The newest month that has ended by ``as_of`` (the month a briefing as of that day is about)."""
    return month_of(as_of) if last_day(month_of(as_of)) == as_of else shift(month_of(as_of), -1)


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
        for month, value in series.items():
            incomplete = month in nowcasts or month == last
            points.append(SeriesPoint(month, label, value, incomplete, nowcasts.get(month)))
    return sorted(points, key=lambda p: (p.month, list(labels).index(p.group)))


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
        }

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


def record_text(row: RecordRow) -> str:
    r = row.record
    nouns = ("case received", "cases received") if row.metric == "received" else ("sentence", "sentences")
    noun = nouns[0] if r.value == 1 else nouns[1]
    text = f"{r.value} {noun} in {r.month}"
    if r.is_record:
        high = r.previous_high
        text += ": a record" + (f" (previous high {high.value} in {high.month})" if high else "")
    elif r.notable_since:
        text += f": the highest since {r.notable_since}"
    if r.first_above:
        text += f"; the first month above {r.first_above}"
    return text


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


def region_window(as_of: date) -> Filters:
    """The briefing's regional window: art. 337 cases received since mobilisation, up to the as-of day."""
    return Filters(articles=(ARTICLE,), since=MOBILISATION_START, until=as_of)


def month_filters(month: str, articles: tuple[str, ...] = (ARTICLE,)) -> Filters:
    return Filters(articles=articles, since=first_day(month), until=last_day(month))


# -- briefing figures ------------------------------------------------------------------------------


def briefing_data(engine: Engine, month: str, as_of: date) -> BriefingData:
    """The briefing's figures (``warduty.report.figures.compute``) after checking the request."""
    check_briefing_request(month, as_of)
    return compute(engine, month, as_of)


def check_briefing_request(month: str, as_of: date) -> None:
    if not EARLIEST <= as_of <= LATEST:
        raise StatisticsRequestError(f"as_of must be between {EARLIEST} and {LATEST}")
    if month < SERIES_START:
        raise StatisticsRequestError(f"the series start in {SERIES_START}; ask for {SERIES_START} or later")
    if first_day(month) > as_of:
        raise StatisticsRequestError(f"{month} starts after the as-of date {as_of}")


_RECEIVED_DEFINITIONS = ("received", "since_mobilisation", "region")


def figure_row(figure: Figure) -> dict[str, object]:
    """A figure of ``figures.json`` with a link to the case list behind it."""
    return {**figure.to_dict(), "id": figure.key, "cases_url": cases_url(figure)}


def cases_url(figure: Figure) -> str | None:
    """The case list behind a figure: first-instance cases under its articles in its period, by receipt
    date for cases received, else by decision date (a case list, where sentences count defendants)."""
    filters = figure.filters
    articles = filters.get("articles")
    if not isinstance(articles, list) or len(articles) != 1:
        return None
    params: dict[str, str] = {"article": str(articles[0]), "first_instance": "true"}
    key = "received" if figure.definition in _RECEIVED_DEFINITIONS else "decided"
    since, until = filters.get("since"), filters.get("until")
    if since:
        params[f"{key}_from"] = str(since)
    if until:
        params[f"{key}_to"] = str(until)
    if figure.key.startswith("region_"):
        value = figure.value if isinstance(figure.value, dict) else {}
        region = value.get("region_ru")
        if filters.get("moscow_reading") == "city_and_oblast" and str(region).startswith("Москва и "):
            return None  # two regions: no single case-list filter
        params["region"] = str(region)
    elif key == "decided" and not figure.key.startswith("outcome_"):
        params["outcome"] = "verdict"
    return "/cases?" + urlencode(params)
