"""Store what the parsers read: fetches, cases, persons, articles, events, acts.

Every function takes an open connection and is called inside the transaction that finishes the task,
so stored rows and frontier state change together. Upserts are keyed on natural keys and leave equal
rows alone, which makes re-running or re-parsing idempotent.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update

from warduty.crawl.client import FetchResult
from warduty.store.schema import acts, cases, events, fetches, person_articles, persons
from warduty.store.upsert import upsert
from warduty.sudrf.records import CardAct, CaseCard, ListingRow

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
    return int(connection.execute(_INSERT_FETCH, values).scalar_one())


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
        connection.execute(
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
) -> StoredCard:
    """Upsert a case with its persons, articles, events and acts; ``listing`` holds listing-only fields."""
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
    # count=False: nothing here uses the insert/update split, and counting costs a SELECT per card.
    upsert(
        connection,
        cases,
        [values],
        ["court_code", "docket", "case_number"],
        touch={"changed_run": run_id},
        count=False,
    )
    key = case_key(court_code, docket, card.case_number)
    case_id = int(connection.execute(_CASE_ID, key).scalar_one())
    connection.execute(_MARK_CARD, {"case_id": case_id, "run_id": run_id, "fetch_id": fetch_id})
    _store_persons(connection, case_id, card)
    _store_events(connection, case_id, card)
    to_fetch = _store_acts(connection, case_id, card.acts, fetch_id)
    return StoredCard(case_id=case_id, acts_to_fetch=tuple(to_fetch))


def _store_persons(connection: Connection, case_id: int, card: CaseCard) -> None:
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
    upsert(connection, persons, rows, ["case_id", "position"], count=False)
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
    if article_rows:
        upsert(
            connection, person_articles, article_rows, ["person_id", "article", "part", "point"], count=False
        )


def _store_events(connection: Connection, case_id: int, card: CaseCard) -> None:
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
    if rows:
        upsert(connection, events, rows, ["case_id", "position"], count=False)


def act_kind(title: str) -> str:
    """«Судебный акт #1 (Приговор)» -> «Приговор»."""
    if "(" in title and title.rstrip().endswith(")"):
        return title[title.rfind("(") + 1 : title.rstrip().rfind(")")].strip()
    return title.strip()


def _store_acts(
    connection: Connection, case_id: int, card_acts: tuple[CardAct, ...], fetch_id: int
) -> list[tuple[int, str]]:
    existing = {r.position: r for r in connection.execute(_STORED_ACTS, {"case_id": case_id})}
    to_fetch: list[tuple[int, str]] = []
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
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
        by_columns.setdefault(tuple(values), []).append(values)
    for rows in by_columns.values():  # one upsert takes rows of one shape
        upsert(connection, acts, rows, ["case_id", "position"], count=False)
    return to_fetch


def store_document(connection: Connection, case_id: int, position: int, text: str, fetch_id: int) -> None:
    connection.execute(
        _STORE_DOCUMENT,
        {
            "act_case_id": case_id,
            "act_position": position,
            "act_text": text,
            "act_verdict": verdict_json(text),
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


def now() -> datetime:
    return datetime.now(UTC)
