"""Turn parsed pages into stored rows and follow-up tasks: fetches, search windows, cases, persons,
articles, events, acts. Shared by the crawler and ``reparse``.

The pages arrive parsed (``warduty.sudrf.dispatch.parse_as``), so a page the parsers refuse never
leaves half its rows behind. Every function takes an open connection and is called inside the
transaction that finishes the task, so stored rows and frontier state change together. Upserts are keyed
on natural keys and leave equal rows alone, which makes re-running or re-parsing idempotent.

The crawler passes what the parent page knew (the listing row of a card, the act of a document) in the
task payload; ``reparse`` has no frontier, so the processor also remembers listing rows by card URL and
finds a document's act by its URL.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, and_, bindparam, func, select, update

from warduty.courts import Court
from warduty.crawl.client import FetchResult
from warduty.crawl.frontier import TaskKind, TaskSpec
from warduty.crawl.plan import Window
from warduty.store import driver
from warduty.store.schema import acts, cases, events, fetches, person_articles, persons, searches
from warduty.store.upsert import insert_for, upsert_quietly, upsert_returning
from warduty.sudrf.records import CardAct, CaseCard, Document, Listing, ListingRow
from warduty.sudrf.urls import DOCKET, Search, query_params, search_url

_CASE_ID = select(cases.c.id).where(
    cases.c.court_code == bindparam("court_code"),
    cases.c.docket == bindparam("docket"),
    cases.c.case_number == bindparam("case_number"),
)
_MARK_CARD = (
    update(cases)
    .where(cases.c.id == bindparam("case_id"))
    .values(
        fetch_id=bindparam("fetch_id"),
        first_seen_run=func.coalesce(cases.c.first_seen_run, bindparam("run_id")),
    )
)
_INSERT_FETCH = fetches.insert().returning(fetches.c.id)
# Statements built once: building them per call cost more than running them on the crawler's hot path.
_SIGNATURES = select(cases.c.case_number, cases.c.listing_signature).where(
    cases.c.court_code == bindparam("court_code"),
    cases.c.docket == bindparam("docket"),
    cases.c.case_number.in_(bindparam("case_numbers", expanding=True)),
)
_TOUCH_SEEN = (
    update(cases)
    .where(
        cases.c.court_code == bindparam("court"),
        cases.c.docket == bindparam("in_docket"),
        cases.c.case_number == bindparam("number"),
    )
    .values(
        last_seen_run=bindparam("run"),
        missing_since=None,
        legal_force=bindparam("force"),
        legal_force_raw=bindparam("force_raw"),
    )
)
_PERSON_IDS = select(persons.c.position, persons.c.id).where(persons.c.case_id == bindparam("case_id"))
_STORED_ACTS = select(acts.c.position, acts.c.doc_url, acts.c.text).where(
    acts.c.case_id == bindparam("case_id")
)
_STORE_DOCUMENT = (
    update(acts)
    .where(acts.c.case_id == bindparam("act_case_id"), acts.c.position == bindparam("act_position"))
    .values(text=bindparam("act_text"), verdict=bindparam("act_verdict"), fetch_id=bindparam("act_fetch"))
)


def record_fetch(
    connection: Connection,
    run_id: int,
    court_code: str,
    result: FetchResult,
    page_state: str,
) -> int:
    values = {
        "run_id": run_id,
        "court_code": court_code,
        "url": result.url,
        "status_code": result.status,
        "fetched_at": result.fetched_at,
        "sha256": hashlib.sha256(result.content).hexdigest(),
        "warc_file": result.archive.file if result.archive else None,
        "warc_offset": result.archive.offset if result.archive else None,
        "page_state": page_state,
    }
    ((fetch_id,),) = driver.execute(connection, _INSERT_FETCH, values)
    return int(fetch_id)


def listing_signature(row: ListingRow) -> str:
    """A digest of the listing row's fields that only the card can complete: when it changes, the card
    is fetched again. The legal-force date is not part of it: the listing alone carries that date, so
    it is updated from the row without fetching the card."""
    fields = [row.received_raw, row.info, row.judge or "", row.decided_raw, row.result or ""]
    fields += sorted(row.act_urls)
    return hashlib.sha1("\x1f".join(fields).encode("utf-8")).hexdigest()


def case_key(court_code: str, docket: str, case_number: str) -> dict[str, str]:
    return {"court_code": court_code, "docket": docket, "case_number": case_number}


def stored_signatures(
    connection: Connection, court_code: str, docket: str, case_numbers: Iterable[str]
) -> dict[str, str]:
    """The listing signatures stored for these cases (one query for a listing page); new cases are absent."""
    wanted = sorted(set(case_numbers))
    if not wanted:
        return {}
    rows = connection.execute(
        _SIGNATURES, {"court_code": court_code, "docket": docket, "case_numbers": wanted}
    )
    return {row.case_number: row.listing_signature or "" for row in rows}


def touch_seen(
    connection: Connection, run_id: int, court_code: str, docket: str, rows: Sequence[ListingRow]
) -> None:
    """Listings showed these cases again, unchanged but perhaps for their legal-force dates."""
    if rows:
        driver.execute_many(
            connection,
            _TOUCH_SEEN,
            [
                {
                    "court": court_code,
                    "in_docket": docket,
                    "number": row.case_number,
                    "run": run_id,
                    "force": row.legal_force,
                    "force_raw": row.legal_force_raw or None,
                }
                for row in rows
            ],
        )


class ChildRows:
    """The rows of cards' children (persons' articles, events, acts), gathered over the pages of one
    transaction and upserted together before it commits: one statement per table and transaction, where
    each card took three. Their parents (cases, persons) are written at once, so the ids are known.
    Whoever commits flushes first (the crawl's writer, ``reparse``); whoever rolls back discards; a read of
    these tables inside the transaction flushes first."""

    def __init__(self) -> None:
        # (table, key, columns) -> key value(s) (one column's value, or a tuple of several) -> row
        self._rows: dict[tuple[Table, tuple[str, ...], tuple[str, ...]], dict[Any, Any]] = {}

    def add(self, table: Table, key: Sequence[str], rows: Iterable[dict[str, Any]]) -> None:
        key_of = itemgetter(*key)
        for row in rows:
            # Grouped by shape (one upsert takes rows of one shape); a later row with the same key replaces
            # the earlier one, as a later upsert would.
            self._rows.setdefault((table, tuple(key), tuple(row)), {})[key_of(row)] = row

    def flush(self, connection: Connection) -> None:
        pending, self._rows = self._rows, {}
        for (table, key, _), rows in pending.items():
            upsert_quietly(connection, table, list(rows.values()), key)

    def discard(self) -> None:
        self._rows = {}


@dataclasses.dataclass(frozen=True, slots=True)
class StoredCard:
    case_id: int
    acts_to_fetch: tuple[tuple[int, str], ...]  # (position, doc URL) of linked acts without text


def store_card(
    connection: Connection,
    *,
    run_id: int,
    court_code: str,
    docket: str,
    card: CaseCard,
    card_url: str,
    fetch_id: int,
    listing: dict[str, Any],
    later: ChildRows,
) -> StoredCard:
    """Upsert a case with its persons, and its persons' articles, events and acts into ``later``;
    ``listing`` holds listing-only fields."""
    values = {
        **case_key(court_code, docket, card.case_number),
        "uid": card.uid,
        "site_case_id": listing.get("case_id"),
        "card_url": card_url,
        "received": card.received,
        "received_raw": card.received_raw or None,
        "category": card.category,
        "judge": card.judge,
        "decided": card.decided,
        "decided_raw": card.decided_raw or None,
        "result": card.result,
        "legal_force": _date(listing.get("legal_force")),
        "legal_force_raw": listing.get("legal_force_raw") or None,
        "status": "decided" if card.decided else "pending",
        "listing_signature": listing.get("signature"),
        "last_seen_run": run_id,
        "missing_since": None,
    }
    # One statement stores the case and returns its id, unless the stored row is equal already (the same
    # card stored twice in one run): then the id is looked up and the fetch marked on its own.
    stored = upsert_returning(
        connection,
        cases,
        [values],
        ["court_code", "docket", "case_number"],
        ["id"],
        touch={"changed_run": run_id, "fetch_id": fetch_id},
        fill={"first_seen_run": run_id},
    )
    if stored:
        case_id = int(stored[0][0])
    else:
        key = case_key(court_code, docket, card.case_number)
        case_id = int(connection.execute(_CASE_ID, key).scalar_one())
        connection.execute(_MARK_CARD, {"case_id": case_id, "run_id": run_id, "fetch_id": fetch_id})
    _store_persons(connection, case_id, card, later)
    _store_events(case_id, card, later)
    to_fetch = _store_acts(connection, case_id, card.acts, fetch_id, later)
    return StoredCard(case_id=case_id, acts_to_fetch=tuple(to_fetch))


def _store_persons(connection: Connection, case_id: int, card: CaseCard, later: ChildRows) -> None:
    rows = [
        {
            "case_id": case_id,
            "position": position,
            "name": person.name,
            "hidden": person.hidden,
            "articles_raw": person.articles_raw,
            "decided": person.decided,
            "decided_raw": person.decided_raw or None,
            "result": person.result,
        }
        for position, person in enumerate(card.persons, start=1)
    ]
    if not rows:
        return
    stored = upsert_returning(connection, persons, rows, ["case_id", "position"], ["position", "id"])
    ids = {row[0]: row[1] for row in stored}  # position -> id
    if len(ids) < len(rows):  # equal stored persons return nothing: look their ids up
        ids = {row.position: row.id for row in connection.execute(_PERSON_IDS, {"case_id": case_id})}
    article_rows = [
        {
            "person_id": ids[position],
            "article": ref.article,
            "part": ref.part or "",
            "point": ref.point or "",
            "article_group": ref.group,
            "wartime_part": ref.wartime_part,
        }
        for position, person in enumerate(card.persons, start=1)
        for ref in person.articles
    ]
    later.add(person_articles, ["person_id", "article", "part", "point"], article_rows)


def _store_events(case_id: int, card: CaseCard, later: ChildRows) -> None:
    rows = [
        {
            "case_id": case_id,
            "position": position,
            "name": event.name,
            "date": event.date,
            "date_raw": event.date_raw or None,
            "time": event.time,
            "place": event.place,
            "result": event.result,
            "basis": event.reason,
            "posted": event.published,
        }
        for position, event in enumerate(card.events, start=1)
    ]
    later.add(events, ["case_id", "position"], rows)


def act_kind(title: str) -> str:
    """«Судебный акт #1 (Приговор)» -> «Приговор»."""
    if "(" in title and title.rstrip().endswith(")"):
        return title[title.rfind("(") + 1 : title.rstrip().rfind(")")].strip()
    return title.strip()


def _store_acts(
    connection: Connection, case_id: int, card_acts: tuple[CardAct, ...], fetch_id: int, later: ChildRows
) -> list[tuple[int, str]]:
    # Stored texts matter only for acts the card links to without showing them: no query otherwise.
    needs_stored = any(act.url and not act.text for act in card_acts)
    if needs_stored:
        later.flush(connection)
    existing = (
        {r.position: r for r in connection.execute(_STORED_ACTS, {"case_id": case_id})}
        if needs_stored
        else {}
    )
    to_fetch: list[tuple[int, str]] = []
    for position, act in enumerate(card_acts, start=1):
        stored = existing.get(position)
        values: dict[str, Any] = {
            "case_id": case_id,
            "position": position,
            "kind": act_kind(act.title),
            "doc_url": act.url,
        }
        if act.text:
            values["text"] = act.text
            values["verdict"] = verdict_json(act.text)
            values["fetch_id"] = fetch_id
        elif stored is not None and stored.text and stored.doc_url == act.url:
            pass  # the text was fetched before; keep it
        elif act.url:
            to_fetch.append((position, act.url))
        later.add(acts, ["case_id", "position"], [values])
    return to_fetch


def store_document(
    connection: Connection, case_id: int, position: int, text: str, verdict: dict[str, Any], fetch_id: int
) -> None:
    connection.execute(
        _STORE_DOCUMENT,
        {
            "act_case_id": case_id,
            "act_position": position,
            "act_text": text,
            "act_verdict": verdict,
            "act_fetch": fetch_id,
        },
    )


def verdict_json(text: str) -> dict[str, Any]:
    """Facts from the act's text as JSON-ready data."""
    from warduty.sudrf.verdict import extract_verdict

    return extract_verdict(text).to_dict()  # the one JSON shape (``warduty verdict --json`` prints it too)


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


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
    later: ChildRows = field(default_factory=ChildRows)  # flushed by whoever commits the transaction

    def search_page(
        self, connection: Connection, court: Court, ref: SearchRef, listing: Listing, fetch_id: int
    ) -> ProcessOutcome:
        outcome = ProcessOutcome(rows=len(listing.rows), warnings=listing.warnings)
        if ref.page == 1:
            outcome.children += self._plan_window(connection, court, ref, listing, outcome)
        self._count_page(connection, court, ref, len(listing.rows))
        outcome.children += self._rows(connection, court, listing.rows, fetch_id)
        return outcome

    def empty_search(self, connection: Connection, court: Court, ref: SearchRef) -> None:
        self._window_row(connection, court, ref, total=0, pages=0, state="empty")

    def control(self, connection: Connection, court: Court, ref: SearchRef, listing: Listing | None) -> None:
        """A control search only reads the counter: does the court list anything in this window?
        ``listing`` is None for a page that says nothing was found."""
        total = listing.total if listing is not None else 0
        self._window_row(connection, court, ref, total=total, pages=None, state="control")

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
        driver.execute(connection, _window_upsert(connection.dialect.name, total is not None), values)

    def _count_page(self, connection: Connection, court: Court, ref: SearchRef, rows: int) -> None:
        driver.execute(
            connection,
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
        card: CaseCard,
        url: str,
        fetch_id: int,
        listing: dict[str, Any] | None,
    ) -> ProcessOutcome:
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
            later=self.later,
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
        self,
        connection: Connection,
        document: Document,
        verdict: dict[str, Any],
        url: str,
        fetch_id: int,
        act: dict[str, Any] | None,
    ) -> ProcessOutcome:
        """Store an act's text with the facts read from it (``verdict``, the verdict reader's JSON)."""
        self.later.flush(connection)  # the act's row may still wait there
        if act is None:
            found = connection.execute(
                select(acts.c.case_id, acts.c.position).where(acts.c.doc_url == url).limit(1)
            ).first()
            if found is None:
                return ProcessOutcome(note="document of no known act")
            act = {"case_id": found.case_id, "position": found.position}
        store_document(
            connection, int(act["case_id"]), int(act["position"]), document.text, verdict, fetch_id
        )
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
