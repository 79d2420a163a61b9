"""Months as ``YYYY-MM`` labels: parsing, ranges, first and last days."""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class MonthError(ValueError):
    """Not a month label of the form YYYY-MM."""


def parse_month(text: str) -> str:
    """Check and return a ``YYYY-MM`` label."""
    match = _MONTH.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise MonthError(f"{text!r} is not a month (YYYY-MM)")
    return f"{match.group(1)}-{match.group(2)}"


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def first_day(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


def last_day(month: str) -> date:
    year, number = int(month[:4]), int(month[5:7])
    return date(year, number, monthrange(year, number)[1])


def _index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def shift(month: str, months: int) -> str:
    index = _index(month) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_between(first: str, last: str) -> int:
    """How many months ``last`` comes after ``first`` (negative when earlier)."""
    return _index(last) - _index(first)


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last``, both included (empty when ``last`` is earlier)."""
    months: list[str] = []
    current = first
    while current <= last:
        months.append(current)
        current = shift(current, 1)
    return months
