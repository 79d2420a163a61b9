"""Push channels: a signed JSON webhook and e-mail over SMTP. Each sends a batch of alerts and answers,
per alert, None (delivered) or the error; a channel never raises for a receiver that is down or refuses.

The webhook signs every body: ``X-Warduty-Timestamp`` (Unix seconds) and ``X-Warduty-Signature:
sha256=<hex>``, the HMAC-SHA256 under the shared secret of ``<timestamp>.<body>``. A receiver checks it
with :func:`verify_signature` (or the same four lines in its own language) and refuses a timestamp
older than a few minutes, so a captured request cannot be replayed.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import smtplib
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Protocol

from warduty.alerts.model import Alert, absolute_link

SIGNATURE_HEADER = "X-Warduty-Signature"
TIMESTAMP_HEADER = "X-Warduty-Timestamp"
REPLAY_WINDOW = 300  # seconds a receiver should accept a timestamp for
USER_AGENT = "warduty-alerts/1"

# No proxy from the environment: settings come from warduty.config only.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

Outcome = dict[str, str | None]  # alert id -> None (delivered) or the error


class Channel(Protocol):
    @property
    def name(self) -> str: ...

    def send(self, batch: Sequence[Alert]) -> Outcome: ...


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for ``body`` sent at ``timestamp``."""
    message = str(timestamp).encode("ascii") + b"." + body
    return "sha256=" + hmac.digest(secret.encode("utf-8"), message, "sha256").hex()


def verify_signature(
    secret: str, timestamp: str, body: bytes, signature: str, *, now: float | None = None
) -> bool:
    """A receiver's check: the signature matches and the timestamp is within :data:`REPLAY_WINDOW`."""
    try:
        stamp = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - stamp) > REPLAY_WINDOW:
        return False
    return hmac.compare_digest(sign(secret, stamp, body), signature)


@dataclass(frozen=True, slots=True)
class WebhookChannel:
    """POST each alert as JSON to ``url``, signed with ``secret``; 2xx is delivered."""

    url: str
    secret: str
    timeout: float
    base_url: str = ""
    name: str = "webhook"

    def send(self, batch: Sequence[Alert]) -> Outcome:
        return {alert.id: self._post(alert) for alert in batch}

    def _post(self, alert: Alert) -> str | None:
        body = json.dumps(alert.to_dict(self.base_url), ensure_ascii=False).encode("utf-8")
        stamp = int(time.time())
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": USER_AGENT,
                TIMESTAMP_HEADER: str(stamp),
                SIGNATURE_HEADER: sign(self.secret, stamp, body),
            },
        )
        try:
            with _OPENER.open(request, timeout=self.timeout) as response:
                response.read(65536)
                return None
        except urllib.error.HTTPError as exc:
            return f"webhook answered HTTP {exc.code}"
        except (urllib.error.URLError, OSError) as exc:  # refused, unreachable, timed out
            reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
            return f"webhook unreachable: {reason}"


@dataclass(frozen=True, slots=True)
class EmailChannel:
    """One e-mail per alert to ``recipients`` through an SMTP server (STARTTLS when asked; SMTPS on
    port 465)."""

    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    timeout: float
    user: str = ""
    password: str = ""
    starttls: bool = True
    base_url: str = ""
    name: str = "email"

    def send(self, batch: Sequence[Alert]) -> Outcome:
        if not batch:
            return {}
        try:
            server = self._connect()
        except (smtplib.SMTPException, OSError) as exc:
            error = f"SMTP server {self.host}:{self.port}: {_smtp_error(exc)}"
            return {alert.id: error for alert in batch}
        outcome: Outcome = {}
        try:
            for alert in batch:
                try:
                    refused = server.send_message(self.message(alert))
                    outcome[alert.id] = f"refused recipients: {', '.join(refused)}" if refused else None
                except (smtplib.SMTPException, OSError) as exc:
                    outcome[alert.id] = f"SMTP server {self.host}:{self.port}: {_smtp_error(exc)}"
        finally:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                server.quit()
        return outcome

    def message(self, alert: Alert) -> EmailMessage:
        message = EmailMessage()
        message["Subject"] = f"[warduty] {alert.title}"
        message["From"] = self.sender
        message["To"] = ", ".join(self.recipients)
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain="warduty")
        message["X-Warduty-Alert-Id"] = alert.id
        link = absolute_link(alert.link, self.base_url)
        lines = [alert.summary, "", f"Evidence: {link}"]
        if alert.run_id is not None:
            lines.append(f"Run: {alert.run_id}")
        lines += ["", f"Alert {alert.id}, {alert.created_at:%Y-%m-%d %H:%M} UTC. Sent by warduty."]
        message.set_content("\n".join(lines))
        return message

    def _connect(self) -> smtplib.SMTP:
        server: smtplib.SMTP
        if self.port == 465:
            server = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout)
        else:
            server = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.starttls:
                server.starttls(context=ssl.create_default_context())
        if self.user:
            server.login(self.user, self.password)
        return server


def _smtp_error(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = [f"{who} ({code} {_text(reply)})" for who, (code, reply) in exc.recipients.items()]
        return "recipients refused: " + ", ".join(refused)
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return str(exc) or type(exc).__name__


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
