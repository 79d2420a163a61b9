"""Records of the replica's synthetic case population: what the court sites know about each case.

The population (``population.py``) builds these; the server (``server.py``) renders them as sudrf pages;
``truth`` writes what the sites show at an ``as_of`` date. Every date that decides visibility lives here,
so "what does the site show on day D" has one answer, in :func:`visible_cases`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from warduty.law import ArticleRef


class LazyText:
    """A text written when it is first read, then kept. ``write`` must give the same text on any call.

    The population writes an act text (5-60 KB) for each of its ~16,000 acts; a crawl of the watched
    articles reads a fifth of them, so the rest need not be written at all."""

    __slots__ = ("_text", "_write")

    def __init__(self, write: Callable[[], str]) -> None:
        self._write = write
        self._text: str | None = None

    def __str__(self) -> str:
        if self._text is None:
            self._text = self._write()
        return self._text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LazyText) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __repr__(self) -> str:
        return f"LazyText({'unwritten' if self._text is None else repr(self._text[:40])})"


@dataclass(frozen=True, slots=True)
class ReplicaAct:
    """A judicial act (verdict or ruling) with its anonymised text, as served by ``name_op=doc``."""

    doc_id: int  # the ``number=`` parameter of the doc URL
    kind: str  # "Приговор", "Постановление", ...
    act_date: date
    published: date | None  # None: never published (the text stays hidden)
    source: str | LazyText  # the text, or how to write it when first read

    @property
    def text(self) -> str:
        return self.source if isinstance(self.source, str) else str(self.source)


@dataclass(frozen=True, slots=True)
class ReplicaEvent:
    """One row of the ДВИЖЕНИЕ ДЕЛА tab."""

    name: str
    day: date
    time: str | None  # "10:00" or None
    place: str | None
    result: str | None
    basis: str | None
    posted: date  # the row appears on the site from this day


@dataclass(frozen=True, slots=True)
class Punishment:
    """Ground truth of a sentence, for evaluating the verdict-text extractor and sentence shares."""

    kind: str  # "suspended", "real", "disciplinary_unit", "restriction_of_service", "fine"
    term_months: int | None = None
    probation_months: int | None = None
    regime: str | None = None  # "общего", "строгого", "колонии-поселении"


@dataclass(frozen=True, slots=True)
class ReplicaPerson:
    """A defendant (ЛИЦА tab) with the articles as printed and the per-person outcome."""

    position: int
    name: str  # full name as the card prints it, or "Информация скрыта"
    articles_raw: str  # e.g. "ст.337 ч.5 УК РФ"
    articles: tuple[ArticleRef, ...]
    decided: date | None
    result: str | None  # e.g. "Вынесен ПРИГОВОР", "Уголовное дело ПРЕКРАЩЕНО"
    punishment: Punishment | None = None
    mobilised: bool = False
    service: str | None = None  # "mobilised", "contract", "conscript"
    absence_start: date | None = None
    absence_end: date | None = None

    @property
    def hidden(self) -> bool:
        return self.name == "Информация скрыта"


@dataclass(frozen=True, slots=True)
class ReplicaCase:
    """A first-instance criminal case at one military court."""

    court_code: str
    case_number: str  # as printed, e.g. "1-17/2024"
    uid: str  # national UID, e.g. "78GV0001-01-2024-000123-45"
    site_id: int  # the site's ``case_id`` / ``_id``
    site_uid: str  # the site's ``case_uid`` / ``_uid`` (a GUID)
    received: date
    judge: str
    category: str
    decided: date | None
    result: str | None  # case-level "Результат рассмотрения"
    legal_force: date | None
    posted: date  # the card appears on the site from this day
    removed: date | None  # the card disappears from the site on this day (None: never)
    persons: tuple[ReplicaPerson, ...]
    events: tuple[ReplicaEvent, ...]
    acts: tuple[ReplicaAct, ...] = field(default=())

    @property
    def article_numbers(self) -> frozenset[str]:
        return frozenset(ref.article for person in self.persons for ref in person.articles)

    def visible_on(self, as_of: date) -> bool:
        return self.posted <= as_of and (self.removed is None or as_of < self.removed)


def visible_cases(cases: Iterable[ReplicaCase], as_of: date) -> Iterator[ReplicaCase]:
    """The cases a court site shows on ``as_of``."""
    return (case for case in cases if case.visible_on(as_of))


def visible_events(case: ReplicaCase, as_of: date) -> tuple[ReplicaEvent, ...]:
    return tuple(event for event in case.events if event.posted <= as_of)


def visible_acts(case: ReplicaCase, as_of: date) -> tuple[ReplicaAct, ...]:
    return tuple(act for act in case.acts if act.published is not None and act.published <= as_of)


def decided_as_of(case: ReplicaCase, as_of: date) -> bool:
    """Whether the site shows the case as decided on ``as_of`` (the decision is posted with its event)."""
    return decision_shown(case, visible_events(case, as_of))


def decision_shown(case: ReplicaCase, shown_events: tuple[ReplicaEvent, ...]) -> bool:
    """:func:`decided_as_of`, given the events the site shows that day (``visible_events``)."""
    decided = case.decided
    return decided is not None and any(event.day == decided for event in shown_events)
