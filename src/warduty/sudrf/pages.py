"""What a sud_delo page is: results, a card, an act, or one of the states a court answers with instead.

Markers are phrases the module prints (see docs/parsers.md for the table). Phrases are looked up in the
raw HTML; structure (card headings, result tables) through the parsed tree, never through site chrome.
"""

from __future__ import annotations

import base64
import binascii
import enum
import re

from selectolax.lexbor import LexborHTMLParser

from warduty.sudrf.errors import PageFormatError
from warduty.sudrf.listing import find_result_table
from warduty.sudrf.markup import html_tree
from warduty.sudrf.records import Captcha


class PageState(enum.StrEnum):
    RESULTS = "results"
    EMPTY = "empty"
    CAPTCHA = "captcha"
    UNAVAILABLE = "unavailable"
    BLOCKED = "blocked"
    BAD_QUERY = "bad_query"
    MODULE_OFF = "module_off"
    SERVER_NOT_FOUND = "server_not_found"
    EMPTY_DOCUMENT = "empty_document"
    CARD = "card"
    DOCUMENT = "document"
    SEARCH_FORM = "search_form"
    UNKNOWN = "unknown"


# Checked in this order: the first state with a matching phrase wins.
_PHRASES: tuple[tuple[PageState, tuple[str, ...]], ...] = (
    (
        PageState.BLOCKED,
        (
            "заблокирован по соображениям безопасности",
            "Данный запрос некорректен, просьба изменить параметры запроса",
        ),
    ),
    (PageState.SERVER_NOT_FOUND, ("сервер СДП не найден",)),
    (PageState.MODULE_OFF, ("Данный модуль неактивен",)),
    (PageState.CAPTCHA, ("код с картинки", "Время жизни сессии закончилось")),
    (
        PageState.UNAVAILABLE,
        (
            "Информация временно недоступна",
            "Warning: pg_connect()",
            "информационное наполнение сайта",
            "429 Too Many Requests",
        ),
    ),
    (PageState.BAD_QUERY, ("НЕВЕРНЫЙ ФОРМАТ ЗАПРОСА", "ERROR LEVEL 2")),
    (PageState.EMPTY_DOCUMENT, ("ПУСТОЙ ДОКУМЕНТ",)),
)
_EMPTY_PHRASES = ("Данных по запросу не обнаружено", "Ничего не найдено")
_COUNTER_PHRASE = "Всего по запросу найдено"
_SEARCH_FIELD = re.compile(r"""name\s*=\s*["']?[a-z0-9_]*case__case_numberss""", re.IGNORECASE)
_CAPTCHA_INPUT = re.compile(r"""name\s*=\s*["']?captchaid\b""", re.IGNORECASE)
_CAPTCHA_ID = re.compile(r"""<input[^>]*name\s*=\s*["']?captchaid["']?[^>]*>""", re.IGNORECASE)
_VALUE = re.compile(r"""value\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)
# An act's print view names both of its elements: ``id="doccont"`` and ``id="content"``, in any case.
# Searched from the «=», a character the regex engine finds fast; whether ``id`` stands before it is checked
# at each «=» found (a case-blind pattern that starts at ``\bid`` is tried at every position of the page:
# 5.8 ms on a real print view, against 0.3).
_ID_VALUE = re.compile(r"""=\s*["']?(doccont|content)["'\s>]""", re.IGNORECASE)
_ID_NAME = re.compile(r"\bid", re.IGNORECASE)
_DATA_IMAGE = re.compile(r"data:\s*image/png;\s*base64,\s*([A-Za-z0-9+/=\s]+)", re.IGNORECASE)


def classify_page(html: str, likely: PageState | None = None) -> PageState:
    """The kind of page ``html`` is. Pure; never raises.

    ``likely`` is the page the caller asked for (a search asks for ``RESULTS``, an act's print view for
    ``DOCUMENT``): when the page's text bears that page's markers and no other page's, the state is
    settled without building a tree (a third of a crawler's CPU went to classifying pages); the parser
    that reads the page next still checks its structure and raises ``PageFormatError`` if it lacks it.
    """
    if not html.strip():
        return PageState.UNKNOWN
    for state, phrases in _PHRASES:
        if any(phrase in html for phrase in phrases):
            return state
    if likely in (PageState.RESULTS, PageState.DOCUMENT) and not _card_or_captcha(html):
        counter = _COUNTER_PHRASE in html
        empty = any(phrase in html for phrase in _EMPTY_PHRASES)
        if likely is PageState.RESULTS and counter != empty:
            return PageState.RESULTS if counter else PageState.EMPTY
        if likely is PageState.DOCUMENT and not counter and not empty and _document_ids(html):
            return PageState.DOCUMENT
    try:
        tree = html_tree(html)
    except PageFormatError:  # nested too deep to be a court page
        return PageState.UNKNOWN
    if is_card(tree):
        return PageState.CARD
    if _CAPTCHA_INPUT.search(html):
        return PageState.CAPTCHA
    if find_result_table(tree) is not None and _COUNTER_PHRASE in html:
        return PageState.RESULTS
    if any(phrase in html for phrase in _EMPTY_PHRASES):
        return PageState.EMPTY
    if tree.css_first("#doccont") is not None and tree.css_first("#content") is not None:
        return PageState.DOCUMENT
    if _SEARCH_FIELD.search(html):
        return PageState.SEARCH_FORM
    return PageState.UNKNOWN


def _card_or_captcha(html: str) -> bool:
    """Could the page be a card or bear a captcha? (a card's classes must appear in its text)"""
    if "casenumber" in html or "case-num" in html:
        return True
    return _names_ascii(html, b"captcha") and _CAPTCHA_INPUT.search(html) is not None


def _names_ascii(html: str, word: bytes) -> bool:
    """Does ``html`` hold ``word`` (lower-case ASCII letters) in any mix of cases? A guard in front of a
    case-blind regex: such a regex tries its pattern at every position of the page, a tenth of a
    millisecond on a replica page and two on a real one. Exact where ``re.IGNORECASE`` matches nothing but
    ASCII to the word's letters (true of all but i, k and s; tests/crawl/test_classify_likely.py checks
    every code point): UTF-8 keeps ASCII bytes as they are and writes every other character with bytes
    above 0x7F, which ``bytes.lower`` leaves alone."""
    return word in html.encode("utf-8", "surrogatepass").lower()


def _document_ids(html: str) -> bool:
    r"""Does the text name both elements of an act's print view, ``#doccont`` and ``#content``? That is,
    does ``\bid\s*=\s*["']?(doccont|content)["'\s>]`` (blind to case) find both names? Exact: such a
    match has one «=», so every «=» the value follows is looked at once, and the blanks before it are
    the ones ``\s*`` takes (``str.isspace`` is the regex's ``\s``)."""
    names = set()
    for found in _ID_VALUE.finditer(html):
        end = found.start()
        while end > 0 and html[end - 1].isspace():
            end -= 1
        if end >= 2 and _ID_NAME.fullmatch(html, end - 2, end):
            names.add(found.group(1).lower())
    return names == {"doccont", "content"}


def is_card(tree: LexborHTMLParser) -> bool:
    standard = tree.css_first("div.casenumber") is not None and tree.css_first("li#tab1") is not None
    vintage = tree.css_first("div.case-num") is not None and tree.css_first("#case_bookmarks") is not None
    return standard or vintage


def parse_captcha(html: str) -> Captcha:
    """The captcha id and PNG image of a captcha form; fields the page lacks are None."""
    captcha_id = None
    tag = _CAPTCHA_ID.search(html)
    if tag:
        value = _VALUE.search(tag.group(0))
        captcha_id = value.group(1) if value and value.group(1) else None
    image = None
    data = _DATA_IMAGE.search(html)
    if data:
        try:
            image = base64.b64decode("".join(data.group(1).split()), validate=True)
        except (binascii.Error, ValueError):
            image = None
    return Captcha(captcha_id=captcha_id, image=image)
