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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import aiohttp
from aiohttp_socks import ProxyConnector, ProxyType

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


Headers = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request and its response, as the archive keeps it."""

    url: str  # the real URL, never the origin override
    request_headers: Headers
    status: int
    response_headers: Headers
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
        self._sessions: dict[str, aiohttp.ClientSession] = {}
        self._contexts: dict[str | None, ssl.SSLContext] = {}
        self._random = random.Random(self.options.seed)
        # The proxy, read once: an HTTP(S) proxy is named on each request, a SOCKS5 one makes the connections.
        proxy = urlsplit(self.options.proxy or "")
        self._socks = proxy if proxy.scheme in ("socks5", "socks5h") else None
        self._http_proxy = self.options.proxy if proxy.scheme in ("http", "https") else None
        self._origin = urlsplit(self.options.origin) if self.options.origin else None
        origin = self._origin
        if origin is not None and (origin.scheme not in ("http", "https") or not origin.netloc):
            raise ValueError(f"origin must be an http(s) URL, not {self.options.origin!r}")

    def _archive(self, exchange: Exchange) -> ArchiveRef | None:
        # On the event loop's thread: a thread of its own ran no faster under the GIL and cost CPU to hand
        # each page over (crawl/writer.py says more).
        return None if self.archive is None else self.archive(exchange)

    async def __aenter__(self) -> HttpClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        for session in self._sessions.values():
            await session.close()
        self._sessions.clear()

    def _session_for(self, host: str) -> aiohttp.ClientSession:
        # One session (one connection pool) per host: a court's requests go one after the other, and a
        # shared pool of 100 hosts' connections cost more CPU than the request itself (measured with httpx:
        # 17 % of the crawler's process). aiohttp, not httpx: its C HTTP parser costs a fifth of httpx's
        # CPU per request (benchmarks/http_clients.py).
        session = self._sessions.get(host)
        if session is None:
            tracing = aiohttp.TraceConfig()
            tracing.on_request_headers_sent.append(self._on_send)
            session = aiohttp.ClientSession(
                connector=self._connector(self._verify(self.options.ca_bundles.get(host))),
                timeout=aiohttp.ClientTimeout(total=self.options.timeout),
                trace_configs=[tracing],
                auto_decompress=True,
                cookie_jar=aiohttp.DummyCookieJar(),  # as before: the sites' session cookies are not kept
            )
            # aiohttp sends a GET again by itself when the server drops the connection; that request would
            # bypass the pacer. Every attempt must be ours (paced, counted, archived): no public switch
            # exists, so the session's own flag is turned off (tests/crawl/test_client.py checks the hits).
            session._retry_connection = False
            self._sessions[host] = session
        return session

    def _connector(self, context: ssl.SSLContext) -> aiohttp.BaseConnector:
        """Connections of one host: direct (an HTTP proxy is named per request) or through a SOCKS5 proxy
        (``socks5h://`` lets the proxy resolve the court's name, as a proxy inside Russia must)."""
        proxy = self._socks
        if proxy is None:
            return aiohttp.TCPConnector(limit=4, ssl=context)
        return ProxyConnector(
            host=proxy.hostname or "",
            port=proxy.port or 1080,
            proxy_type=ProxyType.SOCKS5,
            username=unquote(proxy.username) if proxy.username else None,
            password=unquote(proxy.password) if proxy.password else None,
            rdns=proxy.scheme == "socks5h",
            limit=4,
            ssl=context,
        )

    def _verify(self, bundle: str | None) -> ssl.SSLContext:
        """One TLS context per CA bundle, shared by the hosts' sessions (building one reads the CA file)."""
        context = self._contexts.get(bundle)
        if context is None:
            context = ssl.create_default_context(cafile=bundle) if bundle else ssl.create_default_context()
            self._contexts[bundle] = context
        return context

    async def _on_send(
        self, _session: aiohttp.ClientSession, _context: object, params: aiohttp.TraceRequestHeadersSentParams
    ) -> None:
        # The event loop may have been busy since the slot was granted: pace from the real send time.
        host = params.headers.get("Host", "").split(":", 1)[0]
        self.pacer.mark_sent(host)

    def _target(self, url: str) -> tuple[str, str, str]:
        """(URL to connect to, Host header, host name). With an origin, connect there and keep the real
        host."""
        parts = urlsplit(url)
        if not parts.scheme or not parts.hostname:
            raise ValueError(f"not an absolute URL: {url!r}")
        origin = self._origin
        if origin is None:
            return url, parts.netloc, parts.hostname
        target = urlunsplit((origin.scheme, origin.netloc, parts.path or "/", parts.query, ""))
        return target, parts.netloc, parts.hostname

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
    ) -> tuple[int, Headers, bytes, bool]:
        """(status, headers, body, too large?): the body read in chunks, stopping past ``max_bytes``."""
        limit = self.options.max_bytes
        session = self._session_for(host)
        async with session.get(
            target, headers=headers, allow_redirects=False, proxy=self._http_proxy
        ) as response:
            status, response_headers = response.status, tuple(response.headers.items())
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.content.iter_chunked(256 * 1024):
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    return status, response_headers, b"".join(chunks)[:limit], True
        return status, response_headers, b"".join(chunks), False

    async def _get_once(self, url: str, court_code: str | None) -> FetchResult:
        target, host_header, host = self._target(url)
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
                status, response_headers, body, too_large = await self._fetch(host, target, headers)
            except (TimeoutError, aiohttp.ClientError) as exc:
                self.pacer.mark_done(host)
                last_reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                failures += 1
                if failures > self.options.retries:
                    raise FetchError(url, last_reason, attempts) from exc
                await asyncio.sleep(self._backoff(failures))
                continue
            self.pacer.mark_done(host)
            exchange = Exchange(
                url=url,
                request_headers=tuple(headers.items()),
                status=status,
                response_headers=response_headers,
                body=body,
                fetched_at=fetched_at,
                court_code=court_code,
            )
            archive_ref = self._archive(exchange)
            header_map = {k.lower(): v for k, v in response_headers}
            if too_large:
                log.warning("%s is larger than %d bytes; not read further", url, self.options.max_bytes)
                return FetchResult(
                    url,
                    status,
                    header_map,
                    body,
                    fetched_at,
                    attempts,
                    archive_ref,
                    too_large=True,
                )
            if is_throttle_page(status, body):
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
                log.info("%s is throttling (%s); resting %.1fs", host, status, rest)
                if cooldowns > self.options.max_cooldowns:
                    return FetchResult(url, status, header_map, body, fetched_at, attempts, archive_ref, True)
                continue
            if status in RETRY_STATUSES:
                failures += 1
                last_reason = f"HTTP {status}"
                if failures > self.options.retries:
                    return FetchResult(url, status, header_map, body, fetched_at, attempts, archive_ref)
                await asyncio.sleep(self._backoff(failures))
                continue
            return FetchResult(url, status, header_map, body, fetched_at, attempts, archive_ref)
