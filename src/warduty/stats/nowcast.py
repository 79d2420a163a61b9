"""Nowcast: the final count of a month that the court sites are still posting.

Court sites post cards and decisions with a delay, so the months just before the as-of date are
incomplete. From pairs (event day, day posted) seen up to the as-of date, a chain-ladder estimate of
the posting-lag distribution gives each month's completeness ``c`` (the share of its records posted by
then); the final count is estimated as ``observed / c``. The interval combines the binomial
uncertainty of the unseen records (negative binomial, flat prior) with the drift of ``c`` between the
older and the newer half of the reference window: its ends use the lowest and highest of the three
completeness estimates. Those two alone covered 83-86 % of the finals at a nominal 90 % (late postings
cluster by court and drift over time), so the interval is widened, where needed, to the errors the same
estimator made on this data at earlier as-of dates (3, 6, 9 and 12 months before), month by month back.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from statistics import NormalDist

from warduty.stats.calendar import CalendarRangeError, is_working_day
from warduty.stats.months import first_day, last_day, month_of, month_range, months_between, shift

HORIZON = 365  # lags beyond a year are treated as never posted
WINDOW = 365  # reference days of events used, before the horizon


class NowcastError(ValueError):
    """Not enough data to estimate the posting lag."""


@dataclass(frozen=True, slots=True)
class LagDistribution:
    """``cdf[l]`` = share of records posted within ``l`` days (relative to those posted within a year)."""

    cdf: tuple[float, ...]
    reference: int  # records the estimate rests on
    # Root-mean-square of log(later count / nowcast) at earlier as-of dates, for the month 1, 2, 3 back.
    errors: tuple[float, ...] = ()

    def at(self, lag: int) -> float:
        if lag < 0:
            return 0.0
        return self.cdf[lag] if lag < len(self.cdf) else 1.0

    def quantile(self, share: float) -> int:
        return next((lag for lag, value in enumerate(self.cdf) if value >= share), len(self.cdf))


@dataclass(frozen=True, slots=True)
class Nowcast:
    month: str
    as_of: date
    observed: int
    completeness: float
    estimate: float
    low: int
    high: int
    level: float

    @property
    def incomplete(self) -> bool:
        return self.completeness < 0.98

    def covers(self, final: int) -> bool:
        return self.low <= final <= self.high

    def to_dict(self) -> dict[str, object]:
        return {
            "month": self.month,
            "as_of": self.as_of.isoformat(),
            "observed": self.observed,
            "completeness": round(self.completeness, 4),
            "estimate": round(self.estimate, 1),
            "low": self.low,
            "high": self.high,
            "level": self.level,
        }


def estimate_lags(
    observations: Iterable[tuple[date, date]],
    as_of: date,
    *,
    horizon: int = HORIZON,
    window: int = WINDOW,
    newest: date | None = None,
) -> LagDistribution:
    """Chain-ladder estimate from (event day, posted day) pairs known on ``as_of``.

    Each lag's step ratio uses only records old enough to have shown it, so recent months count for the
    short lags without biasing the long ones. ``newest`` cuts the reference at an earlier day (used for
    the older half of the window).
    """
    cut = newest or as_of
    oldest = as_of - timedelta(days=horizon + window)
    reached = [0] * (horizon + 1)  # A(l) difference array: eligible with lag <= l
    within = [0] * (horizon + 1)  # B(l): eligible with lag <= l + 1
    used = 0
    for day, posted in observations:
        if posted > as_of or day < oldest or day > cut:
            continue
        lag, age = max((posted - day).days, 0), (as_of - day).days
        if lag > horizon:
            continue
        used += 1
        top = min(age - 1, horizon - 1)
        if lag <= top:
            reached[lag] += 1
            reached[top + 1] -= 1
        start = max(lag - 1, 0)
        if start <= top:
            within[start] += 1
            within[top + 1] -= 1
    if used == 0:
        raise NowcastError(f"no posting-lag observations before {as_of}")
    ratios = [1.0] * horizon
    a = b = 0
    for lag in range(horizon):
        a, b = a + reached[lag], b + within[lag]
        ratios[lag] = a / b if b else 1.0
    cdf = [1.0] * (horizon + 1)
    for lag in range(horizon - 1, -1, -1):
        cdf[lag] = cdf[lag + 1] * ratios[lag]
    return LagDistribution(tuple(cdf), used)


def completeness(distribution: LagDistribution, month: str, as_of: date) -> float:
    """Expected share of ``month``'s records posted by ``as_of``, records spread over working days."""
    days = _days(month)
    if days[-1] > as_of:
        raise ValueError(f"{month} has not ended by {as_of}")
    return sum(distribution.at((as_of - day).days) for day in days) / len(days)


def _days(month: str) -> list[date]:
    start, end = first_day(month), last_day(month)
    every = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    try:
        working = [day for day in every if is_working_day(day)]
    except CalendarRangeError:
        working = [day for day in every if day.weekday() < 5]
    return working or every


def nowcast(
    observed: int,
    month: str,
    as_of: date,
    distributions: Sequence[LagDistribution],
    *,
    level: float = 0.9,
) -> Nowcast:
    """Estimate ``month``'s final count; ``distributions[0]`` is the main estimate, the others (older
    and newer reference halves) widen the interval."""
    if observed < 0:
        raise ValueError("observed must not be negative")
    shares = [max(completeness(d, month, as_of), 1e-3) for d in distributions]
    main, lowest, highest = shares[0], min(shares), max(shares)
    tail = (1 - level) / 2
    estimate = observed / main
    low = observed + _unseen_quantile(observed, highest, tail)
    high = observed + _unseen_quantile(observed, lowest, 1 - tail)
    errors = distributions[0].errors
    back = max(months_between(month, month_of(as_of)), 1)
    # Within the months looked back on, a month the lags call complete still gets late postings.
    if errors and (main < 1.0 or back <= len(errors)):
        spread = NormalDist().inv_cdf(1 - tail) * errors[min(back, len(errors)) - 1]
        low = min(low, max(observed, math.floor(estimate * math.exp(-spread))))
        high = max(high, math.ceil(estimate * math.exp(spread)))
    return Nowcast(
        month=month,
        as_of=as_of,
        observed=observed,
        completeness=main,
        estimate=estimate,
        low=low,
        high=high,
        level=level,
    )


def recent_nowcasts(
    values: dict[str, int], as_of: date, distributions: Sequence[LagDistribution], *, months: int = 6
) -> dict[str, Nowcast]:
    """Nowcasts of the months still being posted: ended months among the ``months`` before the as-of
    month whose expected completeness is below 98 %; {} without lag estimates."""
    out: dict[str, Nowcast] = {}
    if not distributions:
        return out
    current = month_of(as_of)
    for month in month_range(shift(current, -months), shift(current, -1)):
        if month in values and last_day(month) <= as_of:
            estimate = nowcast(values[month], month, as_of, distributions)
            if estimate.incomplete:
                out[month] = estimate
    return out


def reference_distributions(observations: Sequence[tuple[date, date]], as_of: date) -> list[LagDistribution]:
    """The main lag estimate, carrying the nowcast's errors at earlier as-of dates, then the estimates of
    the older and the newer half of the reference window."""
    main = estimate_lags(observations, as_of)
    split = as_of - timedelta(days=(HORIZON + WINDOW) // 2)
    halves = [main]
    for newest, recent_only in ((split, False), (as_of, True)):
        subset = [(d, p) for d, p in observations if (d > split) == recent_only]
        try:
            halves.append(estimate_lags(subset, as_of, newest=newest))
        except NowcastError:
            continue
    halves[0] = replace(main, errors=past_errors(observations, as_of))
    return halves


def past_errors(
    observations: Sequence[tuple[date, date]], as_of: date, *, rounds: int = 4, backs: int = 3
) -> tuple[float, ...]:
    """RMS of log(count known on ``as_of`` / nowcast) at as-of dates 3, 6, ... months before, for the
    months 1..``backs`` before each; () when no earlier date has enough data."""
    known = Counter(month_of(day) for day, posted in observations if posted <= as_of)
    errors: list[list[float]] = [[] for _ in range(backs)]
    for round_ in range(1, rounds + 1):
        earlier = _months_before(as_of, 3 * round_)
        seen = [(day, posted) for day, posted in observations if posted <= earlier]
        try:
            distribution = estimate_lags(seen, earlier)  # the point estimate needs only the main one
        except NowcastError:
            continue
        counted = Counter(month_of(day) for day, _ in seen)
        for back in range(1, backs + 1):
            month = shift(month_of(earlier), -back)
            guess = nowcast(counted[month], month, earlier, [distribution]).estimate
            if known[month] and guess > 0:
                errors[back - 1].append(math.log(known[month] / guess))
    if not all(errors):
        return ()
    return tuple(math.sqrt(sum(e * e for e in found) / len(found)) for found in errors)


def _months_before(day: date, months: int) -> date:
    """The same day of the month ``months`` earlier (the month's last day when it is shorter)."""
    month = shift(month_of(day), -months)
    return min(first_day(month) + timedelta(days=day.day - 1), last_day(month))


def _unseen_quantile(observed: int, share: float, q: float) -> int:
    """Quantile of the unseen count U ~ NegBin(observed + 1, share)."""
    if share >= 1.0:
        return 0
    r, p = observed + 1, share
    mean = r * (1 - p) / p
    sd = math.sqrt(r * (1 - p)) / p
    upper = int(mean + 12 * sd) + 10
    logs = [r * math.log(p)]
    log_miss = math.log(1 - p)
    for u in range(upper):
        logs.append(logs[-1] + math.log((r + u) / (u + 1)) + log_miss)
    peak = max(logs)
    weights = [math.exp(v - peak) for v in logs]
    total = sum(weights)
    running = 0.0
    for u, weight in enumerate(weights):
        running += weight / total
        if running >= q:
            return u
    return upper
