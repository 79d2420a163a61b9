"""The asylum figure beside the court figures: Eurostat first-time applicants with Russian citizenship,
from the database when it holds them, else the shipped snapshot. Says "highest since", never "record"
unless it is one."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from warduty.asylum import MonthValue, load_snapshot, monthly_series, record_statement
from warduty.asylum.records import RecordStatement
from warduty.asylum.storage import latest_observations


@dataclass(frozen=True, slots=True)
class AsylumNote:
    statement: RecordStatement
    source: str

    def to_dict(self) -> dict[str, object]:
        return {"source": self.source, **self.statement.to_dict()}


def asylum_note(engine: Engine, month: str) -> AsylumNote | None:
    """The newest asylum month not after ``month``, compared with the months before it."""
    with engine.connect() as connection:
        observations = latest_observations(connection, source="eurostat", dataset="migr_asyappctzm")
    series: list[MonthValue] = monthly_series(observations) if observations else []
    source = "Eurostat migr_asyappctzm (database)"
    if not series:
        series = monthly_series(load_snapshot())
        source = "Eurostat migr_asyappctzm, shipped snapshot (summed over reporting countries)"
    candidates = [m for m in series if m.period <= month]
    if not candidates:
        return None
    latest = max(candidates, key=lambda m: m.period)
    return AsylumNote(record_statement(series, latest.period), source)
