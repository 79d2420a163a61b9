"""Opening the store for a job that writes: the engine, checked writable, migrated, courts loaded."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from warduty.courts import CourtRegistry, load_registry
from warduty.store import UpsertResult, make_engine, migrate, require_writable, sync_courts


@dataclass(frozen=True, slots=True)
class OpenedStore:
    engine: Engine
    revision: str | None  # the schema revision reached
    courts: UpsertResult  # what loading the court registry changed


def prepare_store(engine: Engine, registry: CourtRegistry | None = None) -> OpenedStore:
    """Migrate ``engine``'s database to the newest schema and load the court registry into it."""
    revision = migrate(engine)
    with engine.begin() as connection:
        courts = sync_courts(connection, registry or load_registry())
    return OpenedStore(engine, revision, courts)


def open_store(database_url: str, registry: CourtRegistry | None = None) -> OpenedStore:
    """The database at ``database_url`` (created if it is a new SQLite file), ready to be written.

    Raises ``DatabaseError`` before changing anything when it cannot be written."""
    engine = make_engine(database_url)
    require_writable(engine)
    return prepare_store(engine, registry)


def require_database(database_url: str) -> None:
    """Raise ``DatabaseError`` unless a database is at ``database_url``; creates nothing (for read jobs,
    before they make anything else, such as the deployment's pseudonym secret)."""
    make_engine(database_url, create=False).dispose()
