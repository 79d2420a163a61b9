"""Ground truth: what the replica's court sites show on a given day, as tables.

The rule (the crawler tests compare a crawled database with these tables):

* a case is listed if ``case.visible_on(as_of)``: posted on or before ``as_of`` and not yet removed;
* its decision date, result and legal-force date are shown only if ``decided_as_of(case, as_of)``
  (the decision's events are posted), and the legal-force date only once it has passed;
* events are listed if posted on or before ``as_of``; acts if published on or before ``as_of``;
* a defendant's decision and result follow the case's; the sentence facts taken from the verdict text
  (punishment, service, absence dates) are filled only when a verdict text is shown.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from warduty.courts import load_registry
from warduty.replica.model import (
    ReplicaCase,
    ReplicaPerson,
    decided_as_of,
    visible_acts,
    visible_cases,
    visible_events,
)
from warduty.replica.population import Population

TABLES = ("cases", "persons", "events", "acts")
COLUMNS = {
    "cases": ("court_code", "region", "case_number", "uid", "site_id", "site_uid", "received", "judge",
              "category", "decided", "result", "legal_force", "posted", "articles"),
    "persons": ("court_code", "case_number", "uid", "position", "name", "articles_raw", "articles", "decided",
                "result", "punishment", "term_months", "probation_months", "regime", "mobilised", "service",
                "absence_start", "absence_end"),
    "events": ("court_code", "case_number", "uid", "name", "day", "time", "place", "result", "basis",
               "posted"),
    "acts": ("court_code", "case_number", "uid", "doc_id", "kind", "act_date", "published", "text"),
}  # fmt: skip
Row = dict[str, Any]


def _case_row(case: ReplicaCase, region: str, as_of: date, decided: bool) -> Row:
    return {
        "court_code": case.court_code,
        "region": region,
        "case_number": case.case_number,
        "uid": case.uid,
        "site_id": case.site_id,
        "site_uid": case.site_uid,
        "received": case.received,
        "judge": case.judge,
        "category": case.category,
        "decided": case.decided if decided else None,
        "result": case.result if decided else None,
        "legal_force": case.legal_force
        if decided and case.legal_force and case.legal_force <= as_of
        else None,
        "posted": case.posted,
        "articles": ";".join(sorted(case.article_numbers)),
    }


def _person_row(case: ReplicaCase, person: ReplicaPerson, decided: bool, text_shown: bool) -> Row:
    punishment = person.punishment if text_shown else None
    return {
        "court_code": case.court_code,
        "case_number": case.case_number,
        "uid": case.uid,
        "position": person.position,
        "name": person.name,
        "articles_raw": person.articles_raw,
        "articles": ";".join(str(ref) for ref in person.articles),
        "decided": person.decided if decided else None,
        "result": person.result if decided else None,
        "punishment": punishment.kind if punishment else None,
        "term_months": punishment.term_months if punishment else None,
        "probation_months": punishment.probation_months if punishment else None,
        "regime": punishment.regime if punishment else None,
        "mobilised": person.mobilised if text_shown else None,
        "service": person.service if text_shown else None,
        "absence_start": person.absence_start if text_shown else None,
        "absence_end": person.absence_end if text_shown else None,
    }


def truth_tables(population: Population, as_of: date) -> dict[str, list[Row]]:
    """Rows of cases, persons, events and acts the sites show on ``as_of``."""
    regions = {court.code: court.seat_region_ru for court in load_registry()}
    tables: dict[str, list[Row]] = {name: [] for name in TABLES}
    for case in visible_cases(population.all_cases(), as_of):
        decided = decided_as_of(case, as_of)
        acts = visible_acts(case, as_of)
        text_shown = any(act.kind == "Приговор" for act in acts)
        tables["cases"].append(_case_row(case, regions.get(case.court_code, ""), as_of, decided))
        tables["persons"].extend(_person_row(case, p, decided, text_shown) for p in case.persons)
        keys = {"court_code": case.court_code, "case_number": case.case_number, "uid": case.uid}
        tables["events"].extend(
            {**keys, "name": e.name, "day": e.day, "time": e.time, "place": e.place, "result": e.result,
             "basis": e.basis, "posted": e.posted}
            for e in visible_events(case, as_of)
        )  # fmt: skip
        tables["acts"].extend(
            {**keys, "doc_id": a.doc_id, "kind": a.kind, "act_date": a.act_date, "published": a.published,
             "text": a.text}
            for a in acts
        )  # fmt: skip
    return tables


def _write_csv(path: Path, rows: Iterable[Row], columns: tuple[str, ...]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _csv_cell(v) for k, v in row.items()})


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else value


def write_truth(population: Population, as_of: date, out_dir: Path) -> dict[str, int]:
    """Write ``<table>.csv`` and ``<table>.parquet`` for each table into ``out_dir``; return row counts."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out_dir.mkdir(parents=True, exist_ok=True)
    tables = truth_tables(population, as_of)
    counts = {}
    for name, rows in tables.items():
        columns = COLUMNS[name]
        _write_csv(out_dir / f"{name}.csv", rows, columns)
        table = (
            pa.Table.from_pylist(rows) if rows else pa.table({c: pa.array([], pa.string()) for c in columns})
        )
        pq.write_table(table, out_dir / f"{name}.parquet")
        counts[name] = len(rows)
    return counts
