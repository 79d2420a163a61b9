"""The crawl's one database writer: one connection whose transactions hold several pages.

Every page's rows and its task's new state are written by one function on this connection, so they still
change together; a transaction commits several pages at once (the commit and the transaction set-up cost
as much as a page's statements). It commits after ``max_pages`` pages or ``max_delay`` seconds after its
first page, whichever comes first (a timer commits a transaction that no later page ends). A crawl paced
at the live sites' intervals (a page every half second or more) still commits each page on its own; the
demo's crawls, a page every few milliseconds, commit dozens together. (Committing whenever the loop ran a
round with no other page written, as before, committed nearly every page of a paced crawl: the pages
arrive one by one even when they arrive hundreds a second.)
Reads that must see the pages not yet committed (the frontier's pending tasks) run here too.

The functions run on the event loop's own thread, one after the other. Parsing and storing used to run on
a thread of their own (and the archive on another), but under the GIL the threads never ran at once:
the crawl's wall time equalled its CPU time either way, and handing every page across threads cost 13 %
more CPU (docs/benchmarks.md). A page's function blocks the loop for the few milliseconds it takes;
requests wait their turn behind it, which only ever makes them later, never sooner than the pacer allows.

A killed crawl loses at most the pages of the open transaction: their tasks are still pending in the
database and a resumed run fetches them again (the archive then holds them twice, as for any retry).
When a page's function raises, the open transaction is rolled back: the pages before it in the same
transaction become pending again, so the next ``pending`` read hands them out once more. The exception
goes to the caller of that page. Rows the pages' functions hold back to write together (``before_commit``:
the cards' events, acts and article references) are written just before the commit, inside the same
transaction; a failure there goes to the page whose function ended the transaction, or is logged when
the transaction ended on its own (its pages are then pending again).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Connection, Engine

T = TypeVar("T")
log = logging.getLogger(__name__)


class Writer:
    """Runs functions of one connection, in transactions of up to ``max_pages`` writes."""

    def __init__(
        self,
        engine: Engine,
        *,
        max_pages: int = 64,
        max_delay: float = 0.5,
        before_commit: Callable[[Connection], None] = lambda _connection: None,
        after_rollback: Callable[[], None] = lambda: None,
    ) -> None:
        self.engine = engine
        self.max_pages = max_pages
        self.max_delay = max_delay
        self.before_commit = before_commit  # writes what the pages' functions held back for the commit
        self.after_rollback = after_rollback
        self.commits = 0
        self.writes = 0  # pages written
        self._connection: Connection | None = None
        self._pages = 0  # writes in the open transaction
        self._opened = 0.0  # when the open transaction's first page came
        self._timer: asyncio.TimerHandle | None = None  # commits the open transaction at its deadline

    async def write(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in the open transaction; it counts as one page towards the next commit."""
        return self._run(work, writes=True)

    async def read(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` on the writer's connection: it sees every page written so far, committed or not."""
        return self._run(work, writes=False)

    def close(self) -> None:
        """Commit what is open and close the connection."""
        if self._connection is None:
            return
        self._commit_quietly()
        self._connection.close()
        self._connection = None

    def _run(self, work: Callable[[Connection], T], *, writes: bool) -> T:
        if self._connection is None:
            self._connection = self.engine.connect()
        connection = self._connection
        if not connection.in_transaction():
            self._opened = time.monotonic()
        try:
            result = work(connection)
            if writes:
                self._pages += 1
                self.writes += 1
            # A read between transactions ends it at once, not to hold a snapshot.
            ending = self._pages == 0 or self._pages >= self.max_pages
            if ending or time.monotonic() - self._opened >= self.max_delay:
                self._commit()
            else:
                self._commit_by_deadline()
        except BaseException:  # the page's own error, or its transaction's at the commit
            self._roll_back()
            raise
        return result

    def _commit_by_deadline(self) -> None:
        """Commit the open transaction ``max_delay`` seconds after its first page unless it ends sooner."""
        if self._timer is None:
            delay = max(0.0, self._opened + self.max_delay - time.monotonic())
            self._timer = asyncio.get_running_loop().call_later(delay, self._deadline)

    def _deadline(self) -> None:
        self._timer = None
        if self._connection is not None and self._pages:
            self._commit_quietly()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _commit(self) -> None:
        """Commit the open transaction (if any); the writes now open: none."""
        self._stop_timer()
        connection = self._connection
        if connection is not None and connection.in_transaction():
            self.before_commit(connection)
            connection.commit()
            self.commits += self._pages > 0  # transactions that wrote pages, not reads between them
        self._pages = 0

    def _commit_quietly(self) -> None:
        """:meth:`_commit` with no page to tell of a failure: it is logged, and the transaction's pages,
        rolled back, are pending again for the next read of the frontier."""
        try:
            self._commit()
        except Exception:
            log.exception(
                "a transaction of %d pages could not be committed; they are pending again", self._pages
            )
            self._roll_back()

    def _roll_back(self) -> None:
        self._stop_timer()
        if self._connection is not None and self._connection.in_transaction():
            self._connection.rollback()
        self._pages = 0
        self.after_rollback()
