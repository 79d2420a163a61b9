"""The crawl's one database writer: a thread with one connection whose transactions hold several pages.

Every page's rows and its task's new state are written by one function on this thread, so they still
change together; what changes is that a transaction commits several pages at once (the commit and the
transaction set-up cost as much as a page's statements). It commits when no other page waits, after
``max_pages`` pages, or ``max_delay`` seconds after its first page, whichever comes first; a polite crawl
whose pages arrive one by one commits each page as before. Reads that must see the pages not yet
committed (the frontier's pending tasks) run here too.

A killed crawl loses at most the pages of the open transaction: their tasks are still pending in the
database and a resumed run fetches them again (the archive then holds them twice, as for any retry).
When a page's function raises, the open transaction is rolled back: the pages before it in the same
transaction become pending again, so the next ``pending`` read hands them out once more. The exception
goes to the caller of that page. Rows the pages' functions hold back to write together (``before_commit``:
the cards' events, acts and article references) are written just before the commit, inside the same
transaction; a failure there goes to the page whose function ended the transaction.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine

T = TypeVar("T")
log = logging.getLogger(__name__)

_STOP = object()


class Writer:
    """Runs functions of a connection on one thread, in transactions of up to ``max_pages`` writes."""

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
        self.before_commit = before_commit  # writes what the pages' functions held back for the commit
        self.after_rollback = after_rollback
        self.max_pages = max_pages
        self.max_delay = max_delay
        self.commits = 0
        self.writes = 0
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._work, name="warduty-writer", daemon=True)
        self._thread.start()

    async def write(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in the open transaction; it counts as one page towards the next commit."""
        return await asyncio.wrap_future(self._submit(work, writes=True))

    async def read(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` on the writer's connection: it sees every page written so far, committed or not."""
        return await asyncio.wrap_future(self._submit(work, writes=False))

    def _submit(self, work: Callable[[Connection], T], *, writes: bool = True) -> Future[T]:
        future: Future[T] = Future()
        self._queue.put((work, writes, future))
        return future

    def close(self) -> None:
        """Commit what is open and stop the thread (waits for the pages already submitted)."""
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join()

    def _work(self) -> None:
        with self.engine.connect() as connection:
            pages = 0  # writes in the open transaction
            opened = 0.0
            while True:
                try:
                    item = self._queue.get(timeout=self.max_delay) if pages else self._queue.get()
                except queue.Empty:
                    pages = self._commit_between_pages(connection, pages)
                    continue
                if item is _STOP:
                    self._commit_between_pages(connection, pages)
                    return
                work, writes, future = item
                if not future.set_running_or_notify_cancel():
                    continue
                if not connection.in_transaction():
                    opened = time.monotonic()
                try:
                    result = work(connection)
                    pages += writes
                    if (
                        pages == 0  # a read between transactions: end it, not to hold a snapshot
                        or self._queue.empty()
                        or pages >= self.max_pages
                        or time.monotonic() - opened >= self.max_delay
                    ):
                        pages = self._commit(connection, pages)
                except BaseException as exc:  # the page's own error, or its transaction's at the commit
                    self._roll_back(connection)
                    pages = 0
                    future.set_exception(exc)
                    continue
                self.writes += writes
                future.set_result(result)

    def _commit(self, connection: Connection, pages: int) -> int:
        """Commit the open transaction (if any) holding ``pages`` writes; the writes now open: none."""
        if connection.in_transaction():
            self.before_commit(connection)
            connection.commit()
            self.commits += pages > 0  # transactions that wrote pages, not reads between them
        return 0

    def _commit_between_pages(self, connection: Connection, pages: int) -> int:
        """:meth:`_commit` with no page to tell of a failure: it is logged, and the transaction's pages,
        rolled back, are pending again for the next read of the frontier."""
        try:
            return self._commit(connection, pages)
        except Exception:
            log.exception("a transaction of %d pages could not be committed; they are pending again", pages)
            self._roll_back(connection)
            return 0

    def _roll_back(self, connection: Connection) -> None:
        if connection.in_transaction():
            connection.rollback()
        self.after_rollback()
