"""Calibration: every published target holds on its as_of date, and impossible targets are refused."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import pytest

from warduty.replica.calibrate import CalibrationError, calibrate, target_order
from warduty.replica.drafts import new_draft
from warduty.replica.fit import fit_report
from warduty.replica.population import _CourtPicker, case_courts, generate_population
from warduty.replica.targets import (
    FrozenFacts,
    Target,
    TargetFileError,
    evaluate,
    load_targets,
    parse_targets,
)


def test_full_population_meets_every_target_and_ranking() -> None:
    rows = fit_report(generate_population())
    misses = [row.to_dict() for row in rows if not row.ok]
    assert not misses
    assert len(rows) == len(load_targets()) == 26
    assert all(row.generated == row.target for row in rows if row.tolerance == "exact")
    ranked = [row for row in rows if row.rank is not None]
    assert len(ranked) == 6 and all(row.rank and row.rank.ok for row in ranked)


@pytest.mark.parametrize("seed", [1, 99])
def test_small_populations_meet_the_scaled_targets(seed: int) -> None:
    population = generate_population(seed=seed, scale=0.05)
    rows = fit_report(population)
    assert all(row.rank is None for row in rows)
    assert [row.target_id for row in rows if not row.ok] == []


def test_targets_hold_on_their_date_not_on_others() -> None:
    population = generate_population(scale=0.05)
    facts = [FrozenFacts(c) for c in population.all_cases()]
    target = next(t for t in load_targets() if t.id == "awol_received_2023").scaled(0.05)
    later = replace(target, as_of=date(2025, 6, 30))
    assert evaluate(target, facts) == target.value
    assert evaluate(later, facts) != evaluate(target, facts)


def _tiny_drafts(seed: int) -> tuple[list, _CourtPicker]:  # type: ignore[type-arg]
    rng = random.Random(seed)
    picker = _CourtPicker(case_courts())
    drafts = []
    for day in range(1, 28):
        code, region = picker(rng, None)
        drafts.append(new_draft(rng, code, region, date(2023, 3, day), "337"))
    return drafts, picker


def _target(**changes: object) -> Target:
    base = next(t for t in load_targets() if t.id == "awol_received_2024_02")
    return replace(base, **changes)  # type: ignore[arg-type]


def test_calibrate_adds_and_removes_cases_to_reach_a_target() -> None:
    for value in (5, 40):
        drafts, picker = _tiny_drafts(3)
        target = _target(period_start=date(2023, 3, 1), period_end=date(2023, 3, 31), as_of=date(2023, 6, 1),
                         value=value)  # fmt: skip
        calibrate(drafts, [target], random.Random(1), picker)
        assert evaluate(target, drafts) == value


def test_calibrate_refuses_an_impossible_target() -> None:
    drafts, picker = _tiny_drafts(4)
    impossible = _target(period_start=date(2023, 3, 1), period_end=date(2023, 3, 31), as_of=date(2023, 2, 1),
                         value=3)  # fmt: skip
    with pytest.raises(CalibrationError, match="awol_received_2024_02"):
        calibrate(drafts, [impossible], random.Random(1), picker)


def test_target_order_puts_sentences_before_receipts_on_the_same_day() -> None:
    ordered = [t for t in target_order(load_targets()) if t.as_of == date(2024, 4, 12)]
    metrics = [t.metric for t in ordered]
    assert metrics.index("sentences") < metrics.index("published_suspended") < metrics.index("cases_received")
    assert ordered[-1].id == "awol_received_since_mobilisation_2024_04"


HEADER = ("id,description,metric,articles,period_start,period_end,as_of,region,value,tolerance,rank,"
          "rank_from,rank_to,source_row,source_url,note\n")  # fmt: skip
GOOD = "x,d,cases_received,337+338,2024-01-01,2024-01-31,2024-04-12,,10,exact,,,,1,https://example.org,\n"


def test_parse_targets_reads_a_good_row() -> None:
    [target] = parse_targets(HEADER + GOOD)
    assert target.articles == frozenset({"337", "338"}) and target.value == 10 and target.region is None
    assert target.scaled(0.5).value == 5 and target.within(10) and not target.within(11)
    loose = replace(target, tolerance="1%", value=1000)
    assert loose.within(1010) and not loose.within(1011)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id,description\nx,d\n", "lacks column"),
        (HEADER + GOOD.replace("cases_received", "arrests"), "unknown metric"),
        (HEADER + GOOD.replace("exact", "roughly"), "tolerance"),
        (HEADER + GOOD.replace("2024-01-31", "31.01.2024"), "not a date"),
        (HEADER + GOOD.replace("2024-01-31", "2023-12-31"), "ends before"),
        (HEADER + GOOD.replace(",10,", ",ten,"), "whole numbers"),
        (HEADER + GOOD + GOOD, "repeat"),
        (HEADER + GOOD.rstrip("\n") + ",extra\n", "wrong number of fields"),
        (HEADER + "x,d,cases_received\n", "wrong number of fields"),
    ],
)
def test_parse_targets_rejects_broken_files(text: str, message: str) -> None:
    with pytest.raises(TargetFileError, match=message):
        parse_targets(text)
