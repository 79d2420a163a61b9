"""Ground truth: only what the sites show on the day, written as CSV and Parquet."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from warduty.cli import app
from warduty.replica.model import decided_as_of
from warduty.replica.population import Population, generate_population
from warduty.replica.truth import COLUMNS, TABLES, truth_tables, write_truth

AS_OF = date(2024, 4, 12)
runner = CliRunner()


@pytest.fixture(scope="module")
def small() -> Population:
    return generate_population(scale=0.05)


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WARDUTY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WARDUTY_CONFIG", str(tmp_path / "absent.toml"))


def test_truth_shows_only_what_is_posted(small: Population) -> None:
    tables = truth_tables(small, AS_OF)
    visible = {(c.court_code, c.case_number): c for c in small.all_cases() if c.visible_on(AS_OF)}
    assert len(tables["cases"]) == len(visible) < len(small)
    assert all(row["posted"] <= AS_OF for row in tables["cases"])
    assert all(row["posted"] <= AS_OF and row["day"] <= AS_OF for row in tables["events"])
    assert all(row["published"] <= AS_OF for row in tables["acts"])
    assert all(row["received"] <= AS_OF for row in tables["cases"])
    hidden_decisions = 0
    for row in tables["cases"]:
        case = visible[(row["court_code"], row["case_number"])]
        if decided_as_of(case, AS_OF):
            assert row["decided"] == case.decided and row["result"] == case.result
        else:
            assert row["decided"] is None and row["result"] is None
            hidden_decisions += case.decided is not None
    assert hidden_decisions > 0  # decided by then, not yet posted
    for row in tables["persons"]:
        if row["punishment"] is not None:
            key = (row["court_code"], row["case_number"])
            assert any(
                a["kind"] == "Приговор" for a in tables["acts"] if (a["court_code"], a["case_number"]) == key
            )


def test_removed_cards_leave_the_truth(small: Population) -> None:
    removed = next(c for c in small.all_cases() if c.removed is not None and c.removed <= date(2025, 6, 30))
    before = {
        r["uid"]
        for r in truth_tables(small, removed.removed.fromordinal(removed.removed.toordinal() - 1))["cases"]
    }
    after = {r["uid"] for r in truth_tables(small, removed.removed)["cases"]}
    assert removed.uid in before and removed.uid not in after


def test_write_truth_writes_csv_and_parquet(small: Population, tmp_path: Path) -> None:
    counts = write_truth(small, AS_OF, tmp_path / "truth")
    for name in TABLES:
        with (tmp_path / "truth" / f"{name}.csv").open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == counts[name] > 0
        assert tuple(rows[0]) == COLUMNS[name]
        table = pq.read_table(tmp_path / "truth" / f"{name}.parquet")
        assert table.num_rows == counts[name] and tuple(table.column_names) == COLUMNS[name]


def test_write_truth_before_any_case_writes_empty_tables(small: Population, tmp_path: Path) -> None:
    counts = write_truth(small, date(2020, 1, 1), tmp_path)
    assert counts == dict.fromkeys(TABLES, 0)
    assert pq.read_table(tmp_path / "acts.parquet").num_rows == 0
    assert (tmp_path / "cases.csv").read_text(encoding="utf-8").strip() == ",".join(COLUMNS["cases"])


def test_cli_truth_and_fit(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["replica", "truth", "--as-of", "2024-04-12", "--out", str(tmp_path / "t"), "--scale", "0.05"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "t").iterdir()) == sorted(
        f"{n}.{ext}" for n in TABLES for ext in ("csv", "parquet")
    )
    fit = runner.invoke(app, ["replica", "fit", "--scale", "0.05", "--json"])
    assert fit.exit_code == 0, fit.output
    rows = json.loads(fit.stdout)
    assert len(rows) == 26 and all(row["ok"] for row in rows)
    assert {"id", "as_of", "target", "generated", "difference"} <= set(rows[0])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "12.04.2024"], "--as-of must be a date"),
        (["--as-of", "2024-04-12", "--scale", "0"], "scale must be above 0"),
    ],
)
def test_cli_truth_rejects_bad_input(tmp_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["replica", "truth", "--out", str(tmp_path / "t"), *args])
    assert result.exit_code != 0
    assert message in result.output.replace("\n", " ")
    assert not (tmp_path / "t").exists()


def test_cli_truth_refuses_a_file_as_output_folder(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("keep me", encoding="utf-8")
    result = runner.invoke(
        app, ["replica", "truth", "--as-of", "2024-04-12", "--out", str(target), "--scale", "0.05"]
    )
    assert result.exit_code != 0 and "not a folder" in result.output
    assert target.read_text(encoding="utf-8") == "keep me"
