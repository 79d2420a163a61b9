"""Asylum jobs: fetch the statistics APIs through the one network door into a run, or store a saved payload.

A fetch is a run of its own (``asylum-fetch``): it starts before the first request, archives every answer
under ``<data_dir>/archive/asylum/run-<id>/``, and ends ``finished`` with its counts or ``failed`` with the
reason, the answers so far staying in the archive.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, Engine

from warduty.asylum import AsylumDataError, ReadResult
from warduty.asylum.fetch import (
    API_INTERVAL,
    API_MAX_BYTES,
    EurostatQuery,
    FetchReport,
    api_options,
    check_eurostat_structure,
    fetch_eurostat,
    fetch_stamp,
    fetch_ukho,
    fetch_unhcr,
)
from warduty.asylum.storage import finish_run, start_run, store_observations
from warduty.config import Settings
from warduty.crawl.archive import WarcArchive
from warduty.crawl.client import HttpClient
from warduty.jobs.alerts import AlertReport, after_run
from warduty.store import UpsertResult


class AsylumFetchFailed(RuntimeError):
    """The fetch stopped; its run is marked failed with this message."""


@dataclass(frozen=True, slots=True)
class AsylumFetch:
    """What to fetch: Eurostat from ``since`` (YYYY-MM) to ``today``, optionally UNHCR and the UK table."""

    since: str
    today: date
    fmt: str = "json"  # Eurostat format: json (JSON-stat) or csv (SDMX-CSV)
    unhcr: bool = True
    uk_url: str | None = None
    check: bool = True  # check dataset structures and codelists first
    origin: str | None = None  # send every request here (a replica or a test server)
    interval: float = API_INTERVAL  # seconds between two requests to one API host
    max_bytes: int = API_MAX_BYTES


@dataclass(frozen=True, slots=True)
class AsylumFetchOutcome:
    run_id: int
    observations: int
    stored: UpsertResult
    report: FetchReport
    alerts: AlertReport  # the alerts detected after the fetch, and their deliveries


def asylum_client(
    settings: Settings, archive: WarcArchive | None, *, origin: str | None, interval: float, max_bytes: int
) -> HttpClient:
    """The network door for the statistics APIs, from the settings (proxy, timeout, retries, global
    interval) and the fetch options; every response goes to ``archive``."""
    options = api_options(
        interval=interval,
        global_interval=settings.global_interval,
        timeout=settings.timeout,
        retries=settings.retries,
        proxy=settings.proxy or None,
        origin=origin,
        max_bytes=max_bytes,
    )
    return HttpClient(options, archive=archive)


def store_results(connection: Connection, run_id: int, results: list[ReadResult]) -> UpsertResult:
    """Store each result as a vintage (its own stamp, else the time of fetching)."""
    total = UpsertResult()
    for result in results:
        vintage = result.vintage or fetch_stamp()
        total += store_observations(connection, result.observations, vintage=vintage, run_id=run_id)
    return total


def counts(stored: UpsertResult) -> dict[str, int]:
    return {"inserted": stored.inserted, "updated": stored.updated, "unchanged": stored.unchanged}


def fetch_asylum(settings: Settings, engine: Engine, job: AsylumFetch) -> AsylumFetchOutcome:
    """Run one asylum fetch into ``engine``'s (migrated) database; raises :class:`AsylumFetchFailed`."""
    with engine.begin() as connection:
        plan = {"since": job.since, "origin": job.origin, "format": job.fmt}
        run_id = start_run(connection, "asylum-fetch", plan)
    try:
        archive = WarcArchive(settings.data_dir / "archive" / "asylum", run_id, relative_to=settings.data_dir)
    except OSError as exc:
        raise _failed(engine, run_id, f"cannot write the archive: {exc}") from exc
    try:
        client = asylum_client(
            settings, archive, origin=job.origin, interval=job.interval, max_bytes=job.max_bytes
        )
        report, others = asyncio.run(_fetch_all(client, job))
    except (AsylumDataError, OSError) as exc:  # OSError: the archive could not be written
        raise _failed(engine, run_id, f"fetch failed: {exc} (answers so far in {archive.folder})") from exc
    finally:
        archive.close()
    results = [*report.results, *others]
    with engine.begin() as connection:
        stored = store_results(connection, run_id, results)
        statistics = {**counts(stored), "empty": report.empty, "splits": report.splits}
        finish_run(connection, run_id, "finished", statistics=statistics)
    alerts = after_run(settings, engine, run_id)  # alerts (new asylum data): never raises
    return AsylumFetchOutcome(run_id, sum(len(r.observations) for r in results), stored, report, alerts)


def _failed(engine: Engine, run_id: int, message: str) -> AsylumFetchFailed:
    with engine.begin() as connection:
        finish_run(connection, run_id, "failed", issues=[message])
    return AsylumFetchFailed(message)


async def _fetch_all(client: HttpClient, job: AsylumFetch) -> tuple[FetchReport, list[ReadResult]]:
    since, today = job.since, job.today
    queries = [
        EurostatQuery("migr_asyappctzm", since, f"{today:%Y-%m}"),
        EurostatQuery("migr_asyappctza", since[:4], str(today.year)),
        EurostatQuery("migr_asydcfstq", f"{since[:4]}-Q1", f"{today.year}-Q{(today.month - 1) // 3 + 1}"),
    ]
    report = FetchReport()
    others: list[ReadResult] = []
    async with client:
        for query in queries:
            if job.check:
                await check_eurostat_structure(client, query)
            await fetch_eurostat(client, query, fmt=job.fmt, report=report)
        if job.unhcr:
            others.append(await fetch_unhcr(client, year_from=int(since[:4]), year_to=today.year))
        if job.uk_url:
            others.append(await fetch_ukho(client, job.uk_url))
    return report, others
