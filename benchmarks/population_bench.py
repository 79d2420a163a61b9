"""Time the replica population: generation (with calibration) at three scales, side by side in one run.

Run: .venv/bin/python benchmarks/population_bench.py
"""

from __future__ import annotations

import time
from datetime import date

from warduty.replica.population import _generate
from warduty.replica.truth import truth_tables


def main() -> None:
    rows = []
    for scale in (0.05, 0.25, 1.0):
        _generate.cache_clear()
        start = time.perf_counter()
        population = _generate(20240412, scale)
        generated = time.perf_counter() - start
        start = time.perf_counter()
        tables = truth_tables(population, date(2025, 6, 30))
        truth = time.perf_counter() - start
        rows.append((scale, len(population), generated, truth, len(tables["events"])))
    base = rows[0]
    header = ("scale", "cases", "generate s", "ratio", "cases/s", "truth s", "events")
    print("{:>6} {:>7} {:>11} {:>6} {:>8} {:>8} {:>7}".format(*header))
    for scale, cases, generated, truth, events in rows:
        print(
            f"{scale:>6} {cases:>7} {generated:>11.2f} {generated / base[2]:>6.1f} "
            f"{cases / generated:>8.0f} {truth:>8.2f} {events:>7}"
        )


if __name__ == "__main__":
    main()
