"""Records in a monthly series: highest so far, highest since, first time above a round number, and
the one wording of them (EN/RU) that briefings, the API, the dashboard and the asylum note all use."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from warduty.stats.months import Lang, in_month, month_name, months_between, since_month
from warduty.stats.series import MonthCount


@dataclass(frozen=True, slots=True)
class Record:
    month: str
    value: int
    is_record: bool  # higher than every earlier month of the series (and not the first month)
    highest_since: str | None  # the newest earlier month at least as high; None when none is
    previous_high: MonthCount | None  # the highest earlier month
    first_above: int | None  # the largest round number this month is the first to exceed
    series_start: str | None = None  # the first month of the series compared with
    since_value: int | None = None  # the value of ``highest_since``

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
        series_start=ordered[0].month,
        since_value=at_least[-1].value if at_least else None,
    )


def number(value: float, lang: Lang = "en") -> str:
    """A count as written: ``2,080`` / ``2 080``."""
    text = f"{value:,.0f}"
    return text if lang == "en" else text.replace(",", "\u00a0")


def record_phrase(rec: Record, lang: Lang = "en") -> str:
    """What is notable about ``rec``'s month against every month before it, in words: a record (with
    the previous high), the highest since a month, or not a high (the month before was at least as
    high). "The highest since" the month just before says nothing, so it is never said."""
    ru = lang == "ru"
    high = rec.previous_high
    if high is None:
        return "первый месяц ряда" if ru else "the first month of the data"
    start = rec.series_start or high.month
    if rec.is_record:
        if ru:
            return (
                f"рекорд за всё время наблюдений (с {since_month(start, lang)}; прежний максимум — "
                f"{number(high.value, lang)} {in_month(high.month, lang)})"
            )
        return (
            f"a record: the highest month since the data begin in {month_name(start)} (previous high "
            f"{number(high.value)} {in_month(high.month)})"
        )
    since = rec.highest_since
    if since is None:  # cannot happen with earlier months, but say nothing false
        return "не рекорд" if ru else "not a high"
    if rec.notable_since:
        tie = (", когда было столько же" if ru else ", when it was as high") if _tied(rec) else ""
        if ru:
            return f"больше всего с {since_month(since, lang)}{tie}"
        return f"the highest month since {month_name(since)}{tie}"
    if ru:
        return f"не рекорд: {in_month(since, lang)} было не меньше"
    return f"not a high: {month_name(since)} was at least as high"


def first_above_phrase(rec: Record, noun: tuple[str, str] = ("", ""), lang: Lang = "en") -> str:
    """``the first month above 500`` / ``впервые больше 500``; "" when the month is not."""
    if not rec.first_above:
        return ""
    en, ru = noun
    if lang == "ru":
        return f"впервые больше {number(rec.first_above, lang)}" + (f" {ru}" if ru else "")
    return f"the first month above {number(rec.first_above)}" + (f" {en}" if en else "")


def _tied(rec: Record) -> bool:
    return rec.since_value == rec.value
