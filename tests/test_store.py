from __future__ import annotations

from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, func, inspect, select, text

from warduty.courts import load_registry
from warduty.store import (
    DatabaseError,
    current_revision,
    head_revision,
    make_engine,
    migrate,
    sync_courts,
    upsert,
    upsert_quietly,
)
from warduty.store.schema import acts, cases, courts, metadata, runs


def _table_snapshot(engine: Engine) -> dict[str, list[str]]:
    inspector = inspect(engine)
    return {
        t: sorted(c["name"] for c in inspector.get_columns(t)) for t in sorted(inspector.get_table_names())
    }


def test_migrations_build_exactly_the_schema(engine: Engine) -> None:
    assert current_revision(engine) is None
    assert migrate(engine) == head_revision()
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def test_reapplying_migrations_changes_nothing(engine: Engine) -> None:
    migrate(engine)
    before = _table_snapshot(engine)
    assert migrate(engine) == head_revision()
    assert _table_snapshot(engine) == before


def test_court_sync_is_idempotent(engine: Engine) -> None:
    migrate(engine)
    registry = load_registry()
    with engine.begin() as connection:
        first = sync_courts(connection, registry)
        second = sync_courts(connection, registry)
        count = connection.execute(select(func.count()).select_from(courts)).scalar_one()
    assert (first.inserted, first.updated) == (116, 0)
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 116)
    assert count == 116


def _case(number: str, **values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "court_code": "78GV0001",
        "docket": "criminal-1",
        "case_number": number,
        "received": date(2024, 3, 1),
        "received_raw": "01.03.2024",
        "result": None,
    }
    row.update(values)
    return row


def test_upsert_inserts_updates_and_leaves_equal_rows_alone(engine: Engine) -> None:
    migrate(engine)
    key = ["court_code", "docket", "case_number"]
    with engine.begin() as connection:
        sync_courts(connection, load_registry())
        run_one = connection.execute(
            runs.insert().values(kind="test", started_at=func.now(), status="ok")
        ).inserted_primary_key[0]
        run_two = connection.execute(
            runs.insert().values(kind="test", started_at=func.now(), status="ok")
        ).inserted_primary_key[0]
        first = upsert(
            connection, cases, [_case("1-1/2024"), _case("1-2/2024")], key, touch={"changed_run": run_one}
        )
        again = upsert(
            connection, cases, [_case("1-1/2024"), _case("1-2/2024")], key, touch={"changed_run": run_two}
        )
        changed = upsert(
            connection,
            cases,
            [_case("1-1/2024", result="Вынесен ПРИГОВОР"), _case("1-2/2024"), _case("1-3/2024")],
            key,
            touch={"changed_run": run_two},
        )
        stored = {
            r.case_number: (r.result, r.changed_run)
            for r in connection.execute(select(cases.c.case_number, cases.c.result, cases.c.changed_run))
        }
    assert (first.inserted, first.updated, first.unchanged) == (2, 0, 0)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    assert (changed.inserted, changed.updated, changed.unchanged) == (1, 1, 1)
    assert stored == {
        "1-1/2024": ("Вынесен ПРИГОВОР", run_two),
        "1-2/2024": (None, run_one),  # equal rows keep the run that last changed them
        "1-3/2024": (None, run_two),
    }


def test_upsert_rejects_inconsistent_rows(engine: Engine) -> None:
    migrate(engine)
    with engine.begin() as connection, pytest.raises(ValueError, match="same columns"):
        upsert(connection, courts, [{"code": "A", "level": "x"}, {"code": "B"}], ["code"])
    with engine.begin() as connection, pytest.raises(ValueError, match="key column"):
        upsert(connection, courts, [{"level": "x"}], ["code"])


def test_unusable_urls_give_clear_errors() -> None:
    with pytest.raises(DatabaseError, match="not a database URL"):
        make_engine("nonsense")
    with pytest.raises(DatabaseError, match="unsupported database"):
        make_engine("mysql://root@127.0.0.1/test")


def test_quiet_upsert_inserts_updates_and_leaves_equal_rows_alone(engine: Engine) -> None:
    migrate(engine)
    key = ["court_code", "docket", "case_number"]
    with engine.begin() as connection:
        sync_courts(connection, load_registry())
        upsert_quietly(connection, cases, [_case("1-1/2024"), _case("1-2/2024")], key)
        postgres = connection.dialect.name == "postgresql"
        versions = "xmin::text" if postgres else "NULL"  # the writing transaction, where the backend tells
        before = dict(connection.execute(text(f"SELECT case_number, {versions} FROM cases")).all())
    with engine.begin() as connection:
        upsert_quietly(
            connection,
            cases,
            # the same key twice in one call: the last row wins, as single upserts in turn would leave it
            [_case("1-1/2024"), _case("1-2/2024", result="x"), _case("1-2/2024", result="Вынесен ПРИГОВОР")],
            key,
        )
        upsert_quietly(connection, cases, [], key)  # nothing to do is no statement and no error
        after = dict(connection.execute(text(f"SELECT case_number, {versions} FROM cases")).all())
        stored = {
            r.case_number: r.result for r in connection.execute(select(cases.c.case_number, cases.c.result))
        }
    assert stored == {"1-1/2024": None, "1-2/2024": "Вынесен ПРИГОВОР"}
    assert after["1-1/2024"] == before["1-1/2024"]  # the equal row was not rewritten
    if postgres:
        assert after["1-2/2024"] != before["1-2/2024"]
    with engine.begin() as connection, pytest.raises(ValueError, match="same columns"):
        upsert_quietly(connection, cases, [_case("1-3/2024"), {**_case("1-4/2024"), "judge": "И."}], key)


def test_upsert_compares_json_columns_by_value(engine: Engine) -> None:
    """PostgreSQL has no ``json = json``: an upsert touching a JSON column must still compare it."""
    migrate(engine)
    with engine.begin() as connection:
        sync_courts(connection, load_registry())
        upsert(connection, cases, [_case("1-1/2024")], ["court_code", "docket", "case_number"])
        case_id = connection.execute(select(cases.c.id)).scalar_one()

        def act(verdict: dict[str, object]) -> dict[str, object]:
            return {"case_id": case_id, "position": 1, "kind": "Приговор", "verdict": verdict}

        key = ["case_id", "position"]
        first = upsert(connection, acts, [act({"is_verdict": True, "term": [1, 2]})], key)
        same = upsert(connection, acts, [act({"is_verdict": True, "term": [1, 2]})], key)
        changed = upsert(connection, acts, [act({"is_verdict": False})], key)
        stored = connection.execute(select(acts.c.verdict)).scalar_one()
    assert (first.inserted, same.unchanged, changed.updated) == (1, 1, 1)
    assert stored == {"is_verdict": False}
