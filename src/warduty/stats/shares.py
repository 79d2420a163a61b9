"""Shares: outcome mix, verdict texts published, and the sentence mix read from published texts.

Every share carries its sample size ``n``; a share of nothing is ``None``, never 0.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, and_, func, select

from warduty.stats.defendant_facts import facts_for
from warduty.stats.definitions import Filters, Metric
from warduty.stats.outcomes import OUTCOMES, Outcome, classify_outcome
from warduty.stats.query import VERDICT_ACT_KINDS, base_from, conditions, units_statement, verdict_results
from warduty.store.schema import acts, cases, persons


@dataclass(frozen=True, slots=True)
class Share:
    key: str
    count: int
    n: int

    @property
    def share(self) -> float | None:
        return self.count / self.n if self.n else None

    def to_dict(self) -> dict[str, object]:
        return {"key": self.key, "count": self.count, "n": self.n, "share": self.share}


@dataclass(frozen=True, slots=True)
class SentenceMix:
    """Sentences in the period, how many have a published text, and what those texts say."""

    sentences: int
    published: int
    suspended: int
    real: int
    disciplinary_unit: int
    other_punishment: int  # service restriction, fine, or not read from the text (for this defendant)
    mobilised: int

    def shares(self) -> list[Share]:
        return [
            Share("published", self.published, self.sentences),
            Share("suspended", self.suspended, self.published),
            Share("real", self.real, self.published),
            Share("disciplinary_unit", self.disciplinary_unit, self.published),
            Share("other_punishment", self.other_punishment, self.published),
            Share("mobilised", self.mobilised, self.published),
        ]

    def to_dict(self) -> dict[str, object]:
        return {share.key: share.to_dict() for share in self.shares()} | {"sentences": self.sentences}


def outcome_mix(
    connection: Connection, filters: Filters, basis: Literal["received", "decided"] = "received"
) -> list[Share]:
    """Defendants under the articles by outcome: of cases received in the period (``received``, so
    undecided ones are ``pending``), or of defendants decided in the period (``decided``)."""
    metric: Metric = "received" if basis == "received" else "sentences"
    terms = conditions(metric, filters, [])
    if basis == "decided":
        terms = terms[:-1]  # every result, not only verdicts
    statement = (
        select(persons.c.id, persons.c.result, persons.c.decided)
        .select_from(base_from())
        .where(and_(*terms))
        .distinct()
    )
    tally: Counter[Outcome] = Counter()
    for row in connection.execute(statement):
        tally[classify_outcome(row.result)] += 1
    n = sum(tally.values())
    return [Share(outcome, tally[outcome], n) for outcome in OUTCOMES]


def sentence_mix(connection: Connection, filters: Filters) -> SentenceMix:
    """Sentences (defendants) in the period; of them, those whose case shows a verdict text, and the
    punishment and service read from that text (the case's first verdict act with text)."""
    sentenced = units_statement("sentences", filters, verdict_results(connection)).subquery()
    first_act = _first_verdict_act()
    joined = (
        sentenced.join(persons, persons.c.id == sentenced.c.unit)
        .outerjoin(first_act, first_act.c.case_id == sentenced.c.case_id)
        .outerjoin(acts, and_(acts.c.case_id == first_act.c.case_id, acts.c.position == first_act.c.position))
    )
    statement = select(
        sentenced.c.unit, first_act.c.case_id.label("published"), persons.c.name, acts.c.verdict
    ).select_from(joined)
    tally: Counter[str] = Counter()
    for row in connection.execute(statement):
        tally["sentences"] += 1
        if row.published is None:
            continue
        tally["published"] += 1
        facts = facts_for(row.verdict, row.name)
        tally[_punishment_key(facts["punishment"])] += 1
        tally["mobilised"] += bool(facts["mobilised"])
    return SentenceMix(
        sentences=tally["sentences"],
        published=tally["published"],
        suspended=tally["suspended"],
        real=tally["real"],
        disciplinary_unit=tally["disciplinary_unit"],
        other_punishment=tally["other_punishment"],
        mobilised=tally["mobilised"],
    )


def _punishment_key(punishment: str | None) -> str:
    if punishment == "suspended":
        return "suspended"
    if punishment == "imprisonment":
        return "real"
    if punishment == "disciplinary_unit":
        return "disciplinary_unit"
    return "other_punishment"


@dataclass(frozen=True, slots=True)
class PublishedVerdict:
    """A sentenced defendant whose case shows a verdict text, with what the text says."""

    court_code: str
    case_number: str
    position: int
    name: str | None
    decided: object
    punishment: str | None
    term_months: int | None
    probation_months: int | None
    mobilised: bool | None


def published_verdicts(connection: Connection, filters: Filters, limit: int = 20) -> list[PublishedVerdict]:
    """The first ``limit`` sentences of the period with a published verdict text, by court and case."""
    sentenced = units_statement("sentences", filters, verdict_results(connection)).subquery()
    first_act = _first_verdict_act()
    statement = (
        select(
            cases.c.court_code,
            cases.c.case_number,
            persons.c.position,
            persons.c.name,
            sentenced.c.day,
            acts.c.verdict,
        )
        .select_from(
            sentenced.join(first_act, first_act.c.case_id == sentenced.c.case_id)
            .join(acts, and_(acts.c.case_id == first_act.c.case_id, acts.c.position == first_act.c.position))
            .join(persons, persons.c.id == sentenced.c.unit)
            .join(cases, cases.c.id == sentenced.c.case_id)
        )
        .order_by(cases.c.court_code, cases.c.case_number, persons.c.position)
        .limit(limit)
    )
    verdicts = []
    for r in connection.execute(statement):
        facts = facts_for(r.verdict, r.name)
        mobilised = None if facts["mobilised"] is None else bool(facts["mobilised"])
        punishment, term, probation = facts["punishment"], facts["term_months"], facts["probation_months"]
        verdicts.append(
            PublishedVerdict(
                r.court_code,
                r.case_number,
                int(r.position),
                r.name,
                r.day,
                punishment,
                term,
                probation,
                mobilised,
            )
        )
    return verdicts


def _first_verdict_act() -> Any:
    """Each case's first verdict act that has its text (the act a case's punishment is read from)."""
    return (
        select(acts.c.case_id, func.min(acts.c.position).label("position"))
        .where(acts.c.kind.in_(VERDICT_ACT_KINDS), acts.c.text.is_not(None))
        .group_by(acts.c.case_id)
        .subquery()
    )
