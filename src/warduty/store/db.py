"""Engines and migrations. SQLite (a file in the data directory) by default, PostgreSQL by URL."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_SQLITE_MAGIC = b"SQLite format 3\x00"


class DatabaseError(RuntimeError):
    """The database cannot be opened or migrated; the message says why."""


def make_engine(url: str, *, create: bool = True) -> Engine:
    """An engine for ``url``; SQLite files get their folder, foreign keys and WAL.

    With ``create=False`` (read commands) a missing SQLite file is an error, and neither the file nor its
    folder is made. Either way a file that is not an SQLite database is refused here, with its path.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"not a database URL: {url!r}") from exc
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            path = Path(parsed.database)
            _check_sqlite_file(path, create)
            if not create and not _writable(path):
                kwargs["creator"] = _read_only_connector(path)
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if parsed.database and parsed.database != ":memory:":
                if create:  # a reader leaves the file as it is (and may not be allowed to write it)
                    cursor.execute("PRAGMA journal_mode=WAL")
                # WAL with NORMAL sync survives a killed process (not a power cut) and commits far faster.
                cursor.execute("PRAGMA synchronous=NORMAL")
                cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    if parsed.get_backend_name() != "postgresql":
        raise DatabaseError(f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL")
    return create_engine(url, pool_pre_ping=True)


def _check_sqlite_file(path: Path, create: bool) -> None:
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a database file")
    if not path.exists():
        if not create:
            raise DatabaseError(f"no database at {path} (create one with `warduty db migrate` or a crawl)")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"cannot create the folder {path.parent}: {exc.strerror or exc}") from exc
        return
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise DatabaseError(f"cannot read the database {path}: {exc.strerror or exc}") from exc
    if head and head != _SQLITE_MAGIC:  # an empty file is a new database to SQLite
        raise DatabaseError(f"{path} is not an SQLite database")


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _read_only_connector(path: Path) -> Callable[[], sqlite3.Connection]:
    """Connections to a database this process may not write (a read-only file or folder). SQLite cannot
    then make the WAL index a reader needs, so the file is opened as immutable; a WAL file still holding
    changes would be ignored that way, so it is refused instead of read without them."""
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise DatabaseError(
            f"the database {path} is read-only here and {wal.name} holds changes not yet merged into it; "
            "open it once with write access (any warduty command that writes) to merge them"
        )
    uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    return connect


def describe_error(error: DBAPIError, url: str | None = None) -> str:
    """One line naming what went wrong with the database (its URL without a password, when known)."""
    original = error.orig if error.orig is not None else error
    first = (str(original).strip().splitlines() or [type(original).__name__])[0]
    where = ""
    if url:
        try:
            where = f" {make_url(url).render_as_string(hide_password=True)}"
        except ArgumentError:
            where = ""
    lowered = first.lower()
    if "readonly database" in lowered or "read-only" in lowered:
        return f"the database{where} is read-only ({first})"
    if isinstance(original, sqlite3.DatabaseError) and "not a database" in lowered:
        return f"the database{where} is not an SQLite database ({first})"
    if "unable to open database file" in lowered:
        return f"cannot open the database{where} ({first}: can its folder be written?)"
    if "connection" in lowered and ("refused" in lowered or "failed" in lowered or "timeout" in lowered):
        return f"cannot connect to the database{where}: {first}"
    return f"database{where}: {first}"


def _alembic_config(engine: Engine) -> Config:
    from alembic.config import Config  # alembic loads when the schema is looked at, not for every command

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, revision: str = "head") -> str | None:
    """Bring the schema to ``revision``; re-applying changes nothing. Returns the revision reached."""
    from alembic import command

    try:
        command.upgrade(_alembic_config(engine), revision)
        return current_revision(engine)
    except DBAPIError as exc:
        raise DatabaseError(describe_error(exc, _shown(engine))) from exc


def require_writable(engine: Engine) -> None:
    """Raise ``DatabaseError`` unless a write transaction can start (before a command changes anything:
    a read-only SQLite file or folder otherwise fails halfway through)."""
    database = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    if database and database != ":memory:" and Path(database).exists() and not _writable(Path(database)):
        # Checked by permission first: with a leftover -wal/-shm a write transaction can still begin.
        raise DatabaseError(
            f"the database {_shown(engine)} is read-only (its file or folder may not be written)"
        )
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                connection.exec_driver_sql("ROLLBACK")
            else:
                read_only = connection.exec_driver_sql("SHOW transaction_read_only").scalar()
                if read_only == "on":
                    raise DatabaseError(f"the database {_shown(engine)} is read-only")
    except DBAPIError as exc:
        raise DatabaseError(describe_error(exc, _shown(engine))) from exc


def _shown(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config(create_engine("sqlite://"))).get_current_head()
