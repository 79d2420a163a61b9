"""Alerts stored once and delivered to real local peers: a webhook receiver that checks the signature, an
SMTP server (aiosmtpd); receivers that fail, hang or refuse leave the alert pending, and never raise."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, update

from tests.alerts.crafted import DARK, add_run, alert_settings, dark_crawl, migrated
from tests.alerts.peers import free_port, smtp_server, url_of, webhook_receiver
from tests.asylum.conftest import FakeServer
from tests.asylum.test_fetch import JSONSTAT, _empty_cube
from warduty.alerts.channels import sign, verify_signature
from warduty.alerts.detect import detect
from warduty.alerts.model import Alert
from warduty.alerts.state import load_state
from warduty.alerts.storage import claim, deliveries, pending, recent, store_new
from warduty.jobs import AsylumFetch, fetch_asylum
from warduty.jobs.alerts import after_run, send_pending, send_test
from warduty.store.schema import alert_deliveries, asylum_obs

SECRET = "s3cret-shared-with-the-receiver"


def test_a_court_dark_three_runs_in_a_row_is_one_alert_delivered_once(db_url: str, tmp_path: Path) -> None:
    engine = migrated(db_url)
    with webhook_receiver(SECRET) as hook, smtp_server() as (port, mailbox):
        settings = alert_settings(
            tmp_path,
            alert_unavailable_runs=3,
            alert_webhook_url=url_of(hook),
            alert_webhook_secret=SECRET,
            alert_smtp_host="127.0.0.1",
            alert_smtp_port=port,
            alert_email_from="warduty@example.org",
            alert_email_to="desk@example.org, editor@example.org",
            alert_base_url="https://warduty.example.org/",
        )
        for _ in range(2):
            report = after_run(settings, engine, dark_crawl(engine))
            assert report.new == [] and report.error is None
        third = dark_crawl(engine)
        report = after_run(settings, engine, third)
        (alert,) = report.new
        assert (
            alert.kind == "court_unavailable" and alert.id == f"court_unavailable:{DARK}:from-run-{third - 2}"
        )
        assert {(d.channel, d.error) for d in report.deliveries} == {("webhook", None), ("email", None)}

        (received,) = hook.received
        assert received.verified and received.body["id"] == alert.id
        assert received.body["link"] == f"https://warduty.example.org/courts/{DARK}"
        assert received.body["run_id"] == third and received.body["kind"] == "court_unavailable"
        assert received.headers["Content-Type"].startswith("application/json")
        (message,) = mailbox.messages
        assert message["Subject"] == f"[warduty] {alert.title}" and message["X-Warduty-Alert-Id"] == alert.id
        assert mailbox.envelopes == [("warduty@example.org", ["desk@example.org", "editor@example.org"])]
        assert f"https://warduty.example.org/courts/{DARK}" in message.get_payload()

        # The same streak after a fourth run: no new alert, nothing sent again.
        report = after_run(settings, engine, dark_crawl(engine))
        assert report.new == [] and report.deliveries == []
        assert len(hook.received) == 1 and len(mailbox.messages) == 1
    with engine.connect() as connection:
        assert [a.id for a in recent(connection)] == [alert.id]
        assert deliveries(connection, alert.id) == {"webhook": ("sent", None), "email": ("sent", None)}


def test_a_failed_channel_is_recorded_and_retried_next_time(tmp_path: Path) -> None:
    engine = migrated(f"sqlite:///{tmp_path / 'w.sqlite'}")
    run = add_run(engine, kind="crawl", statistics={"counter_mismatches": [{"court": DARK, "counter": 3}]})
    with webhook_receiver(SECRET, mode="error") as hook:
        settings = alert_settings(tmp_path, alert_webhook_url=url_of(hook), alert_webhook_secret=SECRET)
        report = after_run(settings, engine, run)
        (alert,) = report.new
        (failed,) = report.failed
        assert failed.error == "webhook answered HTTP 500" and report.error is None
        with engine.connect() as connection:
            assert [a.id for a in pending(connection, "webhook")] == [alert.id]
            assert deliveries(connection, alert.id) == {"webhook": ("failed", "webhook answered HTTP 500")}
        hook.mode = "ok"  # the receiver is back: the next call delivers what is owed
        (sent,) = send_pending(settings, engine)
        assert sent.error is None and [r.body["id"] for r in hook.received] == [alert.id]
        assert send_pending(settings, engine) == []
    with engine.connect() as connection:
        assert pending(connection, "webhook") == []


def test_receivers_that_hang_refuse_or_are_down_never_raise(tmp_path: Path) -> None:
    engine = migrated(f"sqlite:///{tmp_path / 'w.sqlite'}")
    run = add_run(engine, issues=[{"court": DARK, "problems": ["unknown page state"]}])
    with webhook_receiver(SECRET, mode="hang") as hook, smtp_server(refuse=True) as (port, mailbox):
        settings = alert_settings(
            tmp_path,
            alert_timeout=0.5,
            alert_webhook_url=url_of(hook),
            alert_webhook_secret=SECRET,
            alert_smtp_host="127.0.0.1",
            alert_smtp_port=port,
            alert_email_from="warduty@example.org",
            alert_email_to="desk@example.org",
        )
        started = time.monotonic()
        report = after_run(settings, engine, run)
        assert time.monotonic() - started < 4  # the hanging receiver costs the timeout, not its 5 s
        errors = {d.channel: d.error for d in report.deliveries}
        assert errors["webhook"] is not None and "timed out" in errors["webhook"]
        assert (
            errors["email"] is not None and "550" in errors["email"] and "relaying denied" in errors["email"]
        )
        assert mailbox.messages == []
    # An SMTP server that is not there, a webhook port nobody listens on.
    closed = free_port()
    down = alert_settings(
        tmp_path,
        alert_webhook_url=f"http://127.0.0.1:{closed}/hook",
        alert_webhook_secret=SECRET,
        alert_smtp_host="127.0.0.1",
        alert_smtp_port=closed,
        alert_email_from="warduty@example.org",
        alert_email_to="desk@example.org",
    )
    results = {d.channel: d.error for d in send_pending(down, engine)}
    assert "unreachable" in (results["webhook"] or "") and "refused" in (results["email"] or "").lower()
    with engine.connect() as connection:
        (alert,) = recent(connection)
        assert {c for c, (state, _) in deliveries(connection, alert.id).items() if state == "failed"} == {
            "webhook",
            "email",
        }
    # A channel configured by halves is an error in the report, never an exception.
    halves = alert_settings(tmp_path, alert_webhook_url=url_of(hook))
    report = after_run(halves, engine, run)
    assert report.error is not None and "alert_webhook_secret" in report.error
    # An unknown run: an error in the report, not an exception.
    assert "no run 999" in (after_run(down, engine, 999).error or "")


def test_the_signature_blocks_tampering_and_replays() -> None:
    body = b'{"id": "x"}'
    now = int(time.time())
    header = sign(SECRET, now, body)
    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert verify_signature(SECRET, str(now), body, header)
    assert not verify_signature(SECRET, str(now), body + b" ", header)  # body changed
    assert not verify_signature("other secret", str(now), body, header)
    assert not verify_signature(SECRET, str(now + 1), body, header)  # timestamp changed
    old = now - 3600
    assert not verify_signature(SECRET, str(old), body, sign(SECRET, old, body))  # a replay an hour later
    assert not verify_signature(SECRET, "soon", body, header)


def test_a_test_alert_goes_through_every_channel_and_is_not_stored(tmp_path: Path) -> None:
    engine = migrated(f"sqlite:///{tmp_path / 'w.sqlite'}")
    with webhook_receiver(SECRET) as hook, smtp_server() as (port, mailbox):
        settings = alert_settings(
            tmp_path,
            alert_webhook_url=url_of(hook),
            alert_webhook_secret=SECRET,
            alert_smtp_host="127.0.0.1",
            alert_smtp_port=port,
            alert_email_from="warduty@example.org",
            alert_email_to="desk@example.org",
        )
        results = send_test(settings)
        assert [(d.channel, d.error) for d in results] == [("webhook", None), ("email", None)]
        assert hook.received[0].verified and hook.received[0].body["kind"] == "test"
        assert mailbox.messages[0]["Subject"] == "[warduty] Test alert from warduty"
    with engine.connect() as connection:
        assert recent(connection) == []


@pytest.mark.parametrize("changed", [True, False])
def test_new_asylum_data_after_a_fetch(tmp_path: Path, changed: bool) -> None:
    engine = migrated(f"sqlite:///{tmp_path / 'w.sqlite'}")
    counts = {"inserted": 2 if changed else 0, "updated": 0, "unchanged": 0 if changed else 2}
    run = add_run(engine, kind="asylum-fetch", status="finished", statistics=counts)
    cell = {"source": "eurostat", "dataset": "migr_asyappctzm", "citizen": "RU", "geo": "DE",
            "applicant": "FRST", "value": 100.0, "vintage": "2025-01-16", "run_id": run}  # fmt: skip
    with engine.begin() as connection:
        connection.execute(insert(asylum_obs), [{**cell, "period": "2024-11"}, {**cell, "period": "2024-12"}])
    report = after_run(alert_settings(tmp_path), engine, run)
    if changed:
        (alert,) = report.new
        assert alert.kind == "asylum_data" and "up to 2024-12" in alert.title
        assert alert.summary == "eurostat migr_asyappctzm: 2 values up to 2024-12."
    else:
        assert report.new == []


def test_a_real_asylum_fetch_alerts_new_data_once(tmp_path: Path) -> None:
    """``jobs.fetch_asylum`` against a local stand-in for Eurostat: the first fetch stores new values and
    alerts; the same answers fetched again change nothing and alert nothing."""
    engine = migrated(f"sqlite:///{tmp_path / 'w.sqlite'}")
    server = FakeServer()
    server.route = lambda path, query: (
        (200, JSONSTAT) if path.endswith("migr_asyappctzm") else (200, _empty_cube(path.rsplit("/", 1)[-1]))
    )
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    job = AsylumFetch(since="2024-10", today=date(2025, 1, 20), unhcr=False, check=False,
                      origin=server.origin, interval=0)  # fmt: skip
    try:
        with webhook_receiver(SECRET) as hook:
            settings = alert_settings(tmp_path, alert_webhook_url=url_of(hook), alert_webhook_secret=SECRET)
            first = fetch_asylum(settings, engine, job)
            second = fetch_asylum(settings, engine, job)
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
    assert first.stored.inserted > 0 and second.stored.inserted == second.stored.updated == 0
    (received,) = hook.received
    assert received.verified and received.body["id"] == f"asylum_data:run-{first.run_id}"
    assert received.body["kind"] == "asylum_data" and "eurostat migr_asyappctzm" in received.body["summary"]


def test_an_alert_being_sent_by_another_process_is_not_sent_twice(db_url: str, tmp_path: Path) -> None:
    engine = migrated(db_url)
    run = add_run(engine, statistics={"counter_mismatches": [{"court": DARK, "counter": 2, "rows": 1}]})
    with webhook_receiver(SECRET) as hook:
        settings = alert_settings(tmp_path, alert_webhook_url=url_of(hook), alert_webhook_secret=SECRET)
        with engine.begin() as connection:
            (alert,) = store_new(connection, detect_alerts_of(engine, run))
            assert claim(connection, alert.id, "webhook")  # another worker took it and is sending it
            assert not claim(connection, alert.id, "webhook")  # a second claim is refused
        assert send_pending(settings, engine) == [] and hook.received == []
        with engine.begin() as connection:  # that worker died mid-send: its claim goes stale
            connection.execute(
                update(alert_deliveries).values(updated_at=datetime.now(UTC) - timedelta(hours=1))
            )
        (delivered,) = send_pending(settings, engine)
        assert delivered.error is None and [r.body["id"] for r in hook.received] == [alert.id]
        with engine.begin() as connection:
            assert not claim(connection, alert.id, "webhook")  # delivered: never taken again
        assert send_pending(settings, engine) == []


def detect_alerts_of(engine: Engine, run_id: int) -> list[Alert]:
    with engine.connect() as connection:
        return detect(load_state(connection, run_id, 3), 3)
