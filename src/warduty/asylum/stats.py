"""Statistics of asylum applications: monthly series, annual totals, y/y change, top destinations,
recognition rates. Pure functions over observations; the newest vintage per cell is chosen before.

Aggregates (EU27_2020, EU28, EA*, TOTAL, EXT_*) are never summed with their members. Missing cells are
never zero: a month with no reported figure is left out, not counted as 0.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from warduty.asylum.codes import EU27_MEMBERS, is_aggregate_geo
from warduty.asylum.model import AsylumObservation
from warduty.asylum.snapshot import DERIVED_SUM_GEO, load_snapshot
from warduty.asylum.storage import latest_observations
from warduty.stats.months import shift

GEO_SCOPES = ("reporting", "eu27", "eu27_published")
EU27_AGGREGATE = "EU27_2020"
# A newest month is incomplete while fewer countries than this share of those that reported the same
# month a year before have reported.
INCOMPLETE_COUNTRY_SHARE = 0.8
# For a pre-summed series (no country counts): incomplete while the sum is below this share of the same
# month a year before.
INCOMPLETE_VALUE_SHARE = 0.5
_MONTH = re.compile(r"^\d{4}-\d{2}$")


@dataclass(frozen=True, slots=True)
class MonthValue:
    period: str  # "YYYY-MM"
    value: int
    countries: int  # countries whose figure is in the sum; 0 when the source does not say (pre-summed)
    incomplete: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "period": self.period,
            "value": self.value,
            "countries": self.countries,
            "incomplete": self.incomplete,
        }


@dataclass(frozen=True, slots=True)
class YearTotal:
    year: int
    value: int
    months: int
    incomplete: bool  # fewer than 12 months, or a month still incomplete


@dataclass(frozen=True, slots=True)
class YearOnYear:
    period: str
    value: int
    previous: int | None  # the same month a year before
    change: int | None
    change_pct: float | None


@dataclass(frozen=True, slots=True)
class Destination:
    geo: str
    value: int
    share: float  # of the sum over all countries in the window


@dataclass(frozen=True, slots=True)
class RecognitionRate:
    period: str
    geo: str  # a country, or "REPORTING" for the pooled rate over reporting countries
    positive: int
    total: int
    rate: float


shift_month = shift  # the one month arithmetic (warduty.stats.months), by the name asylum code uses


def monthly_series(
    observations: Iterable[AsylumObservation],
    *,
    applicant: str = "FRST",
    geo_scope: str = "reporting",
    citizen: str = "RU",
    sex: str = "T",
    age: str = "TOTAL",
) -> list[MonthValue]:
    """Monthly applicants summed over the countries of ``geo_scope``:

    ``reporting`` every reporting country (aggregates excluded), ``eu27`` the 27 member states summed,
    ``eu27_published`` Eurostat's own EU27_2020 aggregate (its country count is that of members present).
    """
    if geo_scope not in GEO_SCOPES:
        raise ValueError(f"geo_scope must be one of {', '.join(GEO_SCOPES)}, not {geo_scope!r}")
    cells = _monthly_cells(observations, applicant=applicant, citizen=citizen, sex=sex, age=age)
    sums: dict[str, float] = defaultdict(float)
    countries: dict[str, int] = defaultdict(int)
    derived: set[str] = set()
    for (geo, period), value in cells.items():
        if geo == DERIVED_SUM_GEO:
            if geo_scope == "reporting":
                sums[period] += value
                derived.add(period)
            continue
        if geo_scope == "eu27_published":
            if geo == EU27_AGGREGATE:
                sums[period] += value
            elif geo in EU27_MEMBERS:
                countries[period] += 1
            continue
        if is_aggregate_geo(geo) or (geo_scope == "eu27" and geo not in EU27_MEMBERS):
            continue
        sums[period] += value
        countries[period] += 1
    mixed = sorted(p for p in derived if countries.get(p))
    if mixed:
        raise ValueError(f"a pre-summed series and per-country cells both cover {mixed[0]}: pass one of them")
    periods = sorted(sums)
    rows = [(p, round(sums[p]), countries.get(p, 0)) for p in periods]
    flags = _incomplete_flags(rows)
    return [MonthValue(p, v, n, flag) for (p, v, n), flag in zip(rows, flags, strict=True)]


def _monthly_cells(
    observations: Iterable[AsylumObservation], *, applicant: str, citizen: str, sex: str, age: str
) -> dict[tuple[str, str], float]:
    cells: dict[tuple[str, str], float] = {}
    for o in observations:
        if (o.applicant, o.citizen, o.sex, o.age, o.unit) != (applicant, citizen, sex, age, "PER"):
            continue
        if o.value is None or not _MONTH.match(o.period) or o.source not in ("eurostat", "eurostat-derived"):
            continue
        key = (o.geo, o.period)
        if key in cells:
            raise ValueError(f"two values for {o.geo} {o.period}: pass one vintage (the newest per cell)")
        cells[key] = o.value
    return cells


def _incomplete_flags(rows: Sequence[tuple[str, int, int]]) -> list[bool]:
    """Walk back from the newest month while it is incomplete against the same month a year before."""
    by_period = {p: (v, n) for p, v, n in rows}
    flags = [False] * len(rows)
    for position in range(len(rows) - 1, -1, -1):
        period, value, count = rows[position]
        reference = by_period.get(shift_month(period, -12))
        if reference is None:
            break
        ref_value, ref_count = reference
        if count and ref_count:
            incomplete = count < INCOMPLETE_COUNTRY_SHARE * ref_count
        else:
            incomplete = value < INCOMPLETE_VALUE_SHARE * ref_value
        if not incomplete:
            break
        flags[position] = True
    return flags


def annual_totals(series: Sequence[MonthValue]) -> list[YearTotal]:
    values: dict[int, int] = defaultdict(int)
    months: dict[int, int] = defaultdict(int)
    partial: set[int] = set()
    for month in series:
        year = int(month.period[:4])
        values[year] += month.value
        months[year] += 1
        if month.incomplete:
            partial.add(year)
    return [
        YearTotal(year, values[year], months[year], months[year] < 12 or year in partial)
        for year in sorted(values)
    ]


def year_on_year(series: Sequence[MonthValue]) -> list[YearOnYear]:
    by_period = {m.period: m.value for m in series}
    result = []
    for month in series:
        previous = by_period.get(shift_month(month.period, -12))
        change = None if previous is None else month.value - previous
        pct = None if previous in (None, 0) or change is None else round(100.0 * change / previous, 1)
        result.append(YearOnYear(month.period, month.value, previous, change, pct))
    return result


def top_destinations(
    observations: Iterable[AsylumObservation],
    *,
    period_from: str,
    period_to: str,
    applicant: str = "FRST",
    citizen: str = "RU",
    limit: int = 10,
) -> list[Destination]:
    """Countries (never aggregates) by applicants summed over months ``period_from``..``period_to``."""
    cells = _monthly_cells(observations, applicant=applicant, citizen=citizen, sex="T", age="TOTAL")
    totals: dict[str, float] = defaultdict(float)
    for (geo, period), value in cells.items():
        if period_from <= period <= period_to and not is_aggregate_geo(geo) and geo != DERIVED_SUM_GEO:
            totals[geo] += value
    grand = sum(totals.values())
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [
        Destination(geo, round(value), round(value / grand, 4) if grand else 0.0) for geo, value in ranked
    ]


def recognition_rates(
    observations: Iterable[AsylumObservation], *, citizen: str = "RU", sex: str = "T", age: str = "TOTAL"
) -> list[RecognitionRate]:
    """Positive first-instance decisions (TOTAL_POS) over all decisions (TOTAL), per country and period,
    plus the pooled rate over reporting countries (geo ``REPORTING``); cells without decisions are skipped."""
    cells: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    for o in observations:
        wanted = o.decision in ("TOTAL", "TOTAL_POS") and (o.citizen, o.sex, o.age) == (citizen, sex, age)
        if wanted and o.value is not None:
            cells[(o.period, o.geo)][o.decision] = o.value
    result = []
    pooled: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for (period, geo), decisions in sorted(cells.items()):
        if "TOTAL" not in decisions or "TOTAL_POS" not in decisions or decisions["TOTAL"] <= 0:
            continue
        positive, total = decisions["TOTAL_POS"], decisions["TOTAL"]
        result.append(RecognitionRate(period, geo, round(positive), round(total), round(positive / total, 4)))
        if not is_aggregate_geo(geo):
            pooled[period][0] += positive
            pooled[period][1] += total
    for period, (positive, total) in sorted(pooled.items()):
        result.append(
            RecognitionRate(period, "REPORTING", round(positive), round(total), round(positive / total, 4))
        )
    return result


def applications_series(
    connection: Connection, *, applicant: str = "FRST", geo_scope: str = "reporting"
) -> tuple[list[MonthValue], str]:
    """Russians' monthly asylum applications (Eurostat migr_asyappctzm) from the database's newest
    vintage, or from the shipped snapshot when none is stored; and which of the two it is."""
    observations = latest_observations(connection, source="eurostat", dataset="migr_asyappctzm")
    series = monthly_series(observations, applicant=applicant, geo_scope=geo_scope)
    if series:
        return series, "database"
    return monthly_series(load_snapshot(), applicant=applicant, geo_scope=geo_scope), "snapshot"
