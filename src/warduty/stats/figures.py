"""Every number a briefing prints, computed once, each with its definition, filters, as-of date and the
count of records behind it (written to ``figures.json``)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, cast

from sqlalchemy import Connection, Engine

from warduty.law import WATCHED_ARTICLES
from warduty.stats.calendar import CalendarRangeError, working_days
from warduty.stats.definitions import MOBILISATION_START, MOSCOW_BOTH_RU, Filters, Metric
from warduty.stats.lags import posting_lags
from warduty.stats.months import first_day, last_day
from warduty.stats.nowcast import (
    LagDistribution,
    Nowcast,
    NowcastError,
    recent_nowcasts,
    reference_distributions,
)
from warduty.stats.outcomes import Outcome
from warduty.stats.query import case_count
from warduty.stats.records import Record, record
from warduty.stats.regions import RegionCount, region_ranking
from warduty.stats.series import MonthCount, monthly_series, total
from warduty.stats.shares import SentenceMix, Share, outcome_mix, sentence_mix

ARTICLE = "337"
SERIES_START = "2021-01"
NOWCAST_MONTHS = 6  # months before the as-of month that get a nowcast


@dataclass(frozen=True, slots=True)
class CaseBasis:
    """The cases behind a figure, by the rule the figure counts with (``warduty.stats.query.case_ids``):
    the case list a figure links to is this, so it has as many cases as the figure's ``cases``."""

    metric: Metric
    filters: Filters
    outcome: Outcome | None = None  # sentences: the defendants' outcome (default: a verdict)
    region: str | None = None  # the court's seat region

    def count(self, connection: Connection) -> int:
        return case_count(connection, self.metric, self.filters, outcome=self.outcome, region=self.region)

    def case_list_query(self) -> dict[str, str]:
        """The case list's parameters (``/cases?...``): filtered by the rule the figure counts with."""
        params: dict[str, str] = {"counted": self.metric}
        if len(self.filters.articles) == 1:
            params["article"] = self.filters.articles[0]
        key = "received" if self.metric == "received" else "decided"
        if self.filters.since:
            params[f"{key}_from"] = self.filters.since.isoformat()
        if self.filters.until:
            params[f"{key}_to"] = self.filters.until.isoformat()
        if self.outcome:
            params["outcome"] = self.outcome
        if self.region:
            params["region"] = self.region
        return params


@dataclass(frozen=True, slots=True)
class Figure:
    key: str
    value: Any
    definition: str  # a key of warduty.stats.definitions.DEFINITIONS
    filters: dict[str, object]
    as_of: str
    cases: int  # the cases behind the number (a sentence counts a defendant; this counts their cases)
    note: str = ""
    basis: CaseBasis | None = None  # the case list behind the number; None when no list has them all

    def to_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "value": self.value,
            "definition": self.definition,
            "filters": self.filters,
            "as_of": self.as_of,
            "cases": self.cases,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class MetricView:
    """One metric of the briefing month: the series, the month's record status and nowcasts."""

    metric: Metric
    series: tuple[MonthCount, ...]
    record: Record
    nowcasts: dict[str, Nowcast]  # month -> nowcast, for the incomplete months

    @property
    def value(self) -> int:
        return self.record.value


@dataclass(frozen=True, slots=True)
class BriefingData:
    month: str
    as_of: date
    received: MetricView
    sentences: MetricView
    per_working_day: float | None
    working_days: int | None
    received_since_mobilisation: int
    sentences_since_mobilisation: int
    regions_oblast: tuple[RegionCount, ...]
    regions_city_and_oblast: tuple[RegionCount, ...]
    mix: SentenceMix
    outcomes: tuple[Share, ...]
    other_articles: dict[str, tuple[int, int]]  # article -> (received, sentences) in the month
    figures: tuple[Figure, ...] = field(default=())


def month_filters(month: str, articles: tuple[str, ...] = (ARTICLE,)) -> Filters:
    """The briefing's month: records under ``articles`` dated in ``month``."""
    return Filters(articles=articles, since=first_day(month), until=last_day(month))


def since_mobilisation(as_of: date) -> Filters:
    """The briefing's running window (and its regional one): art. 337 since mobilisation up to ``as_of``."""
    return Filters(articles=(ARTICLE,), since=MOBILISATION_START, until=as_of)


def _metric_view(connection: Connection, metric: Metric, month: str, as_of: date) -> MetricView:
    until = min(last_day(month), as_of)
    series = monthly_series(
        connection, metric, Filters(articles=(ARTICLE,), until=until), SERIES_START, month
    )
    distributions = lag_distributions(connection, metric, (ARTICLE,), as_of)
    values = {m.month: m.value for m in series}
    nowcasts = recent_nowcasts(values, as_of, distributions, months=NOWCAST_MONTHS)
    return MetricView(metric, tuple(series), record(series, month), nowcasts)


def lag_distributions(
    connection: Connection, metric: Metric, articles: tuple[str, ...], as_of: date
) -> list[LagDistribution]:
    """The posting-lag estimates the briefing uses (all courts, the articles only); [] without data."""
    try:
        return reference_distributions(posting_lags(connection, metric, Filters(articles)), as_of)
    except NowcastError:
        return []


def compute(engine: Engine, month: str, as_of: date) -> BriefingData:
    """All figures for a briefing on ``month`` (art. 337, other watched articles beside it)."""
    if first_day(month) > as_of:
        raise ValueError(f"{month} starts after the as-of date {as_of}")
    with engine.connect() as connection:
        received = _metric_view(connection, "received", month, as_of)
        sentences = _metric_view(connection, "sentences", month, as_of)
        since = since_mobilisation(as_of)
        in_month = month_filters(month)
        try:
            days: int | None = working_days(month)
        except CalendarRangeError:
            days = None
        data = BriefingData(
            month=month,
            as_of=as_of,
            received=received,
            sentences=sentences,
            per_working_day=sentences.value / days if days else None,
            working_days=days,
            received_since_mobilisation=total(connection, "received", since),
            sentences_since_mobilisation=total(connection, "sentences", since),
            regions_oblast=tuple(region_ranking(connection, "received", since, "oblast")),
            regions_city_and_oblast=tuple(region_ranking(connection, "received", since, "city_and_oblast")),
            mix=sentence_mix(connection, in_month),
            outcomes=tuple(outcome_mix(connection, in_month, "decided")),
            other_articles={
                article: (
                    total(connection, "received", month_filters(month, (article,))),
                    total(connection, "sentences", month_filters(month, (article,))),
                )
                for article in WATCHED_ARTICLES
                if article != ARTICLE
            },
        )
        return replace(data, figures=tuple(_cases_counted(connection, figures_of(data))))


def _cases_counted(connection: Connection, figures: list[Figure]) -> list[Figure]:
    """``figures`` with ``cases`` counted from each one's basis. A count of cases received is already
    its number of cases; sentences count defendants, so their cases are counted (once per basis)."""
    counted: dict[CaseBasis, int] = {}
    out = []
    for figure in figures:
        basis = figure.basis
        if basis is None or basis.metric == "received":
            out.append(figure)
            continue
        if basis not in counted:
            counted[basis] = basis.count(connection)
        out.append(replace(figure, cases=counted[basis]))
    return out


def _observed_month(month: str, as_of: date, articles: tuple[str, ...] = (ARTICLE,)) -> Filters:
    """A month of a series as the series counts it: up to the as-of day when it holds that day."""
    return Filters(articles=articles, since=first_day(month), until=min(last_day(month), as_of))


def figures_of(data: BriefingData) -> list[Figure]:
    """The briefing's figures, each with the basis of its case list (``cases`` of a sentence figure is
    its value here; :func:`compute` counts the cases)."""
    as_of = data.as_of.isoformat()
    month = month_filters(data.month).to_dict()
    window = since_mobilisation(data.as_of)
    since = window.to_dict()
    observed = _observed_month(data.month, data.as_of)
    received, sentences = CaseBasis("received", observed), CaseBasis("sentences", observed)
    out = [
        Figure("received_month", data.received.value, "received", month, as_of, data.received.value,
               basis=received),
        Figure("sentences_month", data.sentences.value, "sentences", month, as_of, data.sentences.value,
               basis=sentences),
        Figure(
            "sentences_record", data.sentences.record.to_dict(), "sentences",
            {**month, "compared_from": SERIES_START}, as_of, data.sentences.value, basis=sentences,
        ),
        Figure(
            "received_record", data.received.record.to_dict(), "received",
            {**month, "compared_from": SERIES_START}, as_of, data.received.value, basis=received,
        ),
        Figure(
            "sentences_per_working_day",
            round(data.per_working_day, 2) if data.per_working_day is not None else None,
            "per_working_day", {**month, "working_days": data.working_days}, as_of, data.sentences.value,
            basis=sentences,
        ),
        Figure(
            "received_since_mobilisation", data.received_since_mobilisation, "since_mobilisation", since,
            as_of, data.received_since_mobilisation, basis=CaseBasis("received", window),
        ),
        Figure(
            "sentences_since_mobilisation", data.sentences_since_mobilisation, "sentences", since, as_of,
            data.sentences_since_mobilisation, basis=CaseBasis("sentences", window),
        ),
    ]  # fmt: skip
    for reading, ranking in (
        ("oblast", data.regions_oblast),
        ("city_and_oblast", data.regions_city_and_oblast),
    ):
        for item in ranking[:10]:
            # Moscow city and Oblast merged are two seat regions: no one region filter lists them.
            merged = item.region_ru == MOSCOW_BOTH_RU
            basis = None if merged else CaseBasis("received", window, region=item.region_ru)
            out.append(
                Figure(
                    f"region_{reading}_{item.rank}", item.to_dict(), "region",
                    {**since, "moscow_reading": reading}, as_of, item.value, basis=basis,
                )
            )  # fmt: skip
    for share in data.mix.shares():
        # No case list filters on a published text: these figures link to none.
        definition = "published_texts" if share.key == "published" else "sentence_mix"
        out.append(Figure(f"texts_{share.key}", share.to_dict(), definition, month, as_of, share.n))
    for share in data.outcomes:
        outcome = cast(Outcome, share.key)
        out.append(
            Figure(f"outcome_{share.key}", share.to_dict(), "sentences", {**month, "basis": "decided"},
                   as_of, share.n, note="defendants decided in the month, by outcome",
                   basis=CaseBasis("sentences", month_filters(data.month), outcome=outcome))
        )  # fmt: skip
    for view in (data.received, data.sentences):
        for estimate in view.nowcasts.values():
            out.append(
                Figure(
                    f"nowcast_{view.metric}_{estimate.month}", estimate.to_dict(), "nowcast",
                    month_filters(estimate.month).to_dict(), as_of, estimate.observed,
                    basis=CaseBasis(view.metric, _observed_month(estimate.month, data.as_of)),
                )
            )  # fmt: skip
    for article, (received_count, sentenced) in data.other_articles.items():
        in_month = month_filters(data.month, (article,))
        filters = in_month.to_dict()
        out.append(
            Figure(f"received_month_{article}", received_count, "received", filters, as_of, received_count,
                   basis=CaseBasis("received", in_month))
        )  # fmt: skip
        out.append(
            Figure(f"sentences_month_{article}", sentenced, "sentences", filters, as_of, sentenced,
                   basis=CaseBasis("sentences", in_month))
        )  # fmt: skip
    return out
