"""Compare a crawled database with what the replica's sites show on a day (computed from the population).

Used by the crawler tests and by ``warduty replica verify``: every case, person, article reference,
event and visible verdict text must match, with no extra rows; and ``missing_since`` must agree with the
sites: a case the replica still serves is not missing, a stored case the replica has removed is.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Engine, text

from warduty.replica.model import ReplicaCase, decided_as_of, visible_acts, visible_cases, visible_events

HIDDEN = "Информация скрыта"
Snapshot = dict[tuple[str, str], dict[str, Any]]


def expected(
    cases: Iterable[ReplicaCase], as_of: date, articles: Sequence[str], since: date, until: date
) -> Snapshot:
    """Cases a crawl of these articles and receipt dates must find, as the sites show them on ``as_of``."""
    snapshot: Snapshot = {}
    for case in visible_cases(cases, as_of):
        if not _in_scope(case, articles, since, until):
            continue
        decided = decided_as_of(case, as_of)
        snapshot[(case.court_code, case.case_number)] = {
            "missing_since": None,
            "uid": case.uid,
            "received": case.received,
            "judge": case.judge,
            "decided": case.decided if decided else None,
            "result": case.result if decided else None,
            "persons": [
                (
                    p.position,
                    None if p.hidden else p.name,
                    p.articles_raw,
                    tuple(sorted(str(r) for r in p.articles)),
                    p.decided if decided else None,
                    p.result if decided else None,
                )
                for p in case.persons
            ],
            "events": [(e.name, e.day, e.time, e.result) for e in visible_events(case, as_of)],
            "acts": sorted(_words(a.text) for a in visible_acts(case, as_of)),
        }
    return snapshot


def removed(
    cases: Iterable[ReplicaCase], as_of: date, articles: Sequence[str], since: date, until: date
) -> set[tuple[str, str]]:
    """Cases of the same scope that the sites once served and no longer serve on ``as_of``: a database
    that stored one must have marked it missing."""
    return {
        (case.court_code, case.case_number)
        for case in cases
        if case.removed is not None
        and case.posted < case.removed <= as_of
        and _in_scope(case, articles, since, until)
    }


def _in_scope(case: ReplicaCase, articles: Sequence[str], since: date, until: date) -> bool:
    return since <= case.received <= until and bool(case.article_numbers & set(articles))


def crawled(engine: Engine) -> Snapshot:
    """The same shape read back from the database."""
    snapshot: Snapshot = {}
    with engine.connect() as connection:
        for row in connection.execute(
            text(
                "SELECT id, court_code, case_number, uid, received, judge, decided, result, missing_since"
                " FROM cases"
            )
        ):
            snapshot[(row.court_code, row.case_number)] = {
                "id": row.id,
                "missing_since": _day(row.missing_since),
                "uid": row.uid,
                "received": _day(row.received),
                "judge": row.judge,
                "decided": _day(row.decided),
                "result": row.result,
                "persons": [],
                "events": [],
                "acts": [],
            }
        by_id = {v["id"]: v for v in snapshot.values()}
        articles: dict[int, list[str]] = {}
        for row in connection.execute(text("SELECT person_id, article, part, point FROM person_articles")):
            ref = (
                f"ст.{row.article}"
                + (f" ч.{row.part}" if row.part else "")
                + (f" п.{row.point}" if row.point else "")
            )
            articles.setdefault(row.person_id, []).append(ref)
        for row in connection.execute(
            text(
                "SELECT id, case_id, position, name, articles_raw, decided, result"
                " FROM persons ORDER BY position"
            )
        ):
            by_id[row.case_id]["persons"].append(
                (row.position, row.name, row.articles_raw, tuple(sorted(articles.get(row.id, []))),
                 _day(row.decided), row.result)
            )  # fmt: skip
        for row in connection.execute(
            text('SELECT case_id, name, "date", "time", result FROM events ORDER BY case_id, position')
        ):
            by_id[row.case_id]["events"].append((row.name, _day(row.date), row.time, row.result))
        for row in connection.execute(text("SELECT case_id, text FROM acts WHERE text IS NOT NULL")):
            by_id[row.case_id]["acts"].append(_words(row.text))
    for value in snapshot.values():
        value.pop("id")
        value["acts"].sort()
    return snapshot


def _words(act_text: str) -> str:
    """An act's words: where a page breaks its lines (paragraphs, table cells, ``<br>``, CR) is layout."""
    return " ".join(act_text.split())


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def differences(
    want: Snapshot, got: Snapshot, limit: int = 5, gone: Collection[tuple[str, str]] = frozenset()
) -> list[str]:
    """What differs; ``gone`` (see :func:`removed`) are cases the database may hold only as missing."""
    problems = [f"missing {key}" for key in sorted(set(want) - set(got))]
    for key in sorted(set(got) - set(want)):
        if key not in gone:
            problems.append(f"extra {key}")
        elif got[key].get("missing_since") is None:
            problems.append(f"{key} was removed from the site but is not marked missing")
    for key in sorted(set(want) & set(got)):
        for field, value in want[key].items():
            if field == "missing_since" and value is None and got[key].get(field) is not None:
                problems.append(f"{key} is served by the site but marked missing since {got[key][field]}")
            elif got[key].get(field) != value:
                problems.append(f"{key} {field}: want {value!r}, got {got[key].get(field)!r}")
    return problems[:limit] + ([f"... {len(problems) - limit} more"] if len(problems) > limit else [])
