"""The alert record, as detected, stored, shown in the feed and sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

AlertKind = Literal[
    "record", "court_unavailable", "unrecognised_pages", "counter_mismatch", "asylum_data", "test"
]


@dataclass(frozen=True, slots=True)
class Alert:
    """One thing to tell. ``id`` is stable for the event (the same record month, the same streak of a
    court's unavailability, the same run's issues), so an event noticed again is not a new alert."""

    id: str
    kind: AlertKind
    title: str
    summary: str
    link: str  # the evidence: a dashboard or API path ("/cases?..."), or an absolute URL
    created_at: datetime
    run_id: int | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self, base_url: str = "") -> dict[str, Any]:
        """The alert as JSON (the webhook's body, ``warduty alerts --json``); ``link`` made absolute
        against ``base_url`` when it is a path and a base is known."""
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "summary": self.summary,
            "link": absolute_link(self.link, base_url),
            "run_id": self.run_id,
            "created_at": self.created_at.isoformat(),
            "details": self.details,
        }


def absolute_link(link: str, base_url: str) -> str:
    """``link`` joined to ``base_url`` when it is a path (``/cases?...``) and a base is set."""
    if base_url and link.startswith("/"):
        return base_url.rstrip("/") + link
    return link
