"""The analysts' exports: Datasette-ready SQLite (served and queried through Datasette's JSON API) and
typed Parquet read back by DuckDB and pandas."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from sqlalchemy import Engine, func, select

from tests.stats.conftest import pg_truth_db, population, truth_db  # noqa: F401  (fixtures)
from warduty.privacy.pseudonym import Pseudonymiser
from warduty.report.dictionary import TABLE_DOCS, VIEWS
from warduty.report.export import export_database
from warduty.store.schema import cases, persons

PSEUDONYMS = Pseudonymiser(b"a test secret of the deployment, 32+ bytes")


@pytest.fixture(scope="module")
def sqlite_export(truth_db: Engine, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:  # noqa: F811
    database, metadata = export_database(
        truth_db, tmp_path_factory.mktemp("sqlite"), "sqlite", pseudonyms=PSEUDONYMS
    )
    return database, metadata


@pytest.fixture(scope="module")
def parquet_export(truth_db: Engine, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: F811
    folder = tmp_path_factory.mktemp("parquet")
    export_database(truth_db, folder, "parquet", pseudonyms=PSEUDONYMS)
    return folder


def _datasette_get(database: Path, metadata: Path, *paths: str) -> list[dict[str, Any]]:
    """Serve the export with Datasette in process and GET each path from its JSON API."""
    from datasette.app import Datasette

    async def fetch() -> list[dict[str, Any]]:
        datasette = Datasette([str(database)], metadata=json.loads(metadata.read_text(encoding="utf-8")))
        await datasette.invoke_startup()
        answers = []
        for path in paths:
            response = await datasette.client.get(path)
            assert response.status_code == 200, (path, response.text[:300])
            answers.append(response.json())
        return answers

    return asyncio.run(fetch())


def _a_word_of_an_act(database: Path) -> tuple[int, str]:
    """An exported act and a long word of its (redacted) text that few other acts hold."""
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT id, text FROM acts WHERE text IS NOT NULL").fetchall()
    assert rows, "the test database has no act texts"
    counts: dict[str, int] = {}
    words_of = {}
    for act_id, text in rows:
        words = {w.strip(".,;:()«»\"'").lower() for w in text.split()}
        words = {w for w in words if len(w) >= 8 and w.isalpha()}
        words_of[act_id] = words
        for word in words:
            counts[word] = counts.get(word, 0) + 1
    act_id, word = min(((a, w) for a, ws in words_of.items() for w in ws), key=lambda p: (counts[p[1]], p))
    return act_id, word


def test_datasette_links_facets_and_searches(sqlite_export: tuple[Path, Path], truth_db: Engine) -> None:  # noqa: F811
    database, metadata = sqlite_export
    act_id, word = _a_word_of_an_act(database)
    people, facets, found, case, regional = _datasette_get(
        database,
        metadata,
        "/warduty/persons.json?_labels=on&_size=5",
        "/warduty/cases.json?_facet=court_code&_size=0",
        f"/warduty/acts.json?_search={word}&_col=case_id&_shape=objects",
        "/warduty/cases/1.json?_extras=foreign_key_tables",
        "/warduty/cases.json?_facet=region&_facet=outcome&_size=0&_facet_size=max",
    )
    # A person row links to its case: the foreign key is expanded with the case's label.
    assert people["primary_keys"] == ["id"]
    assert {"column": "case_id", "other_table": "cases", "other_column": "id"} in [
        pair[0] for pair in people["expandable_columns"]
    ]
    first = people["rows"][0]
    with truth_db.connect() as connection:
        number = connection.execute(
            select(cases.c.case_number)
            .join(persons, persons.c.case_id == cases.c.id)
            .where(persons.c.id == first["id"])
        ).scalar_one()
    assert first["case_id"]["label"] == number
    assert any(t["other_table"] == "persons" for t in case["foreign_key_tables"])
    # A facet by court counts the cases of every court.
    buckets = facets["facet_results"]["court_code"]["results"]
    with truth_db.connect() as connection:
        by_court = dict(
            connection.execute(select(cases.c.court_code, func.count()).group_by(cases.c.court_code)).all()
        )  # type: ignore[arg-type]
    assert buckets and all(b["count"] == by_court[b["value"]] for b in buckets)
    assert [b["count"] for b in buckets] == sorted(by_court.values(), reverse=True)[: len(buckets)]
    # Facets by the court's region and the outcome cover every case.
    for facet in ("region", "outcome"):
        counts = regional["facet_results"][facet]["results"]
        assert counts and sum(b["count"] for b in counts) == sum(by_court.values()), facet
    # Full-text search over the act texts finds the act that holds the word.
    assert act_id in {row["id"] for row in found["rows"]}


def test_metadata_describes_every_table_and_column(sqlite_export: tuple[Path, Path]) -> None:
    database, metadata_path = sqlite_export
    metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    assert metadata["license"] and metadata["license_url"] and metadata["source"] and metadata["source_url"]
    described = metadata["databases"]["warduty"]["tables"]
    with sqlite3.connect(database) as db:
        objects = db.execute(
            "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%'"
        ).fetchall()
        assert {name for name, _ in objects} == {t.name for t in TABLE_DOCS} | {v.name for v in VIEWS}
        for name, _ in objects:
            assert described[name]["description"], name
            columns = [row[1] for row in db.execute(f'PRAGMA table_info("{name}")')]
            undescribed = [c for c in columns if not described[name]["columns"].get(c)]
            assert not undescribed, f"{name}: {undescribed} have no description in metadata.json"
            assert db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] > 0, name


def test_sqlite_keys_indexes_and_views(sqlite_export: tuple[Path, Path], truth_db: Engine) -> None:  # noqa: F811
    database, _ = sqlite_export
    with sqlite3.connect(database) as db:
        db.execute("PRAGMA foreign_keys = ON")
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute('PRAGMA foreign_key_list("acts")').fetchall()[0][2] == "cases"
        indexed = {row[1] for row in db.execute('PRAGMA index_list("cases")')}
        assert {"ix_cases_court_code", "ix_cases_received_month", "ix_cases_outcome"} <= indexed
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO persons (id, case_id, position, hidden) VALUES (999999, 999999, 1, 0)")
        wide = db.execute(
            "SELECT received, sentences FROM monthly_series_wide WHERE article = '337' AND month = '2023-03'"
        ).fetchone()
        series = dict(
            db.execute(
                "SELECT metric, value FROM monthly_series WHERE article = '337' AND month = '2023-03'"
            ).fetchall()
        )
        assert wide == (series["received"], series["sentences"])
        ranking = db.execute("SELECT rank, value FROM region_ranking_337").fetchall()
        assert [r for r, _ in ranking] == list(range(1, len(ranking) + 1))
        assert [v for _, v in ranking] == sorted((v for _, v in ranking), reverse=True)


def test_parquet_types_read_back_by_duckdb_and_pandas(parquet_export: Path) -> None:
    import duckdb
    import pandas as pd

    duck_types = {"integer": "BIGINT", "boolean": "BOOLEAN", "date": "DATE", "string": "VARCHAR",
                  "json": "VARCHAR", "number": "DOUBLE"}  # fmt: skip
    for doc in TABLE_DOCS:
        path = parquet_export / f"{doc.name}.parquet"
        described = duckdb.sql(f"DESCRIBE SELECT * FROM '{path}'").fetchall()
        assert [(row[0], row[1]) for row in described] == [(c.name, duck_types[c.kind]) for c in doc.columns]
        schema = pq.read_schema(path)
        for column in doc.columns:
            field = schema.field(column.name)
            assert field.metadata[b"description"].decode() == column.description
        assert schema.metadata[b"description"].decode() == doc.description
        chunks = pq.ParquetFile(path).metadata.row_group(0)
        for index, column in enumerate(doc.columns):
            if column.kind == "string":
                assert "RLE_DICTIONARY" in chunks.column(index).encodings, (doc.name, column.name)
    persons_frame = pd.read_parquet(parquet_export / "persons.parquet")
    assert persons_frame["hidden"].dtype == bool
    assert persons_frame["id"].dtype == "int64"
    decided = persons_frame["decided"].dropna()
    assert len(decided) and all(hasattr(d, "isoformat") and not isinstance(d, str) for d in decided)
    sentenced = duckdb.sql(
        f"SELECT count(*) FROM '{parquet_export / 'persons.parquet'}' "
        "WHERE outcome = 'verdict' AND decided >= DATE '2023-03-01' AND decided < DATE '2023-04-01'"
    ).fetchall()
    assert sentenced[0][0] > 0


def test_parquet_series_match_the_sqlite_series(
    parquet_export: Path, sqlite_export: tuple[Path, Path]
) -> None:
    import duckdb

    from_parquet = duckdb.sql(
        f"SELECT article, metric, month, value FROM '{parquet_export / 'monthly_series.parquet'}' "
        "ORDER BY 1, 2, 3"
    ).fetchall()
    with sqlite3.connect(sqlite_export[0]) as db:
        from_sqlite = db.execute("SELECT * FROM monthly_series ORDER BY 1, 2, 3").fetchall()
    assert from_parquet == from_sqlite and from_parquet


def test_docs_data_dictionary_is_current() -> None:
    from warduty.report.dictionary import with_dictionary

    docs = Path(__file__).parents[2] / "docs" / "datasets.md"
    text = docs.read_text(encoding="utf-8")
    assert with_dictionary(text) == text, "run: python -m warduty.report.dictionary docs/datasets.md"
    with pytest.raises(ValueError, match="markers"):
        with_dictionary("no markers here")


def test_facets_count_as_the_statistics_do(sqlite_export: tuple[Path, Path]) -> None:
    """Sentences of a month, faceted in the export (outcome, decided month, article), equal the
    monthly series computed by warduty.stats (first-instance courts, the first-instance docket)."""
    with sqlite3.connect(sqlite_export[0]) as db:
        for month in ("2023-03", "2023-10", "2024-02"):
            faceted = db.execute(
                "SELECT count(DISTINCT persons.id) FROM persons "
                "JOIN person_articles ON person_articles.person_id = persons.id "
                "JOIN cases ON cases.id = persons.case_id JOIN courts ON courts.code = cases.court_code "
                "WHERE persons.outcome = 'verdict' AND persons.decided_month = ? AND article = '337' "
                "AND courts.level = 'garrison' AND cases.docket = 'criminal-1' "
                "AND cases.court_code != '50AV0000'",
                (month,),
            ).fetchone()[0]
            series = db.execute(
                "SELECT value FROM monthly_series "
                "WHERE article = '337' AND metric = 'sentences' AND month = ?",
                (month,),
            ).fetchone()
            assert series is not None and faceted == series[0] > 0, month


@pytest.mark.postgres
def test_notebook_api_answers_alike_on_postgresql(truth_db: Engine, pg_truth_db: Engine) -> None:  # noqa: F811
    import warduty

    answers = []
    for engine in (truth_db, pg_truth_db):
        with warduty.open(engine.url.render_as_string(hide_password=False)) as db:
            answers.append(
                (
                    db.series("337", first="2022-01", last="2024-03").to_dict("list"),
                    db.regions("337").to_dict("list"),
                    db.figures("2024-03", as_of=date(2024, 4, 12))["value"].to_dict(),
                    db.cases("337", since=date(2024, 1, 1), until=date(2024, 3, 31))["case_number"].tolist(),
                )
            )
    assert answers[0] == answers[1]
    assert answers[0][3]


def test_no_name_anywhere_in_the_sqlite_file_or_its_search_index(
    sqlite_export: tuple[Path, Path],
    truth_db: Engine,  # noqa: F811
    tmp_path: Path,
) -> None:
    """No defendant's name in any page of the file: tables, indexes and the FTS shadow tables (the
    index is built from the redacted texts); an export made with names does hold them."""
    with truth_db.connect() as connection:
        rows = connection.execute(select(persons.c.name).where(persons.c.hidden.is_(False)))
        names = {r.name for r in rows if r.name and len(r.name) > 8}
    assert len(names) > 20
    content = sqlite_export[0].read_bytes().decode("utf-8", errors="ignore")
    assert not [n for n in names if n in content]
    named, _ = export_database(truth_db, tmp_path, "sqlite", show_names=True)
    assert [n for n in names if n in named.read_bytes().decode("utf-8", errors="ignore")]
