"""Turn one fetched page into stored rows and follow-up tasks. Shared by the crawler and ``reparse``.

The crawler passes what the parent page knew (the listing row of a card, the act of a document) in the
task payload; ``reparse`` has no frontier, so the processor also remembers listing rows by card URL and
finds a document's act by its URL.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, and_, bindparam, select, update

from warduty.courts import Court
from warduty.crawl.frontier import TaskKind, TaskSpec
from warduty.crawl.ingest import (
    listing_signature,
    store_card,
    store_document,
    stored_signatures,
    touch_seen,
)
from warduty.crawl.plan import Window
from warduty.store.schema import acts, searches
from warduty.store.upsert import insert_for
from warduty.sudrf.card import parse_card
from warduty.sudrf.document import parse_document
from warduty.sudrf.listing import parse_listing
from warduty.sudrf.pages import PageState
from warduty.sudrf.records import Listing, ListingRow
from warduty.sudrf.urls import DOCKET, Search, query_params, search_url


@dataclass(frozen=True, slots=True)
class SearchRef:
    """Which window of which article a search page belongs to."""

    article: str
    window: Window
    page: int

    def to_payload(self) -> dict[str, Any]:
        return {"article": self.article, **self.window.to_payload(), "page": self.page}

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> SearchRef:
        return cls(str(payload["article"]), Window.from_payload(payload), int(payload.get("page", 1)))

    @classmethod
    def from_url(cls, url: str) -> SearchRef:
        """Read the window back from a search URL (for reparse)."""
        query = {k.lower(): v for k, v in query_params(url).items()}
        article = query.get("u1_defendant__law_articless") or query.get("parts__law_articless") or "*"
        start = query.get("u1_case__entry_date1d") or query.get("case__entry_date1d") or ""
        end = query.get("u1_case__entry_date2d") or query.get("case__entry_date2d") or ""
        page = query.get("page") or query.get("_page") or "1"
        return cls(article, Window(_day(start), _day(end)), int(page))


def _day(text: str) -> date:
    day, month, year = text.split(".")
    return date(int(year), int(month), int(day))


@dataclass
class ProcessOutcome:
    children: list[TaskSpec] = field(default_factory=list)
    note: str | None = None
    rows: int = 0
    cards_stored: int = 0
    warnings: tuple[str, ...] = ()  # what the parser left out of the page (unknown tabs, skipped rows)


@dataclass
class Processor:
    """Stores pages of one run. ``max_window_rows`` bounds what one window may hold before it is split."""

    run_id: int
    max_window_rows: int = 1000
    recent_from: date | None = None  # windows reaching past this date are always read in full
    period: Window | None = None  # the run's whole receipt-date range (for control searches)
    listings_by_card: dict[str, dict[str, Any]] = field(default_factory=dict)

    def search_page(
        self, connection: Connection, court: Court, ref: SearchRef, html: str, url: str, fetch_id: int
    ) -> ProcessOutcome:
        listing = parse_listing(html, base_url=url)
        outcome = ProcessOutcome(rows=len(listing.rows), warnings=listing.warnings)
        if ref.page == 1:
            outcome.children += self._plan_window(connection, court, ref, listing, outcome)
        self._count_page(connection, court, ref, len(listing.rows))
        outcome.children += self._rows(connection, court, listing.rows, fetch_id)
        return outcome

    def empty_search(self, connection: Connection, court: Court, ref: SearchRef) -> None:
        self._window_row(connection, court, ref, total=0, pages=0, state="empty")

    def control(
        self, connection: Connection, court: Court, ref: SearchRef, html: str, state: PageState
    ) -> tuple[str, ...]:
        """A control search only reads the counter: does the court list anything in this window?
        Returns the listing's warnings."""
        listing = parse_listing(html) if state is PageState.RESULTS else None
        total = listing.total if listing is not None else 0
        self._window_row(connection, court, ref, total=total, pages=None, state="control")
        return listing.warnings if listing is not None else ()

    def _plan_window(
        self, connection: Connection, court: Court, ref: SearchRef, listing: Listing, outcome: ProcessOutcome
    ) -> list[TaskSpec]:
        halves = ref.window.split() if listing.total > self.max_window_rows else None
        if halves is not None:
            self._window_row(connection, court, ref, total=listing.total, pages=None, state="split")
            outcome.note = f"window of {listing.total} rows split"
            for half in halves:
                self._window_row(connection, court, SearchRef(ref.article, half, 1), None, None, "open")
            return [self.search_task(court, SearchRef(ref.article, half, 1)) for half in halves]
        page_size = max(len(listing.rows), (listing.last or 0) - (listing.first or 1) + 1, 1)
        pages = max(1, math.ceil(listing.total / page_size)) if listing.total else 0
        if self._unchanged_since_before(connection, court, ref, listing.total):
            self._window_row(connection, court, ref, total=listing.total, pages=pages, state="skipped")
            outcome.note = "counter unchanged; older window not re-read"
            return []
        self._window_row(connection, court, ref, total=listing.total, pages=pages, state="open")
        return [
            self.search_task(court, SearchRef(ref.article, ref.window, page)) for page in range(2, pages + 1)
        ]

    def _unchanged_since_before(
        self, connection: Connection, court: Court, ref: SearchRef, total: int
    ) -> bool:
        if self.recent_from is None or ref.window.end >= self.recent_from:
            return False
        previous = connection.execute(
            select(searches.c.total)
            .where(
                searches.c.court_code == court.code,
                searches.c.article == ref.article,
                searches.c.received_from == ref.window.start,
                searches.c.received_to == ref.window.end,
                searches.c.run_id < self.run_id,
                searches.c.state.in_(["complete", "skipped"]),
            )
            .order_by(searches.c.run_id.desc())
            .limit(1)
        ).scalar_one_or_none()
        return previous is not None and previous == total

    def search_task(self, court: Court, ref: SearchRef) -> TaskSpec:
        search = Search(
            article=ref.article, received_from=ref.window.start, received_to=ref.window.end, page=ref.page
        )
        return TaskSpec(TaskKind.SEARCH, court.code, search_url(court, search), ref.to_payload())

    def _window_row(
        self,
        connection: Connection,
        court: Court,
        ref: SearchRef,
        total: int | None,
        pages: int | None,
        state: str,
    ) -> None:
        key = {
            "run_id": self.run_id,
            "court_code": court.code,
            "article": ref.article,
            "received_from": ref.window.start,
            "received_to": ref.window.end,
        }
        values = {**key, "total": total, "pages": pages, "state": state, "rows_read": 0, "pages_read": 0}
        connection.execute(_window_upsert(connection.dialect.name, total is not None), values)

    def _count_page(self, connection: Connection, court: Court, ref: SearchRef, rows: int) -> None:
        connection.execute(
            _COUNT_PAGE,
            {
                "run": self.run_id,
                "court": court.code,
                "window_article": ref.article,
                "window_start": ref.window.start,
                "window_end": ref.window.end,
                "rows": rows,
            },
        )

    def _rows(
        self, connection: Connection, court: Court, rows: tuple[ListingRow, ...], fetch_id: int
    ) -> list[TaskSpec]:
        children = []
        stored = stored_signatures(connection, court.code, DOCKET, (row.case_number for row in rows))
        unchanged = []
        for row in rows:
            signature = listing_signature(row)
            info = {
                "case_number": row.case_number,
                "case_id": row.case_id,
                "legal_force": row.legal_force.isoformat() if row.legal_force else None,
                "legal_force_raw": row.legal_force_raw,
                "signature": signature,
            }
            self.listings_by_card[row.card_url] = info
            if stored.get(row.case_number) == signature:
                unchanged.append(row)
            else:
                children.append(TaskSpec(TaskKind.CARD, court.code, row.card_url, info))
        touch_seen(connection, self.run_id, court.code, DOCKET, unchanged)
        return children

    def card(
        self,
        connection: Connection,
        court: Court,
        html: str,
        url: str,
        fetch_id: int,
        listing: dict[str, Any] | None,
    ) -> ProcessOutcome:
        card = parse_card(html)
        info = listing if listing is not None else self.listings_by_card.get(url, {})
        stored = store_card(
            connection,
            run_id=self.run_id,
            court_code=court.code,
            docket=DOCKET,
            card=card,
            card_url=url,
            fetch_id=fetch_id,
            listing=info,
        )
        children = [
            TaskSpec(TaskKind.DOC, court.code, doc_url, {"case_id": stored.case_id, "position": position})
            for position, doc_url in stored.acts_to_fetch
        ]
        return ProcessOutcome(
            children=children,
            cards_stored=1,
            note="; ".join((*card.warnings, *card.unread)) or None,
            warnings=card.warnings,
        )

    def document(
        self, connection: Connection, html: str, url: str, fetch_id: int, act: dict[str, Any] | None
    ) -> ProcessOutcome:
        if act is None:
            found = connection.execute(
                select(acts.c.case_id, acts.c.position).where(acts.c.doc_url == url).limit(1)
            ).first()
            if found is None:
                return ProcessOutcome(note="document of no known act")
            act = {"case_id": found.case_id, "position": found.position}
        document = parse_document(html)
        store_document(connection, int(act["case_id"]), int(act["position"]), document.text, fetch_id)
        return ProcessOutcome()


@lru_cache(maxsize=8)
def _window_upsert(dialect: str, with_total: bool) -> Any:
    """Record a search window; an existing row takes the new state (and the counter, when it was read)."""
    statement = insert_for(dialect, searches)
    updated = ("state", "total", "pages") if with_total else ("state",)
    return statement.on_conflict_do_update(
        index_elements=["run_id", "court_code", "article", "received_from", "received_to"],
        set_={name: statement.excluded[name] for name in updated},
    )


_COUNT_PAGE = (
    update(searches)
    .where(
        and_(
            searches.c.run_id == bindparam("run"),
            searches.c.court_code == bindparam("court"),
            searches.c.article == bindparam("window_article"),
            searches.c.received_from == bindparam("window_start"),
            searches.c.received_to == bindparam("window_end"),
        )
    )
    .values(rows_read=searches.c.rows_read + bindparam("rows"), pages_read=searches.c.pages_read + 1)
)
