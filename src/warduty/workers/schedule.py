"""The schedule's entries, read from the settings' text: when each periodic job runs, as a cron line.

Times are Moscow time (UTC+3 all year since 2014). Every entry fires daily at its time (the cron line is
in UTC, as procrastinate reads cron lines) and a date rule on the Moscow date says whether it works
that day: any day (the crawl), one weekday (the re-check), the Nth working day of the month (the
briefing), one day of the month (the asylum fetch). ``cron: <five fields>`` is a plain cron line in UTC
that works whenever it fires (for tests and special needs). Pure: no clock, no database.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

MOSCOW = timezone(timedelta(hours=3), "MSK")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# job name -> (what it does, the form its setting takes, an example)
JOBS: dict[str, tuple[str, str, str]] = {
    "crawl": ("daily incremental crawl (listings of the recent windows)", "HH:MM", "06:00"),
    "recheck": ("weekly re-check of every listing since 2021", "DAY HH:MM", "sun 03:00"),
    "briefing": ("briefing on the previous month, on the Nth working day", "N HH:MM", "3 09:00"),
    "asylum": ("asylum statistics fetch, monthly on a day of the month", "D HH:MM", "15 04:00"),
}

_TIME = r"(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)"
_FORMS = {
    "crawl": re.compile(rf"^{_TIME}$"),
    "recheck": re.compile(rf"^(?P<day>{'|'.join(WEEKDAYS)})\s+{_TIME}$", re.IGNORECASE),
    "briefing": re.compile(rf"^(?P<day>[1-9]|1\d|2[0-3])\s+{_TIME}$"),
    "asylum": re.compile(rf"^(?P<day>[1-9]|[12]\d|3[01])\s+{_TIME}$"),
}
_CRON = re.compile(r"^cron:\s*(?P<line>\S+(?:\s+\S+){4})$")
_CRON_FIELD = re.compile(r"^[\d*/,\-]+$")


class ScheduleError(ValueError):
    """A schedule setting that cannot be read; the message shows the form it takes."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One scheduled job: its cron line (UTC) and the rule on the Moscow date of each firing."""

    job: str
    text: str  # as the settings say it
    cron: str
    works_on: Callable[[date], bool]

    def describe(self) -> str:
        return f"{JOBS[self.job][0]}: {self.text}" + ("" if self.text.startswith("cron:") else " Moscow time")


def parse_entry(job: str, text: str) -> Entry:
    """The entry of ``job`` (a key of :data:`JOBS`) from its setting's text; :class:`ScheduleError`."""
    if job not in JOBS:
        raise ScheduleError(f"no scheduled job {job!r} (known: {', '.join(JOBS)})")
    cleaned = " ".join(text.split())
    cron = _CRON.match(cleaned)
    if cron is not None:
        fields = cron["line"].split()
        if not all(_CRON_FIELD.match(f) for f in fields):
            raise ScheduleError(f"schedule {job}: {text!r} is not a cron line like 'cron: */5 * * * *'")
        return Entry(job, cleaned, cron["line"], lambda _day: True)
    found = _FORMS[job].match(cleaned)
    if found is None:
        _what, form, example = JOBS[job]
        raise ScheduleError(
            f"schedule {job} must be {form!r} (Moscow time), e.g. {example!r}, or 'cron: <5 fields>' "
            f"(UTC), not {text!r}"
        )
    hour, minute = int(found["hour"]), int(found["minute"])
    utc_hour = (hour - 3) % 24  # Moscow is UTC+3; the date rule reads the Moscow date, so no day shift
    line = f"{minute} {utc_hour} * * *"
    rule: Callable[[date], bool]
    if job == "recheck":
        weekday = WEEKDAYS.index(found["day"].lower())
        rule = lambda day: day.weekday() == weekday  # noqa: E731
    elif job == "briefing":
        nth = int(found["day"])
        rule = lambda day: is_nth_working_day(day, nth)  # noqa: E731
    elif job == "asylum":
        day_of_month = int(found["day"])
        rule = lambda day: day.day == min(day_of_month, _last_day(day))  # noqa: E731
    else:
        rule = lambda _day: True  # noqa: E731
    return Entry(job, cleaned, line, rule)


def is_nth_working_day(day: date, nth: int) -> bool:
    """``day`` is the ``nth`` working day of its month, by the Russian production calendar (holidays and
    moved days), or Monday to Friday for years the calendar does not cover."""
    from warduty.stats.calendar import CalendarRangeError, is_working_day, working_days_between
    from warduty.stats.months import first_day, month_of

    try:
        return is_working_day(day) and working_days_between(first_day(month_of(day)), day) == nth
    except CalendarRangeError:
        if day.weekday() >= 5:
            return False
        return sum(1 for d in range(1, day.day + 1) if date(day.year, day.month, d).weekday() < 5) == nth


def moscow_day(moment: datetime) -> date:
    return moment.astimezone(MOSCOW).date()


def next_firings(entry: Entry, after: datetime, count: int = 1, horizon_days: int = 400) -> list[datetime]:
    """The next ``count`` moments (UTC) after ``after`` at which ``entry`` works."""
    from croniter import croniter  # procrastinate's own cron reader

    found: list[datetime] = []
    cron = croniter(entry.cron, after.astimezone(UTC).replace(tzinfo=None))
    limit = after + timedelta(days=horizon_days)
    while len(found) < count:
        moment = cron.get_next(datetime).replace(tzinfo=UTC)
        if moment > limit:
            break
        if entry.works_on(moscow_day(moment)):
            found.append(moment)
    return found


def _last_day(day: date) -> int:
    from warduty.stats.months import last_day, month_of

    return last_day(month_of(day)).day
