"""Load the replica's ground truth (what the sites show on ``as_of``) into a warduty database.

A stand-in for a full crawl in statistics tests: the rows are those ``truth_tables`` gives, stored the
way the crawler stores them (articles parsed with ``parse_articles``, verdict facts with
``extract_verdict``), so statistics computed on it must equal those computed from the population.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Engine, select

from warduty.courts import load_registry
from warduty.law import WATCHED_ARTICLES, parse_articles
from warduty.replica.population import Population
from warduty.replica.truth import truth_tables
from warduty.store import migrate, sync_courts
from warduty.store.schema import acts, cases, events, person_articles, persons, runs
from warduty.sudrf.urls import DOCKET
from warduty.sudrf.verdict import extract_verdict

HIDDEN = "Информация скрыта"


def load_truth(engine: Engine, population: Population, as_of: date, *, watched_only: bool = True) -> int:
    """Insert the cases (only those under watched articles unless told) and return how many."""
    migrate(engine)
    tables = truth_tables(population, as_of)
    watched = set(WATCHED_ARTICLES)
    keep = {
        (row["court_code"], row["case_number"])
        for row in tables["cases"]
        if not watched_only or set(row["articles"].split(";")) & watched
    }
    with engine.begin() as connection:
        sync_courts(connection, load_registry())
        started = datetime.combine(as_of, time(12), tzinfo=UTC)
        run_id = connection.execute(
            runs.insert()
            .values(kind="truth", started_at=started, finished_at=started, status="done")
            .returning(runs.c.id)
        ).scalar_one()
        case_rows = [_case(row, run_id) for row in tables["cases"] if _key(row) in keep]
        if case_rows:
            connection.execute(cases.insert(), case_rows)
        ids = {
            (r.court_code, r.case_number): r.id
            for r in connection.execute(select(cases.c.id, cases.c.court_code, cases.c.case_number))
        }
        person_rows = [_person(row, ids[_key(row)]) for row in tables["persons"] if _key(row) in keep]
        if person_rows:
            connection.execute(persons.insert(), person_rows)
        person_ids = {
            (r.case_id, r.position): r.id
            for r in connection.execute(select(persons.c.id, persons.c.case_id, persons.c.position))
        }
        article_rows = [
            ref
            for row in tables["persons"]
            if _key(row) in keep
            for ref in _refs(person_ids[(ids[_key(row)], row["position"])], row["articles_raw"])
        ]
        if article_rows:
            connection.execute(person_articles.insert(), article_rows)
        for table, rows in (("events", tables["events"]), ("acts", tables["acts"])):
            positions: dict[int, int] = defaultdict(int)
            out = []
            for row in rows:
                if _key(row) not in keep:
                    continue
                case_id = ids[_key(row)]
                positions[case_id] += 1
                out.append((_event if table == "events" else _act)(row, case_id, positions[case_id]))
            if out:
                connection.execute((events if table == "events" else acts).insert(), out)
    return len(case_rows)


def _key(row: dict[str, Any]) -> tuple[str, str]:
    return row["court_code"], row["case_number"]


def _case(row: dict[str, Any], run_id: int) -> dict[str, Any]:
    return {
        "court_code": row["court_code"],
        "docket": DOCKET,
        "case_number": row["case_number"],
        "uid": row["uid"],
        "site_case_id": str(row["site_id"]),
        "received": row["received"],
        "category": row["category"],
        "judge": row["judge"],
        "decided": row["decided"],
        "result": row["result"],
        "legal_force": row["legal_force"],
        "status": "decided" if row["decided"] else "pending",
        "first_seen_run": run_id,
        "last_seen_run": run_id,
    }


def _person(row: dict[str, Any], case_id: int) -> dict[str, Any]:
    hidden = row["name"] == HIDDEN
    return {
        "case_id": case_id,
        "position": row["position"],
        "name": None if hidden else row["name"],
        "hidden": hidden,
        "articles_raw": row["articles_raw"],
        "decided": row["decided"],
        "result": row["result"],
    }


def _refs(person_id: int, articles_raw: str) -> list[dict[str, Any]]:
    seen: dict[tuple[str, str, str], dict[str, Any]] = {}
    for ref in parse_articles(articles_raw):
        key = (ref.article, ref.part or "", ref.point or "")
        seen[key] = {
            "person_id": person_id,
            "article": ref.article,
            "part": ref.part or "",
            "point": ref.point or "",
            "article_group": ref.group,
            "wartime_part": ref.wartime_part,
        }
    return list(seen.values())


def _event(row: dict[str, Any], case_id: int, position: int) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "position": position,
        "name": row["name"],
        "date": row["day"],
        "time": row["time"],
        "place": row["place"],
        "result": row["result"],
        "basis": row["basis"],
        "posted": row["posted"],
    }


def _act(row: dict[str, Any], case_id: int, position: int) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "position": position,
        "kind": row["kind"],
        "doc_url": f"https://example.invalid/doc/{row['doc_id']}",
        "published": row["published"],
        "text": row["text"],
        "verdict": extract_verdict(row["text"]).to_dict(),
    }
