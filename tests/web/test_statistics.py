"""The web layer shows the numbers of ``warduty.stats`` and ``warduty.report``, computed on the same
database; the figure cache computes each figure once and the warm-up thread fills it."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from html import escape
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, insert

from tests.web.conftest import AS_OF, DemoDb, make_client
from warduty.stats import Filters, Metric, MoscowReading, monthly_series, record, region_ranking
from warduty.stats.figures import compute
from warduty.store import make_engine
from warduty.store.schema import runs
from warduty.web import create_app
from warduty.web.context import FigureCache
from warduty.web.statistics import GROUP_ARTICLES, briefing_month


@pytest.fixture(scope="module")
def engine(demo_db: DemoDb) -> Iterator[Engine]:
    engine = make_engine(demo_db.url)
    yield engine
    engine.dispose()


def _walk(client: TestClient, url: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    while True:
        body = client.get(url).json()
        assert body["ok"] is True, body
        rows += body["data"]
        if body["next"] is None:
            return rows
        url = url.split("&cursor=")[0] + f"&cursor={body['next']}"


@pytest.mark.parametrize("metric", ["received", "sentences"])
def test_series_for_337_equals_stats_monthly_series(
    client: TestClient, engine: Engine, metric: Metric
) -> None:
    with engine.connect() as connection:
        want = monthly_series(connection, metric, Filters(("337",), until=AS_OF), "2021-01", "2024-04")
        desertion = monthly_series(connection, metric, Filters(("338",), until=AS_OF), "2021-01", "2024-04")
    assert sum(m.value for m in want) > 20
    alone = client.get(f"/api/v1/series?metric={metric}&article=337&group_by=none").json()["data"]
    assert [(m["month"], m["count"]) for m in alone] == [(m.month, m.value) for m in want]
    grouped = client.get(f"/api/v1/series?metric={metric}").json()["data"]
    for group, expected in (("awol", want), ("desertion", desertion)):
        got = [(m["month"], m["count"]) for m in grouped if m["group"] == group]
        assert got == [(m.month, m.value) for m in expected], group


def test_insubordination_counts_both_of_its_articles_once(client: TestClient, engine: Engine) -> None:
    assert GROUP_ARTICLES["insubordination"] == ("332", "333")
    with engine.connect() as connection:
        want = monthly_series(
            connection, "received", Filters(("332", "333"), until=AS_OF), "2021-01", "2024-04"
        )
    got = client.get("/api/v1/series?group=insubordination").json()["data"]
    assert [(m["month"], m["count"]) for m in got] == [(m.month, m.value) for m in want]


def test_overview_record_month_is_the_stats_record(client: TestClient, engine: Engine) -> None:
    overview = client.get("/api/v1/overview").json()["data"]
    month = overview["latest_month"]
    assert month == briefing_month(AS_OF) == "2024-03"
    records = {(r["metric"], r["group"]): r for r in overview["records"]}
    with engine.connect() as connection:
        for metric in ("received", "sentences"):
            series = monthly_series(connection, metric, Filters(("337",), until=AS_OF), "2021-01", month)
            want = record(series, month).to_dict()
            got = {
                k: v
                for k, v in records[(metric, "awol")].items()
                if k not in ("metric", "group", "text", "text_ru")
            }
            assert got == want, metric
    assert client.get("/api/v1/records").json()["data"] == overview["records"]
    page = client.get("/").text
    banner = records[("received", "awol")]
    assert 'id="latest-month">2024-03<' in page
    # the banner says what is notable, in the one record wording the API gives as its text
    assert escape(banner["text"]) in page and "больше всего с" in banner["text_ru"], banner


def test_incomplete_months_and_nowcasts_are_the_briefings(client: TestClient, engine: Engine) -> None:
    data = compute(engine, "2024-03", AS_OF)
    for view in (data.received, data.sentences):
        points = client.get(f"/api/v1/series?metric={view.metric}&group=awol").json()["data"]
        marked = {m["month"]: m["nowcast"] for m in points if m["incomplete"]}
        assert set(marked) == set(view.nowcasts) | {"2024-04"}, view.metric
        for month, estimate in view.nowcasts.items():
            assert marked[month] == estimate.to_dict()


def test_briefing_figures_are_the_reports(client: TestClient, engine: Engine) -> None:
    body = client.get("/api/v1/briefing/figures?month=2024-02&as_of=2024-04-12").json()
    assert body["meta"]["month"] == "2024-02" and body["meta"]["as_of"] == "2024-04-12"
    want = [f.to_dict() for f in compute(engine, "2024-02", AS_OF).figures]
    got = [{k: v for k, v in row.items() if k not in ("id", "cases_url")} for row in body["data"]]
    assert got == want
    assert "received" in body["meta"]["definitions"]
    default = client.get("/api/v1/briefing/figures").json()
    assert default["meta"]["month"] == "2024-03"
    by_key = {row["key"]: row for row in default["data"]}
    received = by_key["received_month"]
    listed = _walk(client, received["cases_url"].replace("/cases?", "/api/v1/cases?limit=100&"))
    assert len(listed) == received["value"] > 0
    region = by_key["region_oblast_1"]
    listed = _walk(client, region["cases_url"].replace("/cases?", "/api/v1/cases?limit=100&"))
    assert len(listed) == region["value"]["value"]
    page = client.get("/briefing?month=2024-02&as_of=2024-04-12&lang=ru").text
    assert "received_month" in page and "Поступившие дела" in page


@pytest.mark.parametrize(
    "query",
    [
        "month=2024-13",
        "month=2024-5",
        "month=2024-05&as_of=2024-04-12",
        "month=2019-01&as_of=2024-04-12",
        "as_of=0001-01-01",
        "as_of=2024-02-30",
        "as_of=9999-12-31",
        "month=%00",
    ],
)
def test_briefing_figures_refuse_bad_parameters(client: TestClient, query: str) -> None:
    response = client.get(f"/api/v1/briefing/figures?{query}")
    assert response.status_code == 400, response.text
    assert response.json()["ok"] is False
    assert client.get(f"/briefing?{query}").status_code == 400


@pytest.mark.parametrize("moscow", ["oblast", "city_and_oblast"])
def test_regions_are_the_stats_ranking(client: TestClient, engine: Engine, moscow: MoscowReading) -> None:
    window = Filters(("337",), since=date(2022, 9, 21), until=AS_OF)
    with engine.connect() as connection:
        want = region_ranking(connection, "received", window, moscow)
    got = client.get(f"/api/v1/regions?moscow={moscow}").json()["data"]
    assert got == [r.to_dict() for r in want] and got


def test_cache_computes_each_figure_once_and_stays_bounded() -> None:
    cache = FigureCache(limit=3)
    calls: list[str] = []
    gate = threading.Event()

    def slow() -> str:
        calls.append("slow")
        gate.wait(5)
        return "value"

    results: list[str] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get(("v1",), "k", slow))) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    time.sleep(0.1)
    gate.set()
    for thread in threads:
        thread.join(5)
    assert results == ["value"] * 4 and calls == ["slow"]

    cache.get(("v1",), "pinned", lambda: "p", pin=True)
    for i in range(10):
        cache.get(("v1",), ("free", i), _constant(i))
    assert len(cache.entries) == 3 and ("free", 9) in cache.entries and ("free", 0) not in cache.entries
    assert cache.get(("v1",), "pinned", lambda: "recomputed") == "p"
    assert cache.get(("v2",), "pinned", lambda: "new") == "new"  # a new data version starts afresh


def test_cache_answers_from_the_previous_data_only_while_a_warm_up_computes_the_new() -> None:
    cache = FigureCache()
    assert cache.get(("v1",), "overview", lambda: "old", pin=True) == "old"
    assert cache.get(("v2",), "overview", lambda: "new", stale_ok=True) == "new"  # no warm-up: computed
    cache = FigureCache(serve_stale=True)
    cache.get(("v1",), "overview", lambda: "old", pin=True)
    cache.get(("v1",), "free", lambda: "unpinned")
    assert cache.get(("v2",), "overview", _fail, stale_ok=True) == "old"
    assert cache.get(("v2",), "free", lambda: "computed", stale_ok=True) == "computed"
    assert cache.get(("v2",), "overview", lambda: "new", pin=True) == "new"  # what the warm-up does
    assert cache.get(("v2",), "overview", _fail, stale_ok=True) == "new"
    assert cache.get(("v3",), "overview", _fail, stale_ok=True) == "new"


def test_cache_recovers_when_a_computation_fails() -> None:
    cache = FigureCache()
    with pytest.raises(RuntimeError):
        cache.get(("v",), "k", _fail)
    assert cache.get(("v",), "k", lambda: 7) == 7
    assert cache.pending == {}


def _constant(value: int) -> Callable[[], int]:
    return lambda: value


def _fail() -> str:
    raise RuntimeError("database went away")


def test_warm_up_fills_the_cache_at_start_and_after_a_run(demo_db: DemoDb, tmp_path: Path) -> None:
    copy = tmp_path / "warm.sqlite"
    with sqlite3.connect(demo_db.url.removeprefix("sqlite:///")) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    settings = demo_db.settings(db=f"sqlite:///{copy}", data_dir=tmp_path)
    application = create_app(settings, rate=10_000, burst=10_000, warm_poll=60.0)
    warmer, context = application.state.warmer, application.state.web
    with make_client(application) as client:  # runs the lifespan: the warm-up thread starts
        assert warmer.wait_idle(60)
        assert warmer.rounds == 1 and "overview" in context.cache.pinned
        assert ("briefing", "2024-03", AS_OF) in context.cache.pinned
        with context.engine.begin() as connection:
            connection.execute(insert(runs).values(kind="load", started_at=datetime.now(UTC), status="done"))
        context.data_changed()  # what the admin crawl does when it ends
        deadline = time.monotonic() + 60
        while warmer.rounds < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert warmer.rounds == 2 and warmer.wait_idle(60)
        assert context.cache.version == context.version() and "overview" in context.cache.pinned
        assert client.get("/api/v1/overview").json()["data"]["latest_month"] == "2024-03"
