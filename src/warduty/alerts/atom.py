"""The Atom feed (RFC 4287) of the stored alerts: ``/feed.xml``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import quote
from xml.etree import ElementTree as ET

from warduty.alerts.model import Alert, absolute_link

ATOM = "http://www.w3.org/2005/Atom"
FEED_ID = "tag:warduty,2026:alerts"
FEED_TITLE = "warduty alerts"
# Characters XML 1.0 does not allow at all (escaping cannot save them): dropped from every text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def entry_id(alert: Alert) -> str:
    """The entry's permanent IRI, from the alert's stable id."""
    return f"{FEED_ID}:{quote(alert.id, safe='')}"


def atom_feed(alerts: Sequence[Alert], base_url: str, *, now: datetime | None = None) -> bytes:
    """The feed document for ``alerts`` (newest first); ``base_url``: the site's address, for absolute
    links (``http://host:8000``)."""
    base = base_url.rstrip("/")
    feed = ET.Element("feed", xmlns=ATOM)
    _text(feed, "id", FEED_ID)
    _text(feed, "title", FEED_TITLE)
    _text(
        feed,
        "subtitle",
        "Record months, courts gone dark, changed sites, counters that do not add up, new asylum data",
    )
    newest = max((a.created_at for a in alerts), default=now or datetime.now(UTC))
    _text(feed, "updated", _stamp(newest))
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=f"{base}/feed.xml")
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=f"{base}/")
    author = ET.SubElement(feed, "author")
    _text(author, "name", "warduty")
    ET.SubElement(feed, "generator").text = "warduty"
    for alert in alerts:
        entry = ET.SubElement(feed, "entry")
        _text(entry, "id", entry_id(alert))
        _text(entry, "title", alert.title)
        _text(entry, "updated", _stamp(alert.created_at))
        _text(entry, "published", _stamp(alert.created_at))
        ET.SubElement(entry, "link", rel="alternate", href=_clean(absolute_link(alert.link, base)))
        ET.SubElement(entry, "category", term=alert.kind)
        _text(entry, "summary", alert.summary)
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, tag).text = _clean(text)


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _stamp(moment: datetime) -> str:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
