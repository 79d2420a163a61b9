"""p50/p95 latency of the main API endpoints on a big database, beside the same queries run directly.

Build the database first (``benchmarks/bigdb.py``), then:

    .venv/bin/python benchmarks/api.py /tmp/big.sqlite [--repeat 40]

Each endpoint is called in process (Starlette TestClient, no network) ``--repeat`` times; the first call
(cold: nothing cached) is reported apart. "direct SQL" runs the query the endpoint runs, through the same
query function, on a plain connection: the difference is the web layer (routing, validation, JSON).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from warduty.config import Settings
from warduty.store import make_engine
from warduty.store.schema import cases
from warduty.web import create_app, queries


def timings(call: Callable[[], object], repeat: int) -> tuple[float, list[float]]:
    start = time.perf_counter()
    call()
    cold = time.perf_counter() - start
    warm = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        warm.append(time.perf_counter() - start)
    return cold, warm


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    url = f"sqlite:///{args.db}"
    engine = make_engine(url)
    with engine.connect() as connection:
        total = connection.execute(select(func.count()).select_from(cases)).scalar_one()
        middle = connection.execute(select(func.max(cases.c.id))).scalar_one() // 2
        as_of = queries.as_of_date(connection)
    settings = Settings(data_dir=Path(tempfile.mkdtemp()), db=url)
    client = TestClient(create_app(settings, engine=engine, rate=1e9, burst=1e9))
    everything = queries.CaseFilters()
    awol = queries.CaseFilters(group="awol", received_from=as_of.replace(month=1, day=1) if as_of else None)

    def sql(function: Callable[..., object], *a: object, **k: object) -> Callable[[], object]:
        def run() -> object:
            with engine.connect() as connection:
                return function(connection, *a, **k)

        return run

    def api(path: str) -> Callable[[], object]:
        def run() -> object:
            response = client.get(path)
            assert response.status_code == 200, (path, response.text[:200])
            return response

        return run

    def overview_sql() -> None:
        with engine.connect() as connection:
            queries.received_by_month(connection, everything, as_of)
            queries.sentences_by_month(connection, everything, as_of)
            queries.regions(connection, None, as_of)
            queries.sentence_mix(connection, None, as_of)

    cases_direct = sql(queries.list_cases, everything, after=None, limit=50)
    awol_query = f"/api/v1/cases?limit=50&group=awol&received_from={awol.received_from}"
    court = queries.CaseFilters(court="77GV0017")
    rows: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
        ("overview", api("/api/v1/overview"), overview_sql),
        ("series (received)", api("/api/v1/series"), sql(queries.received_by_month, everything, as_of)),
        ("cases list (50)", api("/api/v1/cases?limit=50"), cases_direct),
        ("cases, awol this year", api(awol_query), sql(queries.list_cases, awol, after=None, limit=50)),
        ("cases, court 77GV0017", api("/api/v1/cases?limit=50&court=77GV0017"),
         sql(queries.list_cases, court, after=None, limit=50)),
        ("case detail", api(f"/api/v1/cases/{middle}"), sql(queries.case_detail, middle)),
        ("courts", api("/api/v1/courts"), sql(queries.courts_with_freshness)),
    ]  # fmt: skip
    print(f"{total:,} cases in {args.db}; {args.repeat} warm calls each; times in ms")
    print("| endpoint | API cold | API p50 | API p95 | SQL cold | SQL p50 | SQL p95 | p50 ratio API/SQL |")
    print("|---|---|---|---|---|---|---|---|")
    for name, through_api, direct in rows:
        # SQL first, so the API's cold call is not helped by a cache the SQL run could not use.
        sql_cold, sql_warm = timings(direct, args.repeat)
        api_cold, api_warm = timings(through_api, args.repeat)
        print(
            f"| {name} | {api_cold * 1000:.1f} | {pct(api_warm, 0.5):.1f} | {pct(api_warm, 0.95):.1f} "
            f"| {sql_cold * 1000:.1f} | {pct(sql_warm, 0.5):.1f} | {pct(sql_warm, 0.95):.1f} "
            f"| {statistics.median(api_warm) / statistics.median(sql_warm):.2f} |"
        )


if __name__ == "__main__":
    main()
