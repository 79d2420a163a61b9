"""Crawling and re-parsing: the client from the settings, the crawler (built here and nowhere else), a
crawl under the database's crawl lock, and the rebuild from the archive."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from warduty.config import Settings
from warduty.courts import CourtRegistry, load_registry
from warduty.crawl.captcha import CaptchaSolver
from warduty.crawl.client import ClientOptions
from warduty.crawl.crawler import Crawler, CrawlOptions, ProgressEvent, RunReport, courts_to_crawl
from warduty.crawl.lock import CrawlLock
from warduty.crawl.ocr import OcrSolver, ocr_available
from warduty.crawl.pacing import Pacer
from warduty.crawl.reparse import ReparseReport, reparse
from warduty.jobs.alerts import AlertReport, after_run
from warduty.jobs.store import open_store, prepare_store
from warduty.store import make_engine, require_writable


def client_options(settings: Settings) -> ClientOptions:
    """The network door's options from the settings (a command's options go into the settings first)."""
    return ClientOptions(
        host_interval=settings.min_interval,
        global_interval=settings.global_interval,
        timeout=settings.timeout,
        retries=settings.retries,
        max_bytes=settings.max_page_bytes,
        cooldown=settings.cooldown,
        user_agent=settings.user_agent,
        proxy=settings.proxy or None,
        origin=settings.sudrf_origin or None,
        ca_bundles=dict(settings.ca_bundles),
    )


def default_solver() -> CaptchaSolver | None:
    """The captcha solver of a crawl that names none: the OCR when the ``ocr`` extra is installed, else
    none, and captcha courts wait for a person (``--interactive``, the web admin) or a solver command."""
    return OcrSolver() if ocr_available() else None


def new_crawler(
    engine: Engine,
    client: ClientOptions,
    data_dir: Path,
    *,
    registry: CourtRegistry | None = None,
    solver: CaptchaSolver | None = None,
    on_progress: Callable[[ProgressEvent], None] | None = None,
    pacer: Pacer | None = None,
) -> Crawler:
    """The crawler: the one place it is put together. ``engine`` must be migrated, with courts loaded.
    ``pacer``: one shared by several crawls of a process (a queue worker's jobs), so their requests keep
    one platform-wide interval."""
    return Crawler(
        engine,
        registry or load_registry(),
        client,
        data_dir,
        solver=solver,
        on_progress=on_progress,
        pacer=pacer,
    )


def run_crawl(
    settings: Settings,
    options: CrawlOptions,
    *,
    solver: CaptchaSolver | None = None,
    on_start: Callable[[int], None] | None = None,
    on_progress: Callable[[ProgressEvent], None] | None = None,
    on_alerts: Callable[[AlertReport], None] | None = None,
    engine: Engine | None = None,
) -> RunReport:
    """Crawl into the configured database (or ``engine``) and return the run report.

    Takes the crawl lock first: raises :class:`~warduty.crawl.lock.CrawlLocked` at once, before
    migrating, when another crawl holds the database. Then migrates, loads the courts, calls
    ``on_start`` with the number of courts to visit, and crawls, calling ``on_progress`` per page.
    Then, with the lock released, detects and sends the run's alerts (``jobs.alerts.after_run``) and
    hands what became of them to ``on_alerts``."""
    engine = engine or make_engine(settings.database_url)
    require_writable(engine)
    lock = CrawlLock(engine)
    lock.acquire()
    try:
        registry = load_registry()
        prepare_store(engine, registry)
        crawler = new_crawler(
            engine,
            client_options(settings),
            settings.data_dir,
            registry=registry,
            solver=solver,
            on_progress=on_progress,
        )
        if on_start is not None:
            on_start(len(courts_to_crawl(registry, options)))
        report = asyncio.run(crawler.run(options, lock))
    finally:
        lock.release()
    alerts = after_run(settings, engine, report.run_id)  # never raises, never fails the crawl
    if on_alerts is not None:
        on_alerts(alerts)
    return report


def reparse_archive(database_url: str, archive_root: Path, data_dir: Path) -> ReparseReport:
    """Rebuild the database at ``database_url`` from the WARC archive under ``archive_root``, offline."""
    store = open_store(database_url)
    return reparse(store.engine, load_registry(), archive_root, data_dir)
