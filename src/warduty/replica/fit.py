"""Compare a population with the published figures it is calibrated to (``warduty replica fit``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from warduty.replica.population import Population
from warduty.replica.targets import FrozenFacts, RankCheck, check_rank, evaluate, load_targets


@dataclass(frozen=True, slots=True)
class FitRow:
    target_id: str
    description: str
    as_of: date
    target: int
    generated: int
    tolerance: str
    rank: RankCheck | None

    @property
    def difference(self) -> int:
        return self.generated - self.target

    @property
    def ok(self) -> bool:
        within = self.generated == self.target or (
            self.tolerance == "1%" and abs(self.difference) <= 0.01 * self.target
        )
        return within and (self.rank is None or self.rank.ok)

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.target_id,
            "description": self.description,
            "as_of": self.as_of.isoformat(),
            "target": self.target,
            "generated": self.generated,
            "difference": self.difference,
            "tolerance": self.tolerance,
            "rank": None if self.rank is None else f"{self.rank.actual} (want {self.rank.wanted})",
            "next": None if self.rank is None else self.rank.runner_up,
            "ok": self.ok,
        }


def fit_report(population: Population, *, ranks: bool = True) -> list[FitRow]:
    """Each target (scaled to the population's scale) with the value the population gives.

    Rank checks (the month or region must be the highest, second...) are made at scale 1 only: a
    scaled-down population is too small for its monthly and regional ordering to be meaningful.
    """
    ranks = ranks and population.scale == 1.0
    facts = [FrozenFacts(case) for case in population.all_cases()]
    rows = []
    for target in load_targets():
        scaled = target.scaled(population.scale)
        rows.append(
            FitRow(
                target_id=scaled.id,
                description=scaled.description,
                as_of=scaled.as_of,
                target=scaled.value,
                generated=evaluate(scaled, facts),
                tolerance=scaled.tolerance,
                rank=check_rank(scaled, facts) if ranks else None,
            )
        )
    return rows
