"""Facts from the text of a judicial act: its kind, each defendant's final sentence, and the absence.

The punishment is read only from a verdict's operative part (after «приговорил»), one conviction
clause per defendant (``act_parts``), its final sentence after ст. 69/70 combinations (``sentence``);
the articles from the conviction clause itself (``conviction_articles``); service and absence facts
from the narrative (``service``). The top-level facts are those of the sole defendant; with several
defendants they are ``None`` and each defendant's sit in ``defendants``. ``VerdictFacts.to_dict`` is the
one JSON shape: ``warduty verdict --json``, the crawler's stored ``verdict`` and ``warduty parse`` print it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from warduty.law import ArticleRef
from warduty.sudrf import service
from warduty.sudrf.act_parts import (
    Clause,
    defendant_clauses,
    heading_kind,
    name_key,
    name_word,
    normalise,
    operative_part,
)
from warduty.sudrf.conviction_articles import conviction_articles
from warduty.sudrf.sentence import NO_SENTENCE, Sentence, read_sentence

_SHARED_DESCRIPTION = 40  # a defendant's part of the introduction shorter than this describes no one
_INTRO_END = re.compile(r"у\s?с\s?т\s?а\s?н\s?о\s?в\s?и\s?л\s?[аи]?\s*:?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DefendantFacts:
    """One defendant's conviction: name as written (or redacted) in the act, articles, final sentence."""

    name: str | None
    articles: tuple[ArticleRef, ...]
    punishment: str | None
    term_months: int | None
    probation_months: int | None
    colony_regime: str | None
    deduction_percent: int | None
    fine_rubles: int | None
    amnesty: bool
    mobilised: bool | None
    contract: bool | None
    conscript: bool | None
    absence_start: date | None = None
    absence_end: date | None = None
    absence_days: int | None = None
    voluntary_return: bool | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "articles": [{"article": a.article, "part": a.part, "point": a.point} for a in self.articles],
            **_facts_dict(self),
        }


@dataclass(frozen=True, slots=True)
class VerdictFacts:
    """What an act's text says. ``None`` means the text does not say (or was not read with confidence)."""

    is_verdict: bool
    act_kind: str | None
    defendants: tuple[DefendantFacts, ...]
    punishment: str | None
    term_months: int | None
    probation_months: int | None
    colony_regime: str | None
    deduction_percent: int | None
    fine_rubles: int | None
    amnesty: bool | None
    mobilised: bool | None
    contract: bool | None
    conscript: bool | None
    absence_start: date | None
    absence_end: date | None
    absence_days: int | None
    voluntary_return: bool | None

    def to_dict(self) -> dict[str, object]:
        return {
            "is_verdict": self.is_verdict,
            "act_kind": self.act_kind,
            **_facts_dict(self),
            "defendants": [defendant.to_dict() for defendant in self.defendants],
        }


def _facts_dict(facts: DefendantFacts | VerdictFacts) -> dict[str, object]:
    return {
        "punishment": facts.punishment,
        "term_months": facts.term_months,
        "probation_months": facts.probation_months,
        "colony_regime": facts.colony_regime,
        "deduction_percent": facts.deduction_percent,
        "fine_rubles": facts.fine_rubles,
        "amnesty": facts.amnesty,
        "mobilised": facts.mobilised,
        "contract": facts.contract,
        "conscript": facts.conscript,
        "absence_start": facts.absence_start.isoformat() if facts.absence_start else None,
        "absence_end": facts.absence_end.isoformat() if facts.absence_end else None,
        "absence_days": facts.absence_days,
        "voluntary_return": facts.voluntary_return,
    }


def extract_verdict(text: str) -> VerdictFacts:
    """Read the facts from an act's plain text (any line ends). Pure; never raises."""
    text = normalise(text)
    heading = heading_kind(text)
    operative = operative_part(text, heading)
    kind = heading or (operative.kind if operative else None)
    is_verdict = kind == "приговор"
    narrative = text[: operative.verb_start] if operative else text
    body = " ".join(text[operative.start :].split()) if operative and is_verdict else ""
    clauses = defendant_clauses(body) if body else []
    defendants = tuple(_defendant(clause, clauses, narrative) for clause in clauses)
    if len(defendants) > 1:
        return _several(is_verdict, kind, defendants)
    lives = service.service_facts(text, narrative)  # most of the reading time: only where it is used
    if defendants:
        defendants = (_with_service(defendants[0], lives),)
    sentence = _sole_sentence(defendants, body) if is_verdict else NO_SENTENCE
    return VerdictFacts(
        is_verdict=is_verdict,
        act_kind=kind,
        defendants=defendants,
        punishment=sentence.punishment,
        term_months=sentence.term_months,
        probation_months=sentence.probation_months,
        colony_regime=sentence.colony_regime,
        deduction_percent=sentence.deduction_percent,
        fine_rubles=sentence.fine_rubles,
        amnesty=sentence.amnesty if sentence.punishment else None,
        mobilised=lives.mobilised,
        contract=lives.contract,
        conscript=lives.conscript,
        absence_start=lives.absence_start,
        absence_end=lives.absence_end,
        absence_days=lives.absence_days,
        voluntary_return=lives.voluntary_return,
    )


def _with_service(defendant: DefendantFacts, lives: service.ServiceFacts) -> DefendantFacts:
    """The sole defendant: the whole narrative is theirs."""
    return replace(
        defendant, mobilised=lives.mobilised, contract=lives.contract, conscript=lives.conscript,
        absence_start=lives.absence_start, absence_end=lives.absence_end, absence_days=lives.absence_days,
        voluntary_return=lives.voluntary_return,
    )  # fmt: skip


def _sole_sentence(defendants: tuple[DefendantFacts, ...], body: str) -> Sentence:
    if defendants:
        d = defendants[0]
        return Sentence(
            d.punishment, d.term_months, d.probation_months, d.colony_regime, d.fine_rubles,
            d.deduction_percent, d.amnesty,
        )  # fmt: skip
    # no «признать … виновным» found: the whole operative part as one defendant's clause
    return read_sentence(body)


def _several(is_verdict: bool, kind: str | None, defendants: tuple[DefendantFacts, ...]) -> VerdictFacts:
    return VerdictFacts(
        is_verdict=is_verdict, act_kind=kind, defendants=defendants, punishment=None, term_months=None,
        probation_months=None, colony_regime=None, deduction_percent=None, fine_rubles=None, amnesty=None,
        mobilised=None, contract=None, conscript=None, absence_start=None, absence_end=None,
        absence_days=None, voluntary_return=None,
    )  # fmt: skip


def _defendant(clause: Clause, clauses: list[Clause], narrative: str) -> DefendantFacts:
    sentence = read_sentence(clause.text)
    intro = _intro_of(clause, clauses, narrative)
    return DefendantFacts(
        name=clause.name,
        articles=conviction_articles(clause.text or clause.conviction),
        punishment=sentence.punishment,
        term_months=sentence.term_months,
        probation_months=sentence.probation_months,
        colony_regime=sentence.colony_regime,
        deduction_percent=sentence.deduction_percent,
        fine_rubles=sentence.fine_rubles,
        amnesty=sentence.amnesty,
        mobilised=service.mobilised(intro) if intro is not None else None,
        contract=service.contract(intro) if intro is not None else None,
        conscript=service.conscript(intro) if intro is not None else None,
    )


def _mentions(name: str, intro: str) -> list[int]:
    """Where the introduction names this defendant (stem match: the cases of a surname differ)."""
    key = name_key(name)
    if not key:
        return []
    if len(key) < 3:  # «Те», «Д»: short names only as the very word, as written
        word = name_word(name)
        return [m.start() for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", intro)]
    stem = key if key[-1].isdigit() else key[:-1]
    tail = r"(?!\d)" if key[-1].isdigit() else ""
    return [m.start() for m in re.finditer(rf"(?i)(?<!\w){re.escape(stem)}{tail}", intro)]


def _intro_of(clause: Clause, clauses: list[Clause], narrative: str) -> str | None:
    """The part of the introduction about this defendant: the longest stretch from a mention of them to
    the next mention of another defendant. ``None`` when some defendant cannot be found there."""
    intro_end = _INTRO_END.search(narrative)
    intro = narrative[: intro_end.start()] if intro_end else narrative
    marks: list[tuple[int, str]] = []
    for other in clauses:
        found = _mentions(other.name, intro)
        if not found:
            return None
        marks.extend((position, other.name) for position in found)
    marks.sort()
    best = ""
    for index, (position, name) in enumerate(marks):
        if name != clause.name:
            continue
        others = [p for p, n in marks[index + 1 :] if n != name]
        # «рядового ФИО1 и рядового ФИО2, проходящих военную службу по призыву»: one description for both
        while others and others[0] - position < _SHARED_DESCRIPTION:
            others.pop(0)
        stretch = intro[position : others[0] if others else len(intro)]
        if len(stretch) > len(best):
            best = stretch
    return best
