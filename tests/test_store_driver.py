"""store/driver.py: statements run on the driver store exactly what SQLAlchemy's execute stores, on both
backends, in the connection's own transaction, and fail as SQLAlchemy's execute fails."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

import pytest
from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from warduty.store.driver import execute, execute_many
from warduty.store.upsert import insert_for

metadata = MetaData()
things = Table(
    "things",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("day", Date),
    Column("seen_at", DateTime(timezone=True)),
    Column("data", JSON),
    Column("kind", String),
    Column("count", Integer, default=0),  # a Python-side default
)


class Kind(StrEnum):
    CARD = "card"


def _row(name: str, **changes: Any) -> dict[str, Any]:
    row = {
        "name": name,
        "day": date(2024, 3, 31),
        "seen_at": datetime(2024, 4, 1, 12, 30, 5, 123456, tzinfo=UTC),
        "data": {"a": [1, 2, "б"], "b": None},
        "kind": Kind.CARD,
        "count": 3,
    }
    return {**row, **changes}


@pytest.fixture
def table_engine(engine: Engine) -> Engine:
    metadata.create_all(engine)
    return engine


def _stored(engine: Engine, name: str) -> tuple[Any, ...]:
    with engine.connect() as connection:
        row = connection.execute(select(things).where(things.c.name == name)).one()
    return tuple(row)[1:]  # without the id


def test_a_row_written_on_the_driver_reads_back_as_one_written_by_sqlalchemy(table_engine: Engine) -> None:
    hostile = "O'Brien\"; DROP TABLE things; --"
    with table_engine.connect() as connection:
        connection.execute(insert(things), _row("by sqlalchemy", kind=hostile))
        ((new_id,),) = execute(
            connection, insert(things).returning(things.c.id), _row("on the driver", kind=hostile)
        )
        connection.commit()
    assert isinstance(new_id, int)
    assert _stored(table_engine, "on the driver")[1:] == _stored(table_engine, "by sqlalchemy")[1:]
    assert _stored(table_engine, "on the driver")[-2] == hostile  # a bound value, not SQL


def test_it_writes_inside_the_connections_transaction(table_engine: Engine) -> None:
    with table_engine.connect() as connection:
        execute(connection, insert(things).returning(things.c.id), _row("rolled back"))
        connection.rollback()
        execute(connection, insert(things).returning(things.c.id), _row("committed"))
        connection.commit()
    with table_engine.connect() as connection:
        names = connection.execute(select(things.c.name)).scalars().all()
    assert names == ["committed"]


def test_values_written_into_the_statement_and_updates(table_engine: Engine) -> None:
    with table_engine.connect() as connection:
        execute_many(connection, insert(things), [_row("a"), _row("b", kind="other")])
        count = execute_many(
            connection,
            update(things).where(things.c.kind == Kind.CARD).values(count=bindparam("new_count")),
            [{"new_count": 7}],
        )
        rows = execute(connection, select(things.c.name, things.c.count).order_by(things.c.name), {})
        connection.commit()
    assert count == 1
    assert rows == [("a", 7), ("b", 3)]


def test_many_rows_count_only_those_really_inserted(table_engine: Engine) -> None:
    with table_engine.connect() as connection:
        statement = insert_for(connection.dialect.name, things).on_conflict_do_nothing(
            index_elements=["name"]
        )
        assert execute_many(connection, statement, [_row("x"), _row("y")]) == 2
        assert execute_many(connection, statement, [_row("y"), _row("z"), _row("x")]) == 1
        assert execute_many(connection, statement, []) == 0
        connection.commit()


def test_a_driver_error_is_sqlalchemys_and_the_transaction_can_go_on(table_engine: Engine) -> None:
    with table_engine.connect() as connection:
        execute(connection, insert(things).returning(things.c.id), _row("twice"))
        connection.commit()
        with pytest.raises(IntegrityError) as raised:
            execute(connection, insert(things).returning(things.c.id), _row("twice"))
        assert "things" in str(raised.value)
        connection.rollback()
        execute(connection, insert(things).returning(things.c.id), _row("after"))
        connection.commit()
    assert _stored(table_engine, "after")[0] == "after"


@pytest.mark.parametrize(
    ("statement", "row", "complaint"),
    [
        (
            select(things.c.id).where(things.c.name.in_(bindparam("names", expanding=True))),
            {"names": ["a"]},
            "expanding",
        ),
        (insert(things).returning(things.c.id), {"name": "no count"}, "Python-side defaults"),
    ],
    ids=["expanding IN", "python default"],
)
def test_what_the_driver_cannot_run_as_sqlalchemy_would_is_refused(
    table_engine: Engine, statement: Any, row: dict[str, Any], complaint: str
) -> None:
    with table_engine.connect() as connection, pytest.raises(ValueError, match=complaint):
        execute(connection, statement, row)


def test_a_returned_column_reads_as_sqlalchemy_reads_it_or_is_refused(table_engine: Engine) -> None:
    """psycopg reads JSON itself; on SQLite SQLAlchemy would decode the text, which the driver does not."""
    with table_engine.connect() as connection:
        statement = insert(things).returning(things.c.data, things.c.day)
        if connection.dialect.name == "sqlite":
            with pytest.raises(ValueError, match="converted on reading"):
                execute(connection, statement, _row("json back"))
        else:
            assert execute(connection, statement, _row("json back")) == [
                (_row("")["data"], date(2024, 3, 31))
            ]


def test_a_row_without_a_value_the_statement_needs_is_refused(table_engine: Engine) -> None:
    statement = update(things).where(things.c.name == bindparam("old")).values(kind=bindparam("new"))
    with table_engine.connect() as connection, pytest.raises(ValueError, match="lacks 'old'"):
        execute_many(connection, statement, [{"new": "x"}])
