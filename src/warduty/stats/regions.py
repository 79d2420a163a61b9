"""Regional rankings by court seat, with both readings of "Moscow region"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Connection

from warduty.courts.registry import MOSCOW_OBLAST
from warduty.stats.definitions import (
    MOSCOW_BOTH_EN,
    MOSCOW_BOTH_RU,
    MOSCOW_CITY,
    Filters,
    Metric,
)
from warduty.stats.query import count_statement, verdict_results

MoscowReading = Literal["oblast", "city_and_oblast"]


@dataclass(frozen=True, slots=True)
class RegionCount:
    rank: int
    region_ru: str
    region_en: str
    value: int

    def to_dict(self) -> dict[str, object]:
        return {
            "rank": self.rank,
            "region_ru": self.region_ru,
            "region_en": self.region_en,
            "value": self.value,
        }


def region_ranking(
    connection: Connection, metric: Metric, filters: Filters, moscow: MoscowReading = "oblast"
) -> list[RegionCount]:
    """Regions by count, largest first (ties by name). ``oblast``: Moscow Oblast courts only, Moscow
    city apart; ``city_and_oblast``: the two merged into one entry."""
    statement = count_statement(metric, filters, ("region",), verdict_results(connection))
    values: dict[str, int] = {}
    english: dict[str, str] = {}
    for row in connection.execute(statement):
        name = row.region
        if moscow == "city_and_oblast" and name in (MOSCOW_CITY, MOSCOW_OBLAST):
            name, english[MOSCOW_BOTH_RU] = MOSCOW_BOTH_RU, MOSCOW_BOTH_EN
        else:
            english[name] = row.region_en
        values[name] = values.get(name, 0) + int(row.value)
    ordered = sorted(values.items(), key=lambda item: (-item[1], item[0]))
    return [RegionCount(i, name, english[name], value) for i, (name, value) in enumerate(ordered, start=1)]
