"""CPU per request of the crawler's HTTP client (aiohttp) beside httpx, the client it replaced, in one run.

A keep-alive server in its own process (uvicorn) answers every GET with the same 27 kB page; each client
fetches it ``--requests`` times one after the other (as a court's requests go), reading the body as a
stream as the crawler does, over two alternating rounds. The CPU time is the client process's own.

    .venv/bin/python benchmarks/http_clients.py [--requests 2000]

httpx is a test dependency of warduty (FastAPI's TestClient), so it is there to compare.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
import httpx

from warduty.replica.process import free_port

APP = """
BODY = bytes(range(256)) * 105
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    headers = [(b"content-type", b"text/html"), (b"content-length", str(len(BODY)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": BODY})
"""


async def with_httpx(url: str, requests: int) -> None:
    limits = httpx.Limits(max_connections=4, max_keepalive_connections=2)
    async with httpx.AsyncClient(limits=limits) as client:
        for _ in range(requests):
            async with client.stream("GET", url, headers={"Host": "gvs.sudrf.ru"}) as response:
                b"".join([chunk async for chunk in response.aiter_bytes()])


async def with_aiohttp(url: str, requests: int) -> None:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=4)) as session:
        for _ in range(requests):
            async with session.get(url, headers={"Host": "gvs.sudrf.ru"}) as response:
                b"".join([chunk async for chunk in response.content.iter_chunked(256 * 1024)])


def cpu_ms(client: Callable[[str, int], Awaitable[None]], url: str, requests: int) -> float:
    started = time.process_time()
    asyncio.run(client(url, requests))
    return 1000 * (time.process_time() - started) / requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "page_app.py").write_text(APP, "utf-8")
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "page_app:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ]
        server = subprocess.Popen(command, cwd=folder)
        try:
            url = f"http://127.0.0.1:{port}/modules.php"
            for _ in range(100):
                try:
                    httpx.get(url, timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            results: dict[str, list[float]] = {"httpx": [], "aiohttp": []}
            for _ in range(2):
                results["httpx"].append(cpu_ms(with_httpx, url, args.requests))
                results["aiohttp"].append(cpu_ms(with_aiohttp, url, args.requests))
        finally:
            server.terminate()
            server.wait()
    old, new = (statistics.median(results[name]) for name in ("httpx", "aiohttp"))
    print(f"httpx:   {old:.3f} ms CPU per request (rounds: {[round(v, 3) for v in results['httpx']]})")
    print(f"aiohttp: {new:.3f} ms CPU per request (rounds: {[round(v, 3) for v in results['aiohttp']]})")
    print(f"aiohttp / httpx: {new / old:.2f}")


if __name__ == "__main__":
    main()
