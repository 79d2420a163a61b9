"""Issue 14's end to end: a one-minute schedule fires in a worker, the run it queued ends, and that run's
alerts arrive at a local SMTP server and a local webhook receiver; the Atom feed lists them and validates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import feedparser
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.alerts.peers import smtp_server, url_of, webhook_receiver
from tests.workers.conftest import Processes, scalar, wait_for
from warduty.alerts.atom import entry_id
from warduty.config import Settings
from warduty.courts import load_registry
from warduty.jobs.alerts import recent_alerts
from warduty.replica.population import generate_population
from warduty.replica.server import ReplicaServer
from warduty.web import create_app

AS_OF = date(2024, 4, 12)
SERVED = "63GV0001"
DARK = "63GV0002"  # scheduled, but the replica does not serve it: unavailable in the scheduled run
SECRET = "schedule-secret"


@pytest.mark.postgres
def test_a_scheduled_run_sends_its_alerts(
    processes: Processes, queue_db: Engine, postgres_url: str, tmp_path: Path
) -> None:
    config = tmp_path / "schedule.toml"
    config.write_text(
        f'[schedule]\nrecheck = "cron: * * * * *"\ncourts = "{SERVED},{DARK}"\n', encoding="utf-8"
    )
    population = generate_population(scale=0.1)
    served = [load_registry().by_code(SERVED)]
    with (
        ReplicaServer(population, as_of=AS_OF, seed=2, courts=served) as replica,
        webhook_receiver(SECRET) as hook,
        smtp_server() as (port, mailbox),
    ):
        processes.env.update(
            {
                "WARDUTY_CONFIG": str(config),
                "WARDUTY_RETRIES": "0",
                "WARDUTY_ALERT_UNAVAILABLE_RUNS": "1",
                "WARDUTY_ALERT_WEBHOOK_URL": url_of(hook),
                "WARDUTY_ALERT_WEBHOOK_SECRET": SECRET,
                "WARDUTY_ALERT_SMTP_HOST": "127.0.0.1",
                "WARDUTY_ALERT_SMTP_PORT": str(port),
                "WARDUTY_ALERT_SMTP_STARTTLS": "false",
                "WARDUTY_ALERT_EMAIL_FROM": "warduty@example.org",
                "WARDUTY_ALERT_EMAIL_TO": "desk@example.org",
            }
        )
        processes.start(
            "worker", "--sudrf-origin", replica.origin, "--min-interval", "0", "--global-interval", "0",
            "--heartbeat", "1", "--stalled-after", "3", log=tmp_path / "worker.log",
        )  # fmt: skip
        ended = "SELECT count(*) FROM runs WHERE kind = 'crawl' AND status IN ('done', 'incomplete')"
        # A minute beginning during the test fires the re-check again: the first run is the one checked.
        wait_for(lambda: scalar(queue_db, ended) >= 1, 120, "the scheduled crawl to end", every=0.5)  # type: ignore[operator]
        dark = f"court_unavailable:{DARK}:"
        wait_for(lambda: any(r.body["id"].startswith(dark) for r in hook.received), 30, "the webhook")
        wait_for(
            lambda: any(m["X-Warduty-Alert-Id"].startswith(dark) for m in mailbox.messages), 30, "the mail"
        )

    log = (tmp_path / "worker.log").read_text(errors="replace")
    run_id = scalar(queue_db, "SELECT id FROM runs WHERE kind = 'crawl' ORDER BY id LIMIT 1")
    alerts = {alert.id: alert for alert in recent_alerts(queue_db)}
    assert f"{dark}from-run-{run_id}" in alerts, (sorted(alerts), log[-2000:])
    assert alerts[f"{dark}from-run-{run_id}"].run_id == run_id
    # Each alert reached each channel once, the webhook's signed.
    assert sorted(r.body["id"] for r in hook.received) == sorted(alerts)
    assert all(r.verified for r in hook.received)
    assert sorted(m["X-Warduty-Alert-Id"] for m in mailbox.messages) == sorted(alerts)
    settings = Settings(data_dir=tmp_path / "data", db=postgres_url)
    feed = feedparser.parse(TestClient(create_app(settings, warm=False)).get("/feed.xml").content)
    assert feed.bozo == 0, feed.bozo_exception
    assert sorted(entry.id for entry in feed.entries) == sorted(entry_id(alert) for alert in alerts.values())
