"""Security middleware: headers on every response, the real client behind configured proxies, a request
size limit, a per-client rate limit and cost limit, the same-origin check, and the admin token check."""

from __future__ import annotations

import hmac
import ipaddress
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Archived court pages are shown as they were, styles included, but nothing in them runs or loads.
ARCHIVE_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
# What an archived page would load. The CSP above is the guarantee; taking these out first only spares the
# reader's browser a console full of blocked requests for the court's scripts, styles and banners.
_LOADING_ELEMENTS = re.compile(r"<(/?)(?:script|iframe|frame|object|embed|noscript)\b", re.IGNORECASE)
_VOID_LOADERS = re.compile(r"<(?:link|base)\b[^>]{0,2000}>?", re.IGNORECASE)
# Bounded, so that hostile markup costs linear time; a longer tag is still held by the CSP.
_LOADING_ATTRIBUTES = re.compile(
    r"(<[a-z][^>]{0,2000}?\s)(src|srcset|background|poster|data)(\s*=)", re.IGNORECASE
)


def inert_page(html: str) -> str:
    """An archived page with nothing left in it that loads: scripts and frames become inert ``<template>``s,
    links go, image sources are renamed."""
    previous = None
    while previous != html:  # until nothing changes: a removal can join the pieces of another tag
        previous = html
        html = _LOADING_ELEMENTS.sub(r"<\1template", _VOID_LOADERS.sub("", html))  # <template> is inert
        html = _LOADING_ATTRIBUTES.sub(r"\1data-archived-\2\3", html)
    return html


HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)


async def _send_error(send: Send, status: int, message: str, retry_after: int | None = None) -> None:
    error: dict[str, object] = {"status": status, "message": message}
    extra = []
    if retry_after is not None:  # as ``warduty.web.envelope.error`` puts it
        error["retry_after"] = retry_after
        extra.append((b"retry-after", str(retry_after).encode()))
    body = json.dumps({"ok": False, "error": error}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *extra]
    await send({"type": "http.response.start", "status": status, "headers": headers + list(HEADERS)})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """Adds the security headers and a CSP to every response that does not set its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(n, v) for n, v in HEADERS if n not in present]
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", PAGE_CSP.encode()))
                headers = [(n, v) for n, v in headers if n.lower() != b"server"]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Refuses requests whose body is larger than ``max_bytes`` (declared or streamed)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _send_error(send, 400, "invalid Content-Length")
                    return
                if declared > self.max_bytes:
                    await _send_error(send, 413, f"request body larger than {self.max_bytes} bytes")
                    return
        # Bodies are small here, so read the whole body first: a streamed body that grows past the limit
        # is refused before any handler sees it.
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, receive, send)  # disconnected: let the app see it
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_bytes:
                await _send_error(send, 413, f"request body larger than {self.max_bytes} bytes")
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


@dataclass
class TokenBucket:
    """Per-client token buckets: ``rate`` requests a second on average, bursts up to ``burst``."""

    rate: float
    burst: float
    clock: Callable[[], float] = time.monotonic
    max_clients: int = 10_000
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def allow(self, client: str) -> tuple[bool, float]:
        """Whether one more request may pass now, and else the seconds until it would."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if len(self._buckets) >= self.max_clients and client not in self._buckets:
                self._buckets.clear()  # bounded memory; forgetting everyone only makes the limit kinder
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                return True, 0.0
            self._buckets[client] = (tokens, now)
            return False, (1 - tokens) / self.rate if self.rate > 0 else 60.0


# The real client of the request being handled (set by ``RealClient``; None outside a request, e.g. in
# the warm-up thread). Context variables reach the worker threads that run the handlers.
CLIENT: ContextVar[str | None] = ContextVar("warduty_client", default=None)


def check_forwarded_allow_ips(value: str) -> str:
    """The proxies whose forwarded headers are believed: comma-separated addresses or networks, ``*``
    for any peer, empty for none. Raises ValueError naming an entry that is neither."""
    entries = [e.strip() for e in value.split(",") if e.strip()]
    for entry in entries:
        if entry == "*":
            continue
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ValueError(f"forwarded-allow-ips: {entry!r} is not an IP address or network") from None
    return "*" if "*" in entries else ",".join(entries)


class RealClient:
    """Makes ``scope["client"]`` the real client: the peer, or, when the peer is one of the configured
    proxies, the address its ``X-Forwarded-For`` names (uvicorn's ProxyHeadersMiddleware, which also takes
    ``X-Forwarded-Proto``). Forwarded headers from any other peer are ignored, so a client cannot choose
    its own rate-limit key. The result is also put in :data:`CLIENT`."""

    def __init__(self, app: ASGIApp, forwarded_allow_ips: str = "") -> None:
        self.app = app
        trusted = check_forwarded_allow_ips(forwarded_allow_ips)
        self.proxied = ProxyHeadersMiddleware(self._inner, trusted) if trusted else None  # type: ignore[arg-type]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.proxied is not None:
            await self.proxied(scope, receive, send)  # type: ignore[arg-type]
        else:
            await self._inner(scope, receive, send)

    async def _inner(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        token = CLIENT.set(client[0] if client else "unknown")
        try:
            await self.app(scope, receive, send)
        finally:
            CLIENT.reset(token)


MAX_IN_FLIGHT = 12  # requests one client may have unanswered at once (the handlers' threads are 40)


class RateLimit:
    """Per-client rate limit on ``scope["client"]`` (the real client, see :class:`RealClient`), and a
    bound on the client's requests in flight: requests waiting for a figure another request computes
    cost no CPU but hold a worker thread each, and one client must not hold them all."""

    def __init__(self, app: ASGIApp, bucket: TokenBucket, max_in_flight: int = MAX_IN_FLIGHT) -> None:
        self.app = app
        self.bucket = bucket
        self.max_in_flight = max_in_flight
        self.in_flight: dict[str, int] = {}  # only touched on the event loop's thread

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path", "").startswith("/static/"):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        key = client[0] if client else "unknown"
        allowed, wait = self.bucket.allow(key)
        if not allowed:
            await _send_error(send, 429, "too many requests; slow down", max(1, int(wait + 0.999)))
            return
        if self.in_flight.get(key, 0) >= self.max_in_flight:
            await _send_error(send, 429, "too many requests at once; wait for the answers", 1)
            return
        self.in_flight[key] = self.in_flight.get(key, 0) + 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight[key] -= 1
            if not self.in_flight[key]:
                del self.in_flight[key]


class OverCostLimit(Exception):
    """A client asked for more expensive computations at once than it may."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("too many expensive requests at once; wait for the ones running")
        self.retry_after = retry_after


_HOLDING: ContextVar[bool] = ContextVar("warduty_cost_slot", default=False)


@dataclass
class CostLimit:
    """At most ``per_client`` expensive computations in flight per client; one more is refused (with
    the seconds after which to try again) instead of queueing behind the others, so one client cannot
    keep the CPU busy for everyone. A computation that needs another (nested) uses its caller's slot."""

    per_client: int
    retry_after: int = 5
    _running: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @contextmanager
    def slot(self, client: str | None) -> Iterator[None]:
        if client is None or _HOLDING.get():  # the server's own work (warm-up), or nested
            yield
            return
        with self._lock:
            if self._running.get(client, 0) >= self.per_client:
                raise OverCostLimit(self.retry_after)
            self._running[client] = self._running.get(client, 0) + 1
        token = _HOLDING.set(True)
        try:
            yield
        finally:
            _HOLDING.reset(token)
            with self._lock:
                left = self._running[client] - 1
                if left:
                    self._running[client] = left
                else:
                    del self._running[client]

    def running(self, client: str) -> int:
        with self._lock:
            return self._running.get(client, 0)


UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def same_origin(headers: dict[str, str], own_origin: str) -> bool | None:
    """Whether a request comes from a page of ``own_origin`` (``scheme://host[:port]``) by its ``Origin``
    header, else its ``Referer``: True or False, None when it has neither. ``Origin: null`` (sandboxed
    frames, privacy redirects) is not ours."""
    origin = headers.get("origin")
    if origin is not None:
        return origin.strip().lower() == own_origin.lower()
    referer = headers.get("referer")
    if referer is None:
        return None
    parts = urlsplit(referer.strip())
    return f"{parts.scheme}://{parts.netloc}".lower() == own_origin.lower()


def token_matches(configured: str, presented: str | None) -> bool:
    """Constant-time comparison; an empty configured token refuses everyone."""
    if not configured or not presented:
        return False
    return hmac.compare_digest(configured.encode(), presented.encode())


def bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None
