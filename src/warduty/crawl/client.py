"""The only door to the network.

Every request warduty makes goes through :class:`HttpClient`. It paces requests (per host and
platform-wide), retries with exponential backoff and jitter on 5xx, timeouts and dropped connections,
rests a host after HTTP 429 or the sudrf throttle page (honouring ``Retry-After``), follows redirects
itself, and hands every response to the archive hook before anyone parses it. A body is read as a
stream and no further than ``max_bytes`` (decoded), so one huge or endless answer cannot fill memory.

``origin`` points the connections somewhere else (the replica) while URLs, ``Host`` headers and archive
records stay the real court URLs; nothing downstream can tell the difference.
"""

from __future__ import annotations

import asyncio
import logging
import random
import ssl
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from warduty.crawl.pacing import Pacer

log = logging.getLogger(__name__)

THROTTLE_MARKERS = tuple(
    "Информация временно недоступна".encode(encoding) for encoding in ("windows-1251", "utf-8")
)
RETRY_STATUSES = frozenset({500, 502, 503, 504, 520, 521, 522, 523, 524})
MAX_REDIRECTS = 5
MAX_BYTES = 20_000_000  # the largest real court pages are about 0.5 MB
DEFAULT_USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
)


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request and its response, as the archive keeps it."""

    url: str  # the real URL, never the origin override
    request_headers: tuple[tuple[str, str], ...]
    status: int
    response_headers: tuple[tuple[str, str], ...]
    body: bytes
    fetched_at: datetime
    court_code: str | None = None


@dataclass(frozen=True, slots=True)
class ArchiveRef:
    """Where an exchange was archived: a WARC file and the offset of its response record."""

    file: str
    offset: int


ArchiveHook = Callable[[Exchange], ArchiveRef | None]


@dataclass(frozen=True, slots=True)
class FetchResult:
    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes
    fetched_at: datetime
    attempts: int
    archive: ArchiveRef | None
    throttled: bool = False  # the host was still throttling when the cooldown budget ran out
    too_large: bool = False  # the body went past ``max_bytes``; ``content`` holds only its start

    @property
    def ok(self) -> bool:
        return self.status == 200 and not self.throttled and not self.too_large


class FetchError(RuntimeError):
    """No usable response after all retries; ``reason`` says what happened last."""

    def __init__(self, url: str, reason: str, attempts: int) -> None:
        super().__init__(f"{url}: {reason} (after {attempts} attempt(s))")
        self.url = url
        self.reason = reason
        self.attempts = attempts


@dataclass
class ClientOptions:
    host_interval: float = 3.0
    global_interval: float = 0.5
    timeout: float = 60.0
    retries: int = 4
    backoff: float = 2.0  # seconds before the first retry; doubles each time, with jitter
    backoff_cap: float = 120.0
    cooldown: float = 1800.0
    max_cooldowns: int = 3
    # A shorter Retry-After is honoured down to this many seconds (an API's short rest); None rests the
    # full cooldown whatever Retry-After says (the courts). A longer Retry-After is capped at the cooldown.
    min_cooldown: float | None = None
    user_agent: str = DEFAULT_USER_AGENT
    proxy: str | None = None
    origin: str | None = None
    ca_bundles: Mapping[str, str] = field(default_factory=dict)  # host -> CA bundle file
    seed: int | None = None  # for the jitter, so tests are repeatable
    max_bytes: int = MAX_BYTES  # of one response body, after content decoding


def is_throttle_page(status: int, body: bytes) -> bool:
    if status == 429:
        return True
    head = body[:20000]
    return any(marker in head for marker in THROTTLE_MARKERS)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date); None if absent or bad."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class HttpClient:
    """Async HTTP client with pacing, retries, cooldowns and an archive hook. Use as a context manager."""

    def __init__(self, options: ClientOptions | None = None, archive: ArchiveHook | None = None) -> None:
        self.options = options or ClientOptions()
        self.archive = archive
        self.pacer = Pacer(self.options.host_interval, self.options.global_interval)
        self._clients: dict[str, httpx.AsyncClient] = {}
        self._contexts: dict[str | None, ssl.SSLContext] = {}
        self._random = random.Random(self.options.seed)
        self._archiver: ThreadPoolExecutor | None = None
        if self.options.origin:
            parts = urlsplit(self.options.origin)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValueError(f"origin must be an http(s) URL, not {self.options.origin!r}")

    async def _archive(self, exchange: Exchange) -> ArchiveRef | None:
        if self.archive is None:
            return None
        # On its own thread, so the event loop keeps sending while zlib and sha1 (which release the GIL)
        # work; one thread, so the records of a file are written one after the other.
        if self._archiver is None:
            self._archiver = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warduty-archive")
        return await asyncio.get_running_loop().run_in_executor(self._archiver, self.archive, exchange)

    async def __aenter__(self) -> HttpClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()
        if self._archiver is not None:
            self._archiver.shutdown(wait=True)
            self._archiver = None

    def _client_for(self, host: str) -> httpx.AsyncClient:
        # One client (one connection pool) per host: a court's requests go one after the other, and httpx
        # checks every pooled connection on every request, so a shared pool of 100 hosts' connections
        # cost more CPU than the request itself (measured: 17 % of the crawler's process).
        client = self._clients.get(host)
        if client is None:
            client = httpx.AsyncClient(
                timeout=httpx.Timeout(self.options.timeout),
                proxy=self.options.proxy or None,
                verify=self._verify(self.options.ca_bundles.get(host)),
                follow_redirects=False,
                limits=httpx.Limits(max_connections=4, max_keepalive_connections=2),
                event_hooks={"request": [self._on_send]},
            )
            self._clients[host] = client
        return client

    def _verify(self, bundle: str | None) -> ssl.SSLContext:
        """One TLS context per CA bundle, shared by the hosts' clients (building one reads the CA file)."""
        context = self._contexts.get(bundle)
        if context is None:
            context = ssl.create_default_context(cafile=bundle) if bundle else httpx.create_ssl_context()
            self._contexts[bundle] = context
        return context

    async def _on_send(self, request: httpx.Request) -> None:
        # The event loop may have been busy since the slot was granted: pace from the real send time.
        host = request.headers.get("host", "").split(":", 1)[0]
        self.pacer.mark_sent(host)

    def _target(self, url: str) -> tuple[str, str]:
        """(URL to connect to, Host header). With an origin, connect there and keep the real host."""
        parts = urlsplit(url)
        if not parts.scheme or not parts.hostname:
            raise ValueError(f"not an absolute URL: {url!r}")
        if not self.options.origin:
            return url, parts.netloc
        origin = urlsplit(self.options.origin)
        return urlunsplit((origin.scheme, origin.netloc, parts.path or "/", parts.query, "")), parts.netloc

    def _backoff(self, attempt: int) -> float:
        base: float = min(self.options.backoff * 2.0 ** (attempt - 1), self.options.backoff_cap)
        jitter: float = self._random.uniform(0.5, 1.5)
        return base * jitter

    async def get(self, url: str, *, court_code: str | None = None) -> FetchResult:
        """GET ``url`` politely. Raises :class:`FetchError` when no usable response could be had."""
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            result = await self._get_once(current, court_code)
            location = result.headers.get("location")
            if result.status in (301, 302, 303, 307, 308) and location:
                current = urljoin(current, location)
                continue
            return result
        raise FetchError(url, "too many redirects", MAX_REDIRECTS)

    async def _fetch(
        self, host: str, target: str, headers: dict[str, str]
    ) -> tuple[httpx.Response, bytes, bool]:
        """(response, body, too large?): the body read in chunks, stopping past ``max_bytes``."""
        limit = self.options.max_bytes
        async with self._client_for(host).stream("GET", target, headers=headers) as response:
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    return response, b"".join(chunks)[:limit], True
        return response, b"".join(chunks), False

    async def _get_once(self, url: str, court_code: str | None) -> FetchResult:
        host = urlsplit(url).hostname or ""
        target, host_header = self._target(url)
        headers = {"Host": host_header, "User-Agent": self.options.user_agent, "Accept": "text/html,*/*"}
        attempts = 0
        failures = 0
        cooldowns = 0
        last_reason = ""
        while True:
            attempts += 1
            await self.pacer.wait_turn(host)
            fetched_at = datetime.now(UTC)
            try:
                response, body, too_large = await self._fetch(host, target, headers)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                self.pacer.mark_done(host)
                last_reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                failures += 1
                if failures > self.options.retries:
                    raise FetchError(url, last_reason, attempts) from exc
                await asyncio.sleep(self._backoff(failures))
                continue
            self.pacer.mark_done(host)
            response_headers = tuple((k, v) for k, v in response.headers.items())
            exchange = Exchange(
                url=url,
                request_headers=tuple(headers.items()),
                status=response.status_code,
                response_headers=response_headers,
                body=body,
                fetched_at=fetched_at,
                court_code=court_code,
            )
            archive_ref = await self._archive(exchange)
            header_map = {k.lower(): v for k, v in response_headers}
            if too_large:
                log.warning("%s is larger than %d bytes; not read further", url, self.options.max_bytes)
                return FetchResult(
                    url,
                    response.status_code,
                    header_map,
                    body,
                    fetched_at,
                    attempts,
                    archive_ref,
                    too_large=True,
                )
            if is_throttle_page(response.status_code, body):
                cooldowns += 1
                # A host rests the cooldown; a longer Retry-After (a probe sent 999999999 s) is capped there,
                # or one answer could stop a court for good without anyone noticing.
                rest = self.options.cooldown
                asked = retry_after_seconds(header_map.get("retry-after"))
                if asked is not None and asked > rest:
                    log.warning(
                        "%s asks to wait %.0fs (Retry-After); capped at the cooldown, %.0fs",
                        host,
                        asked,
                        rest,
                    )
                elif asked is not None and self.options.min_cooldown is not None:
                    rest = min(max(asked, self.options.min_cooldown), rest)
                self.pacer.cool_down(host, rest)
                log.info("%s is throttling (%s); resting %.1fs", host, response.status_code, rest)
                if cooldowns > self.options.max_cooldowns:
                    return FetchResult(
                        url, response.status_code, header_map, body, fetched_at, attempts, archive_ref, True
                    )
                continue
            if response.status_code in RETRY_STATUSES:
                failures += 1
                last_reason = f"HTTP {response.status_code}"
                if failures > self.options.retries:
                    return FetchResult(
                        url, response.status_code, header_map, body, fetched_at, attempts, archive_ref
                    )
                await asyncio.sleep(self._backoff(failures))
                continue
            return FetchResult(url, response.status_code, header_map, body, fetched_at, attempts, archive_ref)
