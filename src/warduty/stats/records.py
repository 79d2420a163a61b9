"""Records in a monthly series: highest so far, highest since, first time above a round number."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from warduty.stats.months import months_between
from warduty.stats.series import MonthCount


@dataclass(frozen=True, slots=True)
class Record:
    month: str
    value: int
    is_record: bool  # higher than every earlier month of the series (and not the first month)
    highest_since: str | None  # the newest earlier month at least as high; None when none is
    previous_high: MonthCount | None  # the highest earlier month
    first_above: int | None  # the largest round number this month is the first to exceed

    @property
    def notable_since(self) -> str | None:
        """``highest_since`` when months lie between it and this month: "the highest since" the month
        just before says nothing."""
        if self.highest_since and months_between(self.highest_since, self.month) > 1:
            return self.highest_since
        return None

    def to_dict(self) -> dict[str, object]:
        return {
            "month": self.month,
            "value": self.value,
            "is_record": self.is_record,
            "highest_since": self.highest_since,
            "previous_high": self.previous_high.to_dict() if self.previous_high else None,
            "first_above": self.first_above,
        }


def round_step(value: int) -> int:
    """The step of "round" numbers near ``value``: 10 below 100, 100 below 10,000, 1,000 above."""
    if value < 100:
        return 10
    step: int = 10 ** max(2, int(math.log10(value)) - 1)
    return step


def first_time_above(earlier_max: int, value: int) -> int | None:
    """The largest round number that ``value`` exceeds and no earlier month did."""
    step = round_step(value)
    threshold = (value - 1) // step * step  # strictly below value
    return threshold if threshold >= earlier_max and threshold > 0 else None


def record(series: Sequence[MonthCount], month: str) -> Record:
    """How ``month`` compares with the months before it in ``series``."""
    ordered = sorted(series, key=lambda m: m.month)
    position = next((i for i, m in enumerate(ordered) if m.month == month), None)
    if position is None:
        raise ValueError(f"the series has no value for {month}")
    current, earlier = ordered[position], ordered[:position]
    previous_high = max(earlier, key=lambda m: (m.value, m.month)) if earlier else None
    at_least = [m for m in earlier if m.value >= current.value]
    is_record = bool(earlier) and not at_least
    return Record(
        month=month,
        value=current.value,
        is_record=is_record,
        highest_since=at_least[-1].month if at_least else None,
        previous_high=previous_high,
        first_above=first_time_above(previous_high.value if previous_high else 0, current.value)
        if earlier
        else None,
    )
