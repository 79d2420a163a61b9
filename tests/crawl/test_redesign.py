"""A court changes its layout: the crawl of the others completes, nothing wrong is stored for it, and the
run summary, issues.json, the API and the courts page all name it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from tests.crawl.test_crawler import AS_OF, SINCE, UNTIL
from warduty.cli import app
from warduty.config import Settings
from warduty.courts import load_registry
from warduty.crawl.archive import read_response
from warduty.crawl.client import ArchiveRef
from warduty.law import WATCHED_ARTICLES
from warduty.replica.population import generate_population
from warduty.replica.server import ReplicaServer
from warduty.replica.verify import crawled, differences, expected
from warduty.store import make_engine
from warduty.sudrf.encoding import decode_page
from warduty.sudrf.pages import PageState, classify_page
from warduty.web import create_app

CHANGED = "63GV0001"  # vintage engine, as in the live incident
OTHERS = ["77GV0017", "63GV0002"]  # a standard-engine court and another vintage one
runner = CliRunner()


def _crawl(origin: str, courts: list[str]) -> str:
    result = runner.invoke(
        app,
        [
            "crawl", "--courts", ",".join(courts), "--since", SINCE.isoformat(), "--until", UNTIL.isoformat(),
            "--sudrf-origin", origin, "--min-interval", "0", "--global-interval", "0",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return result.output


def test_a_redesigned_court_is_named_everywhere_and_nothing_wrong_is_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("WARDUTY_DATA_DIR", str(data))
    monkeypatch.setenv("WARDUTY_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.delenv("WARDUTY_DB", raising=False)
    monkeypatch.setenv("COLUMNS", "400")  # one summary line per fact
    population = generate_population(scale=0.25)
    # Before the redesign, a crawl stores the court's cases.
    with ReplicaServer(population, as_of=AS_OF, seed=4) as before:
        _crawl(before.origin, [CHANGED])
    engine = make_engine(Settings(data_dir=data).database_url)
    stored_before = {key: case for key, case in crawled(engine).items() if key[0] == CHANGED}
    assert len(stored_before) > 10
    with ReplicaServer(population, as_of=AS_OF, seed=4, faults="redesign", redesign_court=CHANGED) as server:
        output = _crawl(server.origin, [CHANGED, *OTHERS])
        assert int(server.stats()["redesigned_pages"]) > 0  # type: ignore[call-overload]

    # The summary counts the pages and names the court, and only that court.
    (attention,) = [line for line in output.splitlines() if "Needs attention" in line]
    assert CHANGED in attention and not any(code in attention for code in OTHERS)
    assert "pages not understood" in output and "issues.json" in attention

    # issues.json: one entry per page, each naming the court, the URL, the archive record and the reason.
    run_folder = data / "runs" / "run-2"
    issues = json.loads((run_folder / "issues.json").read_text("utf-8"))
    host = load_registry().by_code(CHANGED).search_host or ""
    assert issues and {entry["court"] for entry in issues} == {CHANGED}
    assert {entry["task"] for entry in issues} == {"search"}
    assert len({entry["url"] for entry in issues}) == len(issues)
    for entry in issues:
        assert entry["problems"] == ["unknown page state"] and entry["outcome"] == "failed"
        assert host in entry["url"]
        record = read_response(ArchiveRef(entry["warc_file"], entry["warc_offset"]), data)
        assert record.url == entry["url"] and record.court_code == CHANGED
        assert classify_page(decode_page(record.body)) is PageState.UNKNOWN
    statistics = json.loads((run_folder / "statistics.json").read_text("utf-8"))
    assert statistics["courts"][CHANGED]["status"] == "needs attention"
    assert all(statistics["courts"][code]["status"] == "done" for code in OTHERS)

    # The other courts are complete; the changed court keeps what it had, nothing marked missing.
    got = crawled(engine)
    want = expected(
        [c for code in OTHERS for c in population.cases_for(code)], AS_OF, WATCHED_ARTICLES, SINCE, UNTIL
    )
    assert len(want) > 20
    assert differences(want, {k: v for k, v in got.items() if k[0] in OTHERS}) == []
    assert {k: v for k, v in got.items() if k[0] == CHANGED} == stored_before
    with engine.connect() as connection:
        missing = connection.execute(
            text("SELECT count(*) FROM cases WHERE missing_since IS NOT NULL")
        ).scalar()
        assert missing == 0

    # The API and the courts page show the court needs attention, and no other.
    web = TestClient(create_app(Settings(data_dir=data), rate=10_000, burst=10_000))
    courts = {c["code"]: c for c in web.get("/api/v1/courts").json()["data"]}
    assert courts[CHANGED]["needs_attention"] is True
    assert courts[CHANGED]["issues"] == len(issues) and courts[CHANGED]["attention"] == ["unknown page state"]
    assert courts[CHANGED]["last_run"] == 2
    assert [code for code, c in courts.items() if c["needs_attention"]] == [CHANGED]
    assert courts[OTHERS[0]]["issues"] == 0 and courts["25GV0001"]["last_run"] is None
    run = web.get("/api/v1/runs/2").json()["data"]
    assert {entry["warc_file"] for entry in run["issues"]} == {
        f"run-2/{CHANGED}.warc.gz"
    }  # no server folders
    table = {row["code"]: row for row in csv.DictReader(io.StringIO(web.get("/api/v1/courts.csv").text))}
    assert table[CHANGED]["needs_attention"] == "true" and table[CHANGED]["attention"] == "unknown page state"
    assert table[OTHERS[0]]["needs_attention"] == "false" and table[OTHERS[0]]["issues"] == "0"
    for lang, badge in (("en", "needs attention"), ("ru", "требует внимания")):
        html = web.get(f"/courts?lang={lang}").text
        rows = [row for row in html.split("<tr") if "/courts/" in row]
        flagged = [row for row in rows if 'class="badge"' in row]
        assert len(flagged) == 1 and f"/courts/{CHANGED}" in flagged[0] and badge in flagged[0], lang
        assert badge in web.get(f"/courts/{CHANGED}?lang={lang}").text
        assert badge not in web.get(f"/courts/{OTHERS[0]}?lang={lang}").text
