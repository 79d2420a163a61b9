"""Real local peers for the alert channels: an SMTP server (aiosmtpd) and a webhook receiver, on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

from aiosmtpd.controller import Controller

from warduty.alerts.channels import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify_signature

WebhookMode = Literal["ok", "error", "hang"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Mailbox:
    """What the SMTP server received; ``refuse``: answer 550 to every recipient."""

    messages: list[Message] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    refuse: bool = False

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.refuse:
            return "550 5.7.1 relaying denied"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted"


@contextmanager
def smtp_server(refuse: bool = False) -> Iterator[tuple[int, Mailbox]]:
    mailbox = Mailbox(refuse=refuse)
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, mailbox
    finally:
        controller.stop()


@dataclass
class Received:
    body: dict[str, Any]
    verified: bool
    headers: dict[str, str]


class _Receiver(ThreadingHTTPServer):
    daemon_threads = True
    mode: WebhookMode = "ok"
    secret = ""
    received: list[Received]
    hang_seconds = 5.0


class _Handler(BaseHTTPRequestHandler):
    server: _Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.server.mode == "hang":
            time.sleep(self.server.hang_seconds)
            return
        verified = verify_signature(
            self.server.secret,
            self.headers.get(TIMESTAMP_HEADER, ""),
            body,
            self.headers.get(SIGNATURE_HEADER, ""),
        )
        if self.server.mode == "error":
            self.send_response(500)
            self.end_headers()
            return
        self.server.received.append(Received(json.loads(body), verified, dict(self.headers.items())))
        self.send_response(204 if verified else 401)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def webhook_receiver(secret: str, mode: WebhookMode = "ok") -> Iterator[_Receiver]:
    server = _Receiver(("127.0.0.1", 0), _Handler)
    server.mode, server.secret, server.received = mode, secret, []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def url_of(server: _Receiver) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/hook"
