from __future__ import annotations

import pytest

from warduty.asylum import (
    AsylumObservation,
    MonthValue,
    annual_totals,
    load_snapshot,
    monthly_series,
    peak_month,
    recognition_rates,
    record_statement,
    top_destinations,
    year_on_year,
)


def _obs(geo: str, period: str, value: float | None, applicant: str = "FRST") -> AsylumObservation:
    return AsylumObservation(
        "eurostat",
        "migr_asyappctzm",
        "RU",
        geo,
        period,
        applicant,
        "T",
        "TOTAL",
        "",
        "PER",
        value,
        "" if value is not None else ":",
    )


def test_acceptance_figures_come_out_of_the_shipped_snapshot() -> None:
    series = monthly_series(load_snapshot())
    by_month = {m.period: m.value for m in series}
    assert by_month["2022-03"] == 1150
    assert by_month["2023-01"] == 2080
    totals = {t.year: t.value for t in annual_totals(series)}
    assert (totals[2023], totals[2024]) == (19445, 10795)
    statement = record_statement(series, "2023-01")
    assert statement.text == (
        "2,080 in January 2023: the highest month since September 2016, "
        "below the all-time high of 5,870 in May 2013"
    )
    assert (statement.highest_since, statement.is_record) == ("2016-09", False)
    assert (statement.all_time_high.period, statement.all_time_high.value) == ("2013-05", 5870)
    assert "record" not in statement.text.replace("on record", "")
    assert peak_month(series).period == "2023-01"  # the peak since the full-scale invasion


def test_snapshot_newest_months_are_flagged_incomplete_as_its_provenance_says() -> None:
    series = monthly_series(load_snapshot())
    assert [m.period for m in series if m.incomplete] == ["2026-07", "2026-08"]
    assert annual_totals(series)[-1].incomplete
    assert "incomplete" in record_statement(series, "2026-08").text


def test_record_wording_for_a_record_a_tie_and_a_non_high() -> None:
    series = [
        MonthValue(p, v, 3, False)
        for p, v in [("2020-01", 5), ("2020-02", 9), ("2020-03", 7), ("2020-04", 9)]
    ]
    assert (
        record_statement(series, "2020-02").text
        == "9 in February 2020: a record: the highest month since the data begin in January 2020 "
        "(previous high 5 in January 2020)"
    )
    assert record_statement(series, "2020-03").text.startswith("7 in March 2020: not a high")
    tie = record_statement(series, "2020-04")
    assert tie.highest_since == "2020-02" and "when it was as high" in tie.text
    with pytest.raises(ValueError, match="no figure"):
        record_statement(series, "2019-01")


def test_aggregates_are_never_summed_with_members() -> None:
    observations = [
        _obs("DE", "2024-01", 100),
        _obs("FR", "2024-01", 50),
        _obs("CH", "2024-01", 5),
        _obs("EU27_2020", "2024-01", 150),
        _obs("EA20", "2024-01", 150),
        _obs("TOTAL", "2024-01", 155),
        _obs("DE", "2024-01", 999, applicant="TOTAL"),
        _obs("PL", "2024-01", None),
    ]
    assert monthly_series(observations) == [MonthValue("2024-01", 155, 3, False)]
    assert monthly_series(observations, geo_scope="eu27") == [MonthValue("2024-01", 150, 2, False)]
    assert monthly_series(observations, geo_scope="eu27_published") == [MonthValue("2024-01", 150, 2, False)]
    assert monthly_series(observations, applicant="TOTAL") == [MonthValue("2024-01", 999, 1, False)]
    with pytest.raises(ValueError, match="geo_scope"):
        monthly_series(observations, geo_scope="world")
    with pytest.raises(ValueError, match="two values"):
        monthly_series([*observations, _obs("DE", "2024-01", 101)])


def test_newest_months_incomplete_until_most_countries_report() -> None:
    codes = ["DE", "FR", "PL", "ES", "AT", "BE", "NL", "SE", "IT", "CH"]
    observations = [_obs(g, "2023-05", 10) for g in codes] + [_obs(g, "2023-06", 10) for g in codes]
    observations += [_obs(g, "2024-05", 10) for g in codes[:8]]  # 8 of 10: complete (>= 80 %)
    observations += [_obs(g, "2024-06", 10) for g in codes[:7]]  # 7 of 10: incomplete
    series = monthly_series(observations)
    assert [(m.period, m.countries, m.incomplete) for m in series[-2:]] == [
        ("2024-05", 8, False),
        ("2024-06", 7, True),
    ]


def test_top_destinations_yoy_and_recognition_rates() -> None:
    observations = [
        _obs("DE", "2024-01", 60),
        _obs("FR", "2024-01", 30),
        _obs("EU27_2020", "2024-01", 90),
        _obs("DE", "2023-01", 30),
        _obs("ES", "2024-02", 10),
    ]
    top = top_destinations(observations, period_from="2024-01", period_to="2024-12")
    assert [(d.geo, d.value, d.share) for d in top] == [("DE", 60, 0.6), ("FR", 30, 0.3), ("ES", 10, 0.1)]
    change = {c.period: c for c in year_on_year(monthly_series(observations))}
    assert (change["2024-01"].previous, change["2024-01"].change, change["2024-01"].change_pct) == (
        30,
        60,
        200.0,
    )
    assert change["2023-01"].previous is None
    decisions = [
        AsylumObservation(
            "eurostat", "migr_asydcfstq", "RU", geo, "2024-Q4", "", "T", "TOTAL", kind, "PER", v
        )
        for geo, kind, v in [
            ("DE", "TOTAL", 400),
            ("DE", "TOTAL_POS", 100),
            ("FR", "TOTAL", 100),
            ("FR", "TOTAL_POS", 50),
            ("EU27_2020", "TOTAL", 500),
            ("EU27_2020", "TOTAL_POS", 150),
            ("PL", "TOTAL", 0),
            ("PL", "TOTAL_POS", 0),
        ]
    ]
    rates = {(r.geo, r.period): r.rate for r in recognition_rates(decisions)}
    assert rates == {
        ("DE", "2024-Q4"): 0.25,
        ("FR", "2024-Q4"): 0.5,
        ("EU27_2020", "2024-Q4"): 0.3,
        ("REPORTING", "2024-Q4"): 0.3,
    }
