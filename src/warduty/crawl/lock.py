"""One crawl per database at a time, with a lock that dies with its process.

PostgreSQL: a session-level advisory lock held on a dedicated connection for the crawl's lifetime; the
server drops it when that connection ends, however the process ended. The holder is described in the
connection's ``application_name``. SQLite: an OS file lock (``flock``) on ``<database>.crawl.lock``
beside the database file, which the kernel releases when the process dies; the holder's pid, host, run
and start time are written inside. A memory database belongs to one process and needs no lock.

Two crawls on one database would each mark missing the cases the other saw, and together break the
per-host interval (issue 16).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.pool import NullPool

# pg_try_advisory_lock(bigint): a fixed key ('ward'); advisory locks are scoped to one database.
_PG_KEY = 0x77617264
_APP_NAME = re.compile(r"^warduty crawl (?P<pid>\d+)@(?P<host>\S*)(?: run (?P<run>\d+))?$")


@dataclass(frozen=True, slots=True)
class LockHolder:
    """Who holds a database's crawl lock; fields are None where the lock does not say."""

    pid: int | None
    host: str | None
    run_id: int | None
    since: datetime | None

    def describe(self) -> str:
        who = f"pid {self.pid}" if self.pid is not None else "an unknown process"
        parts = [who + (f" on {self.host}" if self.host else "")]
        parts.append(f"run {self.run_id}" if self.run_id is not None else "no run yet")
        if self.since is not None:
            parts.append(f"since {self.since.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC")
        return ", ".join(parts)


class CrawlLocked(RuntimeError):
    """Another crawl holds the database's lock; the message names it."""

    def __init__(self, holder: LockHolder) -> None:
        super().__init__(f"another crawl is running on this database: {holder.describe()}")
        self.holder = holder


class CrawlLock:
    """``acquire()`` or raise :class:`CrawlLocked`; ``set_run()`` once the run row exists; ``release()``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._since = datetime.now(UTC)
        self._file: IO[str] | None = None
        self._connection: Connection | None = None
        self.path = lock_path(engine)

    def acquire(self) -> None:
        self._since = datetime.now(UTC)
        if self.engine.dialect.name == "postgresql":
            self._acquire_postgres()
        elif self.path is not None:
            self._acquire_file(self.path)

    def set_run(self, run_id: int) -> None:
        """Name the run in the lock, so a refused crawl can say which run holds it."""
        self._describe(run_id)

    def release(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):  # a broken connection has dropped the lock already
                self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _PG_KEY})
            with contextlib.suppress(Exception):
                self._connection.close()
            self._connection = None
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.truncate(0)
            self._file.close()  # closing the descriptor releases the flock
            self._file = None

    def __enter__(self) -> CrawlLock:
        self.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()

    # -- PostgreSQL ------------------------------------------------------------------------------------

    def _acquire_postgres(self) -> None:
        # A connection of its own, outside the pool: it lives exactly as long as the lock, so the
        # server's backend_start for it is when the lock was taken.
        dedicated = create_engine(self.engine.url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        connection = dedicated.connect()
        try:
            taken = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": _PG_KEY}).scalar()
        except BaseException:
            connection.close()
            raise
        if not taken:
            holder = _postgres_holder(connection)
            connection.close()
            raise CrawlLocked(holder or LockHolder(None, None, None, None))
        self._connection = connection
        self._describe(None)

    # -- SQLite file -----------------------------------------------------------------------------------

    def _acquire_file(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = _parse_file(handle.read())
            handle.close()
            raise CrawlLocked(holder) from None
        except BaseException:
            handle.close()
            raise
        self._file = handle
        self._describe(None)

    def _describe(self, run_id: int | None) -> None:
        pid, host = os.getpid(), socket.gethostname()
        if self._connection is not None:
            name = f"warduty crawl {pid}@{host}" + (f" run {run_id}" if run_id is not None else "")
            if len(name) > 63:  # PostgreSQL keeps 63 bytes of an application_name
                name = f"warduty crawl {pid}@" + (f" run {run_id}" if run_id is not None else "")
            self._connection.execute(
                text("SELECT set_config('application_name', :name, false)"), {"name": name}
            )
        if self._file is not None:
            info = {"pid": pid, "host": host, "run": run_id, "since": self._since.isoformat()}
            self._file.seek(0)
            self._file.truncate(0)
            self._file.write(json.dumps(info) + "\n")
            self._file.flush()


def lock_path(engine: Engine) -> Path | None:
    """``<database>.crawl.lock`` for an SQLite file; None for PostgreSQL and memory databases."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).with_name(Path(database).name + ".crawl.lock")


def current_holder(engine: Engine) -> LockHolder | None:
    """Who holds the crawl lock now (None: nobody). Creates no file; on SQLite it takes a shared lock for
    an instant, which can refuse a crawl starting in that instant, never one already running."""
    if engine.dialect.name == "postgresql":
        with (
            engine.connect() as connection
        ):  # reads pg_locks: trying the lock could refuse a crawl starting now
            return _postgres_holder(connection)
    path = lock_path(engine)
    if path is None or not path.exists():
        return None
    with path.open("r", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _parse_file(handle.read())
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    return None


def _postgres_holder(connection: Connection) -> LockHolder | None:
    row = connection.execute(
        text(
            "SELECT a.application_name, a.backend_start, a.client_addr::text AS client"
            " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = :key"
            " AND l.objsubid = 1"
            " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        ),
        {"key": _PG_KEY},
    ).first()
    if row is None:
        return None
    since = row.backend_start if isinstance(row.backend_start, datetime) else None
    found = _APP_NAME.match(row.application_name or "")
    if found is None:
        return LockHolder(None, row.client, None, since)
    run = found["run"]
    return LockHolder(int(found["pid"]), found["host"] or row.client, int(run) if run else None, since)


def _parse_file(content: str) -> LockHolder:
    try:
        info: Any = json.loads(content)
    except ValueError:
        info = None
    if not isinstance(info, dict):
        return LockHolder(None, None, None, None)
    since = None
    with contextlib.suppress(TypeError, ValueError):
        since = datetime.fromisoformat(str(info.get("since")))
    pid, run, host = info.get("pid"), info.get("run"), info.get("host")
    return LockHolder(
        pid if isinstance(pid, int) else None,
        host if isinstance(host, str) else None,
        run if isinstance(run, int) else None,
        since,
    )
