"""Storage: SQLAlchemy Core schema, Alembic migrations, idempotent upserts."""

from warduty.store.db import (
    DatabaseError,
    current_revision,
    describe_error,
    head_revision,
    make_engine,
    migrate,
    require_writable,
)
from warduty.store.registry import sync_courts
from warduty.store.upsert import UpsertResult, upsert, upsert_quietly

__all__ = [
    "DatabaseError",
    "UpsertResult",
    "current_revision",
    "describe_error",
    "head_revision",
    "make_engine",
    "migrate",
    "require_writable",
    "sync_courts",
    "upsert",
    "upsert_quietly",
]
