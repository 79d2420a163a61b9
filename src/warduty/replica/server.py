"""The replica's HTTP server: every military court site on one 127.0.0.1 port, routed by ``Host``.

A minimal HTTP/1.1 server on asyncio with keep-alive, because the faults need byte-level control
(dropped connections, bodies cut short under a full Content-Length). The crawler connects to
``http://127.0.0.1:PORT`` and sends the real court host in ``Host`` (or an absolute URL, as to a proxy);
pages are windows-1251 like the live sites. ``GET /__replica__/stats`` returns the counters as JSON;
``GET /__replica__/move?as_of=YYYY-MM-DD`` moves the sites to another day of the same population.

Use :class:`ReplicaServer` as a context manager in tests (it runs in a background thread) or call
:meth:`ReplicaServer.serve_forever` from the CLI.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from http import HTTPStatus
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

from warduty.courts import Court, load_registry
from warduty.replica import chrome, pages
from warduty.replica.captcha import DEFAULT_TTL, CaptchaBook
from warduty.replica.faults import (
    Fault,
    FaultPlan,
    HostGuard,
    ReplicaStats,
    get_profile,
    pick_redesign_court,
)
from warduty.replica.pages_site import Page, PopulationLike, ReplicaSite
from warduty.replica.redesign import REDESIGNED_KINDS, redesign_page

log = logging.getLogger(__name__)

STATS_PATH = "/__replica__/stats"
MOVE_PATH = "/__replica__/move"  # ?as_of=YYYY-MM-DD: the sites as they stand on a later day
MAX_HEADER_BYTES = 64 * 1024
DEFAULT_SLOW_DELAY = 65.0  # past the crawler's default 60 s timeout
CHARSET = "windows-1251"


class ReplicaServerError(RuntimeError):
    """The server could not start, or was used in the wrong state."""


@dataclass(frozen=True, slots=True)
class Reply:
    """What to put on the wire for one request."""

    status: int
    body: bytes
    content_type: str
    extra_headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    drop: bool = False
    cut_at: int | None = None  # send only this many body bytes, then close

    def head(self, keep_alive: bool) -> bytes:
        try:
            reason = HTTPStatus(self.status).phrase
        except ValueError:
            reason = "Unknown"
        lines = [
            f"HTTP/1.1 {self.status} {reason}",
            "Server: nginx",
            f"Content-Type: {self.content_type}",
            f"Content-Length: {len(self.body)}",
            f"Connection: {'keep-alive' if keep_alive and self.cut_at is None else 'close'}",
        ]
        lines.extend(f"{name}: {value}" for name, value in self.extra_headers)
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _nginx_page(status: int) -> bytes:
    phrase = f"{status} {HTTPStatus(status).phrase}"
    return (
        f"<html>\r\n<head><title>{phrase}</title></head>\r\n<body>\r\n<center><h1>{phrase}</h1></center>\r\n"
        "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    ).encode("ascii")


def encode_page(text: str, court: Court | None = None) -> bytes:
    """The page in windows-1251; ``court``'s chrome is encoded once (``chrome.frame``), not per page."""
    return chrome.frame(court).encode(text) if court is not None else chrome.encode_html(text)


class ReplicaServer:
    """All court sites of ``population`` as they stood on ``as_of``, with the faults of a profile."""

    def __init__(
        self,
        population: PopulationLike,
        *,
        as_of: date,
        faults: str = "none",
        seed: int = 0,
        min_interval: float = 0.0,
        captcha_ttl: float = DEFAULT_TTL,
        slow_delay: float = DEFAULT_SLOW_DELAY,
        throttle_window: float | None = None,
        courts: Iterable[Court] | None = None,
        clock: Callable[[], float] = time.monotonic,
        retry_after: int | None = None,
        redesign_court: str | None = None,
    ) -> None:
        profile = get_profile(faults)
        if retry_after is not None:  # tests and demos shorten the 429 rest the profile asks for
            profile = dataclasses.replace(profile, retry_after=retry_after)
        self.profile = profile
        self.seed = seed
        self.slow_delay = slow_delay
        self.throttle_window = profile.throttle_window if throttle_window is None else throttle_window
        served = list(courts) if courts is not None else None
        self._served = served
        self.redesign_court = _redesigned(profile.redesign, redesign_court, seed, served)
        self.site = ReplicaSite(
            population,
            as_of=as_of,
            courts=served,
            captcha=CaptchaBook(seed=seed, ttl=captcha_ttl, clock=clock),
        )
        self.plan = FaultPlan(profile, seed)
        self.guard = HostGuard(min_interval, clock)
        self._stats = ReplicaStats()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_event: asyncio.Event | None = None
        self._ready = threading.Event()
        self._start_error: BaseException | None = None
        self._connections: set[asyncio.StreamWriter] = set()
        self.port: int | None = None

    # -- counters -------------------------------------------------------------------------------------

    def stats(self) -> dict[str, object]:
        """A snapshot of the counters: requests, pages by kind, faults by kind, politeness violations."""
        with self._lock:
            data = self._stats.to_dict()
        data["profile"] = self.profile.name
        data["seed"] = self.seed
        data["min_interval"] = self.guard.min_interval
        data["as_of"] = self.site.as_of.isoformat()
        data["redesign_court"] = self.redesign_court
        return data

    def move_to(self, as_of: date) -> None:
        """Show the sites as they stand on ``as_of`` (the same population, another day), as the demo's second,
        incremental crawl needs. The counters start again; the per-host guard and the captcha answers stay
        (a crawl just after the move must still be polite)."""
        site = ReplicaSite(self.site.population, as_of=as_of, courts=self._served, captcha=self.site.captcha)
        with self._lock:
            self.site = site
            self._stats = ReplicaStats()

    def politeness_violations(self) -> dict[str, int]:
        with self._lock:
            return dict(self._stats.politeness_violations)

    # -- answering ------------------------------------------------------------------------------------

    def _html(self, page: Page) -> Reply:
        headers: tuple[tuple[str, str], ...] = ()
        if page.location is not None:
            headers = (("Location", page.location),)
        body = encode_page(page.body, page.court)
        return Reply(page.status, body, f"text/html; charset={CHARSET}", headers)

    def respond(self, host: str, target: bytes) -> Reply:
        """The reply to ``GET target`` with ``Host: host``; all fault decisions are made here."""
        path_bytes, _, query = target.partition(b"?")
        path = path_bytes.decode("latin-1")
        if path == STATS_PATH:
            body = json.dumps(self.stats(), ensure_ascii=False, indent=1).encode("utf-8")
            return Reply(200, body, "application/json; charset=utf-8")
        if path == MOVE_PATH:
            return self._move(query.decode("latin-1"))
        page = self.site.answer(host, path, query)
        court = page.court
        with self._lock:
            self._stats.requests += 1
            if page.malformed is not None:
                self._stats.malformed_queries += 1
        if court is None or page.kind in ("redirect", "not_found"):
            self._count_page(page.kind, host)
            return self._html(page)
        if court.code == self.redesign_court and page.kind in REDESIGNED_KINDS:
            page = dataclasses.replace(page, body=redesign_page(page.body))
            with self._lock:
                self._stats.redesigned_pages += 1
        court_host = court.search_host or court.code
        target_text = target.decode("latin-1")
        attempt = self.guard.next_attempt(court_host, target_text)
        if self.guard.too_fast(court_host):
            with self._lock:
                self._stats.politeness_violations[court_host] += 1
            return self._throttled(court, court_host)
        if self.guard.in_window(court_host):
            self._count_fault("throttle_window_hit")
            return self._throttled(court, court_host)
        fault = self.plan.decide(court_host, target_text, attempt)
        if fault is not None:
            self._count_fault(fault.kind)
            return self._faulty(fault, court, court_host, page)
        self._count_page(page.kind, court_host)
        return self._html(page)

    def _move(self, query: str) -> Reply:
        values = parse_qs(query).get("as_of", [""])
        try:
            as_of = date.fromisoformat(values[0])
        except ValueError:
            return Reply(400, b"as_of=YYYY-MM-DD is required", "text/plain; charset=utf-8")
        self.move_to(as_of)
        return Reply(
            200, json.dumps({"as_of": as_of.isoformat()}).encode(), "application/json; charset=utf-8"
        )

    def _count_page(self, kind: str, host: str) -> None:
        with self._lock:
            self._stats.pages[kind] += 1
            self._stats.requests_by_host[host] += 1

    def _count_fault(self, kind: str) -> None:
        with self._lock:
            self._stats.faults[kind] += 1

    def _throttled(self, court: Court, court_host: str) -> Reply:
        self._count_page("throttle", court_host)
        return Reply(200, encode_page(pages.throttle_page(court), court), f"text/html; charset={CHARSET}")

    def _faulty(self, fault: Fault, court: Court, court_host: str, page: Page) -> Reply:
        if fault.kind == "throttle_window":
            self.guard.open_window(court_host, self.throttle_window)
            return self._throttled(court, court_host)
        if fault.kind == "server_error":
            return Reply(fault.status, _nginx_page(fault.status), "text/html")
        if fault.kind == "rate_limit":
            retry = (("Retry-After", str(self.profile.retry_after)),)
            return Reply(429, _nginx_page(429), "text/html", retry)
        if fault.kind == "drop":
            return Reply(0, b"", "", drop=True)
        reply = self._html(page)
        if fault.kind == "slow":
            return Reply(
                reply.status, reply.body, reply.content_type, reply.extra_headers, delay=self.slow_delay
            )
        if fault.kind == "truncate":
            cut = int(len(reply.body) * fault.keep_fraction)
            return Reply(reply.status, reply.body, reply.content_type, reply.extra_headers, cut_at=cut)
        # misencoded: windows-1251 bytes labelled utf-8, or utf-8 bytes labelled windows-1251
        if fault.draw * 1000 % 2 < 1:
            return Reply(reply.status, reply.body, "text/html; charset=utf-8", reply.extra_headers)
        return Reply(reply.status, page.body.encode("utf-8"), reply.content_type, reply.extra_headers)

    # -- transport ------------------------------------------------------------------------------------

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._connections.add(writer)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except asyncio.LimitOverrunError:
                    writer.write(Reply(431, _nginx_page(431), "text/html").head(False) + _nginx_page(431))
                    break
                except asyncio.IncompleteReadError:
                    break
                request = _parse_head(head)
                if request is None:
                    writer.write(Reply(400, _nginx_page(400), "text/html").head(False) + _nginx_page(400))
                    break
                method, target, host, keep_alive, body_length = request
                if body_length:
                    await reader.readexactly(body_length)
                if method not in ("GET", "HEAD"):
                    reply = Reply(405, _nginx_page(405), "text/html")
                else:
                    reply = self.respond(host, target)
                if reply.delay:
                    await asyncio.sleep(reply.delay)
                if reply.drop:
                    break
                if reply.cut_at is not None:
                    writer.write(reply.head(False) + reply.body[: reply.cut_at])
                    await writer.drain()
                    break
                writer.write(reply.head(keep_alive) + (b"" if method == "HEAD" else reply.body))
                await writer.drain()
                if not keep_alive:
                    break
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        except Exception:  # one bad connection must not stop the server
            log.exception("replica: error while answering a request")
        finally:
            self._connections.discard(writer)
            writer.close()

    async def _main(self, host: str, port: int) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop_event = asyncio.Event()
        server = await asyncio.start_server(self._handle, host, port, limit=MAX_HEADER_BYTES, backlog=512)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        async with server:
            await self._stop_event.wait()
            server.close()
            for writer in list(self._connections):  # idle keep-alive connections end their read loops
                writer.close()
            for _ in range(200):  # at most 2 s; a slow reply still sleeping is cancelled with the loop
                if not self._connections:
                    break
                await asyncio.sleep(0.01)

    def serve_forever(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Serve in this thread until :meth:`stop` is called (from another thread) or KeyboardInterrupt."""
        asyncio.run(self._main(host, port))

    def _run_in_thread(self, host: str, port: int) -> None:
        try:
            asyncio.run(self._main(host, port))
        except BaseException as exc:
            self._start_error = exc
            self._ready.set()

    def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        """Serve from a background thread; returns the port (a free one when ``port`` is 0)."""
        if self._thread is not None:
            raise ReplicaServerError("the replica server is already running")
        self._ready.clear()
        self._start_error = None
        self._thread = threading.Thread(target=self._run_in_thread, args=(host, port), daemon=True)
        self._thread.start()
        self._ready.wait(timeout=30)
        if self._start_error is not None or self.port is None:
            self._thread = None
            raise ReplicaServerError(f"replica server did not start on {host}:{port}: {self._start_error}")
        return self.port

    def stop(self) -> None:
        loop, event = self._loop, self._stop_event
        if loop is not None and event is not None and not loop.is_closed():
            loop.call_soon_threadsafe(event.set)
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

    @property
    def origin(self) -> str:
        if self.port is None:
            raise ReplicaServerError("the replica server is not running")
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ReplicaServer:
        if self._thread is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def _redesigned(
    profile_redesigns: bool, named: str | None, seed: int, courts: list[Court] | None
) -> str | None:
    """The court served in a changed layout: the one named, else one from the seed when the profile asks."""
    if named is None and not profile_redesigns:
        return None
    searchable = [c for c in (courts if courts is not None else load_registry()) if c.search_host]
    if named is not None:
        if named not in {c.code for c in searchable}:
            raise ReplicaServerError(f"cannot redesign {named!r}: the replica serves no case search of it")
        return named
    first_instance = [c.code for c in searchable if c.level in ("garrison", "district")]
    return pick_redesign_court(seed, first_instance or [c.code for c in searchable])


def _parse_head(head: bytes) -> tuple[str, bytes, str, bool, int] | None:
    """(method, target, host, keep-alive, body length) of a request head, or None when malformed."""
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ")
    if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
        return None
    method, target, version = parts[0].decode("latin-1"), parts[1], parts[2]
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(b":")
        if not sep:
            return None
        headers[name.strip().lower().decode("latin-1")] = value.strip().decode("latin-1")
    host = headers.get("host", "")
    if target.startswith((b"http://", b"https://")):  # absolute form, as sent to a proxy
        split = urlsplit(target.decode("latin-1"))
        host = split.netloc or host
        target = (split.path or "/").encode("latin-1") + (
            b"?" + split.query.encode("latin-1") if split.query else b""
        )
    connection = headers.get("connection", "").lower()
    keep_alive = connection != "close" if version == b"HTTP/1.1" else connection == "keep-alive"
    length_text = headers.get("content-length", "0")
    if not length_text.isdigit():
        return None
    return method, target, host, keep_alive, int(length_text)
