"""Idempotent upserts keyed on natural keys, for SQLite and PostgreSQL alike.

A row whose values equal the stored ones is left alone, so running the same load twice changes nothing
(not even ``changed_run`` stamps that a caller passes in ``touch``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, or_, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite

BATCH = 400


@dataclass(frozen=True, slots=True)
class UpsertResult:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: UpsertResult) -> UpsertResult:
        return UpsertResult(
            self.inserted + other.inserted, self.updated + other.updated, self.unchanged + other.unchanged
        )


def dialect_insert(connection: Connection, table: Table) -> Any:
    """An INSERT that knows ON CONFLICT, for the connection's dialect."""
    name = connection.dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise ValueError(f"upsert is not supported on {name}")


def upsert(
    connection: Connection,
    table: Table,
    rows: Iterable[Mapping[str, Any]],
    key: Sequence[str],
    *,
    touch: Mapping[str, Any] | None = None,
) -> UpsertResult:
    """Insert rows, or update the stored row with the same ``key`` where any compared value differs.

    ``touch`` holds columns set only when a row is inserted or really changes (e.g. ``changed_run``);
    they are not compared. Every row must have the same columns.
    """
    total = UpsertResult()
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append({**row, **(touch or {})})
        if len(batch) >= BATCH:
            total += _upsert_batch(connection, table, batch, key, set(touch or ()))
            batch = []
    if batch:
        total += _upsert_batch(connection, table, batch, key, set(touch or ()))
    return total


def _upsert_batch(
    connection: Connection,
    table: Table,
    batch: list[dict[str, Any]],
    key: Sequence[str],
    touched: set[str],
) -> UpsertResult:
    columns = list(batch[0])
    if any(list(row) != columns for row in batch):
        raise ValueError("every row of one upsert must have the same columns")
    missing = [k for k in key if k not in columns]
    if missing:
        raise ValueError(f"rows lack key column(s) {missing}")
    # Rows repeated within the batch: the last one wins, as a sequence of single upserts would do.
    unique = {tuple(row[k] for k in key): row for row in batch}
    rows = list(unique.values())
    key_cols = [table.c[k] for k in key]
    existing = {
        tuple(r) for r in connection.execute(select(*key_cols).where(tuple_(*key_cols).in_(list(unique))))
    }
    compared = [c for c in columns if c not in key and c not in touched]
    statement = dialect_insert(connection, table).values(rows)
    excluded = statement.excluded
    if compared:
        statement = statement.on_conflict_do_update(
            index_elements=key_cols,
            set_={c: excluded[c] for c in columns if c not in key},
            where=or_(*[table.c[c].is_distinct_from(excluded[c]) for c in compared]),
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=key_cols)
    affected = {tuple(r) for r in connection.execute(statement.returning(*key_cols))}
    inserted = len(affected - existing)
    updated = len(affected & existing)
    return UpsertResult(inserted=inserted, updated=updated, unchanged=len(rows) - inserted - updated)
