"""Exports of the stored records, the monthly series and the regional ranking: CSV, typed Parquet, or
one Datasette-ready SQLite file (keys, foreign keys, facet indexes, full-text search, views and
``metadata.json``). Tables, types and descriptions come from :mod:`warduty.report.dictionary`.

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
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Connection, Engine, Table, select

from warduty.law import WATCHED_ARTICLES
from warduty.privacy import RedactionError, redact_values
from warduty.privacy.pseudonym import Pseudonymiser
from warduty.report.dictionary import LICENCE, SOURCES, TABLE_DOCS, TITLE, VIEWS, TableDoc
from warduty.stats.definitions import METRICS, MOBILISATION_START, Filters
from warduty.stats.months import month_of
from warduty.stats.outcomes import classify_outcome
from warduty.stats.regions import MoscowReading, region_ranking
from warduty.stats.series import count
from warduty.store.schema import acts, cases, courts, events, person_articles, persons

Format = Literal["csv", "parquet", "sqlite"]
FORMATS: tuple[Format, ...] = ("csv", "parquet", "sqlite")
RECORD_TABLES: dict[str, Table] = {
    "courts": courts,
    "cases": cases,
    "persons": persons,
    "person_articles": person_articles,
    "events": events,
    "acts": acts,
}
READINGS: tuple[MoscowReading, ...] = ("oblast", "city_and_oblast")
Rows = list[dict[str, Any]]


class ExportError(ValueError):
    """The export cannot be written as asked."""


@dataclass(frozen=True, slots=True)
class ExportTable:
    doc: TableDoc
    rows: Rows  # values as stored (dates as dates, flags as booleans); JSON columns as text


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
    table = RECORD_TABLES[name]
    if name == "cases":  # with the court's seat region, the region every regional figure counts by
        region = courts.c.seat_region_en.label("region")
        statement = select(cases, region).outerjoin(courts, courts.c.code == cases.c.court_code)
        for row in connection.execute(statement.order_by(cases.c.id)):
            yield dict(row._mapping)
        return
    if name != "persons":
        order = table.c.code if name == "courts" else table.c.id
        for row in connection.execute(select(table).order_by(order)):
            yield dict(row._mapping)
        return
    statement = (
        select(persons, cases.c.court_code, cases.c.case_number, cases.c.decided.label("case_decided"))
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


def _case_of(name: str, row: dict[str, Any]) -> int | None:
    """The case whose defendants' names a row's texts may hold (courts and article codes hold none)."""
    if name == "cases":
        return int(row["id"])
    return row["case_id"] if name in ("persons", "events", "acts") else None


def _redacted(
    name: str, row: dict[str, Any], aliases: dict[int, dict[str, str]], case_id: int | None
) -> dict[str, Any]:
    names = aliases.get(case_id) if case_id is not None else None
    if not names:
        return row
    try:
        return {k: redact_values(v, names) for k, v in row.items()}
    except RedactionError:
        raise ExportError(
            f"{name} row {row['id']} (case {case_id}) still names a defendant after redaction; "
            "nothing was written"
        ) from None


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _derived(name: str, row: dict[str, Any]) -> dict[str, Any]:
    """The columns read from stored values by the one month and outcome rules of :mod:`warduty.stats`."""
    if name == "cases":
        received = _day(row["received"])
        return {"received_month": month_of(received) if received else None,
                "outcome": classify_outcome(row["result"])}  # fmt: skip
    if name == "persons":  # the decision date a sentence counts by: the defendant's, else the case's
        decided = _day(row["decided"]) or _day(row["case_decided"])
        return {"decided_month": month_of(decided) if decided else None,
                "outcome": classify_outcome(row["result"])}  # fmt: skip
    return {}


def _typed(doc: TableDoc, row: dict[str, Any]) -> dict[str, Any]:
    """``row`` in the dictionary's column order, dates as dates and JSON as text."""
    out: dict[str, Any] = {}
    for column in doc.columns:
        value = row.get(column.name)
        if column.kind == "date":
            value = _day(value)
        elif column.kind == "json" and value is not None and not isinstance(value, str):
            value = json.dumps(value, ensure_ascii=False, sort_keys=True)
        out[column.name] = value
    return out


def monthly_series_rows(connection: Connection, until: date | None = None) -> Rows:
    rows = []
    for article in WATCHED_ARTICLES:
        for metric in METRICS:
            for item in count(connection, metric, Filters((article,), until=until), ("month",)):
                rows.append(
                    {"article": article, "metric": metric, "month": item.labels[0], "value": item.value}
                )
    return sorted(rows, key=lambda r: (r["article"], r["metric"], r["month"]))


def region_ranking_rows(connection: Connection, until: date | None = None) -> Rows:
    """Every watched article's ranking since mobilisation (up to ``until``), both readings of Moscow."""
    rows = []
    for article in WATCHED_ARTICLES:
        window = Filters((article,), since=MOBILISATION_START, until=until)
        for metric in METRICS:
            for reading in READINGS:
                for item in region_ranking(connection, metric, window, reading):
                    rows.append(
                        {"article": article, "metric": metric, "moscow_reading": reading, **item.to_dict()}
                    )
    return rows


def export_tables(
    engine: Engine,
    *,
    show_names: bool = False,
    pseudonyms: Pseudonymiser | None = None,
    until: date | None = None,
) -> list[ExportTable]:
    """Every exported table with its rows, redacted; the series and rankings count up to ``until``.
    Defendants appear under ``pseudonyms`` (the deployment's, :meth:`Pseudonymiser.of_data_dir`: the
    names the dashboard and briefings give them) unless ``show_names``."""
    if not show_names and pseudonyms is None:
        raise ExportError("an export without names needs the deployment's pseudonymiser")
    hide = None if show_names else pseudonyms
    out: list[ExportTable] = []
    with engine.connect() as connection:
        aliases = {} if hide is None else _aliases(connection, hide)
        for doc in TABLE_DOCS:
            if doc.name == "monthly_series":
                rows = monthly_series_rows(connection, until)
            elif doc.name == "region_ranking":
                rows = region_ranking_rows(connection, until)
            else:
                rows = []
                for row in _rows(connection, doc.name, hide):
                    typed = _typed(doc, {**row, **_derived(doc.name, row)})
                    rows.append(_redacted(doc.name, typed, aliases, _case_of(doc.name, row)))
            out.append(ExportTable(doc, rows))
    return out


def export_database(
    engine: Engine,
    out_dir: Path,
    fmt: Format,
    *,
    show_names: bool = False,
    pseudonyms: Pseudonymiser | None = None,
) -> list[Path]:
    """Write every table of :data:`TABLE_DOCS` into ``out_dir`` in ``fmt``; return the files."""
    if fmt not in FORMATS:
        raise ExportError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    tables = export_tables(engine, show_names=show_names, pseudonyms=pseudonyms)
    out_dir.mkdir(parents=True, exist_ok=True)  # only now: a refused export leaves nothing behind
    if fmt == "csv":
        return [write_csv(out_dir / f"{t.doc.name}.csv", t) for t in tables]
    if fmt == "parquet":
        return [write_parquet(out_dir / f"{t.doc.name}.parquet", t) for t in tables]
    return write_sqlite(out_dir, tables)


def _text(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def write_csv(path: Path, table: ExportTable) -> Path:
    """UTF-8 CSV: ISO dates, ``true``/``false`` flags, JSON columns as JSON text, empty for missing."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=table.doc.names, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: _text(v) for k, v in row.items()} for row in table.rows)
    return path


def write_parquet(path: Path, table: ExportTable) -> Path:
    """Parquet with DATE, BOOLEAN and INT64 columns, dictionary-encoded strings and every column's
    description (and unit) in its field metadata; the table's description in the schema metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow_types = {
        "integer": pa.int64(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
        "string": pa.string(),
        "json": pa.string(),
    }
    fields = []
    for column in table.doc.columns:
        meta = {"description": column.description}
        if column.unit:
            meta["unit"] = column.unit
        if column.kind == "json":
            meta["format"] = "json"
        fields.append(pa.field(column.name, arrow_types[column.kind], not column.required, metadata=meta))
    schema = pa.schema(
        fields, metadata={"title": table.doc.title, "description": table.doc.description,
                          "primary_key": json.dumps(list(table.doc.primary_key))},
    )  # fmt: skip
    arrays = [pa.array([row[f.name] for row in table.rows], f.type) for f in fields]
    strings = [c.name for c in table.doc.columns if c.kind in ("string", "json")]
    pq.write_table(pa.Table.from_arrays(arrays, schema=schema), path, use_dictionary=strings)
    return path


_SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "date": "TEXT", "string": "TEXT",
              "json": "TEXT"}  # fmt: skip


def _create_statement(doc: TableDoc) -> str:
    lines = [f'"{c.name}" {_SQL_TYPES[c.kind]}{" NOT NULL" if c.required else ""}' for c in doc.columns]
    lines.append("PRIMARY KEY (" + ", ".join(f'"{c}"' for c in doc.primary_key) + ")")
    lines += [
        f'FOREIGN KEY ("{fk.column}") REFERENCES "{fk.table}" ("{fk.target}")' for fk in doc.foreign_keys
    ]
    return f'CREATE TABLE "{doc.name}" (\n  ' + ",\n  ".join(lines) + "\n)"


def write_sqlite(out_dir: Path, tables: list[ExportTable]) -> list[Path]:
    """``warduty.sqlite`` for Datasette (keys, foreign keys, facet indexes, FTS5 on act texts, views)
    and its ``metadata.json``."""
    path = out_dir / "warduty.sqlite"
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    try:
        with db:
            for table in tables:
                doc = table.doc
                db.execute(_create_statement(doc))
                marks = ", ".join("?" for _ in doc.columns)
                db.executemany(
                    f'INSERT INTO "{doc.name}" VALUES ({marks})',
                    [[_text(row[c]) if isinstance(row[c], date) else row[c] for c in doc.names]
                     for row in table.rows],
                )  # fmt: skip
                for column in doc.facets:
                    db.execute(f'CREATE INDEX "ix_{doc.name}_{column}" ON "{doc.name}" ("{column}")')
                if doc.full_text:
                    _full_text(db, doc)
            for view in VIEWS:
                db.execute(f'CREATE VIEW "{view.name}" AS {view.sql}')
        db.execute("VACUUM")
    finally:
        db.close()
    meta_path = out_dir / "metadata.json"
    meta_path.write_text(
        json.dumps(datasette_metadata(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return [path, meta_path]


def _full_text(db: sqlite3.Connection, doc: TableDoc) -> None:
    """An external-content FTS5 index as Datasette's ``enable-fts`` makes it (``<table>_fts``)."""
    columns = ", ".join(f'"{c}"' for c in doc.full_text)
    db.execute(
        f'CREATE VIRTUAL TABLE "{doc.name}_fts" USING fts5({columns}, '
        f'content="{doc.name}", content_rowid="id")'
    )
    db.execute(f'INSERT INTO "{doc.name}_fts" (rowid, {columns}) SELECT id, {columns} FROM "{doc.name}"')


def datasette_metadata() -> dict[str, Any]:
    """Datasette's ``metadata.json``: title, licence, sources, and every table, view and column
    described, with units where a column has one."""
    tables: dict[str, Any] = {}
    for doc in TABLE_DOCS:
        entry: dict[str, Any] = {
            "title": doc.title,
            "description": doc.description,
            "columns": {c.name: c.description + (f" Unit: {c.unit}." if c.unit else "") for c in doc.columns},
            "units": {c.name: c.unit for c in doc.columns if c.unit and c.unit != "day"},
            "facets": [c for c in doc.facets if c not in doc.primary_key and c != "case_id"][:3],
        }
        if doc.label:
            entry["label_column"] = doc.label
        if doc.full_text:
            entry["fts_table"], entry["fts_pk"] = f"{doc.name}_fts", "id"
        tables[doc.name] = entry
    for view in VIEWS:
        tables[view.name] = {"description": view.description, "columns": dict(view.columns)}
    return {
        "title": TITLE,
        "description_html": "Defendants are pseudonymised unless the export was made with names; "
        "act texts have every form of their names replaced.",
        "license": LICENCE["title"],
        "license_url": LICENCE["path"],
        "source": SOURCES[0]["title"],
        "source_url": SOURCES[0]["path"],
        "databases": {"warduty": {"tables": tables}},
    }
