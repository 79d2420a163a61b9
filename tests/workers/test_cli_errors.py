"""The queue commands refuse what they cannot do with one clear line, before touching anything."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from warduty.cli import app
from warduty.jobs.queue import QueueError, conninfo


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"WARDUTY_DATA_DIR": str(tmp_path / "data"), "WARDUTY_CONFIG": str(tmp_path / "none.toml")}


@pytest.mark.parametrize(
    "args",
    [["crawl", "--queue", "--courts", "77GV0017"], ["worker", "--until-empty"]],
)
def test_the_queue_needs_postgresql(args: list[str], env: dict[str, str], tmp_path: Path) -> None:
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 1
    assert "error: workers and schedules need PostgreSQL" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "data" / "warduty.sqlite").exists()  # nothing created


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["worker", "--heartbeat", "5", "--stalled-after", "5"], "--stalled-after must be longer"),
        (["worker", "--proxy", "ftp://x"], "--proxy must be a URL"),
        (["worker", "--global-interval", "-1"], "--global-interval must be a finite number"),
        (["worker", "--concurrency", "0"], "Invalid value for '--concurrency'"),
    ],
)
def test_worker_options_are_checked(args: list[str], message: str, env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code != 0
    assert message in " ".join(result.output.split()), result.output


def test_conninfo_is_libpq_form_and_refuses_sqlite() -> None:
    url = "postgresql+psycopg://warduty:s3cret@db.example:5433/warduty"
    assert conninfo(url) == "postgresql://warduty:s3cret@db.example:5433/warduty"
    with pytest.raises(QueueError, match="the database is sqlite"):
        conninfo("sqlite:///data/warduty.sqlite")


def test_schedule_on_sqlite_shows_the_table_and_says_why_it_does_not_run(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["schedule", "--json"], env={**env, "WARDUTY_SCHEDULE_CRAWL": "06:00"})
    assert result.exit_code == 0, result.output
    assert '"when": "06:00 Moscow time"' in result.stdout
    assert "need PostgreSQL" in result.stderr
