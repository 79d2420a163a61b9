"""Exports (CSV, Parquet, SQLite for Datasette) and the stats/report/export commands."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from tests.stats.conftest import pg_truth_db, population, truth_db  # noqa: F401  (fixtures)
from warduty.cli import app
from warduty.privacy.pseudonym import Pseudonymiser
from warduty.report.export import ExportError, export_database
from warduty.store.schema import cases, persons

PSEUDONYMS = Pseudonymiser(b"a test secret of the deployment, 32+ bytes")


def _count(engine: Engine, table: object) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def _names(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return {r.name for r in connection.execute(select(persons.c.name).where(persons.c.name.is_not(None)))}


def test_csv_export_is_pseudonymised(truth_db: Engine, tmp_path: Path) -> None:  # noqa: F811
    paths = export_database(truth_db, tmp_path, "csv", pseudonyms=PSEUDONYMS)
    assert {p.name for p in paths} == {
        "courts.csv",
        "cases.csv",
        "persons.csv",
        "person_articles.csv",
        "events.csv",
        "acts.csv",
        "monthly_series.csv",
        "region_ranking.csv",
    }
    with (tmp_path / "persons.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == _count(truth_db, persons)
    assert not {r["name"] for r in rows} & _names(truth_db)
    assert all(r["name"].startswith("D-") for r in rows if r["hidden"] == "false")
    export_database(truth_db, tmp_path / "named", "csv", show_names=True)
    with (tmp_path / "named" / "persons.csv").open(encoding="utf-8") as handle:
        assert {r["name"] for r in csv.DictReader(handle)} & _names(truth_db)


def test_parquet_and_sqlite_exports(truth_db: Engine, tmp_path: Path) -> None:  # noqa: F811
    export_database(truth_db, tmp_path / "pq", "parquet", pseudonyms=PSEUDONYMS)
    assert pq.read_table(tmp_path / "pq" / "cases.parquet").num_rows == _count(truth_db, cases)
    series = pq.read_table(tmp_path / "pq" / "monthly_series.parquet").to_pylist()
    assert {"article": "337", "metric": "received", "month": "2024-02"} in [
        {k: r[k] for k in ("article", "metric", "month")} for r in series
    ]
    paths = export_database(truth_db, tmp_path / "db", "sqlite", pseudonyms=PSEUDONYMS)
    with sqlite3.connect(paths[0]) as db:
        assert db.execute("SELECT count(*) FROM cases").fetchone()[0] == _count(truth_db, cases)
        assert db.execute("SELECT count(*) FROM persons WHERE name LIKE 'D-%'").fetchone()[0] > 0
    metadata = json.loads((tmp_path / "db" / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["title"] and metadata["license"] and metadata["source"]
    assert set(metadata["databases"]["warduty"]["tables"]) >= {"cases", "persons", "monthly_series"}


def test_unknown_export_format_is_refused(truth_db: Engine, tmp_path: Path) -> None:  # noqa: F811
    with pytest.raises(ExportError, match="format"):
        export_database(truth_db, tmp_path, "xlsx", pseudonyms=PSEUDONYMS)  # type: ignore[arg-type]


def _env(engine: Engine, tmp_path: Path) -> dict[str, str]:
    return {"WARDUTY_DB": engine.url.render_as_string(hide_password=False), "WARDUTY_DATA_DIR": str(tmp_path)}


def test_stats_command(truth_db: Engine, tmp_path: Path) -> None:  # noqa: F811
    runner = CliRunner()
    result = runner.invoke(
        app, ["stats", "--by", "region", "--since", "2022-09-21", "--json"], env=_env(truth_db, tmp_path)
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    assert rows[0]["received"] >= rows[-1]["received"] > 0
    bad = runner.invoke(app, ["stats", "--by", "soldier"], env=_env(truth_db, tmp_path))
    assert bad.exit_code == 1
    bad_day = runner.invoke(app, ["stats", "--since", "21.09.2022"], env=_env(truth_db, tmp_path))
    assert bad_day.exit_code == 1


def test_report_and_export_commands(truth_db: Engine, tmp_path: Path) -> None:  # noqa: F811
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "report",
            "--month",
            "2024-03",
            "--as-of",
            "2024-04-12",
            "--lang",
            "ru",
            "--out",
            str(tmp_path / "r"),
        ],
        env=_env(truth_db, tmp_path),
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r" / "briefing.html").exists()
    assert runner.invoke(app, ["report", "--month", "March"], env=_env(truth_db, tmp_path)).exit_code == 1
    exported = runner.invoke(app, ["export", "--format", "sqlite"], env=_env(truth_db, tmp_path))
    assert exported.exit_code == 0, exported.output
    assert (tmp_path / "export" / "warduty.sqlite").exists()


@pytest.mark.postgres
def test_exports_from_postgresql_equal_those_from_sqlite(
    truth_db: Engine,  # noqa: F811
    pg_truth_db: Engine,  # noqa: F811
    tmp_path: Path,
) -> None:
    from_pg = export_database(pg_truth_db, tmp_path / "pg", "csv", pseudonyms=PSEUDONYMS)
    from_sqlite = export_database(truth_db, tmp_path / "lite", "csv", pseudonyms=PSEUDONYMS)
    assert [p.name for p in from_pg] == [p.name for p in from_sqlite]
    for pg_file, lite_file in zip(from_pg, from_sqlite, strict=True):
        assert pg_file.read_text(encoding="utf-8") == lite_file.read_text(encoding="utf-8"), pg_file.name
