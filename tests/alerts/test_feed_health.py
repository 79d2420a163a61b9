"""``/feed.xml`` read back with feedparser; ``/healthz`` and ``warduty status`` with the database up, down,
and with queue workers on PostgreSQL; ``warduty alerts`` on the command line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import feedparser
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from tests.alerts.crafted import (
    DARK,
    HOSTILE_NAME,
    add_run,
    alert_settings,
    dark_crawl,
    migrated,
    rename_court,
)
from tests.alerts.peers import smtp_server, url_of, webhook_receiver
from warduty.cli import app
from warduty.config import Settings
from warduty.crawl.lock import CrawlLock
from warduty.jobs.alerts import after_run
from warduty.jobs.health import check_health
from warduty.web import create_app

runner = CliRunner()
DOWN = "postgresql+psycopg://nobody@127.0.0.1:9/nothing"  # nothing listens on port 9


def _client(settings: Settings) -> TestClient:
    return TestClient(create_app(settings, warm=False, rate=10_000, burst=10_000))


def test_the_feed_is_valid_atom_even_with_hostile_court_names(tmp_path: Path) -> None:
    engine = migrated(f"sqlite:///{tmp_path / 'warduty.sqlite'}")
    rename_court(engine, DARK, HOSTILE_NAME)
    settings = alert_settings(tmp_path, alert_unavailable_runs=1)
    first = after_run(settings, engine, dark_crawl(engine)).new
    issues = [{"court": DARK, "problems": ["tab <Стороны> & «Движение» not understood"]}]
    second = after_run(settings, engine, add_run(engine, issues=issues)).new
    assert [a.kind for a in first] == ["court_unavailable"] and [a.kind for a in second] == [
        "unrecognised_pages"
    ]

    response = _client(settings).get("/feed.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10" and feed.feed.title == "warduty alerts"
    assert feed.feed.links[0].href == "http://testserver/feed.xml"
    assert len(feed.entries) == 2
    for entry in feed.entries:
        assert entry.id.startswith("tag:warduty,2026:alerts:") and entry.updated and entry.link
        assert entry.link.startswith("http://testserver/")
    entries = {entry.tags[0].term: entry for entry in feed.entries}
    dark = entries["court_unavailable"]
    clean_name = HOSTILE_NAME.replace("\x0b", "")  # a character XML cannot carry at all is dropped
    assert dark.title == f"{clean_name} ({DARK}) unavailable for 1 runs in a row"
    assert dark.link == f"http://testserver/courts/{DARK}"
    assert "tab <Стороны> & «Движение» not understood" in entries["unrecognised_pages"].summary
    # The raw document escapes the markup: no element of the court's name exists.
    assert b"<b>" not in response.content and b"&lt;b&gt;" in response.content

    # With a public address set, links use it; an empty database gives a valid, empty feed.
    public = alert_settings(tmp_path, alert_base_url="https://warduty.example.org")
    feed = feedparser.parse(_client(public).get("/feed.xml").content)
    assert feed.entries[0].link.startswith("https://warduty.example.org/")
    empty = alert_settings(tmp_path / "empty")
    migrated(empty.database_url)
    feed = feedparser.parse(_client(empty).get("/feed.xml").content)
    assert feed.bozo == 0 and feed.entries == [] and feed.feed.updated


def test_healthz_and_status_with_the_database_up_and_down(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = alert_settings(tmp_path)
    engine = migrated(settings.database_url)
    web = _client(settings)
    response = web.get("/healthz")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["status"] == "ok" and body["database"] == {
        "reachable": True,
        "backend": "sqlite",
        "error": None,
    }
    assert body["last_success"] is None  # no run yet
    assert body["workers"]["applicable"] is False and body["workers"]["note"].startswith("no workers")
    assert body["pending_alerts"] is None  # no push channel configured
    dark_crawl(engine)  # an incomplete crawl is not a success
    good = add_run(engine, status="done")
    body = web.get("/healthz").json()
    assert body["last_success"]["run"] == good and body["last_success"]["kind"] == "crawl"
    assert 0 <= body["last_success"]["age_seconds"] < 3600

    down = _client(alert_settings(tmp_path, db=DOWN))
    response = down.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["ok"] is False and not body["database"]["reachable"]
    assert "127.0.0.1" in body["database"]["error"] and body["database"]["backend"] == "postgresql"

    monkeypatch.setenv("WARDUTY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("WARDUTY_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.delenv("WARDUTY_DB", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 0, result.output
    assert "reachable" in result.output and f"run {good} (crawl)" in result.output
    assert "incomplete" in result.output and "crawl lock is free" in result.output
    assert "no workers" in result.output
    result = runner.invoke(app, ["status", "--json"])
    assert result.exit_code == 0 and json.loads(result.output)["last_success"]["run"] == good
    lock = CrawlLock(engine)  # a crawl running now: status names its process
    lock.acquire()
    try:
        result = runner.invoke(app, ["status"])
        assert f"pid {os.getpid()}" in result.output and "no run yet" in result.output
        assert json.loads(runner.invoke(app, ["status", "--json"]).output)["crawl_lock"].startswith("pid ")
    finally:
        lock.release()
    monkeypatch.setenv("WARDUTY_DB", DOWN)
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 1 and "is not reachable" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["status", "--json"])
    assert result.exit_code == 1 and json.loads(result.output)["database"]["reachable"] is False


def test_a_database_not_migrated_is_reachable_without_runs(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'blank.sqlite'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE unrelated (x INTEGER)"))
    health = check_health(engine, alert_settings(tmp_path, alert_webhook_url="http://127.0.0.1:9/h",
                                                  alert_webhook_secret="s"), runs_shown=5)  # fmt: skip
    assert health.healthy and health.last_success is None and health.runs == []
    assert health.pending_alerts is None


@pytest.mark.postgres
def test_workers_alive_are_counted_from_procrastinate_heartbeats(postgres_url: str, tmp_path: Path) -> None:
    engine = migrated(postgres_url)
    assert check_health(engine).workers.note == "no workers: the queue is not installed in this database"
    with engine.begin() as connection:  # the columns procrastinate's schema gives the table
        connection.execute(
            text("CREATE TABLE procrastinate_workers (id bigserial PRIMARY KEY, last_heartbeat timestamptz)")
        )
    assert check_health(engine).workers.note == "no worker alive"
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO procrastinate_workers (last_heartbeat) "
                "VALUES (now()), (now() - interval '5 seconds'), (now() - interval '1 hour')"
            )
        )
    workers = check_health(engine).workers
    assert workers.applicable and workers.alive == 2 and workers.registered == 3
    settings = alert_settings(tmp_path, db=postgres_url)
    body = _client(settings).get("/healthz").json()
    assert body["workers"] == {"applicable": True, "alive": 2, "registered": 3, "note": ""}


def test_the_alerts_command_lists_sends_and_tests(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WARDUTY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("WARDUTY_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.delenv("WARDUTY_DB", raising=False)
    monkeypatch.setenv("COLUMNS", "300")
    engine = migrated(Settings(data_dir=tmp_path).database_url)
    run = add_run(engine, statistics={"counter_mismatches": [{"court": DARK, "counter": 5, "rows": 4}]})
    result = runner.invoke(app, ["alerts", "--test"])
    assert result.exit_code == 1 and "no alert channel is configured" in result.output
    result = runner.invoke(app, ["alerts", "--run", str(run)])
    assert result.exit_code == 0 and "1 new alert(s)" in result.output, result.output
    result = runner.invoke(app, ["alerts"])
    assert result.exit_code == 0 and "counter_mismatch" in result.output
    assert "channels: none (the feed /feed.xml only)" in result.output
    (listed,) = json.loads(runner.invoke(app, ["alerts", "--json"]).output)
    assert listed["id"] == f"counter_mismatch:run-{run}" and listed["link"] == f"/api/v1/runs/{run}"

    secret = "cli-secret"
    with webhook_receiver(secret, mode="error") as hook, smtp_server() as (port, mailbox):
        monkeypatch.setenv("WARDUTY_ALERT_WEBHOOK_URL", url_of(hook))
        monkeypatch.setenv("WARDUTY_ALERT_WEBHOOK_SECRET", secret)
        monkeypatch.setenv("WARDUTY_ALERT_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("WARDUTY_ALERT_SMTP_PORT", str(port))
        monkeypatch.setenv("WARDUTY_ALERT_SMTP_STARTTLS", "false")
        monkeypatch.setenv("WARDUTY_ALERT_EMAIL_FROM", "warduty@example.org")
        monkeypatch.setenv("WARDUTY_ALERT_EMAIL_TO", "desk@example.org")
        result = runner.invoke(app, ["alerts", "--send"])
        assert result.exit_code == 1 and "webhook answered HTTP 500" in result.output
        assert "1 of 2 delivery(s) failed; they stay pending and are retried" in result.output
        assert len(mailbox.messages) == 1
        result = runner.invoke(app, ["status"])
        assert "pending alerts" in result.output and "│ 1" in result.output.replace("┃", "│")
        hook.mode = "ok"
        result = runner.invoke(app, ["alerts", "--send"])
        assert result.exit_code == 0 and f"webhook: counter_mismatch:run-{run}: sent" in result.output
        assert len(mailbox.messages) == 1  # the e-mail was not sent twice
        result = runner.invoke(app, ["alerts", "--test"])
        assert result.exit_code == 0 and result.output.count(": sent") == 2
    monkeypatch.delenv("WARDUTY_ALERT_WEBHOOK_SECRET")
    result = runner.invoke(app, ["alerts"])
    assert result.exit_code == 1 and "alert_webhook_secret is not" in result.output
