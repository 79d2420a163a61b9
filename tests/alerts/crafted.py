"""Crafted database states: runs as a crawl or an asylum fetch leaves them, without crawling."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, update

from warduty.config import Settings
from warduty.courts import load_registry
from warduty.store import make_engine, migrate, sync_courts
from warduty.store.schema import courts, runs

DARK = "77GV0017"
OTHER = "63GV0001"
HOSTILE_NAME = 'Court <b>&amp; "Ward" \'s</b> & <![CDATA[x]]> \x0b end'


def migrated(url: str) -> Engine:
    engine = make_engine(url)
    migrate(engine)
    with engine.begin() as connection:
        sync_courts(connection, load_registry())
    return engine


def court_stats(*, read: int = 3, failed: int = 0, reasons: dict[str, int] | None = None) -> dict[str, Any]:
    return {
        "searches": read,
        "pages": 0,
        "cards": 0,
        "docs": 0,
        "failed": failed,
        "deferred": 0,
        "failure_reasons": reasons or {},
        "issues": 0,
        "status": "done" if not failed else "incomplete",
    }


def add_run(
    engine: Engine,
    *,
    kind: str = "crawl",
    status: str = "done",
    statistics: dict[str, Any] | None = None,
    issues: list[dict[str, Any]] | None = None,
    finished: datetime | None = None,
) -> int:
    now = finished or datetime.now(UTC)
    with engine.begin() as connection:
        result = connection.execute(
            insert(runs).values(
                kind=kind,
                started_at=now - timedelta(minutes=5),
                finished_at=now,
                status=status,
                plan={},
                statistics=statistics or {},
                issues=issues or [],
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]


def dark_crawl(engine: Engine) -> int:
    """A crawl in which ``DARK`` answered nothing (connection refused) and ``OTHER`` answered."""
    return add_run(
        engine,
        status="incomplete",
        statistics={
            "courts": {
                DARK: court_stats(read=0, failed=4, reasons={"connection refused": 4}),
                OTHER: court_stats(),
            }
        },
    )


def rename_court(engine: Engine, code: str, name: str) -> None:
    with engine.begin() as connection:
        connection.execute(update(courts).where(courts.c.code == code).values(name_en=name))


def alert_settings(tmp_path: object, **values: Any) -> Settings:
    """Settings for alerts to local peers: plain SMTP (no STARTTLS), short timeouts, unless ``values`` say."""
    chosen: dict[str, Any] = {"alert_timeout": 1.0, "alert_smtp_starttls": False, **values}
    return Settings(data_dir=Path(str(tmp_path)), **chosen)
