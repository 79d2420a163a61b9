"""Rebuild the database from the WARC archive, without the network.

Runs are replayed in order, each court's responses in the order they were received, through the same
:class:`~warduty.crawl.ingest.Processor` the crawler uses. Responses the crawler could not use (errors,
throttle pages, truncated pages) fail to parse here too and are skipped.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

from sqlalchemy import Engine, update

from warduty.courts import CourtRegistry, UnknownCourtError
from warduty.crawl.archive import ArchivedResponse, ArchiveError, iter_run, stored_path
from warduty.crawl.client import ArchiveRef, FetchResult
from warduty.crawl.ingest import Processor, SearchRef, record_fetch
from warduty.crawl.reconcile import reconcile
from warduty.store.schema import runs
from warduty.sudrf.dispatch import parse_as
from warduty.sudrf.encoding import charset_of, decode_page
from warduty.sudrf.errors import PageFormatError
from warduty.sudrf.pages import PageState, classify_page
from warduty.sudrf.urls import page_kind

log = logging.getLogger(__name__)


@dataclass
class ReparseReport:
    runs: int = 0
    responses: int = 0
    used: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)


def _run_folders(archive_root: Path) -> list[Path]:
    folders = [p for p in archive_root.glob("run-*") if p.is_dir() and p.name[4:].isdigit()]
    return sorted(folders, key=lambda p: int(p.name[4:]))


def reparse(
    engine: Engine, registry: CourtRegistry, archive_root: Path, data_dir: Path | None = None
) -> ReparseReport:
    """Replay every archived run into ``engine`` (migrated, with courts loaded). Rows record archive
    files relative to ``data_dir`` (default: the folder that holds ``archive_root``)."""
    data_dir = archive_root.parent if data_dir is None else data_dir
    report = ReparseReport()
    for folder in _run_folders(archive_root):
        manifest = (
            json.loads((folder / "run.json").read_text("utf-8")) if (folder / "run.json").exists() else {}
        )
        with engine.begin() as connection:
            run_id = int(
                connection.execute(
                    runs.insert()
                    .values(
                        kind="reparse",
                        started_at=datetime.now(UTC),
                        status="running",
                        plan={"archive": folder.name, **manifest},
                    )
                    .returning(runs.c.id)
                ).scalar_one()
            )
        recent = manifest.get("recent_from")
        processor = Processor(
            run_id,
            max_window_rows=int(manifest.get("max_window_rows", 1000)),
            recent_from=date.fromisoformat(recent) if recent else None,
        )
        for response in iter_run(folder, partial(_damaged, report)):
            report.responses += 1
            outcome = _replay(engine, registry, processor, response, data_dir)
            (report.used if outcome == "used" else report.skipped)[outcome] += 1
        with engine.begin() as connection:
            reconcile(connection, run_id)
            connection.execute(
                update(runs).where(runs.c.id == run_id).values(status="done", finished_at=datetime.now(UTC))
            )
        report.runs += 1
    return report


def _damaged(report: ReparseReport, error: ArchiveError) -> None:
    """A damaged stretch of an archive file: said, counted, and read past (the records after it count)."""
    log.warning("%s; reading on at the next whole record", error)
    report.skipped["damaged archive"] += 1


def _replay(
    engine: Engine, registry: CourtRegistry, processor: Processor, response: ArchivedResponse, data_dir: Path
) -> str:
    if response.status != 200 or not response.court_code:
        return f"status {response.status}"
    try:
        court = registry.by_code(response.court_code)
    except UnknownCourtError:
        return "unknown court"
    html = decode_page(response.body, charset_of(response.content_type))
    state = classify_page(html)
    kind = page_kind(response.url)
    result = FetchResult(
        url=response.url,
        status=response.status,
        headers=dict(response.headers),
        content=response.body,
        fetched_at=datetime.fromisoformat(response.fetched_at.replace("Z", "+00:00")),
        attempts=1,
        archive=ArchiveRef(stored_path(Path(response.file), data_dir), response.offset),
    )
    usable = (
        (kind == "search" and state in (PageState.RESULTS, PageState.EMPTY))
        or (kind == "card" and state is PageState.CARD)
        or (kind == "doc" and state is PageState.DOCUMENT)
    )
    if not usable:
        return f"{kind} page in state {state.value}"
    try:  # parsed before anything is written, as the crawler does
        page = parse_as(state, html, response.url)
    except PageFormatError as exc:
        log.info("skipping %s: %s", response.url, exc)
        return "unparseable"
    with engine.begin() as connection:
        fetch_id = record_fetch(connection, processor.run_id, court.code, result, state.value)
        if page.card is not None:
            processor.card(connection, court, page.card, response.url, fetch_id, None)
        elif page.document is not None and page.verdict is not None:
            verdict = page.verdict.to_dict()
            processor.document(connection, page.document, verdict, response.url, fetch_id, None)
        else:
            ref = SearchRef.from_url(response.url)
            if ref.article == "*":
                processor.control(connection, court, ref, page.listing)
            elif page.listing is None:
                processor.empty_search(connection, court, ref)
            else:
                processor.search_page(connection, court, ref, page.listing, fetch_id)
        processor.later.flush(connection)  # a page a transaction: its held-back rows go with it
    return "used"
