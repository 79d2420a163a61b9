"""What a claim check costs: ``warduty check`` on the full replica (scale 1.0) as of 2024-04-12, against
the statistics query it is made of. Usage:

    .venv/bin/python benchmarks/check_claims.py [--db /tmp/claims.sqlite] [--runs 5]

Prints, for the issue's seed paragraph (4 claims) and for a paragraph of 20 claims: wall and CPU time
per check, SQL statements run, and the ratio to one ``warduty.stats.total`` (one figure, one query).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, event

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.stats.load_truth import load_truth

from warduty.claims.parse import parse_claims
from warduty.jobs.claims import check_with
from warduty.replica.population import generate_population
from warduty.stats import Filters, total
from warduty.store import make_engine

AS_OF = date(2024, 4, 12)
SEED = (
    "Russian military courts convicted a record 684 soldiers of desertion in March. That brings the total "
    "to 7,400 convictions since the September 2022 mobilisation, 496 of these cases in the Moscow region. "
    "Asylum applications by Russians have reached an all-time high."
)
TWENTY = " ".join(
    f"In {month} 2023 military courts convicted {100 + i} deserters and received {200 + i} AWOL cases."
    for i, month in enumerate(("January", "February", "March", "April", "May", "June", "July", "August",
                               "September", "October"))
)  # fmt: skip


def measure(work: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``work`` over ``runs`` runs."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def statements(engine: Engine, work: Callable[[], object]) -> int:
    seen = [0]

    def count(*_: object) -> None:
        seen[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return seen[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", type=Path, default=Path(tempfile.gettempdir()) / "warduty-claims-bench.sqlite"
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    url = f"sqlite:///{args.db}"
    if not args.db.exists():
        engine = make_engine(url)
        started = time.perf_counter()
        load_truth(engine, generate_population(scale=1.0), AS_OF)
        print(f"loaded the full replica in {time.perf_counter() - started:.1f} s")
    engine = make_engine(url, create=False)
    march = Filters(("337",), date(2024, 3, 1), date(2024, 3, 31))

    def one_total() -> int:
        with engine.connect() as connection:
            return total(connection, "sentences", march)

    base_wall, base_cpu = measure(one_total, args.runs)
    print(f"one stats.total (sentences, art. 337, March 2024): wall {base_wall * 1000:.1f} ms, "
          f"CPU {base_cpu * 1000:.1f} ms")  # fmt: skip
    for name, text in (("seed paragraph", SEED), ("20 claims", TWENTY)):
        claims = len(parse_claims(text, AS_OF))
        parse_wall, parse_cpu = measure(lambda text=text: parse_claims(text, AS_OF), args.runs)  # type: ignore[misc]
        wall, cpu = measure(lambda text=text: check_with(engine, text), args.runs)  # type: ignore[misc]
        queries = statements(engine, lambda text=text: check_with(engine, text))  # type: ignore[misc]
        print(
            f"{name}: {claims} claims, {queries} SQL statements; parse {parse_wall * 1000:.1f} ms "
            f"(CPU {parse_cpu * 1000:.1f}); check wall {wall * 1000:.0f} ms, CPU {cpu * 1000:.0f} ms; "
            f"{wall / base_wall:.1f}x wall and {cpu / max(base_cpu, 1e-9):.1f}x CPU of one total"
        )
    engine.dispose()


if __name__ == "__main__":
    main()
