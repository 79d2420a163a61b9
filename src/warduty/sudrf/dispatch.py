"""Detect a page's kind and parse it; and the JSON shape ``warduty parse`` prints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from warduty.sudrf.card import parse_card
from warduty.sudrf.document import parse_document
from warduty.sudrf.listing import parse_listing
from warduty.sudrf.pages import PageState, classify_page, parse_captcha
from warduty.sudrf.records import Captcha, CaseCard, Document, Listing
from warduty.sudrf.verdict import VerdictFacts, extract_verdict


@dataclass(frozen=True, slots=True)
class ParsedPage:
    """A classified page with the record of its kind (card, listing, document) or the captcha it asks for."""

    state: PageState
    card: CaseCard | None = None
    listing: Listing | None = None
    document: Document | None = None
    verdict: VerdictFacts | None = None
    captcha: Captcha | None = None


def parse_page(html: str, base_url: str | None = None) -> ParsedPage:
    """Classify ``html`` and parse it. Raises ``PageFormatError`` when a card, listing or act is broken."""
    return parse_as(classify_page(html), html, base_url)


def parse_as(state: PageState, html: str, base_url: str | None = None) -> ParsedPage:
    """Parse ``html`` as a page already classified as ``state`` (the crawler knows what it asked for).
    Raises ``PageFormatError`` when a card, listing or act is broken."""
    if state is PageState.CARD:
        return ParsedPage(state, card=parse_card(html))
    if state is PageState.RESULTS:
        return ParsedPage(state, listing=parse_listing(html, base_url))
    if state is PageState.DOCUMENT:
        document = parse_document(html)
        return ParsedPage(state, document=document, verdict=extract_verdict(document.text))
    if state is PageState.CAPTCHA:
        return ParsedPage(state, captcha=parse_captcha(html))
    return ParsedPage(state)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def card_to_dict(card: CaseCard) -> dict[str, object]:
    return {
        "kind": "card",
        "engine": card.engine.value,
        "docket": card.docket,
        "case_number": card.case_number,
        "case_number_raw": card.case_number_raw,
        "uid": card.uid,
        "received": _iso(card.received),
        "category": card.category,
        "judge": card.judge,
        "decided": _iso(card.decided),
        "result": card.result,
        "building": card.building,
        "lower_court": None
        if card.lower_court is None
        else {
            "court": card.lower_court.court,
            "case_number": card.lower_court.case_number,
            "region": card.lower_court.region,
            "decided": _iso(card.lower_court.decided),
            "judge": card.lower_court.judge,
        },
        "events": [
            {"name": e.name, "date": _iso(e.date), "time": e.time, "result": e.result, "reason": e.reason}
            for e in card.events
        ],
        "persons": [
            {
                "name": p.name,
                "hidden": p.hidden,
                "articles_raw": p.articles_raw,
                "articles": [{"article": a.article, "part": a.part, "point": a.point} for a in p.articles],
                "decided": _iso(p.decided),
                "result": p.result,
            }
            for p in card.persons
        ],
        "parties": [{"role": p.role, "name": p.name, "hidden": p.hidden} for p in card.parties],
        "acts": [{"title": a.title, "url": a.url, "text": a.text} for a in card.acts],
        "warnings": list(card.warnings),
        "unread": list(card.unread),
    }


def listing_to_dict(listing: Listing) -> dict[str, object]:
    return {
        "kind": "listing",
        "engine": listing.engine.value,
        "total": listing.total,
        "first": listing.first,
        "last": listing.last,
        "rows": [
            {
                "case_number": r.case_number,
                "card_url": r.card_url,
                "case_id": r.case_id,
                "case_uid": r.case_uid,
                "received": _iso(r.received),
                "info": r.info,
                "judge": r.judge,
                "decided": _iso(r.decided),
                "result": r.result,
                "legal_force": _iso(r.legal_force),
                "act_urls": list(r.act_urls),
            }
            for r in listing.rows
        ],
        "warnings": list(listing.warnings),
    }


def page_to_dict(page: ParsedPage) -> dict[str, object]:
    """The JSON object ``warduty parse`` prints for a page."""
    if page.card is not None:
        return card_to_dict(page.card)
    if page.listing is not None:
        return listing_to_dict(page.listing)
    if page.document is not None:
        return {
            "kind": "document",
            "title": page.document.title,
            "card_url": page.document.card_url,
            "text": page.document.text,
            "verdict": page.verdict.to_dict() if page.verdict else None,
        }
    result: dict[str, object] = {"kind": "state", "state": page.state.value}
    if page.captcha is not None:
        result["captcha_id"] = page.captcha.captcha_id
        result["captcha_image_bytes"] = len(page.captcha.image) if page.captcha.image else None
    return result
