"""Fixtures of the asylum tests: payload files and a fake HTTP server on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from warduty.asylum.fetch import api_options
from warduty.crawl.client import ArchiveHook, HttpClient

# (status, body) or (status, body, extra headers)
Answer = tuple[int, bytes] | tuple[int, bytes, dict[str, str]]
Route = Callable[[str, dict[str, list[str]]], Answer]


class FakeServer:
    """Answers each GET with ``route(path, query)``; records every request it saw, with the moment it
    arrived (``times``, monotonic clock) and its request line and Host header (``seen``)."""

    def __init__(self) -> None:
        self.route: Route = lambda path, query: (404, b"no route")
        self.requests: list[tuple[str, dict[str, list[str]]]] = []
        self.times: list[float] = []
        self.seen: list[tuple[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.times.append(time.monotonic())
                server.seen.append((self.requestline, self.headers.get("Host", "")))
                parts = urlsplit(self.path)  # a proxied request carries the absolute URL
                query = parse_qs(parts.query)
                server.requests.append((parts.path, query))
                status, body, *extra = server.route(parts.path, query)
                self.send_response(status)
                for name, value in (extra[0] if extra else {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"


@pytest.fixture
def fake_server() -> Iterator[FakeServer]:
    server = FakeServer()
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()
    thread.join(timeout=5)


def api_client(origin: str | None, archive: ArchiveHook | None = None, **changes: object) -> HttpClient:
    """The asylum readers' client, without pauses (no interval, no backoff) unless ``changes`` set them."""
    options = replace(api_options(origin=origin, interval=0, global_interval=0), **{"backoff": 0, **changes})
    return HttpClient(options, archive=archive)
