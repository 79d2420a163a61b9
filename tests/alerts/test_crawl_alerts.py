"""Alerts from real crawls of the replica, through ``jobs.run_crawl``: a court the replica does not serve
(dark) two runs in a row, a court whose pages changed, the record month of the data, delivered to a
local SMTP server and a webhook receiver; a receiver that is down never fails the crawl."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import feedparser
import pytest
from fastapi.testclient import TestClient

from tests.alerts.peers import free_port, smtp_server, url_of, webhook_receiver
from warduty.alerts.storage import pending
from warduty.config import Settings
from warduty.courts import load_registry
from warduty.crawl.crawler import CrawlOptions
from warduty.jobs import run_crawl
from warduty.jobs.alerts import AlertReport, recent_alerts
from warduty.replica.population import Population, generate_population
from warduty.replica.server import ReplicaServer
from warduty.stats.figures import compute
from warduty.store import make_engine
from warduty.web import create_app

AS_OF = date(2024, 4, 12)
# A crawl from March 2024 of one court: March is the record month of cases received in its database.
SINCE = date(2024, 3, 1)
SERVED = "77GV0017"  # a standard-engine court
CHANGED = "63GV0001"  # serves a changed layout (the replica's redesign fault)
DARK = "63GV0002"  # not served at all: every request is answered 404 "unknown server"
SECRET = "crawl-secret"


@pytest.fixture(scope="module")
def population() -> Population:
    return generate_population(scale=0.1)


def _options() -> CrawlOptions:
    return CrawlOptions(courts=[SERVED, CHANGED, DARK], since=date(2023, 6, 1), until=AS_OF, retry_pause=0.01)


def test_alerts_of_real_crawls_reach_smtp_webhook_and_feed(population: Population, tmp_path: Path) -> None:
    registry = load_registry()
    served = [registry.by_code(SERVED), registry.by_code(CHANGED)]
    with (
        ReplicaServer(
            population, as_of=AS_OF, seed=4, faults="redesign", redesign_court=CHANGED, courts=served
        ) as replica,
        webhook_receiver(SECRET) as hook,
        smtp_server() as (port, mailbox),
    ):
        settings = Settings(
            data_dir=tmp_path,
            min_interval=0.0,
            global_interval=0.0,
            retries=0,
            sudrf_origin=replica.origin,
            alert_unavailable_runs=2,
            alert_webhook_url=url_of(hook),
            alert_webhook_secret=SECRET,
            alert_smtp_host="127.0.0.1",
            alert_smtp_port=port,
            alert_smtp_starttls=False,
            alert_email_from="warduty@example.org",
            alert_email_to="desk@example.org",
            alert_timeout=2.0,
        )
        first = run_crawl(settings, _options())
        assert first.courts[DARK].failed > 0 and first.attention == {CHANGED: first.attention[CHANGED]}
        engine = make_engine(settings.database_url)
        kinds_first = {a.kind for a in recent_alerts(engine)}
        assert "court_unavailable" not in kinds_first  # one dark run, two asked for
        assert "unrecognised_pages" in kinds_first
        raised: list[AlertReport] = []
        second = run_crawl(settings, _options(), on_alerts=raised.append)

    alerts = recent_alerts(engine)
    by_id = {a.id: a for a in alerts}
    # What the second crawl's caller was told: the alerts it raised, each delivered to both channels.
    (told,) = raised
    assert {a.id for a in told.new} == {a.id for a in alerts if a.run_id == second.run_id} != set()
    assert told.error is None and told.deliveries and not told.failed
    dark_id = f"court_unavailable:{DARK}:from-run-{first.run_id}"
    assert dark_id in by_id and by_id[dark_id].run_id == second.run_id
    # The changed court answered (pages not understood): not "unavailable".
    assert not any(a.id.startswith(f"court_unavailable:{CHANGED}") for a in alerts)
    assert "HTTP 404" in by_id[dark_id].summary
    assert f"unrecognised_pages:run-{first.run_id}" in by_id
    assert f"unrecognised_pages:run-{second.run_id}" in by_id
    assert by_id[f"unrecognised_pages:run-{second.run_id}"].details["courts"] == {CHANGED: len(second.issues)}
    # The record month: exactly what the briefing's figures say about March 2024 (computed apart).
    figures = compute(engine, "2024-03", AS_OF)
    want = {m for m, view in (("received", figures.received), ("sentences", figures.sentences))
            if view.record.is_record}  # fmt: skip
    assert {a.details["metric"] for a in alerts if a.kind == "record"} == want
    for alert in alerts:
        if alert.kind == "record":
            assert alert.id == f"record:{alert.details['metric']}:2024-03"

    # Every alert reached both peers exactly once, signed.
    assert sorted(r.body["id"] for r in hook.received) == sorted(by_id)
    assert all(r.verified for r in hook.received)
    assert sorted(m["X-Warduty-Alert-Id"] for m in mailbox.messages) == sorted(by_id)

    feed = feedparser.parse(TestClient(create_app(settings, warm=False)).get("/feed.xml").content)
    assert feed.bozo == 0 and len(feed.entries) == len(alerts)


def test_a_crawl_with_its_alert_receivers_down_still_finishes(population: Population, tmp_path: Path) -> None:
    closed = free_port()
    with ReplicaServer(population, as_of=AS_OF, seed=4) as replica:
        settings = Settings(
            data_dir=tmp_path,
            min_interval=0.0,
            global_interval=0.0,
            sudrf_origin=replica.origin,
            alert_unavailable_runs=1,
            alert_webhook_url=f"http://127.0.0.1:{closed}/hook",
            alert_webhook_secret=SECRET,
            alert_smtp_host="127.0.0.1",
            alert_smtp_port=closed,
            alert_smtp_starttls=False,
            alert_email_from="warduty@example.org",
            alert_email_to="desk@example.org",
        )
        options = CrawlOptions(courts=[SERVED], since=SINCE, until=AS_OF, retry_pause=0.01)
        report = run_crawl(settings, options)
    assert report.status == "done"
    with make_engine(settings.database_url).connect() as connection:
        owed = {channel: [a.id for a in pending(connection, channel)] for channel in ("webhook", "email")}
    # The record month's alert is stored and stays owed to both channels, for the next call to send.
    assert owed["webhook"] == owed["email"] == ["record:received:2024-03"]
