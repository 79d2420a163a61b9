"""The crawl, reparse and replica-verify commands, end to end against the replica."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.crawl.test_crawler import AS_OF
from warduty.cli import app
from warduty.jobs import crawl as jobs_crawl
from warduty.replica.captcha import CaptchaVerdict
from warduty.replica.population import generate_population
from warduty.replica.server import ReplicaServer

COURTS = "77GV0017,78GV0001"  # a plain court and a captcha court
runner = CliRunner()


@pytest.fixture
def solver_script(tmp_path: Path) -> Path:
    """A captcha solver command as an operator would write one: gets a PNG path, prints the digits (here
    read with ddddocr directly, as a script of the operator's own would)."""
    script = tmp_path / "solve"
    script.write_text(
        f"#!{sys.executable}\n"
        "import sys, ddddocr\n"
        "ocr = ddddocr.DdddOcr(show_ad=False)\n"
        "ocr.set_ranges('0123456789')\n"
        "print(ocr.classification(open(sys.argv[1], 'rb').read()))\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_crawl_then_reparse_and_verify(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, solver_script: Path
) -> None:
    monkeypatch.setenv("WARDUTY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WARDUTY_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.delenv("WARDUTY_DB", raising=False)
    population = generate_population(scale=0.1)
    with ReplicaServer(population, as_of=AS_OF, seed=4) as server:
        common = [
            "--courts", COURTS, "--since", "2022-01-01", "--until", AS_OF.isoformat(),
            "--sudrf-origin", server.origin, "--min-interval", "0", "--global-interval", "0",
        ]  # fmt: skip
        deferred = runner.invoke(app, ["crawl", *common, "--no-ocr"])
        assert deferred.exit_code == 0, deferred.output
        assert "Deferred for captcha: 78GV0001" in deferred.output
        done = runner.invoke(app, ["crawl", *common, "--resume", "--captcha-solver", str(solver_script)])
        assert done.exit_code == 0, done.output
        assert ": done," in done.output
        assert server.site.captcha.solved >= 1
    verify = ["replica", "verify", "--as-of", AS_OF.isoformat(), "--since", "2022-01-01", "--scale", "0.1"]
    result = runner.invoke(app, [*verify, "--courts", COURTS])
    assert result.exit_code == 0 and "equals the replica's ground truth" in result.output, result.output
    everything = runner.invoke(app, verify)  # the other courts were not crawled
    assert everything.exit_code == 1 and "missing ('" in everything.output
    rebuilt = f"sqlite:///{tmp_path / 'rebuilt.sqlite'}"
    replay = runner.invoke(app, ["reparse", "--db", rebuilt])
    assert replay.exit_code == 0, replay.output
    assert "replayed 1 run(s)" in replay.output
    assert os.path.exists(tmp_path / "rebuilt.sqlite")


def test_crawl_rejects_unknown_courts_and_bad_dates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WARDUTY_DATA_DIR", str(tmp_path / "data"))
    bad_court = runner.invoke(app, ["crawl", "--courts", "00GV9999"])
    assert bad_court.exit_code == 1 and "no military court has code" in bad_court.output
    bad_date = runner.invoke(app, ["crawl", "--courts", "77GV0017", "--since", "yesterday"])
    assert bad_date.exit_code == 1 and "--since must be a date" in bad_date.output
    no_archive = runner.invoke(app, ["reparse", "--archive", str(tmp_path / "nowhere")])
    assert no_archive.exit_code == 1 and "no archive" in no_archive.output


def test_a_captcha_court_is_crawled_unattended_by_the_default_ocr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WARDUTY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WARDUTY_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.delenv("WARDUTY_DB", raising=False)
    with ReplicaServer(generate_population(scale=0.1), as_of=AS_OF, seed=8) as server:
        common = [
            "--courts", "78GV0001", "--since", "2022-01-01", "--until", AS_OF.isoformat(),
            "--sudrf-origin", server.origin, "--min-interval", "0", "--global-interval", "0",
        ]  # fmt: skip
        result = runner.invoke(app, ["crawl", *common])  # no solver named, nobody at the terminal
        assert result.exit_code == 0, result.output
        assert ": done," in result.output and "Deferred for captcha" not in result.output
        book = server.site.captcha
        assert book.solved >= 1 and book.verdicts[CaptchaVerdict.WRONG] <= 2 * book.issued


def test_without_the_ocr_extra_the_crawl_says_so_and_captcha_courts_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WARDUTY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WARDUTY_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.delenv("WARDUTY_DB", raising=False)
    monkeypatch.setattr(jobs_crawl, "ocr_available", lambda: False)
    with ReplicaServer(generate_population(scale=0.05), as_of=AS_OF, seed=8) as server:
        result = runner.invoke(
            app,
            ["crawl", "--courts", "78GV0001", "--since", "2024-01-01", "--until", AS_OF.isoformat(),
             "--sudrf-origin", server.origin, "--min-interval", "0", "--global-interval", "0"],
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "the ocr extra is not installed (pip install 'warduty[ocr]')" in " ".join(result.output.split())
    assert "Deferred for captcha: 78GV0001" in result.output
