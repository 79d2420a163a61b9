"""Exports of the stored records and the monthly series: CSV, Parquet, or one SQLite file for Datasette.

Defendants are pseudonymised (a keyed hash of court, case number and position) unless names are asked
for, and every free text of a case (act texts and the facts read from them, events, card fields) has
every form of its defendants' names replaced by their pseudonyms (:mod:`warduty.privacy`). A text in
which a name can still be found after that stops the export before any file is written.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Connection, Engine, Table, select

from warduty.law import WATCHED_ARTICLES
from warduty.privacy import RedactionError, redact_values
from warduty.privacy.pseudonym import Pseudonymiser
from warduty.stats.definitions import DEFINITIONS, Filters
from warduty.stats.series import count
from warduty.store.schema import acts, cases, events, persons

Format = Literal["csv", "parquet", "sqlite"]
FORMATS: tuple[Format, ...] = ("csv", "parquet", "sqlite")
TABLES: dict[str, Table] = {"cases": cases, "persons": persons, "events": events, "acts": acts}
SERIES_COLUMNS = ("article", "metric", "month", "value")
DESCRIPTIONS = {
    "cases": "First-instance criminal cases as the court cards show them (receipt, decision, result).",
    "persons": "Defendants with the articles as printed and their result; names pseudonymised unless "
    "exported with --names.",
    "events": "The case movement (ДВИЖЕНИЕ ДЕЛА) rows with the day each was posted.",
    "acts": "Judicial acts with their published text and the facts read from it (verdict JSON).",
    "monthly_series": "Cases received and sentences per watched article and month. "
    + DEFINITIONS["received"]["en"]
    + " "
    + DEFINITIONS["sentences"]["en"],
}


class ExportError(ValueError):
    """The export cannot be written as asked."""


def _aliases(connection: Connection, pseudonyms: Pseudonymiser) -> dict[int, dict[str, str]]:
    """Case id -> {defendant's name as stored: pseudonym} for every named person."""
    statement = select(
        persons.c.case_id, persons.c.position, persons.c.name, cases.c.court_code, cases.c.case_number
    ).join(cases, cases.c.id == persons.c.case_id)
    aliases: dict[int, dict[str, str]] = {}
    for row in connection.execute(statement.where(persons.c.name.is_not(None), persons.c.hidden.is_(False))):
        if row.name.strip():
            alias = pseudonyms.pseudonym(row.court_code, row.case_number, row.position)
            aliases.setdefault(row.case_id, {})[row.name] = alias
    return aliases


def _rows(connection: Connection, name: str, pseudonyms: Pseudonymiser | None) -> Iterator[dict[str, Any]]:
    """The table's rows; persons named under ``pseudonyms`` (as stored when it is None)."""
    table = TABLES[name]
    if name != "persons":
        for row in connection.execute(select(table).order_by(table.c.id)):
            yield dict(row._mapping)
        return
    statement = (
        select(persons, cases.c.court_code, cases.c.case_number)
        .join(cases, cases.c.id == persons.c.case_id)
        .order_by(persons.c.id)
    )
    for row in connection.execute(statement):
        values = dict(row._mapping)
        court, number = values.pop("court_code"), values.pop("case_number")
        if pseudonyms is not None:
            values["name"] = (
                None if values["hidden"] else pseudonyms.pseudonym(court, number, values["position"])
            )
        yield values


def _redacted(name: str, row: dict[str, Any], aliases: dict[int, dict[str, str]]) -> dict[str, Any]:
    case_id = row["id"] if name == "cases" else row["case_id"]
    names = aliases.get(case_id)
    if not names:
        return row
    try:
        return {k: redact_values(v, names) for k, v in row.items()}
    except RedactionError:
        raise ExportError(
            f"{name} row {row['id']} (case {case_id}) still names a defendant after redaction; "
            "nothing was written"
        ) from None


def monthly_series_rows(connection: Connection) -> list[dict[str, Any]]:
    rows = []
    for article in WATCHED_ARTICLES:
        for metric in ("received", "sentences"):
            for item in count(connection, metric, Filters((article,)), ("month",)):
                rows.append(
                    {"article": article, "metric": metric, "month": item.labels[0], "value": item.value}
                )
    return sorted(rows, key=lambda r: (r["article"], r["metric"], r["month"]))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def export_database(
    engine: Engine,
    out_dir: Path,
    fmt: Format,
    *,
    show_names: bool = False,
    pseudonyms: Pseudonymiser | None = None,
) -> list[Path]:
    """Write cases, persons, events, acts and the monthly series into ``out_dir``; return the files.
    Defendants appear under ``pseudonyms`` (the deployment's, :meth:`Pseudonymiser.of_data_dir`: the
    names the dashboard and briefings give them) unless ``show_names``."""
    if not show_names and pseudonyms is None:
        raise ExportError("an export without names needs the deployment's pseudonymiser")
    if fmt not in FORMATS:
        raise ExportError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    with engine.connect() as connection:
        hide = None if show_names else pseudonyms
        aliases = {} if hide is None else _aliases(connection, hide)
        tables: dict[str, tuple[list[str], list[dict[str, Any]]]] = {}
        for name, table in TABLES.items():
            rows = [
                _redacted(name, {k: _plain(v) for k, v in row.items()}, aliases)
                for row in _rows(connection, name, hide)
            ]
            tables[name] = ([c.name for c in table.columns], rows)
        tables["monthly_series"] = (list(SERIES_COLUMNS), monthly_series_rows(connection))
    out_dir.mkdir(parents=True, exist_ok=True)  # only now: a refused export leaves nothing behind
    if fmt == "csv":
        return [_write_csv(out_dir / f"{name}.csv", cols, rows) for name, (cols, rows) in tables.items()]
    if fmt == "parquet":
        return [
            _write_parquet(out_dir / f"{name}.parquet", cols, rows) for name, (cols, rows) in tables.items()
        ]
    return _write_sqlite(out_dir, tables)


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _write_parquet(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = (
        pa.table({c: pa.array([row.get(c) for row in rows]) for c in columns})
        if rows
        else pa.table({c: pa.array([], pa.string()) for c in columns})
    )
    pq.write_table(table, path)
    return path


def _write_sqlite(out_dir: Path, tables: dict[str, tuple[list[str], list[dict[str, Any]]]]) -> list[Path]:
    path = out_dir / "warduty.sqlite"
    path.unlink(missing_ok=True)
    with sqlite3.connect(path) as db:
        for name, (columns, rows) in tables.items():
            quoted = ", ".join(f'"{c}"' for c in columns)
            db.execute(f'CREATE TABLE "{name}" ({quoted})')
            marks = ", ".join("?" for _ in columns)
            db.executemany(
                f'INSERT INTO "{name}" VALUES ({marks})', [[r.get(c) for c in columns] for r in rows]
            )
        for name in ("persons", "events", "acts"):
            db.execute(f'CREATE INDEX "ix_{name}_case_id" ON "{name}" ("case_id")')
    db.close()
    metadata = {
        "title": "warduty: prosecutions for leaving military service in Russia's military courts",
        "source": "Public case cards of Russia's military courts (sudrf.ru), crawled by warduty",
        "license": "Court records are public; compiled data CC BY-SA 4.0",
        "description_html": "Defendants are pseudonymised unless the export was made with names.",
        "databases": {
            "warduty": {"tables": {name: {"description": text} for name, text in DESCRIPTIONS.items()}}
        },
    }
    meta_path = out_dir / "metadata.json"
    meta_path.write_text(json.dumps(metadata, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [path, meta_path]
