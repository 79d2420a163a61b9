"""What a crawl asks for: searches per court x article x receipt-date window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True, order=True)
class Window:
    """An inclusive range of receipt dates."""

    start: date
    end: date

    def split(self) -> tuple[Window, Window] | None:
        """Two halves, or None for a single day (which cannot be split further)."""
        if self.start >= self.end:
            return None
        middle = self.start + (self.end - self.start) // 2
        return Window(self.start, middle), Window(middle + timedelta(days=1), self.end)

    def overlaps(self, start: date, end: date) -> bool:
        return self.start <= end and start <= self.end

    def to_payload(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}

    @classmethod
    def from_payload(cls, payload: dict[str, object]) -> Window:
        return cls(date.fromisoformat(str(payload["from"])), date.fromisoformat(str(payload["to"])))


def year_windows(since: date, until: date) -> list[Window]:
    """Calendar-year windows covering [since, until]; the first and last are clipped."""
    if since > until:
        raise ValueError(f"since {since} is after until {until}")
    windows = []
    for year in range(since.year, until.year + 1):
        windows.append(Window(max(since, date(year, 1, 1)), min(until, date(year, 12, 31))))
    return windows
