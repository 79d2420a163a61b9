"""Published figures the replica is calibrated to, and how each is counted on a population.

``data/targets.csv`` lists them (see ``data/PROVENANCE.md``). Definitions, as the statistics use them:

* ``cases_received``: cases whose receipt date falls in the period and that the site shows on
  ``as_of``, counted once if any defendant is charged under one of ``articles``;
* ``sentences``: defendants with the result «Вынесен ПРИГОВОР» charged under one of ``articles``,
  whose decision date falls in the period, in cases the site shows as decided on ``as_of``;
* ``published_verdicts``: those sentences whose case shows a verdict text on ``as_of``;
* ``published_suspended``: those of them whose sentence is suspended (ground truth, not parsed).

``region`` is the seat of the court (``Court.seat_region_ru``).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from importlib import resources
from typing import Protocol

from warduty.courts import load_registry
from warduty.replica.model import ReplicaCase, decided_as_of, visible_acts

METRICS = ("cases_received", "sentences", "published_verdicts", "published_suspended")
VERDICT = "Вынесен ПРИГОВОР"
_COLUMNS = (
    "id", "description", "metric", "articles", "period_start", "period_end", "as_of", "region", "value",
    "tolerance", "rank", "rank_from", "rank_to", "source_row", "source_url", "note",
)  # fmt: skip


class TargetFileError(ValueError):
    """The targets file is malformed; the message names the row."""


class CaseFacts(Protocol):
    """What a target needs to know about a case; drafts and frozen cases both answer it."""

    @property
    def court_code(self) -> str: ...
    @property
    def received(self) -> date: ...
    @property
    def numbers(self) -> frozenset[str]: ...
    def visible_on(self, as_of: date) -> bool: ...
    def decision_shown(self, as_of: date) -> bool: ...
    def verdict_text_shown(self, as_of: date) -> bool: ...
    def person_facts(self) -> list[tuple[frozenset[str], str | None, date | None, str | None]]: ...


@dataclass(frozen=True, slots=True)
class Target:
    id: str
    description: str
    metric: str
    articles: frozenset[str]
    period_start: date
    period_end: date
    as_of: date
    region: str | None
    value: int
    tolerance: str  # "exact" or "1%"
    rank: int | None
    rank_from: str | None  # "YYYY-MM": the month must rank ``rank`` among months rank_from..rank_to
    rank_to: str | None
    source_url: str
    note: str

    def scaled(self, scale: float) -> Target:
        if scale == 1.0:
            return self
        return replace(self, value=round(self.value * scale))

    def within(self, generated: int) -> bool:
        if self.tolerance == "exact":
            return generated == self.value
        return abs(generated - self.value) <= 0.01 * self.value

    def contribution(self, case: CaseFacts, region_of: dict[str, str]) -> int:
        """How many units (cases or defendants) ``case`` adds to this target."""
        return _contribution(self, case, region_of)


def _parse_date(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise TargetFileError(f"{where}: {text!r} is not a date (YYYY-MM-DD)") from None


def parse_targets(text: str) -> list[Target]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise TargetFileError(f"targets file lacks column(s): {', '.join(missing)}")
    targets: list[Target] = []
    for line, row in enumerate(reader, start=2):
        where = f"row {line} ({row.get('id') or '?'})"
        if None in row or any(v is None for v in row.values()):
            raise TargetFileError(f"{where}: wrong number of fields")
        if row["metric"] not in METRICS:
            raise TargetFileError(f"{where}: unknown metric {row['metric']!r}")
        if row["tolerance"] not in ("exact", "1%"):
            raise TargetFileError(f"{where}: tolerance must be 'exact' or '1%'")
        try:
            value = int(row["value"])
            rank = int(row["rank"]) if row["rank"].strip() else None
        except ValueError:
            raise TargetFileError(f"{where}: value and rank must be whole numbers") from None
        start, end = _parse_date(row["period_start"], where), _parse_date(row["period_end"], where)
        if end < start:
            raise TargetFileError(f"{where}: period ends before it starts")
        targets.append(
            Target(
                id=row["id"].strip(),
                description=row["description"].strip(),
                metric=row["metric"],
                articles=frozenset(a.strip() for a in row["articles"].split("+") if a.strip()),
                period_start=start,
                period_end=end,
                as_of=_parse_date(row["as_of"], where),
                region=row["region"].strip() or None,
                value=value,
                tolerance=row["tolerance"],
                rank=rank,
                rank_from=row["rank_from"].strip() or None,
                rank_to=row["rank_to"].strip() or None,
                source_url=row["source_url"].strip(),
                note=row["note"].strip(),
            )
        )
    if len({t.id for t in targets}) != len(targets):
        raise TargetFileError("target ids repeat")
    return targets


@cache
def load_targets() -> tuple[Target, ...]:
    """The targets shipped with the package."""
    text = resources.files("warduty.replica").joinpath("data/targets.csv").read_text("utf-8")
    return tuple(parse_targets(text))


@cache
def court_regions() -> dict[str, str]:
    return {court.code: court.seat_region_ru for court in load_registry()}


def _contribution(target: Target, case: CaseFacts, region_of: dict[str, str]) -> int:
    if not (case.numbers & target.articles):
        return 0
    if target.region is not None and region_of.get(case.court_code) != target.region:
        return 0
    as_of = target.as_of
    if target.metric == "cases_received":
        inside = target.period_start <= case.received <= target.period_end
        return 1 if inside and case.visible_on(as_of) else 0
    if case.received > target.period_end or not case.visible_on(as_of) or not case.decision_shown(as_of):
        return 0
    if target.metric != "sentences" and not case.verdict_text_shown(as_of):
        return 0
    total = 0
    for numbers, result, decided, punishment in case.person_facts():
        if result != VERDICT or decided is None or not numbers & target.articles:
            continue
        if not target.period_start <= decided <= target.period_end:
            continue
        if target.metric == "published_suspended" and punishment != "suspended":
            continue
        total += 1
    return total


class FrozenFacts:
    """Adapter: a frozen :class:`ReplicaCase` answering :class:`CaseFacts`."""

    __slots__ = ("_case", "numbers")

    def __init__(self, case: ReplicaCase) -> None:
        self._case = case
        self.numbers = case.article_numbers

    @property
    def court_code(self) -> str:
        return self._case.court_code

    @property
    def received(self) -> date:
        return self._case.received

    def visible_on(self, as_of: date) -> bool:
        return self._case.visible_on(as_of)

    def decision_shown(self, as_of: date) -> bool:
        return decided_as_of(self._case, as_of)

    def verdict_text_shown(self, as_of: date) -> bool:
        return any(act.kind == "Приговор" for act in visible_acts(self._case, as_of))

    def person_facts(self) -> list[tuple[frozenset[str], str | None, date | None, str | None]]:
        return [
            (
                frozenset(ref.article for ref in p.articles),
                p.result,
                p.decided,
                p.punishment.kind if p.punishment else None,
            )
            for p in self._case.persons
        ]


def evaluate(target: Target, cases: Iterable[CaseFacts]) -> int:
    regions = court_regions()
    return sum(target.contribution(case, regions) for case in cases)


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@dataclass(frozen=True, slots=True)
class RankCheck:
    target_id: str
    wanted: int
    actual: int
    runner_up: str  # the label just above or below, with its value, for the report

    @property
    def ok(self) -> bool:
        return self.actual == self.wanted


def check_rank(target: Target, cases: Sequence[CaseFacts]) -> RankCheck | None:
    """Where the target's month (or region) ranks among the months (or regions) it is compared with."""
    if target.rank is None:
        return None
    regions = court_regions()
    values: Counter[str] = Counter()
    if target.region is not None:
        for case in cases:
            unregioned = replace(target, region=None)
            amount = unregioned.contribution(case, regions)
            if amount:
                values[regions.get(case.court_code, "?")] += amount
        own = target.region
        values[own] += 0
    else:
        assert target.rank_from and target.rank_to
        for month in _months_between(target.rank_from, target.rank_to):
            year, mon = int(month[:4]), int(month[5:])
            end = date(year + (mon == 12), 1 if mon == 12 else mon + 1, 1).toordinal() - 1
            shifted = replace(target, period_start=date(year, mon, 1), period_end=date.fromordinal(end))
            values[month] = evaluate(shifted, cases)
        own = _month(target.period_start)
    ordered = sorted(values.items(), key=lambda item: (-item[1], item[0]))
    actual = next(i for i, (label, _) in enumerate(ordered, start=1) if label == own)
    neighbour = ordered[actual] if actual < len(ordered) else ordered[max(actual - 2, 0)]
    return RankCheck(target.id, target.rank, actual, f"{neighbour[0]}={neighbour[1]}")
