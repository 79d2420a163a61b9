"""Parsers for sudrf.ru ``sud_delo`` pages: page states, listings, case cards, act texts, verdict facts.

Pure functions over text; no I/O. Decode bytes with ``decode_page`` first.
"""

from warduty.sudrf.card import parse_card
from warduty.sudrf.dispatch import ParsedPage, card_to_dict, listing_to_dict, page_to_dict, parse_page
from warduty.sudrf.document import parse_document
from warduty.sudrf.encoding import decode_page
from warduty.sudrf.errors import PageFormatError
from warduty.sudrf.listing import parse_listing
from warduty.sudrf.pages import PageState, classify_page, parse_captcha
from warduty.sudrf.records import (
    Captcha,
    CardAct,
    CardEvent,
    CardParty,
    CardPerson,
    CaseCard,
    Document,
    Engine,
    Listing,
    ListingRow,
    LowerCourt,
)
from warduty.sudrf.verdict import VerdictFacts, extract_verdict

__all__ = [
    "Captcha",
    "CardAct",
    "CardEvent",
    "CardParty",
    "CardPerson",
    "CaseCard",
    "Document",
    "Engine",
    "Listing",
    "ListingRow",
    "LowerCourt",
    "PageFormatError",
    "PageState",
    "ParsedPage",
    "VerdictFacts",
    "card_to_dict",
    "classify_page",
    "decode_page",
    "extract_verdict",
    "listing_to_dict",
    "page_to_dict",
    "parse_captcha",
    "parse_card",
    "parse_document",
    "parse_listing",
    "parse_page",
]
