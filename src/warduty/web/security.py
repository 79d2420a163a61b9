"""Security middleware: headers on every response, a request size limit, a per-client rate limit, and
the admin token check."""

from __future__ import annotations

import hmac
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


def _error_body(status: int, message: str) -> bytes:
    return json.dumps({"ok": False, "error": {"status": status, "message": message}}).encode()


async def _send_error(send: Send, status: int, message: str, extra: list[tuple[bytes, bytes]]) -> None:
    body = _error_body(status, message)
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
                    await _send_error(send, 400, "invalid Content-Length", [])
                    return
                if declared > self.max_bytes:
                    await _send_error(send, 413, f"request body larger than {self.max_bytes} bytes", [])
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
                await _send_error(send, 413, f"request body larger than {self.max_bytes} bytes", [])
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


class RateLimit:
    def __init__(self, app: ASGIApp, bucket: TokenBucket) -> None:
        self.app = app
        self.bucket = bucket

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path", "").startswith("/static/"):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        allowed, wait = self.bucket.allow(client[0] if client else "unknown")
        if not allowed:
            retry = str(max(1, int(wait + 0.999))).encode()
            await _send_error(send, 429, "too many requests; slow down", [(b"retry-after", retry)])
            return
        await self.app(scope, receive, send)


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
