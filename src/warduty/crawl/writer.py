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
goes to the caller of that page.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine

T = TypeVar("T")

_STOP = object()


class Writer:
    """Runs functions of a connection on one thread, in transactions of up to ``max_pages`` writes."""

    def __init__(self, engine: Engine, *, max_pages: int = 64, max_delay: float = 0.5) -> None:
        self.engine = engine
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
                    pages = self._commit(connection, pages)
                    continue
                if item is _STOP:
                    self._commit(connection, pages)
                    return
                work, writes, future = item
                if not future.set_running_or_notify_cancel():
                    continue
                if not connection.in_transaction():
                    opened = time.monotonic()
                try:
                    result = work(connection)
                except BaseException as exc:
                    if connection.in_transaction():
                        connection.rollback()
                    pages = 0
                    future.set_exception(exc)
                    continue
                if writes:
                    pages += 1
                    self.writes += 1
                if (
                    pages == 0  # a read between transactions: end it, not to hold a snapshot
                    or self._queue.empty()
                    or pages >= self.max_pages
                    or time.monotonic() - opened >= self.max_delay
                ):
                    pages = self._commit(connection, pages)
                future.set_result(result)

    def _commit(self, connection: Connection, pages: int) -> int:
        """Commit the open transaction (if any) holding ``pages`` writes; the writes now open: none."""
        if connection.in_transaction():
            connection.commit()
            self.commits += pages > 0  # transactions that wrote pages, not reads between them
        return 0
