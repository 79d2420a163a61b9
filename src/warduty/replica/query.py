"""Read sudrf ``modules.php`` query strings the way the court sites do.

Values arrive percent-encoded in windows-1251 (``337+%F7.5`` is «337 ч.5»). Parameter names are
matched case-insensitively (the live sites accept both ``U1_CASE__…`` and ``u1_case__…``) and the last of
repeated names wins, as in PHP. Anything the sites would not understand raises :class:`QueryError`; the
server answers it with the silent «Данных по запросу не обнаружено» page, exactly like an empty result.

Two engines share one module: the standard engine (``delo_id``, ``u1_case__…``, ``page``) and the
vintage engine (``_deloId``, ``case__…``, ``parts__…``, ``_page``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal
from urllib.parse import quote_from_bytes, unquote_to_bytes

Engine = Literal["standard", "vintage"]

CRIMINAL_FIRST_INSTANCE = "1540006"  # delo_id of the criminal first-instance docket
SUBMIT_VALUE = "Найти"


class QueryError(ValueError):
    """A query the site cannot answer; ``reason`` says why (for logs and stats, never shown)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """«337», «337 ч.5» or «337 ч.5 п.а»: a case matches if one defendant's articles contain it."""

    article: str
    part: str | None = None
    point: str | None = None


@dataclass(frozen=True, slots=True)
class DateRange:
    """Inclusive bounds from ``…1D`` / ``…2D``; an open bound is None."""

    start: date | None = None
    end: date | None = None

    @property
    def open(self) -> bool:
        return self.start is None and self.end is None

    def contains(self, day: date | None) -> bool:
        if self.open:
            return True
        if day is None:
            return False
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class SearchCriteria:
    article: ArticleFilter | None = None
    received: DateRange = field(default_factory=DateRange)
    decided: DateRange = field(default_factory=DateRange)
    published: DateRange = field(default_factory=DateRange)


@dataclass(frozen=True, slots=True)
class SearchRequest:
    engine: Engine
    criteria: SearchCriteria
    page: int
    captcha: str | None
    captcha_id: str | None
    link_params: tuple[tuple[str, str], ...]  # the query without the page, for pagination links


@dataclass(frozen=True, slots=True)
class SearchFormRequest:
    engine: Engine


@dataclass(frozen=True, slots=True)
class CardRequest:
    engine: Engine
    site_id: int
    site_uid: str | None


@dataclass(frozen=True, slots=True)
class DocRequest:
    doc_id: int
    text_number: int


ModulesRequest = SearchRequest | SearchFormRequest | CardRequest | DocRequest

_DATE = re.compile(r"^\s*(\d{2})\.(\d{2})\.(\d{4})\s*$")
_ARTICLE = re.compile(
    r"^\s*(?:ст\.?\s*)?(\d{1,3}(?:\.\d{1,2})?)"
    r"(?:\s*ч\.?\s*(\d{1,2}(?:\.\d)?))?"
    r"(?:\s*п\.?\s*[«\"]?([а-яё]|\d{1,2})[»\"]?)?\s*$",
    re.IGNORECASE,
)


def query_pairs(query: str | bytes) -> list[tuple[str, str]]:
    """Decode a windows-1251 percent-encoded query into (name, value) pairs, names as sent.

    Raises ``QueryError`` for bytes that are not windows-1251 (0x98 is the one undefined byte).
    """
    raw = query.encode("utf-8") if isinstance(query, str) else query
    pairs: list[tuple[str, str]] = []
    for pair in raw.split(b"&"):
        if not pair:
            continue
        name_raw, _, value_raw = pair.partition(b"=")
        if b"%" in pair or b"+" in pair:  # most parameters hold neither and are their own bytes
            name_raw = unquote_to_bytes(name_raw.replace(b"+", b" "))
            value_raw = unquote_to_bytes(value_raw.replace(b"+", b" "))
        try:
            name = name_raw.decode("cp1251")
            value = value_raw.decode("cp1251")
        except UnicodeDecodeError as exc:
            raise QueryError(f"parameter is not windows-1251: {pair!r}") from exc
        pairs.append((name.strip(), value))
    return pairs


def lookup_params(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Names lower-cased, the last repeat wins (PHP semantics)."""
    return {name.lower(): value for name, value in pairs}


def parse_query_string(query: str | bytes) -> dict[str, str]:
    """:func:`query_pairs` as a lookup: names lower-cased, the last repeat wins."""
    return lookup_params(query_pairs(query))


def encode_query(params: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> str:
    """The inverse of :func:`parse_query_string`: windows-1251 percent-encoding, spaces as ``+``."""
    parts = []
    for name, value in params:
        encoded = quote_from_bytes(value.encode("cp1251", "strict"), safe=".-_~ /").replace(" ", "+")
        parts.append(f"{name}={encoded}")
    return "&".join(parts)


def parse_date(value: str, name: str) -> date | None:
    """``dd.mm.yyyy`` or empty; anything else raises ``QueryError``."""
    if not value.strip():
        return None
    match = _DATE.match(value)
    if match is None:
        raise QueryError(f"{name}={value!r} is not a dd.mm.yyyy date")
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise QueryError(f"{name}={value!r} is not a calendar date") from None


def parse_article(value: str) -> ArticleFilter | None:
    """«337», «337 ч.5», «ст.337 ч.5 п.а» or empty; anything else raises ``QueryError``."""
    if not value.strip():
        return None
    match = _ARTICLE.match(value)
    if match is None:
        raise QueryError(f"article filter {value!r} is not «N», «N ч.P» or «N ч.P п.X»")
    article, part, point = match.groups()
    return ArticleFilter(article=article, part=part, point=point.lower() if point else None)


def _parse_int(value: str, name: str, *, minimum: int) -> int:
    text = value.strip()
    if not text.isdigit() or int(text) < minimum:
        raise QueryError(f"{name}={value!r} is not an integer >= {minimum}")
    return int(text)


def _expect(params: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> None:
    value = params.get(name, "").strip()
    if value not in allowed:
        raise QueryError(f"{name}={value!r} is not one of {allowed}")


def _date_range(params: Mapping[str, str], prefix: str) -> DateRange:
    start = parse_date(params.get(f"{prefix}1d", ""), f"{prefix}1d")
    end = parse_date(params.get(f"{prefix}2d", ""), f"{prefix}2d")
    return DateRange(start, end)


def _captcha(params: Mapping[str, str]) -> tuple[str | None, str | None]:
    return (params.get("captcha", "").strip() or None, params.get("captchaid", "").strip() or None)


def _link_params(pairs: Sequence[tuple[str, str]], page_name: str) -> tuple[tuple[str, str], ...]:
    kept: dict[str, tuple[str, str]] = {}
    for name, value in pairs:
        if name.lower() != page_name:
            kept[name.lower()] = (name, value)
    return tuple(kept.values())


def _standard_request(pairs: Sequence[tuple[str, str]]) -> ModulesRequest:
    params = lookup_params(pairs)
    op = params.get("name_op", "")
    if op == "sf":
        return SearchFormRequest("standard")
    _expect(params, "delo_id", (CRIMINAL_FIRST_INSTANCE,))
    if op == "case":
        uid = params.get("case_uid", "").strip() or None
        return CardRequest("standard", _parse_int(params.get("case_id", ""), "case_id", minimum=1), uid)
    if op == "doc":
        number = _parse_int(params.get("number", ""), "number", minimum=1)
        text_number = _parse_int(params.get("text_number", "1") or "1", "text_number", minimum=0)
        return DocRequest(number, text_number)
    if op != "r":
        raise QueryError(f"name_op={op!r} is not served")
    _expect(params, "new", ("", "0"))
    _expect(params, "case_type", ("", "0"))
    _expect(params, "delo_table", ("", "u1_case"))
    if "submit" not in params:
        return SearchFormRequest("standard")
    criteria = SearchCriteria(
        article=parse_article(params.get("u1_defendant__law_articless", "")),
        received=_date_range(params, "u1_case__entry_date"),
        decided=_date_range(params, "u1_case__result_date"),
        published=_date_range(params, "u1_document__publ_date"),
    )
    page = _parse_int(params.get("page", "1") or "1", "page", minimum=1)
    captcha, captcha_id = _captcha(params)
    return SearchRequest("standard", criteria, page, captcha, captcha_id, _link_params(pairs, "page"))


def _vintage_request(pairs: Sequence[tuple[str, str]], court_code: str) -> ModulesRequest:
    params = lookup_params(pairs)
    op = params.get("name_op", "")
    if op == "sf":
        return SearchFormRequest("vintage")
    if op == "doc":
        _expect(params, "delo_id", (CRIMINAL_FIRST_INSTANCE,))
        number = _parse_int(params.get("number", ""), "number", minimum=1)
        text_number = _parse_int(params.get("text_number", "1") or "1", "text_number", minimum=0)
        return DocRequest(number, text_number)
    _expect(params, "_deloid", (CRIMINAL_FIRST_INSTANCE,))
    if op == "case":
        _expect(params, "_casetype", ("", "0"))
        uid = params.get("_uid", "").strip() or None
        return CardRequest("vintage", _parse_int(params.get("_id", ""), "_id", minimum=1), uid)
    if op != "r":
        raise QueryError(f"name_op={op!r} is not served")
    _expect(params, "_new", ("", "0"))
    _expect(params, "case__case_type", ("", "0"))
    vnkod = params.get("case__vnkod", "").strip()
    if not vnkod:
        return SearchFormRequest("vintage")  # an empty vnkod returns the form (AS reports)
    if vnkod.upper() != court_code.upper():
        raise QueryError(f"case__vnkod={vnkod!r} is another court")
    criteria = SearchCriteria(
        article=parse_article(params.get("parts__law_articless", "")),
        received=_date_range(params, "case__entry_date"),
        decided=_date_range(params, "case__result_date"),
        published=_date_range(params, "document__publ_date"),
    )
    page = _parse_int(params.get("_page", "1") or "1", "_page", minimum=1)
    captcha, captcha_id = _captcha(params)
    return SearchRequest("vintage", criteria, page, captcha, captcha_id, _link_params(pairs, "_page"))


def parse_modules_request(
    pairs: Sequence[tuple[str, str]], engine: Engine, court_code: str
) -> ModulesRequest:
    """What a ``/modules.php`` query (from :func:`query_pairs`) asks a court of ``engine`` for.

    Raises ``QueryError`` for what the site would answer with its silent empty page.
    """
    name = lookup_params(pairs).get("name", "")
    if name != "sud_delo":
        raise QueryError(f"name={name!r} is not sud_delo")
    if engine == "vintage":
        return _vintage_request(pairs, court_code)
    return _standard_request(pairs)
