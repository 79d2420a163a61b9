"""Hot statements run on the database driver: compiled by SQLAlchemy once, executed without its per-call work.

On every ``Connection.execute`` SQLAlchemy's Core spends about 15 µs of Python beyond the driver's own work
(its compiled-statement cache, the parameters built column by column, the result object): the crawler
runs four statements a page, and that was a sixth of its CPU (docs/benchmarks.md, "Crawler CPU").
:func:`execute` and :func:`execute_many` run a Core statement compiled once per dialect by SQLAlchemy,
with the row's values converted by the same bind processors SQLAlchemy would use, on the driver
connection inside the :class:`~sqlalchemy.Connection`'s own transaction. Driver errors are raised as
SQLAlchemy's (``IntegrityError``, ``OperationalError``, ...), as ``Connection.execute`` raises them.

For statements built once (module constants, cached builders: a statement built per call would be
compiled per call) of plain bound values only (INSERT/UPDATE/SELECT of a few columns), whose rows
(RETURNING, SELECT) need no conversion on reading (ids, numbers, text): the driver's rows are returned as
it gives them. Expanding ``IN`` lists, values rendered into the SQL, Python-side column defaults and returned
columns that SQLAlchemy would convert (JSON, dates on SQLite) are refused when the statement is compiled.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class _Slot:
    """One parameter of a compiled statement: a value of the row (its key, converted by the processor),
    or, for a value written into the statement itself (``column == 5``), that value, converted once."""

    key: str | None
    process: Processor | None
    fixed: Any = None


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    slots: tuple[_Slot, ...]  # in the order of the statement's parameters
    names: tuple[str, ...]  # the parameters' names in the SQL (named paramstyles)
    positional: bool

    def parameters(self, row: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        values = [
            slot.fixed
            if slot.key is None
            else row[slot.key]
            if slot.process is None
            else slot.process(row[slot.key])
            for slot in self.slots
        ]
        return tuple(values) if self.positional else dict(zip(self.names, values, strict=True))


@lru_cache(maxsize=512)
def _compiled(statement: Executable, dialect: Dialect, columns: tuple[str, ...]) -> _Compiled:
    compiled = statement.compile(dialect=dialect, column_keys=list(columns))  # type: ignore[attr-defined]
    assert isinstance(compiled, SQLCompiler)
    if compiled.literal_execute_params or compiled.post_compile_params:
        raise ValueError("a statement with expanding or literal parameters cannot run on the driver")
    if compiled.insert_prefetch or compiled.update_prefetch:
        # Python-side column defaults are SQLAlchemy's to fill in at execution: give every value instead.
        missing = [c.key for c in (*compiled.insert_prefetch, *compiled.update_prefetch)]
        raise ValueError(f"the row lacks {missing}, which have Python-side defaults")
    for column in getattr(statement, "exported_columns", ()):
        if column.type.dialect_impl(dialect).result_processor(dialect, None) is not None:
            # The driver's rows come back as it gives them; SQLAlchemy would convert this column.
            raise ValueError(f"{column} is converted on reading: run the statement through SQLAlchemy")
    binds = compiled.binds
    order = compiled.positiontup if compiled.positional else list(compiled.bind_names.values())
    assert order is not None
    slots = []
    for name in order:
        bind = binds[name]
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if bind.key in columns:
            slots.append(_Slot(bind.key, process))
        elif bind.required:
            raise ValueError(f"the row lacks {bind.key!r}, a value the statement needs")
        else:
            value = bind.effective_value
            slots.append(_Slot(None, None, value if process is None else process(value)))
    escaped: dict[str, str] = compiled.escaped_bind_names or {}
    return _Compiled(
        sql=compiled.string,
        slots=tuple(slots),
        names=tuple(escaped.get(name, name) for name in order),
        positional=compiled.positional,
    )


def execute(connection: Connection, statement: Executable, row: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """Run ``statement`` with one row of values; the rows it returns (RETURNING, SELECT) as tuples."""
    compiled = _compiled(statement, connection.dialect, tuple(row))
    parameters = compiled.parameters(row)
    cursor = _driver(connection).cursor()
    try:
        cursor.execute(compiled.sql, parameters)
        return list(cursor.fetchall()) if cursor.description else []
    except connection.dialect.loaded_dbapi.Error as exc:
        raise _wrapped(connection, compiled.sql, parameters, exc) from exc
    finally:
        cursor.close()


def execute_many(connection: Connection, statement: Executable, rows: Sequence[Mapping[str, Any]]) -> int:
    """Run ``statement`` (one that returns nothing) once for each row, in one driver call; every row has
    the keys of the first. Returns the number of rows it inserted, updated or deleted (an INSERT's
    conflicts left alone are not counted)."""
    if not rows:
        return 0
    compiled = _compiled(statement, connection.dialect, tuple(rows[0]))
    parameters = [compiled.parameters(row) for row in rows]
    cursor = _driver(connection).cursor()
    try:
        cursor.executemany(compiled.sql, parameters)
        return int(cursor.rowcount)
    except connection.dialect.loaded_dbapi.Error as exc:
        raise _wrapped(connection, compiled.sql, parameters, exc) from exc
    finally:
        cursor.close()


def _driver(connection: Connection) -> Any:
    """The driver connection, inside the SQLAlchemy connection's transaction (begun here if none is open,
    so that its ``commit()`` commits what the driver wrote)."""
    if not connection.in_transaction():
        connection.begin()
    return connection.connection.driver_connection


def _wrapped(connection: Connection, sql: str, parameters: Any, exc: Exception) -> StatementError:
    dialect = connection.dialect
    return DBAPIError.instance(sql, parameters, exc, dialect.loaded_dbapi.Error, dialect=dialect)
