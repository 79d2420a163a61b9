"""A versioned open dataset: a Frictionless Data Package of every exported table as CSV and Parquet,
with a table schema per resource, the licence, the sources, the definitions, the as-of date, the code
version and sha256 checksums, and a README that says what the data are and are not.

Everything in a release follows from the database and the as-of date: no clock time, no host name, rows
in key order. Two releases of the same database on different days differ only in the as-of date and
the version; the data files (and their checksums) differ only where the data changed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from warduty import __version__
from warduty.law import WATCHED_ARTICLES, group_of
from warduty.report.dictionary import LICENCE, SOURCES, TITLE, WHAT_IT_IS_NOT, TableDoc
from warduty.report.export import ExportTable, write_csv, write_parquet
from warduty.stats.definitions import DEFINITIONS

PACKAGE_NAME = "warduty-military-court-prosecutions"
_FIELD_TYPES = {"integer": "integer", "number": "number", "boolean": "boolean", "date": "date",
                "string": "string", "json": "string"}  # fmt: skip


class ReleaseError(ValueError):
    """The release cannot be written as asked; nothing was written."""


@dataclass(frozen=True, slots=True)
class Release:
    folder: Path
    version: str
    as_of: date
    datapackage: Path
    readme: Path
    files: tuple[Path, ...]  # the data files, CSV and Parquet
    data_digest: str  # sha256 over the data files' checksums: equal for equal data


def release_version(as_of: date) -> str:
    """The data version a release is cited by: its as-of date (``2024.4.12``)."""
    return f"{as_of.year}.{as_of.month}.{as_of.day}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def table_schema(doc: TableDoc) -> dict[str, Any]:
    """The Frictionless table schema of one exported table."""
    fields = []
    for column in doc.columns:
        field: dict[str, Any] = {
            "name": column.name,
            "type": _FIELD_TYPES[column.kind],
            "description": column.description,
        }
        if column.kind == "json":
            field["format"] = "default"
            field["description"] += " (JSON text)"
        if column.unit:
            field["unit"] = column.unit
        if column.required:
            field["constraints"] = {"required": True}
        fields.append(field)
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""], "primaryKey": list(doc.primary_key)}
    if doc.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": [fk.column], "reference": {"resource": fk.table, "fields": [fk.target]}}
            for fk in doc.foreign_keys
        ]
    return schema


def check_release_folder(out_dir: Path) -> None:
    """A release goes into a new or empty folder: never over an earlier release or other files."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ReleaseError(f"{out_dir} is a file, not a folder")
    if out_dir.is_dir() and any(out_dir.iterdir()):
        raise ReleaseError(f"{out_dir} is not empty: a release goes into a new or empty folder")


def write_release(tables: list[ExportTable], out_dir: Path, as_of: date) -> Release:
    """Write the data package of ``tables`` (already redacted) as of ``as_of`` into ``out_dir``."""
    check_release_folder(out_dir)
    data = out_dir / "data"
    data.mkdir(parents=True, exist_ok=True)
    resources: list[dict[str, Any]] = []
    files: list[Path] = []
    for table in tables:
        doc = table.doc
        csv_path = write_csv(data / f"{doc.name}.csv", table)
        parquet_path = write_parquet(data / f"{doc.name}.parquet", table)
        files += [csv_path, parquet_path]
        resources.append(
            {
                "name": doc.name,
                "title": doc.title,
                "description": doc.description,
                "path": f"data/{csv_path.name}",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": csv_path.stat().st_size,
                "hash": f"sha256:{_sha256(csv_path)}",
                "rows": len(table.rows),
                "schema": table_schema(doc),
            }
        )
        resources.append(
            {
                "name": f"{doc.name}-parquet",
                "type": "file",
                "title": f"{doc.title} (Parquet)",
                "description": f"The {doc.name} table as typed Parquet: the same rows as "
                f"data/{csv_path.name}, column descriptions in the schema metadata.",
                "path": f"data/{parquet_path.name}",
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
                "bytes": parquet_path.stat().st_size,
                "hash": f"sha256:{_sha256(parquet_path)}",
            }
        )
    version = release_version(as_of)
    digest = hashlib.sha256("".join(str(r["hash"]) for r in resources).encode()).hexdigest()
    package = {
        "name": PACKAGE_NAME,
        "title": TITLE,
        "description": WHAT_IT_IS_NOT,
        "version": version,
        "as_of": as_of.isoformat(),
        "code_version": f"warduty {__version__}",
        "data_digest": f"sha256:{digest}",
        "licenses": [LICENCE],
        "sources": list(SOURCES),
        "definitions": DEFINITIONS,
        "keywords": ["Russia", "military courts", "AWOL", "desertion", "sudrf"],
        "resources": resources,
    }
    datapackage = out_dir / "datapackage.json"
    datapackage.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    readme = out_dir / "README.md"
    readme.write_text(release_readme(package, tables), encoding="utf-8")
    return Release(out_dir, version, as_of, datapackage, readme, tuple(files), f"sha256:{digest}")


def release_readme(package: dict[str, Any], tables: list[ExportTable]) -> str:
    """The release's README: what the data are and are not, the as-of date, definitions, files."""
    as_of, version = package["as_of"], package["version"]
    watched = ", ".join(f"art. {a} ({group_of(a).replace('_', ' ')})" for a in WATCHED_ARTICLES)
    lines = [
        f"# {TITLE}",
        "",
        f"**Data as of {as_of}, version {version}** ({package['code_version']}; "
        f"data digest `{package['data_digest']}`).",
        "",
        "Cite as: warduty data as of " + as_of + ", version " + version + ".",
        "",
        "## What the data are",
        "",
        "First-instance criminal cases of Russia's military courts under the watched articles of the "
        f"Criminal Code ({watched}), as the courts published them on their "
        "websites (sudrf.ru) and warduty crawled them, with the defendants, the articles charged, the "
        "case events, the judicial acts' texts, the monthly series and the regional rankings computed "
        "from them by the same code as warduty's briefings.",
        "",
        "## What the data are not",
        "",
        WHAT_IT_IS_NOT,
        "",
        "Defendants are pseudonymised (`D-...`, a keyed hash of court, case number and position) and "
        "every form of their names is replaced in the act texts and every other text field. The URLs are "
        "those of the court websites.",
        "",
        "## Definitions",
        "",
    ]
    lines += [f"- **{key}**: {text['en']}" for key, text in package["definitions"].items()]
    lines += ["", "## Files", "", "| table | rows | CSV sha256 | description |", "| --- | ---: | --- | --- |"]
    hashes = {r["name"]: r["hash"] for r in package["resources"]}
    for table in tables:
        name = table.doc.name
        lines.append(f"| `{name}` | {len(table.rows)} | `{hashes[name][7:19]}…` | {table.doc.description} |")
    lines += [
        "",
        "Each table comes as `data/<table>.csv` (UTF-8, ISO dates, `true`/`false`) and "
        "`data/<table>.parquet` (typed: DATE, BOOLEAN, INT64). `datapackage.json` holds the table "
        "schemas with every column described, the keys, the checksums and these definitions; check the "
        "package with `frictionless validate datapackage.json`.",
        "",
        "## Licence and sources",
        "",
        f"Compiled data: {LICENCE['title']} ({LICENCE['path']}). Source: "
        + "; ".join(f"{s['title']} ({s['path']})" for s in SOURCES)
        + ".",
        "",
    ]
    return "\n".join(lines)
