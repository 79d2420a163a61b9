"""Load the court registry into the ``courts`` table."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection

from warduty.courts import Court
from warduty.store.schema import courts
from warduty.store.upsert import UpsertResult, upsert


def sync_courts(connection: Connection, registry: Iterable[Court]) -> UpsertResult:
    rows = [
        {
            "code": c.code,
            "level": c.level,
            "name_ru": c.name_ru,
            "name_en": c.name_en,
            "seat_region_ru": c.seat_region_ru,
            "seat_region_en": c.seat_region_en,
            "circuit": c.circuit,
            "host": c.host,
            "search_host": c.search_host,
            "engine": c.engine,
            "captcha": c.captcha,
        }
        for c in registry
    ]
    return upsert(connection, courts, rows, key=["code"])
