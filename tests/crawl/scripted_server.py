"""A tiny scripted HTTP server on 127.0.0.1 for client tests: each path answers from a queue of replies."""

from __future__ import annotations

import sys
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False  # close the connection without answering
    truncate: bool = False  # promise more bytes than are sent


@dataclass
class Hit:
    path: str
    host: str
    at: float
    user_agent: str


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # A client that stops reading (the size cap) or hangs up mid-answer is what several tests do.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class ScriptedServer:
    def __init__(self) -> None:
        self.replies: dict[str, deque[Reply]] = defaultdict(deque)
        self.hits: list[Hit] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: object) -> None:
                pass

            def do_GET(self) -> None:
                server.hits.append(
                    Hit(
                        self.path,
                        self.headers.get("Host", ""),
                        time.monotonic(),
                        self.headers.get("User-Agent", ""),
                    )
                )
                queue = server.replies.get(self.path)
                reply = (
                    queue.popleft()
                    if queue and len(queue) > 1
                    else (queue[0] if queue else Reply(404, b"nf"))
                )
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    self.connection.close()
                    return
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                length = len(reply.body) + (1000 if reply.truncate else 0)
                self.send_header("Content-Length", str(length))
                if reply.truncate:
                    self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(reply.body)
                if reply.truncate:
                    self.close_connection = True

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def next_reply(self, path: str) -> Reply:
        """Replies are used in order; the last one repeats."""
        queue = self.replies.get(path)
        if not queue:
            return Reply(404, b"not found")
        return queue.popleft() if len(queue) > 1 else queue[0]

    def script(self, path: str, *replies: Reply) -> None:
        self.replies[path] = deque(replies)

    def __enter__(self) -> ScriptedServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
