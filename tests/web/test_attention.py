"""Which courts need attention: the latest finished crawl of each court decides, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from warduty.courts import load_registry
from warduty.store import migrate, sync_courts
from warduty.store.schema import runs
from warduty.web.queries import ATTENTION_PROBLEMS, CourtAttention, court_attention, courts_with_freshness


def _run(engine: Engine, kind: str, courts: dict[str, int] | None, issues: list[dict[str, Any]]) -> int:
    statistics = None if courts is None else {"courts": {code: {"issues": n} for code, n in courts.items()}}
    with engine.begin() as connection:
        return int(
            connection.execute(
                runs.insert()
                .values(kind=kind, started_at=datetime.now(UTC), status="done", statistics=statistics,
                        issues=issues)
                .returning(runs.c.id)
            ).scalar_one()
        )  # fmt: skip


def _issue(court: str, *problems: str) -> dict[str, Any]:
    return {"court": court, "task": "search", "url": "https://x/", "warc_file": "f", "warc_offset": 1,
            "problems": list(problems), "outcome": "failed"}  # fmt: skip


def test_the_latest_crawl_of_each_court_decides(engine: Engine) -> None:
    migrate(engine)
    with engine.begin() as connection:
        sync_courts(connection, load_registry())
    many = [_issue("63GV0001", f"listing: result row {n} has no card link; skipped") for n in range(8)]
    tab = _issue("77GV0017", "card: unknown tab 'ХОД ДЕЛА' left unread")
    first = _run(
        engine,
        "crawl",
        {"63GV0001": 9, "77GV0017": 1},
        [_issue("63GV0001", "unknown page state"), *many, tab],
    )
    second = _run(engine, "crawl", {"77GV0017": 0}, [])  # a later crawl read the court fine
    _run(
        engine,
        "crawl",
        {"78GV0001": 0},
        [{"court": "78GV0001", "kind": "card", "url": "u", "reason": "HTTP 500"}],
    )
    _run(engine, "reparse", None, [])
    _run(engine, "crawl", None, [])  # still running: it has no statistics yet
    with engine.connect() as connection:
        found = court_attention(connection)
        rows = {row["code"]: row for row in courts_with_freshness(connection)}
    changed = found["63GV0001"]
    assert changed.run == first and changed.issues == 9 and len(changed.problems) == ATTENTION_PROBLEMS
    assert changed.problems[0] == "unknown page state" and len(set(changed.problems)) == ATTENTION_PROBLEMS
    assert found["77GV0017"] == CourtAttention(second, 0, ())
    assert found["78GV0001"].issues == 0  # an entry of the old format is no issue
    assert rows["63GV0001"]["needs_attention"] is True and rows["63GV0001"]["attention"] == list(
        changed.problems
    )
    assert rows["77GV0017"]["needs_attention"] is False and rows["77GV0017"]["last_run"] == second
    assert rows["25GV0001"]["last_run"] is None and rows["25GV0001"]["issues"] == 0
    assert not rows["25GV0001"]["needs_attention"] and rows["25GV0001"]["attention"] == []
