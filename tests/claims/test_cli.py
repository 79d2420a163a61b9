"""``warduty check`` on the command line: text and JSON answers, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from warduty.cli import app

runner = CliRunner()
SENTENCE = "Russian military courts convicted a record 684 soldiers of desertion in March."


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WARDUTY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WARDUTY_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.delenv("WARDUTY_DB", raising=False)


def test_check_prints_both_figures_and_the_case_list(full_db: str) -> None:
    result = runner.invoke(app, env={"WARDUTY_DB": full_db}, args=["check", SENTENCE])
    assert result.exit_code == 0, result.output
    assert "matches under another label" in result.stdout
    assert "684" in result.stdout and "27" in result.stdout
    assert "cases: /cases?counted=sentences&article=338&decided_from=2024-03-01" in result.stdout
    assert "cases: /cases?counted=sentences&article=337&decided_from=2024-03-01" in result.stdout
    russian = runner.invoke(app, env={"WARDUTY_DB": full_db}, args=["check", SENTENCE, "--lang", "ru"])
    assert "совпадает, но под другим названием" in russian.stdout


def test_check_json_has_the_parsed_claim_beside_the_verdict(full_db: str) -> None:
    result = runner.invoke(
        app, env={"WARDUTY_DB": full_db}, args=["check", SENTENCE, "--json", "--as-of", "2024-04-12"]
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)["answers"][0]
    claim = answer["claim"]
    assert (claim["number"], claim["measure"], claim["articles"], claim["superlative"]) == (
        684, "sentences", ["338"], "record"
    )  # fmt: skip
    assert claim["period"]["month"] == "2024-03" and claim["region"] is None
    assert answer["verdict"] == "matches under another label" and answer["nearest"]["value"] == 684


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "7" * 10_240], "longer than"),
        (["check", "   "], "empty"),
        (["check", SENTENCE, "--lang", "de"], "--lang"),
        (["check", SENTENCE, "--as-of", "March"], "--as-of"),
    ],
)
def test_check_errors_are_one_line(full_db: str, args: list[str], message: str) -> None:
    result = runner.invoke(app, env={"WARDUTY_DB": full_db}, args=[*args])
    assert result.exit_code != 0 and message in result.output, result.output
    assert "Traceback" not in result.output


def test_check_without_a_database_says_so(tmp_path: Path) -> None:
    result = runner.invoke(
        app, env={"WARDUTY_DB": f"sqlite:///{tmp_path / 'none.sqlite'}"}, args=["check", SENTENCE]
    )
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert not (tmp_path / "none.sqlite").exists()
