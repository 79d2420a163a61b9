"""Typed records the parsers return. Dates are ``datetime.date``; the string as printed sits beside each."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from datetime import date

from warduty.law import ArticleRef


class Engine(enum.StrEnum):
    """The two page engines of the sud_delo module."""

    STANDARD = "standard"
    VINTAGE = "vintage"


@dataclass(frozen=True, slots=True)
class ListingRow:
    """One row of a search result list."""

    case_number: str
    case_number_raw: str
    card_url: str
    case_id: str | None
    case_uid: str | None
    received: date | None
    received_raw: str
    info: str
    judge: str | None
    decided: date | None
    decided_raw: str
    result: str | None
    legal_force: date | None
    legal_force_raw: str
    act_urls: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Listing:
    """A page of search results with its counter («Всего по запросу найдено — N. … с F по L»)."""

    engine: Engine
    total: int
    first: int | None
    last: int | None
    rows: tuple[ListingRow, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CardEvent:
    """A row of ДВИЖЕНИЕ ДЕЛА (or СЛУШАНИЯ on cassation cards)."""

    name: str
    date: dt.date | None
    date_raw: str
    time: str | None
    place: str | None
    result: str | None
    reason: str | None
    note: str | None
    published: dt.date | None


@dataclass(frozen=True, slots=True)
class CardPerson:
    """A person the case is about (ЛИЦА): the articles charged and the outcome for that person."""

    name: str | None
    name_raw: str
    hidden: bool
    articles_raw: str
    articles: tuple[ArticleRef, ...]
    decided: date | None
    decided_raw: str
    result: str | None


@dataclass(frozen=True, slots=True)
class CardParty:
    """A participant (СТОРОНЫ / УЧАСТНИКИ): role as printed and name, or hidden."""

    role: str
    name: str | None
    name_raw: str
    hidden: bool


@dataclass(frozen=True, slots=True)
class CardAct:
    """A judicial act on a card: embedded text, a link to the ``name_op=doc`` print view, or both."""

    title: str
    text: str | None
    url: str | None


@dataclass(frozen=True, slots=True)
class LowerCourt:
    """РАССМОТРЕНИЕ В НИЖЕСТОЯЩЕМ СУДЕ on appeal and cassation cards."""

    court: str | None
    case_number: str | None
    region: str | None
    decided: date | None
    judge: str | None


@dataclass(frozen=True, slots=True)
class CaseCard:
    """A case card of either engine. ``fields`` keeps every ДЕЛО row as printed, label first."""

    engine: Engine
    docket: str | None
    case_number: str
    case_number_raw: str
    uid: str | None
    received: date | None
    received_raw: str
    category: str | None
    judge: str | None
    decided: date | None
    decided_raw: str
    result: str | None
    building: str | None
    fields: tuple[tuple[str, str], ...]
    events: tuple[CardEvent, ...]
    persons: tuple[CardPerson, ...]
    parties: tuple[CardParty, ...]
    acts: tuple[CardAct, ...]
    lower_court: LowerCourt | None
    tabs: tuple[str, ...]
    # Not understood: an unknown tab, field or column, a skipped row. The crawler reports these.
    warnings: tuple[str, ...] = ()
    # Understood and deliberately not read: a known tab (ЖАЛОБЫ, ИСПОЛНИТЕЛЬНЫЕ ЛИСТЫ, ...) or a known
    # column (ИНН, ОГРН, ...) that holds something. Said, so that nothing is dropped silently; not an alarm.
    unread: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """The text of a judicial act from a ``name_op=doc`` print view (``div#content``)."""

    text: str
    title: str | None
    card_url: str | None


@dataclass(frozen=True, slots=True)
class Captcha:
    """A captcha challenge: the hidden ``captchaid`` and the inline PNG, when the page carries them."""

    captcha_id: str | None
    image: bytes | None = field(default=None, repr=False)
