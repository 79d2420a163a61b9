"""Fault profiles: deterministic for a seed, every kind observable on the wire, politeness counted."""

from __future__ import annotations

import re
import socket
from collections import Counter
from datetime import date

import httpx
import pytest

from tests.replica.synthetic import STANDARD, sample_population
from warduty.courts import load_registry
from warduty.replica.faults import PROFILES, FaultPlan, HostGuard, UnknownProfileError, get_profile
from warduty.replica.server import ReplicaServer

HOST = load_registry().by_code(STANDARD).search_host or ""
SEARCH = "name=sud_delo&srv_num=1&name_op=r&delo_id=1540006&case_type=0&new=0&Submit=%CD%E0%E9%F2%E8"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_unknown_profile_is_a_clear_error() -> None:
    with pytest.raises(UnknownProfileError, match="flaky"):
        get_profile("chaos")


def test_plan_is_deterministic_and_retries_can_succeed() -> None:
    plan = FaultPlan(PROFILES["hostile"], seed=7)
    targets = [f"/modules.php?page={n}" for n in range(2000)]
    first = [plan.decide(HOST, t, 1) for t in targets]
    assert first == [FaultPlan(PROFILES["hostile"], seed=7).decide(HOST, t, 1) for t in targets]
    assert first != [FaultPlan(PROFILES["hostile"], seed=8).decide(HOST, t, 1) for t in targets]
    kinds = Counter(f.kind for f in first if f is not None)
    assert set(kinds) == set(PROFILES["hostile"].rates)
    share = sum(kinds.values()) / len(targets)
    assert 0.15 < share < 0.30  # hostile: about 24 %
    failed = [t for t, f in zip(targets, first, strict=True) if f is not None]
    assert any(plan.decide(HOST, t, 2) is None for t in failed)
    flaky = FaultPlan(PROFILES["flaky"], seed=7)
    assert 0.01 < sum(flaky.decide(HOST, t, 1) is not None for t in targets) / len(targets) < 0.07
    assert all(FaultPlan(PROFILES["none"], seed=7).decide(HOST, t, 1) is None for t in targets)


def test_host_guard_min_interval_and_windows() -> None:
    clock = Clock()
    guard = HostGuard(min_interval=2.0, clock=clock)
    assert not guard.too_fast("a")
    clock.now = 1.0
    assert guard.too_fast("a") and not guard.too_fast("b")
    clock.now = 3.5
    assert not guard.too_fast("a")
    guard.open_window("a", 10)
    clock.now = 13.0
    assert guard.in_window("a") and not guard.in_window("b")
    clock.now = 13.6
    assert not guard.in_window("a")
    assert [guard.next_attempt("a", "/x") for _ in range(3)] == [1, 2, 3]


def test_politeness_violations_get_the_throttle_page_and_are_counted() -> None:
    clock = Clock()
    server = ReplicaServer(sample_population(), as_of=date(2025, 1, 1), min_interval=3.0, clock=clock)
    with server, httpx.Client(base_url=server.origin, headers={"Host": HOST}) as http:
        assert "Всего по запросу" in http.get(f"/modules.php?{SEARCH}").content.decode("cp1251")
        clock.now = 1.0
        throttled = http.get(f"/modules.php?{SEARCH}")
        assert throttled.status_code == 200
        assert "Информация временно недоступна" in throttled.content.decode("cp1251")
        clock.now = 4.5
        assert "Всего по запросу" in http.get(f"/modules.php?{SEARCH}").content.decode("cp1251")
        assert server.politeness_violations() == {HOST: 1}
        assert http.get("/__replica__/stats").json()["politeness_violations"] == {HOST: 1}


def _exchange(port: int, target: str) -> tuple[bytes, bytes]:
    """(head, body) read until the server closes; an empty head is a dropped connection."""
    request = f"GET {target} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode("ascii")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return head, body


def test_hostile_profile_shows_every_fault_on_the_wire() -> None:
    server = ReplicaServer(
        sample_population(),
        as_of=date(2025, 1, 1),
        faults="hostile",
        seed=3,
        slow_delay=0.2,
        throttle_window=0.0,
    )
    seen: Counter[str] = Counter()
    with server:
        assert server.port is not None
        for n in range(300):
            head, body = _exchange(server.port, f"/modules.php?{SEARCH}&u1_case__ENTRY_DATE2D=&x={n}")
            if not head:
                seen["drop"] += 1
                continue
            status = int(head.split(b" ")[1])
            length = int(re.search(rb"Content-Length: (\d+)", head).group(1))  # type: ignore[union-attr]
            if status >= 500:
                seen["server_error"] += 1
            elif status == 429:
                assert b"Retry-After: 120" in head
                seen["rate_limit"] += 1
            elif len(body) < length:
                seen["truncate"] += 1
            elif b"charset=utf-8" in head:
                assert "Всего по запросу".encode("cp1251") in body
                seen["misencoded"] += 1
            elif "Всего по запросу".encode() in body:
                seen["misencoded"] += 1
            elif "Информация временно недоступна".encode("cp1251") in body:
                seen["throttle"] += 1
            else:
                assert "Всего по запросу".encode("cp1251") in body
                seen["ok"] += 1
        stats = server.stats()
    faults = stats["faults"]
    assert isinstance(faults, dict)
    for kind in ("drop", "server_error", "rate_limit", "truncate", "misencoded"):
        assert seen[kind] == faults.get(kind, 0) > 0, kind
    assert faults.get("slow", 0) > 0 and seen["throttle"] == faults.get("throttle_window", 0)
    assert seen["ok"] > 150


def test_slow_replies_outlast_a_client_timeout() -> None:
    server = ReplicaServer(
        sample_population(), as_of=date(2025, 1, 1), faults="hostile", seed=3, slow_delay=1.0
    )
    plan = server.plan
    targets = (f"/modules.php?{SEARCH}&x={n}" for n in range(5000))
    slow_target = next(
        t
        for t in targets
        if (f := plan.decide(HOST, t, 1)) is not None and f.kind == "slow" and plan.decide(HOST, t, 2) is None
    )
    with server, httpx.Client(base_url=server.origin, headers={"Host": HOST}, timeout=0.3) as http:
        with pytest.raises(httpx.ReadTimeout):
            http.get(slow_target)
        retry = http.get(slow_target)  # the second attempt draws again, and this one passes
        assert retry.status_code == 200 and "Всего по запросу" in retry.content.decode("cp1251")
