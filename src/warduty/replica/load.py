"""Store what the replica's sites show on a day straight into a database, without crawling them.

The rows are those a complete crawl of that day stores for the counts (``warduty.replica.verify`` checks a
crawl against the same rules): every case visible on ``as_of``, its decision and result only once posted
(``decided_as_of``), its defendants with their article references. Events, acts and fetches are left out:
no count of cases received or sentences reads them. A crawl run with ``until = as_of`` records the day.
For tests and benchmarks that need a full-size database in seconds rather than a crawl.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, insert, text

from warduty.replica.model import decided_as_of, visible_cases
from warduty.replica.population import Population
from warduty.store.schema import cases, person_articles, persons, runs

BATCH = 5_000


def load_visible(
    engine: Engine, population: Population, as_of: date, received_since: date | None = None
) -> dict[str, int]:
    """Insert the cases ``population``'s sites show on ``as_of`` into ``engine``'s prepared (migrated,
    courts loaded) and empty store; returns the row counts. ``received_since``: only cases received on or
    after that day, as a crawl from that day stores (``warduty demo`` crawls from 2021-01-01)."""
    now = datetime.now(UTC)
    counts = {"cases": 0, "persons": 0, "articles": 0}
    rows: dict[str, list[dict[str, Any]]] = {"cases": [], "persons": [], "articles": []}
    tables = {"cases": cases, "persons": persons, "articles": person_articles}
    with engine.begin() as connection:
        run_id = connection.execute(
            insert(runs).values(kind="crawl", started_at=now, finished_at=now, status="done",
                                plan={"until": as_of.isoformat(), "loaded_from": "replica population"})
        ).inserted_primary_key[0]  # type: ignore[index]  # fmt: skip

        def flush() -> None:
            for name in ("cases", "persons", "articles"):
                if rows[name]:
                    connection.execute(insert(tables[name]), rows[name])
                    rows[name].clear()

        for case in visible_cases(population.all_cases(), as_of):
            if received_since is not None and case.received < received_since:
                continue
            decided = decided_as_of(case, as_of)
            counts["cases"] += 1
            case_id = counts["cases"]
            rows["cases"].append(
                {"id": case_id, "court_code": case.court_code, "docket": "criminal-1",
                 "case_number": case.case_number, "uid": case.uid, "received": case.received,
                 "category": case.category, "judge": case.judge,
                 "decided": case.decided if decided else None, "result": case.result if decided else None,
                 "status": "decided" if decided else "open",
                 "first_seen_run": run_id, "last_seen_run": run_id, "changed_run": run_id}
            )  # fmt: skip
            for person in case.persons:
                counts["persons"] += 1
                rows["persons"].append(
                    {"id": counts["persons"], "case_id": case_id, "position": person.position,
                     "name": None if person.hidden else person.name, "hidden": person.hidden,
                     "articles_raw": person.articles_raw,
                     "decided": person.decided if decided else None,
                     "result": person.result if decided else None}
                )  # fmt: skip
                seen: set[tuple[str, str, str]] = set()
                for ref in person.articles:
                    key = (ref.article, ref.part or "", ref.point or "")
                    if key in seen:
                        continue
                    seen.add(key)
                    counts["articles"] += 1
                    rows["articles"].append(
                        {"id": counts["articles"], "person_id": counts["persons"], "article": ref.article,
                         "part": ref.part or "", "point": ref.point or "", "article_group": ref.group,
                         "wartime_part": ref.wartime_part}
                    )  # fmt: skip
            if len(rows["cases"]) >= BATCH:
                flush()
        flush()
        if connection.dialect.name == "postgresql":  # ids were given: move the sequences past them
            for table in (cases, persons, person_articles):
                connection.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                         f"(SELECT coalesce(max(id), 1) FROM {table.name}))")
                )  # fmt: skip
    return counts
