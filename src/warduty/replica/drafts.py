"""Mutable drafts of replica cases: the facts that decide counts, before pages and texts are rendered.

The calibration (``calibrate.py``) edits drafts (posting dates, removals, publication dates, extra
cases); ``population.py`` then freezes them into :class:`~warduty.replica.model.ReplicaCase` records.
All randomness comes from the ``random.Random`` passed in, so a seed gives the same drafts.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from warduty.law import ArticleRef, parse_articles
from warduty.replica.draws import choice, randint
from warduty.replica.model import Punishment
from warduty.replica.names import HIDDEN_NAME, full_name

MOBILISATION_PARTS_FROM = date(2022, 9, 24)
EXEMPTION_LAW_FROM = date(2024, 3, 23)  # 64-ФЗ: dismissal under ст. 28.2 УПК becomes possible

VERDICT = "Вынесен ПРИГОВОР"
DISMISSED = "Уголовное дело ПРЕКРАЩЕНО"
RETURNED = "ВОЗВРАЩЕНО ПРОКУРОРУ"
TRANSFERRED = "Направлено ПО ПОДСУДНОСТИ (подведомственности)"
OUTCOME_RESULTS = {
    "verdict": VERDICT,
    "dismissed": DISMISSED,
    "returned": RETURNED,
    "transferred": TRANSFERRED,
    "suspended": None,  # proceedings suspended: no decision, the card stays pending
}
WATCHED = ("337", "332", "338", "334", "339")

_DISMISSAL_GROUNDS = (
    "назначена мера уголовно-правового характера - СУДЕБНЫЙ ШТРАФ (ст. 25.1 УПК РФ)",
    "в связи с деятельным раскаянием (ст. 28 УПК РФ)",
    "в связи с примирением сторон (ст. 25 УПК РФ)",
    "в связи со смертью подозреваемого или обвиняемого (п.4 ч.1 ст.24 УПК РФ)",
)
_EXEMPTION_GROUND = "в связи с призывом на военную службу в период мобилизации (ст. 28.2 УПК РФ)"
_NOTE_GROUND = "на основании примечания к ст. {article} УК РФ"

# Ordinary offences tried by military courts, with the parts they are usually charged under.
BACKGROUND_CHARGES = (
    ("158", ("1", "2", "3"), ("а", "в", "б", None)),
    ("159", ("1", "2", "3", "4"), (None,)),
    ("160", ("1", "3", "4"), (None,)),
    ("228", ("1", "2"), (None,)),
    ("264", ("1", "2", "3"), (None,)),
    ("264.1", ("1", "2"), (None,)),
    ("290", ("2", "3", "5"), (None, "в")),
    ("291", ("2", "3"), (None,)),
    ("285", ("1",), (None,)),
    ("286", ("1", "3"), (None, "а")),
    ("335", ("1", "2"), (None, "а")),
    ("111", ("1", "2"), (None, "з")),
    ("222", ("1",), (None,)),
)
SPECIAL_CHARGES = (("205.2", ("1", "2"), (None,)), ("275", ("1",), (None,)), ("205.5", ("2",), (None,)))


@dataclass(slots=True)
class PersonDraft:
    name: str
    articles_raw: str
    articles: tuple[ArticleRef, ...]
    numbers: frozenset[str]
    result: str | None
    punishment: Punishment | None = None
    service: str | None = None
    absence_start: date | None = None
    absence_end: date | None = None
    returned_voluntarily: bool = False
    prior_conviction: bool = False


@dataclass(slots=True)
class Draft:
    court_code: str
    region: str
    received: date
    persons: list[PersonDraft]
    outcome: str  # verdict | dismissed | returned | transferred | suspended
    decided: date | None
    ground: str | None
    posted: date
    removed: date | None
    decision_posted: date | None
    act_published: date | None
    numbers: frozenset[str]
    seed: int

    # The same questions the targets ask of a frozen case (see targets.py).
    def visible_on(self, as_of: date) -> bool:
        return self.posted <= as_of and (self.removed is None or as_of < self.removed)

    def decision_shown(self, as_of: date) -> bool:
        return self.decision_posted is not None and self.decision_posted <= as_of

    def verdict_text_shown(self, as_of: date) -> bool:
        return self.act_published is not None and self.act_published <= as_of and self.outcome == "verdict"

    def person_facts(self) -> list[tuple[frozenset[str], str | None, date | None, str | None]]:
        return [
            (p.numbers, p.result, self.decided, p.punishment.kind if p.punishment else None)
            for p in self.persons
        ]

    @property
    def case_result(self) -> str | None:
        result = OUTCOME_RESULTS[self.outcome]
        if result is not None and self.ground:
            return f"{result}\n{self.ground}"
        return result


def working_day(day: date) -> date:
    """Move a Saturday or Sunday to the next Monday: courts register and decide on working days."""
    weekday = day.weekday()
    return day + timedelta(days=7 - weekday) if weekday >= 5 else day


def posting_lag(rng: random.Random) -> int:
    """Days from an event to its appearance on the site: mostly days, a tail of weeks to months."""
    roll = rng.random()
    if roll < 0.45:
        return randint(rng, 0, 2)
    if roll < 0.80:
        return randint(rng, 3, 10)
    if roll < 0.95:
        return randint(rng, 11, 30)
    return randint(rng, 31, 90)


def decision_posting_lag(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.5:
        return randint(rng, 0, 3)
    if roll < 0.8:
        return randint(rng, 4, 14)
    if roll < 0.95:
        return randint(rng, 15, 45)
    return randint(rng, 46, 100)


def publication_lag(rng: random.Random) -> int:
    """Days from decision to published text: "weeks or even months after the announcement"."""
    roll = rng.random()
    if roll < 0.5:
        return randint(rng, 7, 25)
    if roll < 0.85:
        return randint(rng, 26, 90)
    return randint(rng, 91, 200)


def publication_share(decided: date, watched: bool) -> float:
    """Share of acts whose text is published: about half in autumn 2022, a few percent from 2024."""
    if not watched:
        return 0.45 if decided < date(2023, 1, 1) else 0.35
    points = (
        (date(2021, 1, 1), 0.6),
        (date(2022, 6, 1), 0.58),
        (date(2022, 10, 15), 0.5),
        (date(2023, 3, 15), 0.33),
        (date(2023, 9, 1), 0.18),
        (date(2024, 1, 1), 0.1),
        (date(2024, 6, 1), 0.06),
        (date(2025, 12, 31), 0.04),
    )
    if decided <= points[0][0]:
        return points[0][1]
    for (start, low), (end, high) in itertools.pairwise(points):
        if decided <= end:
            span = (end - start).days
            return low + (high - low) * (decided - start).days / span
    return points[-1][1]


def articles_raw(charges: list[tuple[str, str, str | None]]) -> str:
    """Card form: ``ст.337 ч.3.1; ст.338 ч.3 УК РФ``."""
    ordered = sorted(set(charges), key=lambda c: float(c[0]) if c[0].replace(".", "").isdigit() else 0.0)
    parts = []
    for article, part, point in ordered:
        text = f"ст.{article} ч.{part}"
        if point:
            text += f" п.{point}"
        parts.append(text)
    return "; ".join(parts) + " УК РФ"


@cache
def article_refs(raw: str) -> tuple[ArticleRef, ...]:
    """``parse_articles(raw)``, parsed once per distinct card string (a few hundred among 60,000 cases)."""
    return tuple(parse_articles(raw))


def _absence(rng: random.Random, received: date, article: str) -> tuple[str, date, date, str, bool]:
    """Part, absence dates, service and voluntary return for an art. 337/338 defendant."""
    length_class = rng.choices(("short", "medium", "long"), weights=(0.2, 0.25, 0.55))[0]
    length = {"short": randint(rng, 3, 10), "medium": randint(rng, 11, 30), "long": randint(rng, 31, 300)}[
        length_class
    ]
    end = received - timedelta(days=randint(rng, 25, 150))
    start = end - timedelta(days=length)
    mobilisation = start >= MOBILISATION_PARTS_FROM
    if mobilisation:
        service = rng.choices(("mobilised", "contract", "conscript"), weights=(0.45, 0.5, 0.05))[0]
    else:
        service = rng.choices(("contract", "conscript"), weights=(0.6, 0.4))[0]
    if article == "338":
        part = "3" if mobilisation else choice(rng, ("1", "1", "2"))
    elif mobilisation:
        part = {"short": "2.1", "medium": "3.1", "long": "5"}[length_class]
    elif length_class == "short":
        part = "1" if service == "conscript" else "3"
    else:
        part = {"medium": "3", "long": "4"}[length_class]
    voluntary = rng.random() < (0.45 if article == "337" else 0.2)
    return part, start, end, service, voluntary


def _simple_part(rng: random.Random, article: str, received: date) -> str:
    wartime = received >= MOBILISATION_PARTS_FROM + timedelta(days=40) and rng.random() < 0.75
    if article == "332":
        return "2.1" if wartime else choice(rng, ("1", "2"))
    if article in ("334", "339"):
        return "3" if wartime else choice(rng, ("1", "2"))
    raise ValueError(f"no part rule for art. {article}")


def _punishment(rng: random.Random, article: str, part: str, service: str | None) -> Punishment:
    if article == "337":
        suspended = 0.62 if service == "contract" else 0.55
        weights = (suspended, 0.9 - suspended - 0.05, 0.05 if service == "conscript" else 0.02, 0.03, 0.02)
    elif article == "338":
        weights = (0.15, 0.83, 0.0, 0.0, 0.02)
    elif article in ("332", "334", "339"):
        weights = (0.5, 0.3, 0.05, 0.08, 0.07)
    else:
        weights = (0.4, 0.3, 0.0, 0.0, 0.3)
    kind = rng.choices(("suspended", "real", "disciplinary_unit", "restriction_of_service", "fine"), weights)[
        0
    ]
    heavy = part in ("5", "3") and article in ("337", "338")
    if kind == "suspended":
        return Punishment("suspended", term_months=choice(rng, (12, 18, 24, 30, 36, 48, 60)),
                          probation_months=choice(rng, (12, 24, 24, 36, 36, 48, 60)))  # fmt: skip
    if kind == "real":
        term = randint(rng, 24, 72) if heavy else randint(rng, 6, 36)
        regime = "строгого" if rng.random() < 0.15 else ("колонии-поселении" if term <= 12 else "общего")
        return Punishment("real", term_months=term, regime=regime)
    if kind == "disciplinary_unit":
        return Punishment("disciplinary_unit", term_months=randint(rng, 3, 18))
    if kind == "restriction_of_service":
        return Punishment("restriction_of_service", term_months=randint(rng, 4, 24))
    return Punishment("fine")


def _result_for(outcome: str, ground: str | None) -> str | None:
    result = OUTCOME_RESULTS[outcome]
    return f"{result}\n{ground}" if result is not None and ground else result


def watched_persons(
    rng: random.Random, received: date, article: str, outcome: str, ground: str | None
) -> list[PersonDraft]:
    count = rng.choices((1, 2, 3), weights=(0.94, 0.05, 0.01))[0]
    persons = []
    for _ in range(count):
        charges: list[tuple[str, str, str | None]] = []
        service = absence_start = absence_end = None
        voluntary = False
        if article in ("337", "338"):
            part, absence_start, absence_end, service, voluntary = _absence(rng, received, article)
            charges.append((article, part, None))
            if article == "338" and rng.random() < 0.1:
                charges.append(("337", "5" if absence_start >= MOBILISATION_PARTS_FROM else "4", None))
            if article == "337" and rng.random() < 0.003 and absence_start >= MOBILISATION_PARTS_FROM:
                charges.append(("332", "2.1", None))
        else:
            part = _simple_part(rng, article, received)
            charges.append((article, part, None))
            if article == "334" and rng.random() < 0.05:
                charges.append(("332", "2.1" if part == "3" else "1", None))
            service = rng.choices(("contract", "conscript", "mobilised"), weights=(0.6, 0.25, 0.15))[0]
        raw = articles_raw(charges)
        refs = article_refs(raw)
        result = _result_for(outcome, ground)
        punishment = _punishment(rng, article, charges[0][1], service) if outcome == "verdict" else None
        persons.append(
            PersonDraft(
                name=HIDDEN_NAME if rng.random() < 0.08 else full_name(rng),
                articles_raw=raw,
                articles=refs,
                numbers=frozenset(r.article for r in refs),
                result=result,
                punishment=punishment,
                service=service,
                absence_start=absence_start,
                absence_end=absence_end,
                returned_voluntarily=voluntary,
                prior_conviction=rng.random() < 0.12,
            )
        )
    if outcome == "verdict" and len(persons) > 1 and rng.random() < 0.15:
        last = persons[-1]
        last.result = f"{DISMISSED}\n{_DISMISSAL_GROUNDS[0]}"
        last.punishment = None
    return persons


def background_persons(
    rng: random.Random, charges_table: tuple[tuple[str, tuple[str, ...], tuple[str | None, ...]], ...],
    outcome: str, ground: str | None,
) -> list[PersonDraft]:  # fmt: skip
    article, parts, points = choice(rng, charges_table)
    part, point = choice(rng, parts), choice(rng, points)
    charges: list[tuple[str, str, str | None]] = [(article, part, point)]
    if rng.random() < 0.08:
        extra, extra_parts, _ = choice(rng, charges_table)
        if extra != article:
            charges.append((extra, choice(rng, extra_parts), None))
    raw = articles_raw(charges)
    refs = article_refs(raw)
    count = rng.choices((1, 2, 3), weights=(0.88, 0.09, 0.03))[0]
    return [
        PersonDraft(
            name=HIDDEN_NAME if rng.random() < 0.08 else full_name(rng),
            articles_raw=raw,
            articles=refs,
            numbers=frozenset(r.article for r in refs),
            result=_result_for(outcome, ground),
            punishment=_punishment(rng, article, part, None) if outcome == "verdict" else None,
            service=choice(rng, ("contract", "conscript")),
            prior_conviction=rng.random() < 0.12,
        )
        for _ in range(count)
    ]


def choose_outcome(rng: random.Random, received: date, watched: bool, article: str) -> tuple[str, str | None]:
    weights = (0.9, 0.05, 0.02, 0.015, 0.015) if watched else (0.78, 0.14, 0.03, 0.03, 0.02)
    outcome = rng.choices(("verdict", "dismissed", "returned", "transferred", "suspended"), weights)[0]
    ground = None
    if outcome == "dismissed":
        options = list(_DISMISSAL_GROUNDS)
        if article in ("337", "338"):
            options.append(_NOTE_GROUND.format(article=article))
            if received >= EXEMPTION_LAW_FROM:
                options += [_EXEMPTION_GROUND] * 3
        ground = choice(rng, options)
    return outcome, ground


def decision_date(rng: random.Random, received: date, outcome: str, watched: bool) -> date | None:
    if outcome == "suspended":
        return None
    if outcome == "transferred":
        return working_day(received + timedelta(days=randint(rng, 5, 20)))
    # Courts tried refusal cases faster as the numbers grew (Current Time, June 2024: "record speed").
    speed = 1.0 if received < date(2023, 10, 1) else (0.8 if received < date(2024, 1, 1) else 0.6)
    lag = 18 + rng.gammavariate(2.2, 11.0 * speed) if watched else 20 + rng.gammavariate(2.0, 25.0)
    return working_day(received + timedelta(days=int(lag)))


def new_draft(
    rng: random.Random,
    court_code: str,
    region: str,
    received: date,
    article: str | None,
    *,
    outcome: str | None = None,
    decided: date | None = None,
    special: bool = False,
) -> Draft:
    """One case: ``article`` is the watched article, or None for a background (ordinary) offence."""
    watched = article is not None
    chosen_outcome, ground = choose_outcome(rng, received, watched, article or "")
    if outcome is not None and outcome != chosen_outcome:
        chosen_outcome, ground = outcome, None
    if decided is None:
        decided = decision_date(rng, received, chosen_outcome, watched)
    if article is not None:
        persons = watched_persons(rng, received, article, chosen_outcome, ground)
    else:
        table = SPECIAL_CHARGES if special else BACKGROUND_CHARGES
        persons = background_persons(rng, table, chosen_outcome, ground)
    posted = received + timedelta(days=posting_lag(rng))
    decision_posted = None
    act_published = None
    if decided is not None:
        decision_posted = max(posted, decided + timedelta(days=decision_posting_lag(rng)))
        if chosen_outcome in ("verdict", "dismissed") and rng.random() < publication_share(decided, watched):
            act_published = max(decision_posted, decided + timedelta(days=publication_lag(rng)))
    removed = posted + timedelta(days=randint(rng, 30, 500)) if rng.random() < 0.015 else None
    return Draft(
        court_code=court_code,
        region=region,
        received=received,
        persons=persons,
        outcome=chosen_outcome,
        decided=decided,
        ground=ground,
        posted=posted,
        removed=removed,
        decision_posted=decision_posted,
        act_published=act_published,
        numbers=frozenset(n for p in persons for n in p.numbers),
        seed=rng.getrandbits(32),
    )
