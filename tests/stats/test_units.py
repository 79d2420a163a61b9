"""Calendar, outcomes, records, months and the nowcast's pure functions."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

import pytest

from warduty.stats.calendar import (
    CalendarError,
    CalendarRangeError,
    is_working_day,
    parse_calendar,
    working_days,
    working_days_between,
)
from warduty.stats.months import MonthError, month_range, parse_month
from warduty.stats.nowcast import (
    NowcastError,
    completeness,
    estimate_lags,
    nowcast,
    past_errors,
    reference_distributions,
)
from warduty.stats.outcomes import classify_outcome, results_of
from warduty.stats.records import first_time_above, record
from warduty.stats.series import MonthCount, per_working_day


def test_production_calendar_months_and_years() -> None:
    assert working_days("2024-03") == 20
    assert working_days("2025-04") == 22
    assert working_days("2024-05") == 20  # 1, 9, 10 May off
    totals = {y: working_days_between(date(y, 1, 1), date(y, 12, 31)) for y in range(2021, 2027)}
    assert totals == {2021: 247, 2022: 247, 2023: 247, 2024: 248, 2025: 247, 2026: 247}
    assert is_working_day(date(2024, 4, 27))  # a worked Saturday
    assert not is_working_day(date(2024, 4, 29))  # the transferred day off
    assert per_working_day(684, "2024-03") == pytest.approx(34.2)


def test_calendar_refuses_days_it_does_not_cover() -> None:
    with pytest.raises(CalendarRangeError, match="2021"):
        is_working_day(date(2019, 5, 6))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("day,kind\n2024-03-08,holiday\n", "columns date and kind"),
        ("date,kind\n2024-13-08,holiday\n", "not a date"),
        ("date,kind\n2024-03-08,party\n", "unknown kind"),
        ("date,kind\n2024-03-09,holiday\n", "Saturday"),
        ("date,kind\n2024-03-08,working_weekend\n", "Friday"),
        ("date,kind\n2024-03-08,holiday\n2024-03-08,holiday\n", "twice"),
        ("date,kind\n\ufffd\ufffd,holiday\n", "not a date"),
    ],
)
def test_broken_calendar_files_give_typed_errors(text: str, reason: str) -> None:
    with pytest.raises(CalendarError, match=reason):
        parse_calendar(text)


@pytest.mark.parametrize(
    ("result", "outcome"),
    [
        ("Вынесен ПРИГОВОР", "verdict"),
        ("вынесен приговор", "verdict"),
        (
            "Уголовное дело ПРЕКРАЩЕНО\nназначена мера уголовно-правового характера - СУДЕБНЫЙ ШТРАФ",
            "dismissed",
        ),
        ("ВОЗВРАЩЕНО ПРОКУРОРУ", "returned"),
        ("Направлено ПО ПОДСУДНОСТИ (подведомственности)", "transferred"),
        ("Применены ПРИНУДИТЕЛЬНЫЕ МЕРЫ МЕДИЦИНСКОГО ХАРАКТЕРА", "medical"),
        ("Производство по делу приостановлено", "pending"),
        ("Отсрочка исполнения приговора", "other"),
        (None, "pending"),
        ("", "pending"),
        ("Вынесено другое ПОСТАНОВЛЕНИЕ", "other"),
    ],
)
def test_outcome_rules(result: str | None, outcome: str) -> None:
    assert classify_outcome(result) == outcome


def test_results_of_keeps_only_the_kind() -> None:
    assert results_of("verdict", ["Вынесен ПРИГОВОР", "ВОЗВРАЩЕНО ПРОКУРОРУ", None, "Вынесен ПРИГОВОР"]) == [
        "Вынесен ПРИГОВОР"
    ]


def _series(values: list[int]) -> list[MonthCount]:
    return [MonthCount(m, v) for m, v in zip(month_range("2023-01", "2023-12"), values, strict=False)]


def test_records() -> None:
    series = _series([50, 90, 120, 80, 130, 100, 95])
    assert record(series, "2023-05").is_record
    assert record(series, "2023-05").first_above is None  # 120 was above 100 already
    assert record(series, "2023-03").first_above == 100
    assert record(series, "2023-06").highest_since == "2023-05"
    assert not record(series, "2023-06").is_record
    assert record(series, "2023-07").highest_since == "2023-06"
    # "the highest since" the month just before says nothing; two months back it does.
    assert record(series, "2023-07").notable_since is None
    assert record(_series([50, 90, 120, 80, 70, 100]), "2023-06").notable_since == "2023-03"
    assert not record(series, "2023-01").is_record
    assert first_time_above(617, 684) is None
    assert first_time_above(580, 684) == 600
    with pytest.raises(ValueError, match="no value"):
        record(series, "2024-01")


@pytest.mark.parametrize("text", ["2024-13", "2024-3", "March", "", "2024-00"])
def test_bad_months_are_refused(text: str) -> None:
    with pytest.raises(MonthError):
        parse_month(text)


def _observations(lags: list[int], days: int, start: date) -> list[tuple[date, date]]:
    """Every day from ``start`` has one record per lag in ``lags``."""
    return [(start + timedelta(days=i), start + timedelta(days=i + lag)) for i in range(days) for lag in lags]


def test_lag_distribution_recovers_known_lags() -> None:
    as_of = date(2024, 4, 12)
    observations = [(d, p) for d, p in _observations([0, 10, 40, 100], 700, date(2022, 5, 1)) if p <= as_of]
    distribution = estimate_lags(observations, as_of)
    assert distribution.at(0) == pytest.approx(0.25)
    assert distribution.at(9) == pytest.approx(0.25)
    assert distribution.at(10) == pytest.approx(0.5)
    assert distribution.at(40) == pytest.approx(0.75)
    assert distribution.at(100) == pytest.approx(1.0)
    march = completeness(distribution, "2024-03", as_of)
    assert 0.5 < march < 0.75
    estimate = nowcast(300, "2024-03", as_of, [distribution])
    assert estimate.estimate == pytest.approx(300 / march)
    assert estimate.low <= 300 / march <= estimate.high
    assert estimate.incomplete
    done = nowcast(300, "2023-06", as_of, [distribution])
    assert (done.low, done.high, done.incomplete) == (300, 300, False)


def test_nowcast_needs_data_and_finished_months() -> None:
    with pytest.raises(NowcastError):
        estimate_lags([], date(2024, 4, 12))
    distribution = estimate_lags(_observations([0], 30, date(2024, 1, 1)), date(2024, 4, 12))
    with pytest.raises(ValueError, match="has not ended"):
        nowcast(10, "2024-04", date(2024, 4, 12), [distribution])
    with pytest.raises(ValueError, match="negative"):
        nowcast(-1, "2024-03", date(2024, 4, 12), [distribution])


def test_nowcast_interval_widens_to_the_errors_seen_at_earlier_dates() -> None:
    as_of = date(2024, 4, 12)
    steady = [(d, p) for d, p in _observations([0, 10, 40, 100], 700, date(2022, 5, 1)) if p <= as_of]
    errors = past_errors(steady, as_of)
    assert len(errors) == 3 and max(errors) < 0.02  # a steady posting lag is nowcast almost exactly
    assert past_errors(steady[-50:], as_of) == ()  # too little history to look back a year
    main = replace(estimate_lags(steady, as_of), errors=(0.10, 0.05, 0.02))
    plain = nowcast(300, "2024-03", as_of, [replace(main, errors=())])
    wide = nowcast(300, "2024-03", as_of, [main])
    assert wide.estimate == plain.estimate
    spread = 1.6448536 * 0.10  # the 95th percentile of a normal error with that RMS
    assert wide.low <= max(300, math.floor(wide.estimate * math.exp(-spread))) < plain.low
    assert wide.high >= math.ceil(wide.estimate * math.exp(spread)) > plain.high
    assert reference_distributions(steady, as_of)[0].errors == errors
    done = nowcast(300, "2023-06", as_of, [main])  # a complete month keeps its exact count
    assert (done.low, done.high) == (300, 300)
