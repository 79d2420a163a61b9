"""Alerts after a run: what is worth telling a newsroom (a record month, a court gone dark, a site whose
pages changed, counters that do not add up, new asylum data), detected from the database, stored once,
and delivered to the Atom feed, a signed webhook and e-mail."""

from __future__ import annotations

from warduty.alerts.model import Alert, AlertKind

__all__ = ["Alert", "AlertKind"]
