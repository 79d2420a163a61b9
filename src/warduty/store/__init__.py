"""Storage: SQLAlchemy Core schema, Alembic migrations, idempotent upserts."""

from warduty.store.db import DatabaseError, current_revision, head_revision, make_engine, migrate
from warduty.store.registry import sync_courts
from warduty.store.upsert import UpsertResult, upsert

__all__ = [
    "DatabaseError",
    "UpsertResult",
    "current_revision",
    "head_revision",
    "make_engine",
    "migrate",
    "sync_courts",
    "upsert",
]
