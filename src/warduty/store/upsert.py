"""Idempotent upserts keyed on natural keys, for SQLite and PostgreSQL alike.

A row whose values equal the stored ones is left alone, so running the same load twice changes nothing
(not even ``changed_run`` stamps that a caller passes in ``touch``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Connection, Table, and_, bindparam, cast, func, or_, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import JSONB

from warduty.store import driver

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


def insert_for(name: str, table: Table) -> Any:
    """An INSERT that knows ON CONFLICT, for the dialect called ``name``."""
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


def upsert_quietly(
    connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]], key: Sequence[str]
) -> None:
    """:func:`upsert` for a caller that need not know what changed: one executemany of a statement
    that returns nothing, so neither the stored keys nor the changed rows are read back (the crawler's
    events, acts and article references of every card)."""
    if not rows:
        return
    key_of = itemgetter(*key)
    unique = list({key_of(row): row for row in rows}.values())  # the last one wins
    columns = _columns(unique, key)
    statement = _statement(connection.dialect.name, table, columns, tuple(key), quiet=True)
    driver.execute_many(connection, statement, unique)


def upsert_returning(
    connection: Connection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    key: Sequence[str],
    returning: Sequence[str],
    *,
    touch: Mapping[str, Any] | None = None,
    fill: Mapping[str, Any] | None = None,
) -> list[tuple[Any, ...]]:
    """:func:`upsert` for the crawler's few rows at a time (one driver call a row, see store/driver.py),
    returning the ``returning`` columns, as tuples, of the rows inserted or really changed (an equal
    stored row returns nothing).

    ``fill`` holds columns set on insert, and on update only where the stored value is still NULL (e.g. the
    run that first saw a case); like ``touch``, they are not compared.
    """
    extra = {**(touch or {}), **(fill or {})}
    batch = [{**row, **extra} for row in rows]
    if not batch:
        return []
    statement = _statement(
        connection.dialect.name,
        table,
        _columns(batch, key),
        tuple(key),
        frozenset(touch or ()),
        tuple(returning),
        frozenset(fill or ()),
    )
    stored: list[tuple[Any, ...]] = []
    for row in batch:
        stored += driver.execute(connection, statement, row)
    return stored


def _columns(batch: Sequence[Mapping[str, Any]], key: Sequence[str]) -> tuple[str, ...]:
    """The one shape of the rows of an upsert, which must hold the key."""
    columns = tuple(batch[0])
    if any(tuple(row) != columns for row in batch):
        raise ValueError("every row of one upsert must have the same columns")
    missing = [k for k in key if k not in columns]
    if missing:
        raise ValueError(f"rows lack key column(s) {missing}")
    return columns


def _upsert_batch(
    connection: Connection,
    table: Table,
    batch: list[dict[str, Any]],
    key: Sequence[str],
    touched: set[str],
) -> UpsertResult:
    columns = _columns(batch, key)
    # Rows repeated within the batch: the last one wins, as a sequence of single upserts would do.
    unique = {tuple(row[k] for k in key): row for row in batch}
    rows = list(unique.values())
    statement = _statement(connection.dialect.name, table, columns, tuple(key), frozenset(touched))
    key_cols = [table.c[k] for k in key]
    if len(unique) == 1:
        (only,) = unique
        found = connection.execute(_existing_one(table, tuple(key)), dict(zip(key, only, strict=True)))
    else:
        found = connection.execute(select(*key_cols).where(_key_filter(key_cols, list(unique))))
    existing = {tuple(r) for r in found}
    # executemany with a cached statement: building a fresh multi-row VALUES clause for every call cost
    # more than running it (measured: two thirds of the crawler's time in store_card).
    affected = {tuple(r) for r in connection.execute(statement, rows)}
    inserted = len(affected - existing)
    updated = len(affected & existing)
    return UpsertResult(inserted=inserted, updated=updated, unchanged=len(rows) - inserted - updated)


@lru_cache(maxsize=256)
def _statement(
    dialect: str,
    table: Table,
    columns: tuple[str, ...],
    key: tuple[str, ...],
    touched: frozenset[str] = frozenset(),
    returning: tuple[str, ...] = (),
    filled: frozenset[str] = frozenset(),
    *,
    quiet: bool = False,
) -> Any:
    """INSERT .. ON CONFLICT DO UPDATE (only rows whose compared values differ) .. RETURNING the key (or
    ``returning``; nothing when ``quiet``). ``filled`` columns are updated only where the stored value is
    NULL."""
    statement = insert_for(dialect, table)
    excluded = statement.excluded
    key_cols = [table.c[k] for k in key]
    compared = [c for c in columns if c not in key and c not in touched and c not in filled]
    if compared:
        set_ = {c: excluded[c] for c in columns if c not in key and c not in filled}
        set_ |= {c: func.coalesce(table.c[c], excluded[c]) for c in filled}
        statement = statement.on_conflict_do_update(
            index_elements=key_cols,
            set_=set_,
            where=or_(*[_differs(dialect, table.c[c], excluded[c]) for c in compared]),
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=key_cols)
    if quiet:
        return statement
    return statement.returning(*([table.c[c] for c in returning] or key_cols))


def _differs(dialect: str, stored: Any, incoming: Any) -> Any:
    # PostgreSQL has no equality on json; jsonb compares the values, not their spelling.
    if dialect == "postgresql" and isinstance(stored.type, JSON):
        return cast(stored, JSONB).is_distinct_from(cast(incoming, JSONB))
    return stored.is_distinct_from(incoming)


@lru_cache(maxsize=256)
def _existing_one(table: Table, key: tuple[str, ...]) -> Any:
    return select(*[table.c[k] for k in key]).where(and_(*[table.c[k] == bindparam(k) for k in key]))


def _key_filter(key_cols: list[Any], keys: list[tuple[Any, ...]]) -> Any:
    """A WHERE clause for these keys that lets SQLite use the unique index (a bare tuple IN does not)."""
    leading = key_cols[0].in_(sorted({k[0] for k in keys}, key=repr))
    return and_(leading, tuple_(*key_cols).in_(keys))
