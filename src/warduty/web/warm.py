"""Keeps the derived figures warm: computes them in a background thread when the server starts and
again whenever the data version changes (a run started or finished here or in another process), so no
visitor waits for the first overview after a crawl."""

from __future__ import annotations

import logging
import threading

from warduty.web.context import WebContext

log = logging.getLogger(__name__)
POLL_SECONDS = 5.0


class Warmer:
    """One daemon thread: warm now, then after every change of the data version (checked every
    ``poll`` seconds, or at once after :meth:`poke`)."""

    def __init__(self, context: WebContext, poll: float = POLL_SECONDS) -> None:
        self.context = context
        self.poll = poll
        self.warmed: tuple[object, ...] | None = None  # the data version last warmed
        self.rounds = 0
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._idle = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self.context.cache.serve_stale = True  # this thread computes the new figures
            self._thread = threading.Thread(target=self._loop, name="warduty-warm", daemon=True)
            self._thread.start()

    def poke(self) -> None:
        """Look at the data version now (after a run this server started)."""
        self._idle.clear()
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        self.context.cache.serve_stale = False
        if self._thread is not None:
            self._thread.join(timeout)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until the figures of the current data version are warm (for tests and benchmarks)."""
        return self._idle.wait(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                version = self.context.version()
                if version != self.warmed:
                    self.context.warm()
                    self.warmed, self.rounds = version, self.rounds + 1
                    log.info("figures warmed for data version %s", version)
            except Exception:  # a bad moment (database locked, being migrated): try again later
                log.exception("warming the figures failed")
            else:
                if not self._wake.is_set():
                    self._idle.set()
            self._wake.wait(self.poll)
