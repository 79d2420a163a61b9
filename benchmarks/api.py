"""p50/p95 latency of the main API endpoints on a big database, beside the same work done directly.

Build the database first (``benchmarks/bigdb.py``), then:

    .venv/bin/python benchmarks/api.py /tmp/big.sqlite [--repeat 30] [--direct-repeat 3]

Each endpoint is called in process (Starlette TestClient, no network). Two applications on the same
database, measured one after the other:

- *no warm-up*: the lifespan does not run, so nothing is computed before the first request; its first
  call is the cold cost a visitor would pay without the warm-up thread;
- *warm-up at start*: the lifespan runs and the warm-up thread starts; the first overview is asked at
  once (it waits for the warm-up already computing it), then the warm-up is let finish and the warm
  calls are timed.

"direct" runs the same work without the web layer or its cache: the statistics through a fresh figure
cache (so nothing is reused between calls), the case queries on a plain connection.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, func, insert, select

from warduty.config import Settings
from warduty.stats import MOBILISATION_START
from warduty.store import make_engine
from warduty.store.schema import cases, runs
from warduty.web import create_app, queries
from warduty.web.context import FigureCache, WebContext
from warduty.web.statistics import SeriesQuery


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


def api(client: TestClient, path: str) -> Callable[[], object]:
    def run() -> object:
        response = client.get(path)
        assert response.status_code == 200, (path, response.text[:200])
        return response

    return run


def fresh(context: WebContext) -> WebContext:
    """The same context with an empty cache of its own: every figure computed again."""
    return WebContext(context.settings, context.engine, context.pseudonyms, FigureCache())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--direct-repeat", type=int, default=3, help="warm calls of the slow direct runs")
    args = parser.parse_args()
    url = f"sqlite:///{args.db}"
    engine = make_engine(url)
    with engine.connect() as connection:
        total = connection.execute(select(func.count()).select_from(cases)).scalar_one()
        middle = connection.execute(select(func.max(cases.c.id))).scalar_one() // 2
    settings = Settings(data_dir=Path(tempfile.mkdtemp()), db=url)
    print(f"{total:,} cases in {args.db}; times in ms")
    startup(settings, engine)
    endpoints(settings, engine, middle, args.repeat, args.direct_repeat)


def startup(settings: Settings, engine: Engine) -> None:
    """The first overview with and without the warm-up thread, and how long the warm-up takes."""
    cold_app = create_app(settings, engine=engine, rate=1e9, burst=1e9, warm=False)
    client = TestClient(cold_app)  # not entered: no lifespan, no warm-up
    start = time.perf_counter()
    api(client, "/api/v1/overview")()
    no_warm = time.perf_counter() - start
    cold_app.state.web.cache = FigureCache()

    warm_app: FastAPI = create_app(settings, engine=engine, rate=1e9, burst=1e9)
    with TestClient(warm_app) as client:
        started = time.perf_counter()
        api(client, "/api/v1/overview")()
        first = time.perf_counter() - started
        assert warm_app.state.warmer.wait_idle(600)
        warmed = time.perf_counter() - started
        after = timings(api(client, "/api/v1/overview"), 30)
        during, rewarm = after_a_run(warm_app, client)
    print()
    print("| overview | ms |")
    print("|---|---|")
    print(f"| first call, no warm-up thread (cold) | {no_warm * 1000:.1f} |")
    print(f"| first call at start-up, warm-up thread running (waits for it) | {first * 1000:.1f} |")
    print(
        f"| warm-up complete (overview, courts, asylum, default briefing) after start | {warmed * 1000:.1f} |"
    )
    print(f"| first call after the warm-up | {after[0] * 1000:.1f} |")
    print(
        f"| p50 / p95 of 30 calls after the warm-up | {pct(after[1], 0.5):.1f} / {pct(after[1], 0.95):.1f} |"
    )
    print(f"| a run ends: warm-up of the new data version | {rewarm * 1000:.1f} |")
    print(f"| p50 / p95 / max of {len(during)} calls during that warm-up (previous data's figures) "
          f"| {pct(during, 0.5):.1f} / {pct(during, 0.95):.1f} / {max(during) * 1000:.1f} |")  # fmt: skip


def after_a_run(application: FastAPI, client: TestClient) -> tuple[list[float], float]:
    """A run row appears (as when a crawl ends) and the warm-up is told; the overview is asked for over
    and over until the new figures are warm. The run row is deleted afterwards."""
    context: WebContext = application.state.web
    now = datetime.now(UTC)
    with context.engine.begin() as connection:
        run_id = connection.execute(
            insert(runs)
            .values(kind="load", started_at=now, finished_at=now, status="done")
            .returning(runs.c.id)
        ).scalar_one()
    try:
        started = time.perf_counter()
        context.data_changed()
        calls: list[float] = []
        call = api(client, "/api/v1/overview")
        while not application.state.warmer.wait_idle(0) or not calls:
            begin = time.perf_counter()
            call()
            calls.append(time.perf_counter() - begin)
            time.sleep(0.01)
        return calls, time.perf_counter() - started
    finally:
        with context.engine.begin() as connection:
            connection.execute(delete(runs).where(runs.c.id == run_id))


def endpoints(settings: Settings, engine: Engine, middle: int, repeat: int, direct_repeat: int) -> None:
    application = create_app(settings, engine=engine, rate=1e9, burst=1e9, warm=False)
    client = TestClient(application)
    context: WebContext = application.state.web
    as_of = context.as_of()
    everything = queries.CaseFilters()
    awol = queries.CaseFilters(group="awol", received_from=as_of.replace(month=1, day=1) if as_of else None)
    court = queries.CaseFilters(court="77GV0017")

    def sql(function: Callable[..., object], *a: object, **k: object) -> Callable[[], object]:
        def run() -> object:
            with engine.connect() as connection:
                return function(connection, *a, **k)

        return run

    def direct(compute: Callable[[WebContext], object]) -> Callable[[], object]:
        return lambda: compute(fresh(context))

    awol_query = f"/api/v1/cases?limit=50&group=awol&received_from={awol.received_from}"
    rows: list[tuple[str, Callable[[], object], Callable[[], object], bool]] = [
        ("overview", api(client, "/api/v1/overview"), direct(lambda c: c.overview()), True),
        ("series (received, by group)", api(client, "/api/v1/series"),
         direct(lambda c: c.series(SeriesQuery("received"))), True),
        ("regions (art. 337 since mobilisation)", api(client, "/api/v1/regions"),
         direct(lambda c: c.regions("received", ("337",), MOBILISATION_START, as_of, "oblast")), True),
        ("briefing figures (default month)", api(client, "/api/v1/briefing/figures"),
         direct(lambda c: c.briefing(None, None)), True),
        ("cases list (50)", api(client, "/api/v1/cases?limit=50"),
         sql(queries.list_cases, everything, after=None, limit=50), False),
        ("cases, awol this year", api(client, awol_query),
         sql(queries.list_cases, awol, after=None, limit=50), False),
        ("cases, court 77GV0017", api(client, "/api/v1/cases?limit=50&court=77GV0017"),
         sql(queries.list_cases, court, after=None, limit=50), False),
        ("case detail", api(client, f"/api/v1/cases/{middle}"), sql(queries.case_detail, middle), False),
        ("courts", api(client, "/api/v1/courts"), sql(queries.courts_with_freshness), True),
    ]  # fmt: skip
    print()
    print(f"API: {repeat} warm calls each, no warm-up thread (cold = first call); direct: "
          f"{direct_repeat} warm calls of the statistics, {repeat} of the case queries")  # fmt: skip
    print(
        "| endpoint | API cold | API p50 | API p95 | direct cold | direct p50 | direct p95 | p50 API/direct |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, through_api, plain, slow in rows:
        # Direct first, so the API's cold call is not helped by a cache the direct run could not use.
        direct_cold, direct_warm = timings(plain, direct_repeat if slow else repeat)
        api_cold, api_warm = timings(through_api, repeat)
        print(
            f"| {name} | {api_cold * 1000:.1f} | {pct(api_warm, 0.5):.1f} | {pct(api_warm, 0.95):.1f} "
            f"| {direct_cold * 1000:.1f} | {pct(direct_warm, 0.5):.1f} | {pct(direct_warm, 0.95):.1f} "
            f"| {statistics.median(api_warm) / statistics.median(direct_warm):.2f} |"
        )


if __name__ == "__main__":
    main()
