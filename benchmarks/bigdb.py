"""Build an SQLite database of at least 1,000,000 cases for the API benchmark.

Rows come from the replica population (scale 1.0) copied over and over with shifted case numbers
(``1-17/2024`` becomes ``1-100017/2024`` in copy 1, ``1-200017/2024`` in copy 2, ...), with their persons,
article references and verdict facts; events only for the first copy. Usage:

    .venv/bin/python benchmarks/bigdb.py /tmp/big.sqlite [--cases 1000000]
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from warduty.courts import load_registry
from warduty.replica.model import ReplicaCase
from warduty.replica.population import generate_population
from warduty.store import make_engine, migrate, sync_courts
from warduty.store.schema import acts, cases, events, person_articles, persons, runs

AS_OF = date(2024, 4, 12)
SHIFT = 100_000
BATCH = 20_000
PUNISHMENT = {
    "suspended": "suspended",
    "real": "imprisonment",
    "disciplinary_unit": "disciplinary_unit",
    "restriction_of_service": "service_restriction",
    "fine": "fine",
}


def shifted(case_number: str, copy: int) -> str:
    head, _, year = case_number.partition("/")
    prefix, _, number = head.rpartition("-")
    return f"{prefix}-{int(number) + copy * SHIFT}/{year}" if number.isdigit() else f"{case_number}#{copy}"


def build(path: Path, target: int) -> dict[str, float]:
    started = time.perf_counter()
    path.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with engine.begin() as connection:
        sync_courts(connection, load_registry())
        connection.execute(
            insert(runs),
            [{"id": 1, "kind": "crawl", "started_at": datetime.now(UTC), "finished_at": datetime.now(UTC),
              "status": "done", "plan": {"until": AS_OF.isoformat()}}],
        )  # fmt: skip
    population = [c for c in generate_population(scale=1.0).all_cases() if c.received <= AS_OF]
    generated = time.perf_counter()
    ids = {"case": 0, "person": 0, "ref": 0, "act": 0, "event": 0}
    buffers: dict[str, list[dict[str, Any]]] = {"case": [], "person": [], "ref": [], "act": [], "event": []}
    tables = {"case": cases, "person": persons, "ref": person_articles, "act": acts, "event": events}
    copy = 0
    with engine.begin() as connection:

        def flush() -> None:
            for key in ("case", "person", "ref", "act", "event"):
                if buffers[key]:
                    connection.execute(insert(tables[key]), buffers[key])
                    buffers[key].clear()

        while ids["case"] < target:
            for case in population:
                _add(case, copy, ids, buffers)
                if len(buffers["case"]) >= BATCH:
                    flush()
                if ids["case"] >= target:
                    break
            copy += 1
        flush()
    engine.dispose()
    done = time.perf_counter()
    return {"cases": ids["case"], "persons": ids["person"], "population": len(population),
            "generate_s": generated - started, "insert_s": done - generated}  # fmt: skip


def _add(case: ReplicaCase, copy: int, ids: dict[str, int], buffers: dict[str, list[dict[str, Any]]]) -> None:
    ids["case"] += 1
    case_id = ids["case"]
    buffers["case"].append(
        {"id": case_id, "court_code": case.court_code, "docket": "criminal-1",
         "case_number": shifted(case.case_number, copy),
         "uid": f"{case.uid}-{copy}" if copy else case.uid,
         "received": case.received, "category": case.category, "judge": case.judge, "decided": case.decided,
         "result": case.result, "legal_force": case.legal_force,
         "status": "decided" if case.decided else "open",
         "first_seen_run": 1, "last_seen_run": 1, "changed_run": 1}
    )  # fmt: skip
    for person in case.persons:
        ids["person"] += 1
        buffers["person"].append(
            {"id": ids["person"], "case_id": case_id, "position": person.position, "name": person.name,
             "hidden": person.name == "Информация скрыта", "articles_raw": person.articles_raw,
             "decided": person.decided, "result": person.result}
        )  # fmt: skip
        seen = set()
        for ref in person.articles:
            key = (ref.article, ref.part or "", ref.point or "")
            if key in seen:
                continue
            seen.add(key)
            ids["ref"] += 1
            buffers["ref"].append(
                {"id": ids["ref"], "person_id": ids["person"], "article": ref.article,
                 "part": ref.part or "", "point": ref.point or "", "article_group": ref.group,
                 "wartime_part": ref.wartime_part}
            )  # fmt: skip
    first = case.persons[0] if case.persons else None
    if first is not None and first.punishment is not None:
        ids["act"] += 1
        kind = PUNISHMENT.get(first.punishment.kind, first.punishment.kind)
        verdict = {"is_verdict": True, "punishment": kind, "term_months": first.punishment.term_months}
        buffers["act"].append(
            {"id": ids["act"], "case_id": case_id, "position": 1, "kind": "Приговор",
             "published": case.decided, "text": None, "verdict": verdict}
        )  # fmt: skip
    if copy == 0:
        for position, event in enumerate(case.events, start=1):
            ids["event"] += 1
            buffers["event"].append(
                {"id": ids["event"], "case_id": case_id, "position": position, "name": event.name,
                 "date": event.day, "time": event.time, "result": event.result, "posted": event.posted}
            )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--cases", type=int, default=1_000_000)
    args = parser.parse_args()
    figures = build(args.path, args.cases)
    print(", ".join(f"{k} {v:,.1f}" if isinstance(v, float) else f"{k} {v:,}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
