"""Russian working days: Monday to Friday, minus holidays and transferred days off, plus worked weekends.

The exceptions ship in ``data/production_calendar.csv`` (provenance in ``data/PROVENANCE.md``) and cover
2021–2026; a day outside that range raises :class:`CalendarRangeError` rather than guessing.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from functools import cache
from importlib import resources

from warduty.stats.months import first_day, last_day

KINDS = ("holiday", "transferred_day_off", "working_weekend")


class CalendarError(ValueError):
    """The production calendar file is malformed; the message names the row."""


class CalendarRangeError(LookupError):
    """The day is outside the years the production calendar covers."""


def parse_calendar(text: str) -> dict[date, str]:
    """Read the exceptions file: ``date,kind,note`` rows."""
    exceptions: dict[date, str] = {}
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or not {"date", "kind"} <= set(reader.fieldnames):
        raise CalendarError("the production calendar needs the columns date and kind")
    for line, row in enumerate(reader, start=2):
        try:
            day = date.fromisoformat((row.get("date") or "").strip())
        except ValueError:
            raise CalendarError(f"row {line}: {row.get('date')!r} is not a date") from None
        kind = (row.get("kind") or "").strip()
        if kind not in KINDS:
            raise CalendarError(f"row {line}: unknown kind {kind!r}")
        weekend = day.weekday() >= 5
        if weekend != (kind == "working_weekend"):
            raise CalendarError(f"row {line}: {day} is a {day.strftime('%A')}, which cannot be {kind}")
        if day in exceptions:
            raise CalendarError(f"row {line}: {day} is listed twice")
        exceptions[day] = kind
    return exceptions


@cache
def _exceptions() -> dict[date, str]:
    text = resources.files("warduty.stats").joinpath("data/production_calendar.csv").read_text("utf-8")
    return parse_calendar(text)


@cache
def covered_years() -> tuple[int, int]:
    years = {day.year for day in _exceptions()}
    return min(years), max(years)


def is_working_day(day: date) -> bool:
    first, last = covered_years()
    if not first <= day.year <= last:
        raise CalendarRangeError(f"the production calendar covers {first}–{last}, not {day.year}")
    kind = _exceptions().get(day)
    if kind is not None:
        return kind == "working_weekend"
    return day.weekday() < 5


def working_days_between(first: date, last: date) -> int:
    """Working days from ``first`` to ``last``, both included."""
    total, day = 0, first
    while day <= last:
        total += is_working_day(day)
        day += timedelta(days=1)
    return total


def working_days(month: str) -> int:
    """Working days in a month given as ``YYYY-MM``."""
    return working_days_between(first_day(month), last_day(month))
