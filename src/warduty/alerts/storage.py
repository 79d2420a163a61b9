"""Alerts in the database: each stored once (by its stable id), and per push channel whether it was
delivered, so nothing is sent twice and a failed delivery is tried again next time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, Connection, and_, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from warduty.alerts.model import Alert, AlertKind
from warduty.store.schema import alert_deliveries, alerts

SENT = "sent"
FAILED = "failed"
SENDING = "sending"  # claimed by a process that is sending it now (two workers never send one alert twice)
CLAIM_SECONDS = 600  # a claim older than this was left by a process that died mid-send: taken again
PENDING_LIMIT = 100  # alerts one send takes per channel, oldest first


def store_new(connection: Connection, found: Sequence[Alert]) -> list[Alert]:
    """Store the alerts not stored yet; returns those (an id already stored is the same event)."""
    if not found:
        return []
    ids = [alert.id for alert in found]
    known = set(connection.execute(select(alerts.c.id).where(alerts.c.id.in_(ids))).scalars())
    new: list[Alert] = []
    for alert in found:
        if alert.id in known:
            continue
        known.add(alert.id)
        try:
            with connection.begin_nested():  # another process may store the same event first
                connection.execute(insert(alerts).values(**_row(alert)))
        except IntegrityError:
            continue
        new.append(alert)
    return new


def recent(connection: Connection, limit: int = 50) -> list[Alert]:
    """The newest alerts, newest first."""
    rows = connection.execute(
        select(alerts).order_by(alerts.c.created_at.desc(), alerts.c.id.desc()).limit(limit)
    ).all()
    return [_alert(row._mapping) for row in rows]


def pending(connection: Connection, channel: str, limit: int = PENDING_LIMIT) -> list[Alert]:
    """Alerts ``channel`` has not delivered (never tried, or failed), oldest first."""
    rows = connection.execute(
        select(alerts).where(_owed(channel)).order_by(alerts.c.created_at, alerts.c.id).limit(limit)
    ).all()
    return [_alert(row._mapping) for row in rows]


def pending_count(connection: Connection, channels: Sequence[str]) -> int:
    """How many (alert, channel) deliveries are still owed on ``channels``."""
    return sum(
        int(connection.execute(select(func.count()).select_from(alerts).where(_owed(c))).scalar_one())
        for c in channels
    )


def claim(connection: Connection, alert_id: str, channel: str) -> bool:
    """Take the alert's delivery on ``channel`` for this process (True), unless it was delivered or
    another process is sending it."""
    now = datetime.now(UTC)
    try:
        with connection.begin_nested():
            connection.execute(
                insert(alert_deliveries).values(
                    alert_id=alert_id, channel=channel, state=SENDING, attempts=0, updated_at=now
                )
            )
        return True
    except IntegrityError:  # tried before: take it only from a failure or a claim gone stale
        taken = connection.execute(
            update(alert_deliveries)
            .where(
                alert_deliveries.c.alert_id == alert_id,
                alert_deliveries.c.channel == channel,
                or_(
                    alert_deliveries.c.state == FAILED,
                    and_(alert_deliveries.c.state == SENDING, alert_deliveries.c.updated_at <= _stale(now)),
                ),
            )
            .values(state=SENDING, updated_at=now)
        )
        return taken.rowcount == 1


def _owed(channel: str) -> ColumnElement[bool]:
    """Not delivered on ``channel``, and not being sent by a live process."""
    done_or_busy = select(alert_deliveries.c.alert_id).where(
        alert_deliveries.c.channel == channel,
        or_(
            alert_deliveries.c.state == SENT,
            and_(
                alert_deliveries.c.state == SENDING,
                alert_deliveries.c.updated_at > _stale(datetime.now(UTC)),
            ),
        ),
    )
    return alerts.c.id.not_in(done_or_busy)


def _stale(now: datetime) -> datetime:
    return now - timedelta(seconds=CLAIM_SECONDS)


def deliveries(connection: Connection, alert_id: str) -> dict[str, tuple[str, str | None]]:
    """Per channel: the state (sent, failed, sending) and the last error of the alert's delivery."""
    rows = connection.execute(
        select(alert_deliveries.c.channel, alert_deliveries.c.state, alert_deliveries.c.error).where(
            alert_deliveries.c.alert_id == alert_id
        )
    ).all()
    return {str(channel): (str(state), error) for channel, state, error in rows}


def record_delivery(connection: Connection, alert_id: str, channel: str, error: str | None) -> None:
    """Note one delivery attempt: ``error`` None means delivered."""
    state = SENT if error is None else FAILED
    now = datetime.now(UTC)
    done = connection.execute(
        update(alert_deliveries)
        .where(alert_deliveries.c.alert_id == alert_id, alert_deliveries.c.channel == channel)
        .values(state=state, error=error, updated_at=now, attempts=alert_deliveries.c.attempts + 1)
    )
    if done.rowcount == 0:
        connection.execute(
            insert(alert_deliveries).values(
                alert_id=alert_id, channel=channel, state=state, error=error, attempts=1, updated_at=now
            )
        )


def _row(alert: Alert) -> dict[str, Any]:
    return {
        "id": alert.id,
        "kind": alert.kind,
        "title": alert.title,
        "summary": alert.summary,
        "link": alert.link,
        "run_id": alert.run_id,
        "created_at": alert.created_at,
        "details": alert.details,
    }


def _alert(row: Any) -> Alert:
    created = row["created_at"]
    if created.tzinfo is None:  # SQLite keeps UTC, naive
        created = created.replace(tzinfo=UTC)
    kind = cast(AlertKind, row["kind"])
    return Alert(
        id=row["id"],
        kind=kind,
        title=row["title"],
        summary=row["summary"],
        link=row["link"],
        created_at=created,
        run_id=row["run_id"],
        details=row["details"] if isinstance(row["details"], dict) else {},
    )
