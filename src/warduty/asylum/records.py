"""Record statements checked against the data: "highest since", never a bare "record"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from warduty.asylum.stats import MonthValue

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
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
    return f"{MONTH_NAMES[int(period[5:7]) - 1]} {period[:4]}"


def record_statement(series: Sequence[MonthValue], month: str) -> RecordStatement:
    """Say how ``month`` compares with every month before it and with the all-time high."""
    ordered = sorted(series, key=lambda m: m.period)
    position = next((i for i, m in enumerate(ordered) if m.period == month), None)
    if position is None:
        raise ValueError(f"the series has no figure for {month}")
    current = ordered[position]
    earlier = ordered[:position]
    peak = max(ordered, key=lambda m: (m.value, -_index(m.period)))
    at_least = [m for m in earlier if m.value >= current.value]
    since = at_least[-1] if at_least else None
    head = f"{current.value:,} in {month_label(month)}: "
    if position == 0:
        body = "the first month of the data"
    elif since is None:
        start = month_label(ordered[0].period)
        if peak.period == month:
            body = f"the highest month on record (data from {start})"
        else:
            body = f"the highest month on record until then (data from {start})"
    elif since is earlier[-1]:
        body = f"not a high: {since.value:,} in {month_label(since.period)} was at least as high"
    else:
        tie = ", when it was as high" if since.value == current.value else ""
        body = f"the highest month since {month_label(since.period)}{tie}"
    tail = (
        ""
        if peak.period == month
        else f", below the all-time high of {peak.value:,} in {month_label(peak.period)}"
    )
    note = " (incomplete: not all countries have reported yet)" if current.incomplete else ""
    return RecordStatement(
        month=month,
        value=current.value,
        highest_since=since.period if since else None,
        all_time_high=peak,
        is_record=since is None and position > 0,
        incomplete=current.incomplete,
        text=head + body + tail + note,
    )


def peak_month(series: Sequence[MonthValue], since: str = FULL_SCALE_INVASION_MONTH) -> MonthValue:
    """The highest complete month from ``since`` on (the question "did applications hit a record?")."""
    candidates = [m for m in series if m.period >= since and not m.incomplete]
    if not candidates:
        raise ValueError(f"the series has no complete month from {since}")
    return max(candidates, key=lambda m: (m.value, m.period))


def _index(period: str) -> int:
    return int(period[:4]) * 12 + int(period[5:7])
