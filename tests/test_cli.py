from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from warduty.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WARDUTY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WARDUTY_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.delenv("WARDUTY_DB", raising=False)


def test_courts_json_lists_the_registry() -> None:
    result = runner.invoke(app, ["courts", "--json"])
    assert result.exit_code == 0, result.output
    courts = json.loads(result.stdout)
    assert len(courts) == 116
    assert Counter(c["level"] for c in courts)["garrison"] == 104
    filtered = json.loads(
        runner.invoke(app, ["courts", "--json", "--level", "garrison", "--region", "Moscow Oblast"]).stdout
    )
    assert len(filtered) == 4


def test_courts_csv_and_table() -> None:
    csv_out = runner.invoke(app, ["courts", "--csv", "--level", "appeal"]).stdout.splitlines()
    assert csv_out[0].startswith("code,level") and len(csv_out) == 2
    table = runner.invoke(app, ["courts", "--level", "cassation"])
    assert table.exit_code == 0 and "54KV0000" in table.stdout


def test_courts_rejects_unknown_level() -> None:
    result = runner.invoke(app, ["courts", "--level", "regional"])
    assert result.exit_code == 1
    assert "unknown level" in result.output


def test_articles_prints_json() -> None:
    result = runner.invoke(app, ["articles", "ст.337 ч.5; ст.338 ч.3 УК РФ"])
    assert result.exit_code == 0
    refs = json.loads(result.stdout)
    assert [(r["article"], r["part"], r["group"], r["mobilisation_part"]) for r in refs] == [
        ("337", "5", "awol", True),
        ("338", "3", "desertion", True),
    ]
    bad = runner.invoke(app, ["articles", "nonsense"])
    assert bad.exit_code == 1 and "cannot read article references" in bad.output


def test_db_migrate_and_status(tmp_path: Path) -> None:
    first = runner.invoke(app, ["db", "migrate"])
    assert first.exit_code == 0, first.output
    assert "116 added" in first.stdout
    second = runner.invoke(app, ["db", "migrate"])
    assert "0 added, 0 updated, 116 unchanged" in second.stdout
    status = runner.invoke(app, ["db", "status"])
    assert "revision: 0003" in status.stdout
    assert (tmp_path / "data" / "warduty.sqlite").exists()


def test_bad_settings_are_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WARDUTY_MIN_INTERVAL", "soon")
    result = runner.invoke(app, ["courts", "--json"])
    assert result.exit_code == 1 and "WARDUTY_MIN_INTERVAL" in result.output
    monkeypatch.delenv("WARDUTY_MIN_INTERVAL")
    monkeypatch.setenv("WARDUTY_DB", "oracle://x")
    result = runner.invoke(app, ["db", "migrate"])
    assert result.exit_code == 1 and "unsupported database" in result.output


def test_demo_runs_end_to_end_on_a_small_replica(tmp_path: Path) -> None:
    """The whole demo at 5 % of the calibrated population: replica, two crawls, four briefings."""
    out = tmp_path / "out"
    result = runner.invoke(app, ["demo", "--scale", "0.05", "--quiet", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "synthetic" in result.stdout and "politeness violations: 0" in result.stdout
    # Both crawls finish: the captcha courts were read by OCR, with nobody at the terminal.
    for as_of in ("2024-04-12", "2025-06-30"):
        assert f"crawl as of {as_of}: done," in result.stdout
    # Every court of the replica, both crawls: the parsers understand every page (no false alarm).
    assert result.stdout.count(", 0 pages not understood") == 2 and "needs attention" not in result.stdout
    for name in ("2024-03-en", "2024-03-ru", "2025-05-en", "2025-05-ru"):
        assert (out / name / "briefing.html").stat().st_size > 1000
        assert (out / name / "figures.json").exists() and (out / name / "monthly.png").exists()
    assert (tmp_path / "data" / "demo" / "as-of-2025-06-30" / "warduty.sqlite").exists()
    # It says what it cost: wall time and the CPU time of all its processes.
    assert re.search(r"Done in \d+ s \(CPU time \d+ s: the demo and the processes it started", result.stdout)


def _commands(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every runnable command line (``("db", "migrate")``, ``("stats",)``, ...)."""
    subcommands = getattr(command, "commands", {})
    found = [path] if path and (not subcommands or getattr(command, "invoke_without_command", False)) else []
    for name, sub in subcommands.items():
        found.extend(_commands(sub, (*path, name)))
    return found


COMMANDS = _commands(typer.main.get_command(app))
# Commands run for real (each would otherwise touch a database, the network or a port).
REAL_RUNS = [
    ["stats", "--json"],
    ["crawl", "--courts", "77GV0017", "--sudrf-origin", "http://127.0.0.1:9"],
    ["serve", "--port", "0"],
    ["db", "migrate"],
    ["demo", "--scale", "0.01", "--quiet"],
]


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("[warduty]\nmin_intreval = 0.1\n", "unknown setting 'min_intreval' (did you mean 'min_interval'?)"),
        ("admin_tokne = 'x'\n", "unknown setting 'admin_tokne' (did you mean 'admin_token'?)"),
        ("[warduty]\nmin_interval = '0.1'\n", "setting 'min_interval' must be a number, not '0.1'"),
        ("show_names = 1\n", "setting 'show_names' must be true or false, not 1"),
    ],
)
def test_a_bad_config_file_stops_every_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, line: str, named: str
) -> None:
    config = tmp_path / "warduty.toml"
    config.write_text(line, encoding="utf-8")
    monkeypatch.setenv("WARDUTY_CONFIG", str(config))
    assert len(COMMANDS) > 20 and ("stats",) in COMMANDS and ("runs",) in COMMANDS
    for command in [*REAL_RUNS, *([*c, "--help"] for c in COMMANDS)]:
        result = runner.invoke(app, command)
        assert result.exit_code == 1, (command, result.output)
        assert result.output == f"error: config file {config}: {named}\n", command
    assert not (tmp_path / "data").exists()  # nothing was created: no database, no archive
    # --config names the file the same way
    monkeypatch.delenv("WARDUTY_CONFIG")
    result = runner.invoke(app, ["--config", str(config), "courts"])
    assert result.exit_code == 1 and named in result.output


def test_crawl_options_are_checked_before_anything_is_created(tmp_path: Path) -> None:
    for option, value, message in [
        ("--proxy", "ftp://127.0.0.1:21", "--proxy must be a URL like http://"),
        ("--sudrf-origin", "127.0.0.1:8080", "--sudrf-origin must be a URL like http://"),
        ("--min-interval", "-1", "--min-interval must be a finite number"),
    ]:
        result = runner.invoke(app, ["crawl", "--courts", "77GV0017", option, value])
        assert result.exit_code == 1 and message in result.output, result.output
    assert not (tmp_path / "data").exists()


def test_the_alert_summary_after_a_run(capsys: pytest.CaptureFixture[str]) -> None:
    """``warduty crawl`` and ``asylum fetch`` end with the alerts they raised and any delivery that failed
    (which fails nothing: the run went through, the alert stays pending)."""
    from datetime import UTC, datetime

    from warduty.alerts.model import Alert
    from warduty.cli.app import print_alert_summary
    from warduty.jobs.alerts import AlertReport, Delivery

    def alert(number: int) -> Alert:
        return Alert(
            f"a{number}", "record", f"Title {number}", "", "/cases", datetime(2024, 4, 1, tzinfo=UTC)
        )

    print_alert_summary(AlertReport())
    assert capsys.readouterr().out.strip() == "no new alerts"
    deliveries = [Delivery("a1", "webhook", None), Delivery("a2", "email", "refused: 550")]
    print_alert_summary(AlertReport([alert(n) for n in range(1, 6)], deliveries, "detection failed: boom"))
    printed = capsys.readouterr()
    assert "5 new alert(s): Title 1; Title 2; Title 3 and 2 more (warduty alerts lists them)" in printed.out
    assert "detection failed: boom" in printed.err
    assert "1 of 2 alert deliveries failed" in printed.err and "--send" in printed.err
