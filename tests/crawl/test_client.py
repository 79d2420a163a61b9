from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from tests.crawl.scripted_server import Reply, ScriptedServer
from tests.crawl.socks_server import SocksProxy
from warduty.crawl.archive import ArchiveError, WarcArchive, iter_responses, iter_run, read_response
from warduty.crawl.client import (
    ClientOptions,
    FetchError,
    HttpClient,
    is_throttle_page,
    retry_after_seconds,
)
from warduty.crawl.pacing import Pacer

COURT_URL = "https://gvs--spb.sudrf.ru/modules.php?name=sud_delo&name_op=r"
PATH = "/modules.php?name=sud_delo&name_op=r"
THROTTLE = "<html><body>Информация временно недоступна</body></html>".encode("windows-1251")


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as running:
        yield running


def options(server: ScriptedServer, **overrides: object) -> ClientOptions:
    values: dict[str, object] = {
        "host_interval": 0.0,
        "global_interval": 0.0,
        "timeout": 2.0,
        "retries": 3,
        "backoff": 0.01,
        "cooldown": 0.05,
        "origin": server.origin,
        "seed": 1,
    }
    values.update(overrides)
    return ClientOptions(**values)  # type: ignore[arg-type]


async def test_origin_override_keeps_the_real_host_and_url(server: ScriptedServer) -> None:
    server.script(PATH, Reply(body="Всего по запросу найдено".encode("cp1251")))
    async with HttpClient(options(server)) as client:
        result = await client.get(COURT_URL)
    assert result.ok and result.url == COURT_URL
    assert server.hits[0].host == "gvs--spb.sudrf.ru"
    assert "Mozilla" in server.hits[0].user_agent


async def test_retries_5xx_dropped_and_truncated_then_succeeds(server: ScriptedServer) -> None:
    server.script(
        PATH, Reply(503), Reply(drop=True), Reply(truncate=True, body=b"part"), Reply(body=b"whole")
    )
    async with HttpClient(options(server)) as client:
        result = await client.get(COURT_URL)
    assert result.content == b"whole" and result.attempts == 4
    assert len(server.hits) == 4  # every request the server saw was one of the client's paced attempts


async def test_timeouts_are_retried_and_then_reported(server: ScriptedServer) -> None:
    server.script(PATH, Reply(delay=0.5))
    async with HttpClient(options(server, timeout=0.1, retries=2)) as client:
        with pytest.raises(FetchError, match="Timeout") as info:
            await client.get(COURT_URL)
    assert info.value.attempts == 3


async def test_persistent_5xx_returns_the_last_response(server: ScriptedServer) -> None:
    server.script(PATH, Reply(502, b"bad gateway"))
    async with HttpClient(options(server, retries=1)) as client:
        result = await client.get(COURT_URL)
    assert result.status == 502 and not result.ok and result.attempts == 2


async def test_throttle_page_and_429_rest_the_host(server: ScriptedServer) -> None:
    server.script(PATH, Reply(body=THROTTLE), Reply(429, headers={"Retry-After": "0"}), Reply(body=b"fine"))
    async with HttpClient(options(server, cooldown=0.2)) as client:
        result = await client.get(COURT_URL)
    assert result.content == b"fine"
    gaps = [b.at - a.at for a, b in itertools.pairwise(server.hits)]
    assert all(gap >= 0.19 for gap in gaps), gaps
    assert client.pacer.stats["gvs--spb.sudrf.ru"].cooldowns == 2


async def test_a_huge_retry_after_is_capped_at_the_cooldown_and_logged(
    server: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.script(PATH, Reply(429, headers={"Retry-After": "999999999"}), Reply(body=b"fine"))
    async with HttpClient(options(server, cooldown=0.2)) as client:
        result = await client.get(COURT_URL)
    assert result.content == b"fine"
    (first, second) = server.hits
    assert 0.19 <= second.at - first.at < 5
    assert any("capped at the cooldown" in record.getMessage() for record in caplog.records)


async def test_endless_throttling_is_reported_not_retried_forever(server: ScriptedServer) -> None:
    server.script(PATH, Reply(body=THROTTLE))
    async with HttpClient(options(server, cooldown=0.01, max_cooldowns=2)) as client:
        result = await client.get(COURT_URL)
    assert result.throttled and not result.ok and len(server.hits) == 3


async def test_pacing_per_host_and_globally(server: ScriptedServer) -> None:
    import asyncio

    server.script("/a", Reply())
    async with HttpClient(options(server, host_interval=0.2, global_interval=0.05)) as client:
        urls = [f"https://h{i % 2}--x.sudrf.ru/a" for i in range(6)]
        await asyncio.gather(*(client.get(url) for url in urls))
    by_host: dict[str, list[float]] = {}
    for hit in server.hits:
        by_host.setdefault(hit.host, []).append(hit.at)
    for times in by_host.values():
        gaps = [round(b - a, 3) for a, b in itertools.pairwise(times)]
        # Pacing is exact at send time (see test_pacer_slots); arrival varies with connection setup.
        assert all(gap >= 0.15 for gap in gaps), gaps
    all_times = sorted(h.at for h in server.hits)
    assert all_times[-1] - all_times[0] >= 0.38  # three requests per host, 0.2 s apart


async def test_redirects_stay_on_the_origin(server: ScriptedServer) -> None:
    server.script("/old", Reply(302, headers={"Location": "https://gvs--spb.sudrf.ru/new"}))
    server.script("/new", Reply(body=b"moved"))
    async with HttpClient(options(server)) as client:
        result = await client.get("https://gvs.spb.sudrf.ru/old")
    assert result.content == b"moved" and result.url == "https://gvs--spb.sudrf.ru/new"
    assert [h.host for h in server.hits] == ["gvs.spb.sudrf.ru", "gvs--spb.sudrf.ru"]


async def test_every_response_is_archived_before_it_is_returned(
    server: ScriptedServer, tmp_path: Path
) -> None:
    body = "<html>Всего по запросу найдено — 3</html>".encode("cp1251")
    server.script(
        PATH,
        Reply(500, b"oops"),
        Reply(body=body, headers={"Content-Type": "text/html; charset=windows-1251"}),
    )
    archive = WarcArchive(tmp_path, run_id=7)
    async with HttpClient(options(server), archive=archive) as client:
        result = await client.get(COURT_URL, court_code="78GV0001")
    archive.close()
    stored = list(iter_responses(tmp_path / "run-7" / "78GV0001.warc.gz"))
    assert [r.status for r in stored] == [500, 200]
    assert stored[1].body == body and stored[1].url == COURT_URL and stored[1].court_code == "78GV0001"
    assert result.archive is not None
    again = read_response(result.archive)
    assert again.body == body and again.content_type == "text/html; charset=windows-1251"
    assert [r.status for r in iter_run(tmp_path / "run-7")] == [500, 200]


async def test_pacer_slots_are_exact_with_a_fake_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    sent: list[tuple[str, float]] = []

    async def fake_sleep(seconds: float) -> None:
        now[0] += seconds

    monkeypatch.setattr("warduty.crawl.pacing.asyncio.sleep", fake_sleep)
    pacer = Pacer(host_interval=3.0, global_interval=0.5, clock=lambda: now[0])
    for host in ["a", "b", "a", "c", "a", "b"]:
        await pacer.wait_turn(host)
        sent.append((host, now[0]))
    assert sent == [("a", 100.0), ("b", 100.5), ("a", 103.0), ("c", 103.5), ("a", 106.0), ("b", 106.5)]
    pacer.cool_down("b", 60)
    await pacer.wait_turn("b")
    assert now[0] == 166.5 and pacer.stats["b"].cooldowns == 1


def test_damaged_archives_raise_archive_error(tmp_path: Path) -> None:
    broken = tmp_path / "x.warc.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00garbage")
    with pytest.raises(ArchiveError):
        list(iter_responses(broken))
    with pytest.raises(ArchiveError):
        list(iter_responses(tmp_path / "missing.warc.gz"))


async def test_truncated_archive_keeps_the_records_before_the_damage(
    server: ScriptedServer, tmp_path: Path
) -> None:
    server.script(PATH, Reply(body=b"first"), Reply(body=b"second"))
    archive = WarcArchive(tmp_path, run_id=1)
    async with HttpClient(options(server), archive=archive) as client:
        await client.get(COURT_URL, court_code="C")
        await client.get(COURT_URL, court_code="C")
    archive.close()
    path = tmp_path / "run-1" / "C.warc.gz"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 40])
    seen: list[bytes] = []
    with pytest.raises(ArchiveError, match="damaged"):
        for response in iter_responses(path):
            seen.append(response.body)
    assert seen == [b"first"]


def test_retry_after_and_throttle_detection() -> None:
    now = datetime(2024, 4, 12, tzinfo=UTC)
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None
    assert is_throttle_page(429, b"")
    assert is_throttle_page(200, THROTTLE)
    assert is_throttle_page(200, "Информация временно недоступна".encode())
    assert not is_throttle_page(200, b"<html>fine</html>")


def test_origin_must_be_http() -> None:
    with pytest.raises(ValueError, match="origin"):
        HttpClient(ClientOptions(origin="ftp://x"))


async def test_pacer_hands_global_turns_in_line_and_survives_cancelled_waiters() -> None:
    import asyncio

    pacer = Pacer(host_interval=0.05, global_interval=0.01)
    granted: list[tuple[str, float]] = []

    async def fetch(host: str) -> None:
        for _ in range(3):
            await pacer.wait_turn(host)
            granted.append((host, time.monotonic()))

    tasks = [asyncio.create_task(fetch(f"h{i}")) for i in range(30)]
    await asyncio.sleep(0.05)
    doomed = tasks[20:25]
    for task in doomed:
        task.cancel()
    await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout=10)
    assert all(t.done() and not (t.exception() if not t.cancelled() else None) for t in tasks)
    times = [at for _, at in granted]
    assert all(b - a >= 0.0099 for a, b in itertools.pairwise(times)), "two turns closer than the interval"
    per_host: dict[str, list[float]] = {}
    for host, at in granted:
        per_host.setdefault(host, []).append(at)
    assert all(b - a >= 0.0499 for ts in per_host.values() for a, b in itertools.pairwise(ts))
    survivors = {f"h{i}" for i in range(30)} - {f"h{i}" for i in range(20, 25)}
    assert {h for h, ts in per_host.items() if len(ts) == 3} >= survivors
    assert not pacer._line and not pacer._turn_taken  # the line is empty and the turn is free


@pytest.mark.parametrize("scheme", ["socks5h", "socks5"])
async def test_a_socks5_proxy_carries_the_requests(server: ScriptedServer, scheme: str) -> None:
    """``--proxy socks5h://...`` (the proxy resolves names, as one inside Russia must) and ``socks5://``."""
    server.script(PATH, Reply(body=b"through the proxy"), Reply(body=b"again"))
    with SocksProxy() as proxy:
        url = proxy.url.replace("socks5h://", f"{scheme}://")
        async with HttpClient(options(server, proxy=url)) as client:
            first = await client.get(COURT_URL)
            second = await client.get(COURT_URL)
    assert (first.content, second.content) == (b"through the proxy", b"again")
    port = int(server.origin.rsplit(":", 1)[1])
    assert proxy.destinations[0] == ("127.0.0.1", port)  # the origin override: the replica's address
    assert [hit.host for hit in server.hits] == ["gvs--spb.sudrf.ru"] * 2  # the real court host


async def test_socks5h_lets_the_proxy_resolve_the_court_name_and_socks5_does_not(
    server: ScriptedServer,
) -> None:
    """No origin override: the court's name reaches the proxy with socks5h; with socks5 the client resolves
    it itself, which fails where only the proxy knows the name (a clear FetchError, no crash)."""
    port = int(server.origin.rsplit(":", 1)[1])
    url = f"http://gvs--spb.sudrf.test:{port}{PATH}"  # .test never resolves here
    server.script(PATH, Reply(body=b"resolved by the proxy"))
    with SocksProxy(hosts=("gvs--spb.sudrf.test",)) as proxy:
        async with HttpClient(options(server, origin=None, proxy=proxy.url, retries=0)) as client:
            result = await client.get(url)
        assert result.content == b"resolved by the proxy"
        assert proxy.destinations == [("gvs--spb.sudrf.test", port)]
        local = proxy.url.replace("socks5h://", "socks5://")
        async with HttpClient(options(server, origin=None, proxy=local, retries=0)) as client:
            with pytest.raises(FetchError):
                await client.get(url)
        assert len(proxy.destinations) == 1  # the name was never handed to the proxy
