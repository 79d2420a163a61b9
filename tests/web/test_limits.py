"""Web limits (issue 16): forwarded headers believed only from configured proxies, the rate limit on the
real client, and expensive figures computed once per data version with a per-client cost limit."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from typer.testing import CliRunner

from tests.web.conftest import DemoDb, serving
from warduty.cli import app as cli_app
from warduty.stats.figures import BriefingData
from warduty.web import create_app, statistics
from warduty.web.context import FigureCache
from warduty.web.security import CostLimit, OverCostLimit, check_forwarded_allow_ips

PROXY = "10.0.0.2"
FIGURES = "/api/v1/briefing/figures"


def _client(app: FastAPI, peer: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(peer, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def _codes(app: FastAPI, peer: str, forwarded: list[str]) -> list[int]:
    async with _client(app, peer) as client:
        return [
            (await client.get("/api/v1/runs", headers={"x-forwarded-for": f})).status_code for f in forwarded
        ]


def test_rotating_x_forwarded_for_from_an_untrusted_peer_does_not_escape_the_limit(demo_db: DemoDb) -> None:
    rotating = [f"203.0.113.{i}" for i in range(8)]
    # The default trusts no one, 127.0.0.1 included (uvicorn's own default would trust it).
    for peer in ("127.0.0.1", "198.51.100.9"):
        app = create_app(demo_db.settings(), rate=0.01, burst=3, warm=False)
        assert asyncio.run(_codes(app, peer, rotating)) == [200] * 3 + [429] * 5
    # A proxy is configured, but this peer is not it.
    app = create_app(demo_db.settings(forwarded_allow_ips=PROXY), rate=0.01, burst=3, warm=False)
    assert asyncio.run(_codes(app, "198.51.100.9", rotating)) == [200] * 3 + [429] * 5


def test_behind_a_trusted_proxy_the_limit_keys_on_the_forwarded_client(demo_db: DemoDb) -> None:
    app = create_app(
        demo_db.settings(forwarded_allow_ips=f"{PROXY},10.1.0.0/16"), rate=0.01, burst=3, warm=False
    )
    # Different clients behind the proxy: a bucket each.
    assert asyncio.run(_codes(app, PROXY, [f"203.0.113.{i}" for i in range(8)])) == [200] * 8
    # One client behind the proxy is limited however it rotates what it puts in front of its address:
    # the rightmost address not of a trusted proxy is the client.
    spoofed = [f"192.0.2.{i}, 198.51.100.7, 10.1.2.3" for i in range(6)]
    assert asyncio.run(_codes(app, PROXY, spoofed)) == [200] * 3 + [429] * 3


def test_warduty_serve_ignores_x_forwarded_for_from_localhost(demo_db: DemoDb) -> None:
    """The deployed server (uvicorn), from 127.0.0.1, which uvicorn's own default would trust."""
    with serving(demo_db, "--rate", "0.01") as origin:  # a burst of 1
        codes = [
            httpx.get(origin + "/api/v1/runs", headers={"x-forwarded-for": f"203.0.113.{i}"}).status_code
            for i in range(4)
        ]
    assert codes == [200, 429, 429, 429]
    with serving(demo_db, "--rate", "0.01", "--forwarded-allow-ips", "127.0.0.1") as origin:
        codes = [
            httpx.get(origin + "/api/v1/runs", headers={"x-forwarded-for": f"203.0.113.{i}"}).status_code
            for i in range(4)
        ]
    assert codes == [200] * 4  # a configured proxy: each forwarded client has its own bucket


def test_forwarded_allow_ips_is_checked() -> None:
    assert check_forwarded_allow_ips(" 10.0.0.1, 10.2.0.0/16 ") == "10.0.0.1,10.2.0.0/16"
    assert check_forwarded_allow_ips("10.0.0.1,*") == "*"
    assert check_forwarded_allow_ips("") == ""
    with pytest.raises(ValueError, match=r"'proxy\.local' is not an IP address"):
        check_forwarded_allow_ips("10.0.0.1,proxy.local")


def test_serve_passes_the_trusted_proxies_and_turns_uvicorns_own_off(
    demo_db: DemoDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append((app, kwargs)))
    monkeypatch.setenv("WARDUTY_DATA_DIR", str(demo_db.data_dir))
    monkeypatch.setenv("WARDUTY_DB", demo_db.url)
    runner = CliRunner()
    result = runner.invoke(cli_app, ["serve", "--forwarded-allow-ips", "10.0.0.0/8"])
    assert result.exit_code == 0, result.output
    ((application, kwargs),) = calls
    assert kwargs["proxy_headers"] is False and kwargs["forwarded_allow_ips"] == ""
    assert application.state.web.settings.forwarded_allow_ips == "10.0.0.0/8"
    bad = runner.invoke(cli_app, ["serve", "--forwarded-allow-ips", "proxy.local"])
    assert bad.exit_code != 0 and "is not an IP address or network" in bad.output
    assert "Traceback" not in bad.output and len(calls) == 1


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """``statistics.briefing_data`` counting its calls, each held until ``release`` is set."""
    state: dict[str, Any] = {"calls": 0, "release": threading.Event(), "lock": threading.Lock()}
    state["running"] = threading.Semaphore(0)
    original = statistics.briefing_data

    def briefing_data(engine: Any, month: str, as_of: date) -> BriefingData:
        with state["lock"]:
            state["calls"] += 1
        state["running"].release()
        assert state["release"].wait(30)
        return original(engine, month, as_of)

    monkeypatch.setattr(statistics, "briefing_data", briefing_data)
    yield state
    state["release"].set()


def test_identical_uncached_requests_share_one_computation(demo_db: DemoDb, counted: dict[str, Any]) -> None:
    app = create_app(demo_db.settings(), rate=10_000, burst=10_000, warm=False)

    async def scenario() -> list[httpx.Response]:
        async with _client(app, "198.51.100.1") as client:
            requests = [
                asyncio.create_task(client.get(FIGURES, params={"as_of": "2024-03-31"})) for _ in range(8)
            ]
            assert await asyncio.to_thread(counted["running"].acquire, True, 30)
            await asyncio.sleep(0.3)  # the other seven have arrived and wait
            counted["release"].set()
            return list(await asyncio.gather(*requests))

    responses = asyncio.run(scenario())
    assert [r.status_code for r in responses] == [200] * 8
    assert counted["calls"] == 1
    assert len({r.text for r in responses}) == 1 and len(responses[0].json()["data"]) > 5


def test_a_client_over_its_cost_limit_gets_429_and_others_are_served(
    demo_db: DemoDb, counted: dict[str, Any]
) -> None:
    app = create_app(demo_db.settings(cost_limit=2), rate=10_000, burst=10_000, warm=False)
    heavy, victim = "198.51.100.66", "198.51.100.7"

    async def scenario() -> dict[str, Any]:
        async with _client(app, heavy) as attacker, _client(app, victim) as other:
            await other.get("/api/v1/courts")  # the cheap figures' cache filled before the load
            first = [
                asyncio.create_task(attacker.get(FIGURES, params={"as_of": f"2024-03-{day}"}))
                for day in (30, 31)
            ]
            for _ in first:
                assert await asyncio.to_thread(counted["running"].acquire, True, 30)
            third = await attacker.get(FIGURES, params={"as_of": "2024-03-29"})  # a third at once: refused
            page = await attacker.get("/briefing", params={"as_of": "2024-03-28"})
            cheap = await other.get("/api/v1/courts")  # the victim is not behind the attacker's queue
            cheap_cases = await other.get("/api/v1/cases", params={"limit": 5})
            own = asyncio.create_task(other.get(FIGURES, params={"as_of": "2024-03-27"}))  # its own slot
            assert await asyncio.to_thread(counted["running"].acquire, True, 30)
            counted["release"].set()
            done = await asyncio.gather(*first, own)
            after = await attacker.get(FIGURES, params={"as_of": "2024-03-29"})  # slots free again
            return {"third": third, "page": page, "cheap": [cheap, cheap_cases], "done": done, "after": after}

    out = asyncio.run(scenario())
    third = out["third"]
    assert third.status_code == 429
    assert third.json()["error"]["retry_after"] == int(third.headers["retry-after"]) >= 1
    assert out["page"].status_code == 429 and "retry-after" in out["page"].headers
    assert [r.status_code for r in out["cheap"]] == [200, 200]
    assert [r.status_code for r in out["done"]] == [200, 200, 200]
    assert out["after"].status_code == 200
    assert counted["calls"] == 4  # 30, 31, 27 and 29 (after): the refused ones computed nothing


def test_waiting_requests_of_one_client_are_bounded(demo_db: DemoDb, counted: dict[str, Any]) -> None:
    """Requests waiting for a figure cost no CPU but hold a worker thread each: one client may have at
    most ``max_in_flight`` unanswered, and another client is still served."""
    app = create_app(demo_db.settings(), rate=10_000, burst=10_000, max_in_flight=3, warm=False)

    async def scenario() -> tuple[list[int], int, int]:
        async with _client(app, "198.51.100.66") as heavy, _client(app, "198.51.100.7") as other:
            waiting = [
                asyncio.create_task(heavy.get(FIGURES, params={"as_of": "2024-03-31"})) for _ in range(3)
            ]
            assert await asyncio.to_thread(counted["running"].acquire, True, 30)
            await asyncio.sleep(0.3)
            fourth = (await heavy.get("/api/v1/runs")).status_code
            served = (await other.get("/api/v1/runs")).status_code
            counted["release"].set()
            return [r.status_code for r in await asyncio.gather(*waiting)], fourth, served

    done, fourth, served = asyncio.run(scenario())
    assert done == [200, 200, 200] and fourth == 429 and served == 200 and counted["calls"] == 1


def test_cost_limit_unit() -> None:
    limit = CostLimit(per_client=1, retry_after=3)
    with limit.slot("a"):
        with limit.slot("a"):  # nested: the caller's slot
            assert limit.running("a") == 1
        with limit.slot("b"):
            pass
        assert limit.running("b") == 0
    with limit.slot("a"), pytest.raises(OverCostLimit) as refused:
        # A second computation of the same client from another thread (another request).
        result: list[BaseException] = []

        def other() -> None:
            try:
                with limit.slot("a"):
                    pass
            except OverCostLimit as exc:
                result.append(exc)

        worker = threading.Thread(target=other)
        worker.start()
        worker.join()
        raise result[0]
    assert refused.value.retry_after == 3 and limit.running("a") == 0
    with limit.slot(None), limit.slot(None):  # the server's own work is not limited
        pass


def test_cache_waiters_do_not_enter_the_guard_and_one_refused_leader_lets_another_compute() -> None:
    cache = FigureCache()
    entered: list[str] = []
    refuse = threading.Event()
    refuse.set()

    class Guard:
        def __init__(self, who: str) -> None:
            self.who = who

        def __enter__(self) -> None:
            entered.append(self.who)
            if refuse.is_set() and self.who == "a":
                raise OverCostLimit(1)

        def __exit__(self, *args: object) -> None:
            return None

    with pytest.raises(OverCostLimit):
        cache.get((1,), "k", lambda: 1, guard=lambda: Guard("a"))
    assert cache.pending == {}  # nothing left that a later request would wait for
    values = []
    gate = threading.Event()

    def slow() -> int:
        gate.wait(5)
        return 2

    workers = [
        threading.Thread(target=lambda w=w: values.append(cache.get((1,), "k", slow, guard=lambda: Guard(w))))
        for w in "bcd"
    ]
    for worker in workers:
        worker.start()
    time.sleep(0.2)
    gate.set()
    for worker in workers:
        worker.join()
    assert values == [2, 2, 2] and entered.count("a") == 1 and len(entered) == 2
