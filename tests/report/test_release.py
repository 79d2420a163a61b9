"""``warduty release``: a Frictionless Data Package of the demo database that validates, says what it is,
and changes between releases only where the data changed."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from tests.web.conftest import AS_OF, DemoDb, demo_db, population  # noqa: F401  (fixtures)
from warduty.cli import app
from warduty.report.dictionary import TABLE_DOCS
from warduty.stats.definitions import DEFINITIONS


def _release(url: str, data_dir: Path, out: Path, as_of: str) -> str:
    env = {"WARDUTY_DB": url, "WARDUTY_DATA_DIR": str(data_dir)}
    result = CliRunner().invoke(app, ["release", "--out", str(out), "--as-of", as_of], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((folder / "data").iterdir())}


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The deployment's data directory (its pseudonym secret): the same for every release here."""
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="module")
def release_dir(demo_db: DemoDb, deployment: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: F811
    out = tmp_path_factory.mktemp("release") / "warduty-2024-04-12"
    _release(demo_db.url, deployment, out, AS_OF.isoformat())
    return out


def test_release_validates_and_says_what_it_is(release_dir: Path) -> None:
    from frictionless import validate

    report = validate(str(release_dir / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:10]
    package = json.loads((release_dir / "datapackage.json").read_text(encoding="utf-8"))
    assert package["as_of"] == "2024-04-12" and package["version"] == "2024.4.12"
    assert package["code_version"].startswith("warduty ")
    assert package["licenses"][0]["name"] == "CC-BY-SA-4.0" and package["sources"][0]["path"]
    assert package["definitions"] == DEFINITIONS
    tables = [r for r in package["resources"] if r.get("format") == "csv"]
    assert [r["name"] for r in tables] == [t.name for t in TABLE_DOCS]
    for resource in package["resources"]:
        path = release_dir / resource["path"]
        assert resource["hash"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    for resource, doc in zip(tables, TABLE_DOCS, strict=True):
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == doc.names and all(f["description"] for f in fields)
        assert pq.read_metadata(release_dir / "data" / f"{doc.name}.parquet").num_rows == resource["rows"]
    persons = next(r for r in tables if r["name"] == "persons")
    assert persons["schema"]["foreignKeys"][0]["reference"] == {"resource": "cases", "fields": ["id"]}
    assert resource_rows(release_dir, "persons") == persons["rows"] > 0
    readme = (release_dir / "README.md").read_text(encoding="utf-8")
    assert "as of 2024-04-12" in readme and "version 2024.4.12" in readme
    assert "## What the data are not" in readme
    for text in DEFINITIONS.values():
        assert text["en"] in readme


def resource_rows(folder: Path, name: str) -> int:
    with (folder / "data" / f"{name}.csv").open(encoding="utf-8") as handle:
        import csv

        return sum(1 for _ in csv.DictReader(handle))


def test_release_never_names_defendants(release_dir: Path, demo_db: DemoDb) -> None:  # noqa: F811
    text = "".join(p.read_text(encoding="utf-8") for p in (release_dir / "data").glob("*.csv"))
    named = [name for name in demo_db.names if name in text]
    assert not named, named[:3]


def test_tampered_release_fails_validation(release_dir: Path, tmp_path: Path) -> None:
    from frictionless import validate

    copy = tmp_path / "copy"
    shutil.copytree(release_dir, copy)
    with (copy / "data" / "monthly_series.csv").open("a", encoding="utf-8") as handle:
        handle.write("337,received,2099-01,1\n")
    assert not validate(str(copy / "datapackage.json")).valid


def test_releases_differ_only_where_the_data_changed(
    release_dir: Path,
    demo_db: DemoDb,  # noqa: F811
    deployment: Path,
    tmp_path: Path,
) -> None:
    data_dir = deployment
    later = tmp_path / "later"
    _release(demo_db.url, data_dir, later, "2024-04-20")
    assert _digests(later) == _digests(release_dir)  # the same database: the same data files
    first = json.loads((release_dir / "datapackage.json").read_text(encoding="utf-8"))
    second = json.loads((later / "datapackage.json").read_text(encoding="utf-8"))
    assert {k for k in first if first[k] != second[k]} == {"as_of", "version"}
    changed_lines = set((later / "README.md").read_text().splitlines()) ^ set(
        (release_dir / "README.md").read_text().splitlines()
    )
    assert all("2024-04-20" in line or "2024-04-12" in line for line in changed_lines), changed_lines

    # One case's judge changes in a copy of the database: only the case files change.
    database = tmp_path / "changed.sqlite"
    shutil.copy(demo_db.url.removeprefix("sqlite:///"), database)
    with sqlite3.connect(database) as db:
        db.execute("UPDATE cases SET judge = 'Иванов И.И.' WHERE id = (SELECT min(id) FROM cases)")
    changed = tmp_path / "changed"
    _release(f"sqlite:///{database}", data_dir, changed, "2024-04-20")
    before, after = _digests(later), _digests(changed)
    assert {name for name in before if before[name] != after[name]} == {"cases.csv", "cases.parquet"}


def test_release_refuses_a_non_empty_folder_and_a_missing_database(
    demo_db: DemoDb,  # noqa: F811
    tmp_path: Path,
) -> None:
    runner = CliRunner()
    env = {"WARDUTY_DB": demo_db.url, "WARDUTY_DATA_DIR": str(tmp_path / "data")}
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["release", "--out", str(busy)], env=env)
    assert result.exit_code != 0 and "not empty" in result.output
    assert [p.name for p in busy.iterdir()] == ["notes.txt"]

    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["release", "--out", str(a_file)], env=env)
    assert result.exit_code != 0 and "not a folder" in result.output and a_file.read_text() == "x"

    result = runner.invoke(app, ["release", "--out", str(tmp_path / "x"), "--as-of", "2024-13-01"], env=env)
    assert result.exit_code != 0 and "--as-of" in result.output and "Traceback" not in result.output

    missing = {**env, "WARDUTY_DB": f"sqlite:///{tmp_path / 'nowhere.sqlite'}"}
    result = runner.invoke(app, ["release", "--out", str(tmp_path / "y")], env=missing)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert not (tmp_path / "y").exists() and not (tmp_path / "nowhere.sqlite").exists()
    assert not (tmp_path / "data").exists()  # no pseudonym secret made for a refused release
