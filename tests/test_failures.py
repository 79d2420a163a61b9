"""Clear failures (issue 16, item 8): each is one line on stderr naming the cause, a non-zero exit and no
traceback; refused commands leave nothing behind and read commands never create files."""

from __future__ import annotations

import gzip
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from warduty.cli import app
from warduty.cli.crawl_cmd import PlainProgress
from warduty.crawl.crawler import ProgressEvent
from warduty.replica.population import generate_population
from warduty.replica.server import ReplicaServer

runner = CliRunner()


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WARDUTY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WARDUTY_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.delenv("WARDUTY_DB", raising=False)


def _refused(result: Result, *phrases: str) -> None:
    """Exit 1, no traceback, and one error line that holds every phrase."""
    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1, lines
    for phrase in phrases:
        assert phrase in errors[0], (phrase, errors[0])


def _migrated(tmp_path: Path) -> Path:
    result = runner.invoke(app, ["db", "migrate"])
    assert result.exit_code == 0, result.output
    return tmp_path / "data" / "warduty.sqlite"


def _runs(database: Path) -> int:
    engine = create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM runs")).scalar_one())


def test_since_after_until_is_refused_before_any_run(tmp_path: Path) -> None:
    database = _migrated(tmp_path)
    result = runner.invoke(app, ["crawl", "--since", "2024-05-01", "--until", "2024-01-01"])
    _refused(result, "--since 2024-05-01 is after --until 2024-01-01")
    assert _runs(database) == 0


@pytest.mark.parametrize(
    ("args", "env", "phrases"),
    [
        (["--sudrf-origin", "notaurl"], {}, ("--sudrf-origin", "'notaurl'")),
        ([], {"WARDUTY_SUDRF_ORIGIN": "notaurl"}, ("WARDUTY_SUDRF_ORIGIN",)),
        (["--min-interval", "-1"], {}, ("--min-interval", "-1")),
        (["--global-interval", "nan"], {}, ("--global-interval", "nan")),
        (["--cooldown", "inf"], {}, ("--cooldown", "inf")),
        ([], {"WARDUTY_MIN_INTERVAL": "nan"}, ("WARDUTY_MIN_INTERVAL", "nan")),
        ([], {"WARDUTY_TIMEOUT": "0"}, ("WARDUTY_TIMEOUT", "above zero")),
        ([], {"WARDUTY_MAX_PAGE_BYTES": "-5"}, ("WARDUTY_MAX_PAGE_BYTES",)),
        (["--articles", "abc"], {}, ("--articles", "'abc'", "catalogue")),
        (["--articles", "337,999"], {}, ("'999'",)),
        (["--articles", ","], {}, ("--articles", "none given")),
    ],
)
def test_bad_crawl_settings_are_refused_before_any_run(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    env: dict[str, str],
    phrases: tuple[str, ...],
) -> None:
    database = _migrated(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    _refused(runner.invoke(app, ["crawl", "--courts", "77GV0017", *args]), *phrases)
    assert _runs(database) == 0


@pytest.mark.parametrize("content", [b"hello, I am a text file\n", bytes(range(256)) * 40])
@pytest.mark.parametrize(
    "command", [["stats"], ["db", "migrate"], ["crawl", "--courts", "77GV0017"], ["export"]]
)
def test_a_file_that_is_not_a_database_is_named(tmp_path: Path, content: bytes, command: list[str]) -> None:
    database = tmp_path / "data" / "warduty.sqlite"
    database.parent.mkdir(parents=True)
    database.write_bytes(content)
    _refused(runner.invoke(app, command), str(database), "is not an SQLite database")
    assert database.read_bytes() == content


def test_a_database_url_that_is_not_a_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WARDUTY_DB", "notaurl")
    for command in (["stats"], ["db", "migrate"], ["report", "--month", "2024-03"]):
        _refused(runner.invoke(app, command), "not a database URL", "'notaurl'")


def test_an_unreachable_postgresql_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WARDUTY_DB", "postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=3")
    for command in (["stats"], ["db", "migrate"], ["crawl", "--courts", "77GV0017"]):
        _refused(runner.invoke(app, command), "cannot connect to the database", "port 1")


@pytest.mark.parametrize(
    "command",
    [
        ["stats"],
        ["db", "status"],
        ["export"],
        ["report", "--month", "2024-03"],
        ["replica", "verify", "--as-of", "2024-04-12", "--scale", "0.02"],
        ["serve", "--port", "0"],
        ["runs"],
        ["runs", "close", "1"],
    ],
)
def test_read_commands_on_a_missing_database_create_nothing(tmp_path: Path, command: list[str]) -> None:
    before = sorted(tmp_path.rglob("*"))
    _refused(runner.invoke(app, command), "no database at", str(tmp_path / "data" / "warduty.sqlite"))
    assert sorted(tmp_path.rglob("*")) == before  # not the data folder, not an empty file


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder another user can enter (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="warduty-ro-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


def _as_other_user(args: list[str], data: Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user who may not write ``data``: as root (where file modes do not bite) through
    setpriv as nobody, otherwise as ourselves after taking write permission away."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot make a database read-only for the CLI")
        prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    env = {
        **os.environ,
        "WARDUTY_DATA_DIR": str(data),
        "WARDUTY_CONFIG": str(data / "absent.toml"),
        "MPLCONFIGDIR": str(Path(tempfile.gettempdir()) / "warduty-mpl-nobody"),
        "HOME": tempfile.gettempdir(),
    }
    env.pop("WARDUTY_DB", None)
    return subprocess.run(
        [*prefix, sys.executable, "-m", "warduty.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_read_only_database_is_named_and_still_read(
    shared_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = shared_dir / "data"
    monkeypatch.setenv("WARDUTY_DATA_DIR", str(data))
    assert runner.invoke(app, ["db", "migrate"]).exit_code == 0
    database = data / "warduty.sqlite"
    with sqlite3.connect(database) as connection:  # merge the WAL, as closing the last writer does
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for path in (database, data):  # neither the file nor its folder may be written
        path.chmod(0o555 if path.is_dir() else 0o444)
    for command in (["crawl", "--courts", "77GV0017"], ["db", "migrate"]):
        done = _as_other_user(command, data)
        assert done.returncode == 1, (command, done.stdout, done.stderr)
        errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and "read-only" in errors[0] and "Traceback" not in done.stderr, done.stderr
    read = _as_other_user(["stats", "--json"], data)
    assert read.returncode == 0, read.stderr
    assert '"rows": []' in read.stdout
    assert _runs(database) == 0


def test_serve_refuses_a_rate_that_is_not_a_positive_number() -> None:
    for rate in ("nan", "0", "-3", "inf"):
        _refused(runner.invoke(app, ["serve", "--rate", rate]), "--rate must be a finite number above zero")


def test_demo_refuses_bad_numbers_before_starting_anything(tmp_path: Path) -> None:
    for args, phrase in (
        (["--scale", "0"], "--scale"),
        (["--min-interval", "-1"], "--min-interval"),
        (["--global-interval", "nan"], "--global-interval"),
    ):
        _refused(runner.invoke(app, ["demo", *args]), phrase)
    assert not (tmp_path / "data").exists()


def test_parse_refuses_empty_binary_and_deep_pages(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.html"
    blank.write_bytes(b"  \n\n ")
    binary = tmp_path / "page.html"
    binary.write_bytes(gzip.compress(b"<html>court</html>" * 500))
    deep = tmp_path / "deep.html"
    deep.write_text("<html><body>" + "<div>" * 200_000 + "x" + "</div>" * 200_000 + "</body></html>")
    _refused(runner.invoke(app, ["parse", str(empty)]), "is empty")
    _refused(runner.invoke(app, ["parse", str(blank)]), "is empty")
    _refused(runner.invoke(app, ["parse", str(binary)]), "binary")
    _refused(runner.invoke(app, ["parse", str(deep)]), "nest more than")
    _refused(runner.invoke(app, ["parse", str(tmp_path / "absent.html")]), "cannot read")


def test_progress_is_a_plain_line_with_pages_courts_and_rate() -> None:
    progress = PlainProgress(courts_total=3, every=0.05)
    with progress:
        for court in ("A", "A", "B"):
            progress.on_progress(ProgressEvent(court, "search", 1, 1))
    line = progress.line()
    assert line.startswith("crawl: 3 pages fetched, 2/3 courts started, ") and "pages/s" in line


def test_a_crawl_off_a_terminal_logs_progress_lines(tmp_path: Path) -> None:
    with ReplicaServer(generate_population(scale=0.1), as_of=date(2024, 4, 12)) as replica:
        result = runner.invoke(
            app,
            [
                "crawl", "--courts", "77GV0017", "--since", "2024-01-01", "--until", "2024-04-12",
                "--sudrf-origin", replica.origin, "--min-interval", "0.2", "--global-interval", "0",
                "--progress-every", "0.3",
            ],
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("crawl: ")]
    assert lines, result.output
    assert all("courts started" in line and "pages/s" in line for line in lines)


@pytest.mark.postgres
def test_a_read_only_postgresql_database_is_named(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every transaction of this session is read-only, as on a replica server or a read-only role.
    monkeypatch.setenv("WARDUTY_DB", f"{postgres_url}?options=-c%20default_transaction_read_only%3Don")
    for command in (["db", "migrate"], ["crawl", "--courts", "77GV0017"]):
        _refused(runner.invoke(app, command), "is read-only")


def test_a_replica_that_does_not_come_up_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo's replica process dies at once (here: its interpreter is /bin/false): one line, exit 1."""
    monkeypatch.setattr("warduty.replica.process.sys.executable", "/bin/false")
    _refused(
        runner.invoke(app, ["demo", "--scale", "0.01", "--out", str(tmp_path / "out")]), "the replica exited"
    )


def test_asylum_stats_without_a_database_reads_the_snapshot_and_creates_nothing(tmp_path: Path) -> None:
    before = sorted(tmp_path.rglob("*"))
    result = runner.invoke(app, ["asylum", "stats", "--json"])
    assert result.exit_code == 0, result.output
    assert "shipped snapshot" in result.output
    assert sorted(tmp_path.rglob("*")) == before
