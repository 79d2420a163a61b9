"""Alert jobs: after a run, detect what is worth telling, store it once and deliver it to the configured
channels; list the alerts; send what is pending; send a test alert.

:func:`after_run` is called at the end of every crawl and asylum fetch (and by queued runs). It never
raises: an alert that cannot be detected or delivered is logged and recorded, the run stays as it ended,
and an undelivered alert stays pending for its channel until a later call delivers it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine

from warduty.alerts.channels import Channel, EmailChannel, WebhookChannel
from warduty.alerts.detect import detect
from warduty.alerts.model import Alert
from warduty.alerts.state import UnknownRunError, load_state
from warduty.alerts.storage import claim, pending, recent, record_delivery, store_new
from warduty.config import ConfigError, Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Delivery:
    alert_id: str
    channel: str
    error: str | None  # None: delivered


@dataclass(frozen=True, slots=True)
class AlertReport:
    """What one call did: the alerts it stored and every delivery it tried."""

    new: list[Alert] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    error: str | None = None  # detection failed (the deliveries of earlier alerts were still tried)

    @property
    def failed(self) -> list[Delivery]:
        return [d for d in self.deliveries if d.error is not None]


def channels(settings: Settings) -> list[Channel]:
    """The push channels the settings configure (the feed needs none); raises ``ConfigError`` for one
    configured by halves."""
    found: list[Channel] = []
    if settings.alert_webhook_url:
        if not settings.alert_webhook_secret:
            raise ConfigError("alert_webhook_url is set but alert_webhook_secret is not: webhooks are signed")
        found.append(
            WebhookChannel(
                settings.alert_webhook_url,
                settings.alert_webhook_secret,
                settings.alert_timeout,
                base_url=settings.alert_base_url,
            )
        )
    if settings.alert_smtp_host:
        recipients = tuple(r.strip() for r in settings.alert_email_to.split(",") if r.strip())
        if not recipients or not settings.alert_email_from:
            raise ConfigError("alert_smtp_host is set: alert_email_from and alert_email_to are needed too")
        found.append(
            EmailChannel(
                settings.alert_smtp_host,
                settings.alert_smtp_port,
                settings.alert_email_from,
                recipients,
                settings.alert_timeout,
                user=settings.alert_smtp_user,
                password=settings.alert_smtp_password,
                starttls=settings.alert_smtp_starttls,
                base_url=settings.alert_base_url,
            )
        )
    return found


def detect_alerts(settings: Settings, engine: Engine, run_id: int) -> list[Alert]:
    """Detect the alerts the database shows after run ``run_id`` and store the new ones; returns them."""
    with engine.begin() as connection:
        state = load_state(connection, run_id, settings.alert_unavailable_runs)
        return store_new(connection, detect(state, settings.alert_unavailable_runs))


def send_pending(settings: Settings, engine: Engine) -> list[Delivery]:
    """Deliver every stored alert a configured channel has not delivered yet; a failure is recorded
    (and logged), and the alert stays pending for that channel. Each delivery is claimed first, so two
    processes sending at once (queue workers) do not send one alert twice."""
    results: list[Delivery] = []
    for channel in channels(settings):
        with engine.begin() as connection:
            batch = [a for a in pending(connection, channel.name) if claim(connection, a.id, channel.name)]
        if not batch:
            continue
        outcome = channel.send(batch)
        with engine.begin() as connection:
            for alert in batch:
                error = outcome.get(alert.id, "not attempted")
                record_delivery(connection, alert.id, channel.name, error)
                results.append(Delivery(alert.id, channel.name, error))
                if error is not None:
                    log.warning("alert %s not delivered by %s: %s", alert.id, channel.name, error)
    return results


def after_run(settings: Settings, engine: Engine, run_id: int) -> AlertReport:
    """Detect, store and deliver the alerts of run ``run_id``. Never raises: failures are logged and
    returned in the report."""
    new: list[Alert] = []
    error: str | None = None
    try:
        new = detect_alerts(settings, engine, run_id)
    except UnknownRunError as exc:
        error = f"alert detection after run {run_id} failed: {exc}"
        log.warning("%s", error)
    except Exception as exc:  # an alert must never fail the run it reports on
        error = f"alert detection after run {run_id} failed: {exc}"
        log.exception("alert detection after run %s failed", run_id)
    try:
        sent = send_pending(settings, engine)
    except ConfigError as exc:  # a channel configured by halves: say so, without a traceback
        error = error or f"alerts not sent: {exc}"
        log.warning("alerts not sent: %s", exc)
        sent = []
    except Exception as exc:
        error = error or f"alert delivery after run {run_id} failed: {exc}"
        log.exception("alert delivery after run %s failed", run_id)
        sent = []
    return AlertReport(new, sent, error)


def recent_alerts(engine: Engine, limit: int = 50) -> list[Alert]:
    with engine.connect() as connection:
        return recent(connection, limit)


def send_test(settings: Settings) -> list[Delivery]:
    """Send one test alert through every configured channel (not stored, not in the feed)."""
    now = datetime.now(UTC)
    alert = Alert(
        id=f"test:{now:%Y%m%dT%H%M%S}",
        kind="test",
        title="Test alert from warduty",
        summary="If you read this, warduty's alerts reach you through this channel.",
        link="/feed.xml",
        created_at=now,
    )
    results: list[Delivery] = []
    for channel in channels(settings):
        outcome = channel.send([alert])
        results.append(Delivery(alert.id, channel.name, outcome.get(alert.id, "not attempted")))
    return results


def channel_names(settings: Settings) -> Sequence[str]:
    return [channel.name for channel in channels(settings)]
