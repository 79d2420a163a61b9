"""The fetch path: Eurostat (JSON-stat and SDMX-CSV), UNHCR and the UK table, through the crawler's client.

Every request goes through :class:`warduty.crawl.client.HttpClient`, the one network door: it paces
requests, retries 5xx and dropped connections with backoff, rests after 429 (``Retry-After`` honoured,
capped), uses the proxy, caps the body size and archives every response to WARC before it is read here.
This module only builds the URLs, judges the answers and reads the payloads. :func:`api_options` gives
the client options suited to these APIs.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from urllib.parse import urlencode

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
from warduty.crawl.client import RETRY_STATUSES, ClientOptions, FetchError, FetchResult, HttpClient
from warduty.stats.months import month_at, month_index

log = logging.getLogger(__name__)

EUROSTAT_BASE = "https://ec.europa.eu/eurostat/api/dissemination/"
UNHCR_BASE = "https://api.unhcr.org/population/v1/"
MAX_UNHCR_PAGES = 200
API_INTERVAL = 1.0  # seconds between two requests to one API host
API_COOLDOWN = 300.0  # rest after a 429 without Retry-After, and the cap of a longer one
API_MIN_REST = 1.0  # a shorter Retry-After is honoured down to this
# The UK workbook is tens of MB and a wide Eurostat extraction can be too; court pages are capped at 20 MB.
API_MAX_BYTES = 200_000_000
USER_AGENT = "warduty (asylum statistics)"

Params = Mapping[str, str | list[str]]


def api_options(
    *,
    interval: float = API_INTERVAL,
    global_interval: float = 0.5,
    timeout: float = 60.0,
    retries: int = 4,
    proxy: str | None = None,
    origin: str | None = None,
    max_bytes: int = API_MAX_BYTES,
) -> ClientOptions:
    """Client options for the statistics APIs: a short interval and rest, a large body cap, a plain
    User-Agent. ``origin`` connects to a replica or test server while URLs and archive records stay real."""
    return ClientOptions(
        host_interval=interval,
        global_interval=global_interval,
        timeout=timeout,
        retries=retries,
        cooldown=API_COOLDOWN,
        min_cooldown=API_MIN_REST,
        user_agent=USER_AGENT,
        proxy=proxy or None,
        origin=origin or None,
        max_bytes=max_bytes,
    )


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


async def _get(client: HttpClient, url: str, params: Params | None) -> FetchResult:
    """GET through the client (which retries and rests); an answer that is still unusable is a
    ``SourceError``, any other status is returned for the caller to judge."""
    target = f"{url}?{urlencode(params, doseq=True)}" if params else url
    try:
        response = await client.get(target)
    except FetchError as exc:
        raise SourceError(f"cannot reach {url}: {exc.reason} (after {exc.attempts} attempt(s))") from exc
    except ValueError as exc:  # not an absolute http(s) URL
        raise SourceError(str(exc)) from exc
    if response.too_large:
        raise SourceError(
            f"{url} sent more than {client.options.max_bytes:,} bytes; raise --max-bytes to read it",
            status=response.status,
        )
    if response.throttled:
        raise SourceError(
            f"{url} still answered HTTP {response.status} (rate limited) after "
            f"{client.options.max_cooldowns} rests",
            status=response.status,
        )
    if response.status in RETRY_STATUSES:
        raise SourceError(
            f"{url} answered HTTP {response.status} {response.attempts} times", status=response.status
        )
    return response


def _raise_for_status(response: FetchResult) -> None:
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


def _too_big(response: FetchResult) -> bool:
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
    client: HttpClient,
    query: EurostatQuery,
    *,
    fmt: str = "json",
    base: str = EUROSTAT_BASE,
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
    response = await _get(client, url, params)
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
            await fetch_eurostat(client, window, fmt=fmt, base=base, report=report)
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
    client: HttpClient, query: EurostatQuery, *, base: str = EUROSTAT_BASE
) -> None:
    """Read the dataset's structure with its codelists and fail loudly if a dimension or code changed."""
    url = f"{base}sdmx/2.1/datastructure/ESTAT/{query.dataset.upper()}/latest"
    response = await _get(client, url, {"references": "children"})
    _raise_for_status(response)
    wanted = {name: codes for name, codes in query.wanted_codes().items() if name not in ("freq", "geo")}
    check_structure(query.dataset, read_structure(response.content), wanted)


async def fetch_unhcr(
    client: HttpClient, *, year_from: int, year_to: int, coo: str = "RUS", base: str = UNHCR_BASE
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
        response = await _get(client, url, params)
        _raise_for_status(response)
        document = parse_json(response.content, "UNHCR response")
        raise_for_error_object(document)
        observations.extend(unhcr_items(document))
        max_pages = document.get("maxPages", 1) if isinstance(document, dict) else 1
        pages = min(max_pages if isinstance(max_pages, int) and max_pages > 0 else 1, MAX_UNHCR_PAGES)
        page += 1
    return ReadResult(UNHCR_SOURCE, UNHCR_DATASET, tuple(observations), fetch_stamp(), "unhcr-json")


async def fetch_ukho(client: HttpClient, url: str) -> ReadResult:
    """The Home Office detailed asylum applications workbook at ``url`` (it changes every release)."""
    response = await _get(client, url, None)
    _raise_for_status(response)
    return read_ukho(response.content, vintage=fetch_stamp())


def fetch_stamp() -> str:
    """The vintage of a source without a last-update stamp: when it was read (UTC)."""
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds")
