"""Record statements on the asylum series: ``warduty.stats.records`` and its wording, with the
all-time high and whether the month is still incomplete."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from warduty.asylum.stats import MonthValue
from warduty.stats.months import in_month, month_index, month_name
from warduty.stats.records import number, record, record_phrase
from warduty.stats.series import MonthCount

FULL_SCALE_INVASION_MONTH = "2022-03"  # first full month after 24 February 2022


@dataclass(frozen=True, slots=True)
class RecordStatement:
    month: str
    value: int
    highest_since: str | None  # newest earlier month at least as high; None when higher than all before
    all_time_high: MonthValue
    is_record: bool  # higher than every earlier month of the series
    incomplete: bool
    text: str

    def to_dict(self) -> dict[str, object]:
        return {
            "month": self.month,
            "value": self.value,
            "highest_since": self.highest_since,
            "all_time_high": self.all_time_high.to_dict(),
            "is_record": self.is_record,
            "incomplete": self.incomplete,
            "text": self.text,
        }


def month_label(period: str) -> str:
    """``2023-01`` -> ``January 2023``."""
    return month_name(period)


def record_statement(series: Sequence[MonthValue], month: str) -> RecordStatement:
    """Say how ``month`` compares with every month before it (:func:`warduty.stats.records.record`,
    in its wording) and with the all-time high."""
    ordered = sorted(series, key=lambda m: m.period)
    current = next((m for m in ordered if m.period == month), None)
    if current is None:
        raise ValueError(f"the series has no figure for {month}")
    rec = record([MonthCount(m.period, m.value) for m in ordered], month)
    peak = max(ordered, key=lambda m: (m.value, -month_index(m.period)))  # the earliest of equals
    tail = (
        ""
        if peak.period == month
        else f", below the all-time high of {number(peak.value)} in {month_label(peak.period)}"
    )
    note = " (incomplete: not all countries have reported yet)" if current.incomplete else ""
    return RecordStatement(
        month=month,
        value=current.value,
        highest_since=rec.highest_since,
        all_time_high=peak,
        is_record=rec.is_record,
        incomplete=current.incomplete,
        text=f"{number(current.value)} {in_month(month)}: {record_phrase(rec)}{tail}{note}",
    )


def peak_month(series: Sequence[MonthValue], since: str = FULL_SCALE_INVASION_MONTH) -> MonthValue:
    """The highest complete month from ``since`` on (the question "did applications hit a record?")."""
    candidates = [m for m in series if m.period >= since and not m.incomplete]
    if not candidates:
        raise ValueError(f"the series has no complete month from {since}")
    return max(candidates, key=lambda m: (m.value, m.period))
