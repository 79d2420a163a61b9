"""Months as ``YYYY-MM`` labels: parsing, ranges, first and last days, shifts: the one month arithmetic
(the court statistics, the asylum series and the calendar all use it)."""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date
from typing import Literal

Lang = Literal["en", "ru"]

EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
RU_MONTHS = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip
RU_MONTHS_IN = (
    "январе", "феврале", "марте", "апреле", "мае", "июне",
    "июле", "августе", "сентябре", "октябре", "ноябре", "декабре",
)  # fmt: skip
RU_MONTHS_OF = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
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


def month_index(month: str) -> int:
    """Months since January of year 0: consecutive months have consecutive indexes."""
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def month_at(index: int) -> str:
    """The month of a :func:`month_index`."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def shift(month: str, months: int) -> str:
    """The month ``months`` after ``month`` (before it when negative)."""
    return month_at(month_index(month) + months)


def briefing_month(as_of: date) -> str:
    """The newest month that has ended by ``as_of`` (the month a briefing as of that day is about)."""
    return month_of(as_of) if last_day(month_of(as_of)) == as_of else shift(month_of(as_of), -1)


def months_between(first: str, last: str) -> int:
    """How many months ``last`` comes after ``first`` (negative when earlier)."""
    return month_index(last) - month_index(first)


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last``, both included (empty when ``last`` is earlier)."""
    months: list[str] = []
    current = first
    while current <= last:
        months.append(current)
        current = shift(current, 1)
    return months


def month_name(month: str, lang: Lang = "en") -> str:
    """``2024-03`` -> ``March 2024`` / ``март 2024``."""
    names = EN_MONTHS if lang == "en" else RU_MONTHS
    return f"{names[int(month[5:7]) - 1]} {month[:4]}"


def in_month(month: str, lang: Lang = "en") -> str:
    """``in March 2024`` / ``в марте 2024``."""
    if lang == "en":
        return f"in {month_name(month)}"
    return f"в {RU_MONTHS_IN[int(month[5:7]) - 1]} {month[:4]}"


def since_month(month: str, lang: Lang = "en") -> str:
    """The month after "since": ``March 2024`` / ``марта 2024`` (genitive)."""
    if lang == "en":
        return month_name(month)
    return f"{RU_MONTHS_OF[int(month[5:7]) - 1]} {month[:4]}"
