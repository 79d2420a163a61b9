"""The fetch path: Eurostat (JSON-stat and SDMX-CSV), UNHCR and the UK table, through a ``Fetcher``.

The network door is the crawler's client; here a small Protocol stands for it, so the same code runs
against the live APIs, a replica, or a test server. ``HttpxFetcher`` is a plain adapter for the CLI.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from types import TracebackType
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

import httpx

from warduty.asylum import eurostat
from warduty.asylum.codes import DATASET_DIMENSIONS, DATASET_FREQ
from warduty.asylum.errors import ExtractionTooBigError, NoDataError, SourceError
from warduty.asylum.jsonstat import parse_json, raise_for_error_object
from warduty.asylum.model import AsylumObservation, ReadResult
from warduty.asylum.structure import check_structure, read_structure
from warduty.asylum.ukho import read_ukho
from warduty.asylum.unhcr import DATASET as UNHCR_DATASET
from warduty.asylum.unhcr import SOURCE as UNHCR_SOURCE
from warduty.asylum.unhcr import unhcr_items
from warduty.stats.months import month_at, month_index

log = logging.getLogger(__name__)

EUROSTAT_BASE = "https://ec.europa.eu/eurostat/api/dissemination/"
UNHCR_BASE = "https://api.unhcr.org/population/v1/"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_UNHCR_PAGES = 200

Params = Mapping[str, str | list[str]]


@dataclass(frozen=True, slots=True)
class FetchResponse:
    status: int
    headers: Mapping[str, str]
    content: bytes
    url: str


class Fetcher(Protocol):
    async def get(self, url: str, *, params: Params | None = None) -> FetchResponse: ...


@dataclass(frozen=True, slots=True)
class EurostatQuery:
    """RU applicants (or decisions) by destination. Empty ``geos`` means every reporting country."""

    dataset: str
    since: str
    until: str
    citizen: str = "RU"
    geos: tuple[str, ...] = ()
    applicants: tuple[str, ...] = ("TOTAL", "FRST")
    decisions: tuple[str, ...] = ("TOTAL", "TOTAL_POS")
    sex: str = "T"
    age: str = "TOTAL"
    unit: str = "PER"

    def wanted_codes(self) -> dict[str, tuple[str, ...]]:
        codes: dict[str, tuple[str, ...]] = {
            "freq": (DATASET_FREQ[self.dataset],),
            "unit": (self.unit,),
            "citizen": (self.citizen,),
            "sex": (self.sex,),
            "age": (self.age,),
            "geo": self.geos,
        }
        if "applicant" in DATASET_DIMENSIONS[self.dataset]:
            codes["applicant"] = self.applicants
        else:
            codes["decision"] = self.decisions
        return codes

    def jsonstat_params(self) -> dict[str, str | list[str]]:
        params: dict[str, str | list[str]] = {"format": "JSON", "lang": "EN"}
        for name, codes in self.wanted_codes().items():
            if codes:
                params[name] = list(codes) if len(codes) > 1 else codes[0]
        params["sinceTimePeriod"] = self.since
        params["untilTimePeriod"] = self.until
        return params

    def sdmx_key(self) -> str:
        codes = self.wanted_codes()
        return ".".join("+".join(codes[d]) for d in DATASET_DIMENSIONS[self.dataset])

    def window(self, since: str, until: str) -> EurostatQuery:
        return replace(self, since=since, until=until)


@dataclass(slots=True)
class FetchReport:
    results: list[ReadResult] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)  # queries that matched no data
    splits: int = 0  # times a too-big query was cut in two


async def _get(
    fetcher: Fetcher, url: str, params: Params | None, *, attempts: int, backoff: float
) -> FetchResponse:
    """GET with retries on 429/5xx; other answers are returned for the caller to judge."""
    for attempt in range(1, attempts + 1):
        response = await fetcher.get(url, params=params)
        if response.status not in RETRY_STATUSES:
            return response
        log.warning("%s answered %s (attempt %d of %d)", url, response.status, attempt, attempts)
        if attempt < attempts:
            await asyncio.sleep(backoff * 2 ** (attempt - 1))
    raise SourceError(f"{url} answered HTTP {response.status} {attempts} times", status=response.status)


def _raise_for_status(response: FetchResponse) -> None:
    if response.status == 200:
        return
    eurostat.raise_for_soap_fault(response.content)
    if response.content.lstrip().startswith(b"{"):
        try:
            raise_for_error_object(parse_json(response.content, "error body"))
        except SourceError as exc:
            raise SourceError(
                f"HTTP {response.status}: {exc}", status=response.status, code=exc.code
            ) from None
        except ValueError:
            pass
    raise SourceError(f"{response.url} answered HTTP {response.status}", status=response.status)


def _too_big(response: FetchResponse) -> bool:
    return response.status == 413 or (
        response.status >= 400 and b"EXTRACTION_TOO_BIG" in response.content[:2048]
    )


def split_window(since: str, until: str) -> tuple[tuple[str, str], tuple[str, str]] | None:
    """Cut a period window (months, quarters or years) in two halves; None when it is one period."""
    first, last = _period_index(since), _period_index(until)
    if first[0] != last[0] or last[1] <= first[1]:
        return None
    middle = (first[1] + last[1]) // 2
    return (since, _period_text(first[0], middle)), (_period_text(first[0], middle + 1), until)


def _period_index(period: str) -> tuple[str, int]:
    if len(period) == 7 and period[4] == "-" and period[5] != "Q":
        return "M", month_index(period)
    if len(period) == 7 and period[4:6] == "-Q":
        return "Q", int(period[:4]) * 4 + int(period[6]) - 1
    return "A", int(period)


def _period_text(kind: str, index: int) -> str:
    if kind == "M":
        return month_at(index)
    if kind == "Q":
        return f"{index // 4:04d}-Q{index % 4 + 1}"
    return f"{index:04d}"


async def fetch_eurostat(
    fetcher: Fetcher,
    query: EurostatQuery,
    *,
    fmt: str = "json",
    base: str = EUROSTAT_BASE,
    attempts: int = 3,
    backoff: float = 2.0,
    report: FetchReport | None = None,
) -> FetchReport:
    """Fetch ``query`` as JSON-stat (``fmt="json"``) or SDMX-CSV (``fmt="csv"``); a window Eurostat finds
    too big (HTTP 413 EXTRACTION_TOO_BIG) is cut in halves until it passes or is a single period."""
    report = report or FetchReport()
    if fmt == "json":
        url, params = f"{base}statistics/1.0/data/{query.dataset}", query.jsonstat_params()
    elif fmt == "csv":
        url = f"{base}sdmx/2.1/data/{query.dataset}/{query.sdmx_key()}"
        params = {"startPeriod": query.since, "endPeriod": query.until, "format": "SDMX-CSV"}
    else:
        raise ValueError(f"fmt must be 'json' or 'csv', not {fmt!r}")
    response = await _get(fetcher, url, params, attempts=attempts, backoff=backoff)
    if _too_big(response):
        halves = split_window(query.since, query.until)
        if halves is None:
            raise ExtractionTooBigError(
                f"{query.dataset} {query.since}: EXTRACTION_TOO_BIG even for one period; narrow the geos",
                status=response.status,
                code="EXTRACTION_TOO_BIG",
            )
        report.splits += 1
        log.info("%s %s..%s too big; splitting", query.dataset, query.since, query.until)
        for since, until in halves:
            window = query.window(since, until)
            await fetch_eurostat(
                fetcher, window, fmt=fmt, base=base, attempts=attempts, backoff=backoff, report=report
            )
        return report
    _raise_for_status(response)
    label = f"{query.dataset} {query.since}..{query.until}"
    try:
        if fmt == "json":
            result = eurostat.read_jsonstat(response.content, query.dataset)
        else:
            result = eurostat.read_csv(response.content, query.dataset)
    except NoDataError:
        report.empty.append(label)
        return report
    if not result.observations:
        report.empty.append(label)
        return report
    report.results.append(result)
    return report


async def check_eurostat_structure(
    fetcher: Fetcher,
    query: EurostatQuery,
    *,
    base: str = EUROSTAT_BASE,
    attempts: int = 3,
    backoff: float = 2.0,
) -> None:
    """Read the dataset's structure with its codelists and fail loudly if a dimension or code changed."""
    url = f"{base}sdmx/2.1/datastructure/ESTAT/{query.dataset.upper()}/latest"
    response = await _get(fetcher, url, {"references": "children"}, attempts=attempts, backoff=backoff)
    _raise_for_status(response)
    wanted = {name: codes for name, codes in query.wanted_codes().items() if name not in ("freq", "geo")}
    check_structure(query.dataset, read_structure(response.content), wanted)


async def fetch_unhcr(
    fetcher: Fetcher,
    *,
    year_from: int,
    year_to: int,
    coo: str = "RUS",
    base: str = UNHCR_BASE,
    attempts: int = 3,
    backoff: float = 2.0,
) -> ReadResult:
    """Asylum applications by country of asylum (ISO3) for origin ``coo``, all pages."""
    url = f"{base}asylum-applications/"
    observations: list[AsylumObservation] = []
    page, pages = 1, 1
    while page <= pages:
        params = {
            "yearFrom": str(year_from),
            "yearTo": str(year_to),
            "coo": coo,
            "coa_all": "true",
            "cf_type": "ISO",
            "limit": "1000",
            "page": str(page),
        }
        response = await _get(fetcher, url, params, attempts=attempts, backoff=backoff)
        _raise_for_status(response)
        document = parse_json(response.content, "UNHCR response")
        raise_for_error_object(document)
        observations.extend(unhcr_items(document))
        max_pages = document.get("maxPages", 1) if isinstance(document, dict) else 1
        pages = min(max_pages if isinstance(max_pages, int) and max_pages > 0 else 1, MAX_UNHCR_PAGES)
        page += 1
    return ReadResult(UNHCR_SOURCE, UNHCR_DATASET, tuple(observations), fetch_stamp(), "unhcr-json")


async def fetch_ukho(fetcher: Fetcher, url: str, *, attempts: int = 3, backoff: float = 2.0) -> ReadResult:
    """The Home Office detailed asylum applications workbook at ``url`` (it changes every release)."""
    response = await _get(fetcher, url, None, attempts=attempts, backoff=backoff)
    _raise_for_status(response)
    return read_ukho(response.content, vintage=fetch_stamp())


def fetch_stamp() -> str:
    """The vintage of a source without a last-update stamp: when it was read (UTC)."""
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


class HttpxFetcher:
    """A plain httpx adapter for the CLI. ``origin`` (e.g. ``http://127.0.0.1:8000``) redirects every
    request there while keeping the real URL in the response."""

    def __init__(
        self, *, origin: str | None = None, timeout: float = 60.0, user_agent: str = "warduty"
    ) -> None:
        self._origin = urlsplit(origin) if origin else None
        self._client = httpx.AsyncClient(timeout=timeout, headers={"User-Agent": user_agent}, trust_env=False)

    async def get(self, url: str, *, params: Params | None = None) -> FetchResponse:
        target = url
        if self._origin is not None:
            parts = urlsplit(url)
            target = urlunsplit((self._origin.scheme, self._origin.netloc, parts.path, parts.query, ""))
        try:
            response = await self._client.get(target, params=dict(params) if params else None)
        except httpx.HTTPError as exc:
            raise SourceError(f"cannot reach {url}: {exc}") from exc
        return FetchResponse(response.status_code, dict(response.headers), response.content, url)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> HttpxFetcher:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
