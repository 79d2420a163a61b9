"""Backtest the nowcast on the replica: at several as-of dates, estimate the final counts of the three
months before and compare with the records shown at any time up to a year later (a database crawled
repeatedly keeps cards that later disappear, marked missing). Prints interval coverage and errors.

    .venv/bin/python benchmarks/nowcast_backtest.py [--scale 1.0]
"""

from __future__ import annotations

import argparse
from collections import Counter
from datetime import date, timedelta

from warduty.replica.model import ReplicaCase, decided_as_of, visible_events
from warduty.replica.population import Population, generate_population
from warduty.stats.months import month_of, shift
from warduty.stats.nowcast import nowcast, reference_distributions

AS_OF_DATES = [
    date(2023, 3, 15), date(2023, 6, 15), date(2023, 9, 15), date(2023, 11, 21), date(2023, 12, 29),
    date(2024, 2, 15), date(2024, 4, 12), date(2024, 6, 15), date(2024, 9, 15), date(2024, 12, 27),
    date(2025, 3, 15), date(2025, 5, 31),
]  # fmt: skip
ARTICLE = "337"


def _observations(population: Population, as_of: date, metric: str) -> list[tuple[date, date]]:
    pairs: list[tuple[date, date]] = []
    for case in population.all_cases():
        if not case.visible_on(as_of) or ARTICLE not in case.article_numbers:
            continue
        events = visible_events(case, as_of)
        if metric == "received":
            pairs.append((case.received, min((e.posted for e in events), default=as_of)))
            continue
        for day in _sentence_days(case, as_of):
            pairs.append((day, min(e.posted for e in events if e.day == day)))
    return pairs


def _sentence_days(case: ReplicaCase, as_of: date) -> list[date]:
    if not decided_as_of(case, as_of):
        return []
    return [
        p.decided
        for p in case.persons
        if p.decided
        and p.result
        and "приговор" in p.result.lower()
        and any(r.article == ARTICLE for r in p.articles)
    ]


def _ever_shown(population: Population, final_day: date, metric: str) -> Counter[str]:
    """Records shown at any time up to ``final_day``: the database keeps cards that later disappear."""
    counts: Counter[str] = Counter()
    for case in population.all_cases():
        if case.posted > final_day or ARTICLE not in case.article_numbers:
            continue
        if metric == "received":
            counts[month_of(case.received)] += 1
        else:
            counts.update(month_of(day) for day in _sentence_days(case, final_day))
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    population = generate_population(scale=args.scale)
    print(
        f"scale {args.scale}; art. {ARTICLE}; 90% intervals; "
        "final = records shown at any time up to 365 days later"
    )
    print("metric     as_of       month    observed  estimate  [low, high]      final  covered")
    tally: dict[str, list[tuple[bool, float, float, float]]] = {"received": [], "sentences": []}
    for as_of in AS_OF_DATES:
        final_day = as_of + timedelta(days=365)
        for metric in ("received", "sentences"):
            observations = _observations(population, as_of, metric)
            observed = Counter(month_of(day) for day, _ in observations)
            final = _ever_shown(population, final_day, metric)
            distributions = reference_distributions(observations, as_of)
            for back in (1, 2, 3):
                month = shift(month_of(as_of), -back)
                estimate = nowcast(observed[month], month, as_of, distributions)
                truth = final[month]
                covered = estimate.covers(truth)
                tally[metric].append(
                    (
                        covered,
                        abs(estimate.estimate - truth) / truth,
                        abs(observed[month] - truth) / truth,
                        (estimate.high - estimate.low) / truth,
                    )
                )
                print(
                    f"{metric:<10} {as_of}  {month}  {observed[month]:>8}  {estimate.estimate:>8.0f}  "
                    f"[{estimate.low:>5}, {estimate.high:>5}]  {truth:>6}  {'yes' if covered else 'NO'}"
                )
    print()
    print("metric      cases  coverage  mean |error| nowcast  mean |error| observed  ratio  mean width")
    for metric, rows in tally.items():
        coverage = sum(r[0] for r in rows) / len(rows)
        nowcast_error = sum(r[1] for r in rows) / len(rows)
        observed_error = sum(r[2] for r in rows) / len(rows)
        width = sum(r[3] for r in rows) / len(rows)
        print(
            f"{metric:<10} {len(rows):>6}  {coverage:>8.0%}  {nowcast_error:>20.1%}  "
            f"{observed_error:>21.1%}  {nowcast_error / observed_error:.2f}  {width:>10.1%}"
        )


if __name__ == "__main__":
    main()
