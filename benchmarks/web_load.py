"""A victim's latency while another client keeps expensive figure requests in flight (issue 16).

``warduty serve`` runs in a process of its own on the given database, told to believe 127.0.0.1 as a
proxy so that the two clients of this script are two clients to it (X-Forwarded-For 10.0.0.66 and
10.0.0.7). The attacker keeps ``--attackers`` requests for briefing figures in flight, each for an as-of
date not asked before (so never cached); the victim asks a cheap endpoint one request at a time. The
victim's p50/p95 are measured idle, then under the attack with the default cost limit, and under the
attack without one (``cost_limit`` 1000, what one client could do before). Usage:

    .venv/bin/python benchmarks/web_load.py /tmp/big.sqlite [--seconds 20] [--attackers 8]
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import httpx

from warduty.replica.process import free_port

VICTIM = {"x-forwarded-for": "10.0.0.7"}
ATTACKER = {"x-forwarded-for": "10.0.0.66"}
CHEAP = "/api/v1/cases?limit=20"


@contextmanager
def server(db: Path, cost_limit: int) -> Iterator[str]:
    port = free_port()
    data = Path(tempfile.mkdtemp(prefix="warduty-load-"))
    env = {**os.environ, "WARDUTY_DATA_DIR": str(data), "WARDUTY_DB": f"sqlite:///{db}",
           "WARDUTY_COST_LIMIT": str(cost_limit)}  # fmt: skip
    command = [sys.executable, "-c", "from warduty.cli import main; main()", "serve", "--port", str(port),
               "--rate", "100000", "--forwarded-allow-ips", "127.0.0.1"]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    origin = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                # The overview waits for the warm-up's figures: when it answers, the server is idle.
                if httpx.get(origin + "/api/v1/overview", timeout=300).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        time.sleep(5)  # the default briefing is warmed after the overview
        yield origin
    finally:
        process.terminate()
        process.wait(timeout=30)


def victim(origin: str, seconds: float) -> list[float]:
    times = []
    end = time.monotonic() + seconds
    with httpx.Client(base_url=origin, headers=VICTIM, timeout=60) as client:
        while time.monotonic() < end:
            start = time.perf_counter()
            assert client.get(CHEAP).status_code == 200
            times.append((time.perf_counter() - start) * 1000)
    return times


def attack(origin: str, stop: threading.Event, days: Iterator[date], codes: Counter[int]) -> None:
    with httpx.Client(base_url=origin, headers=ATTACKER, timeout=300) as client:
        while not stop.is_set():
            as_of = next(days).isoformat()
            status = client.get("/api/v1/briefing/figures", params={"as_of": as_of}).status_code
            codes[status] += 1
            if status == 429:
                time.sleep(0.05)  # as soon as a slot may be free, not a busy loop


def measure(origin: str, seconds: float, attackers: int) -> tuple[list[float], Counter[int]]:
    codes: Counter[int] = Counter()
    stop = threading.Event()
    start = date(2023, 1, 1)
    days = (start + timedelta(days=i) for i in itertools.count())  # next() under the GIL: each once
    threads = [threading.Thread(target=attack, args=(origin, stop, days, codes)) for _ in range(attackers)]
    for thread in threads:
        thread.start()
    if attackers:
        time.sleep(1.0)  # the attack in flight before the victim starts
    try:
        return victim(origin, seconds), codes
    finally:
        stop.set()
        for thread in threads:
            thread.join()


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("db", type=Path)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--attackers", type=int, default=8)
    args = parser.parse_args()
    print(f"victim: GET {CHEAP}, {args.seconds:.0f} s each; attacker: {args.attackers} figure requests")
    print("| situation | victim requests | p50 ms | p95 ms | attacker answers |")
    print("|---|---|---|---|---|")
    for label, cost_limit, attackers in [
        ("idle", 2, 0),
        ("under attack, cost limit 1 (default)", 1, args.attackers),
        ("under attack, cost limit 2", 2, args.attackers),
        ("under attack, no cost limit (1000)", 1000, args.attackers),
    ]:
        with server(args.db, cost_limit) as origin:
            times, codes = measure(origin, args.seconds, attackers)
        p50 = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[-1]
        answers = ", ".join(f"{n}x {code}" for code, n in sorted(codes.items())) or "-"
        print(f"| {label} | {len(times)} | {p50:.1f} | {p95:.1f} | {answers} |", flush=True)


if __name__ == "__main__":
    main()
