"""Typed records of asylum statistics: one observation per cell, and the result of reading one payload."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Flags are data: ":" marks a missing cell (value None, never zero); p, e, b, c, ... are kept verbatim.
MISSING_FLAG = ":"


@dataclass(frozen=True, slots=True)
class AsylumObservation:
    """One cell of a source table. Empty strings stand for dimensions the source does not have."""

    source: str  # "eurostat", "eurostat-derived", "unhcr", "ukho"
    dataset: str  # e.g. "migr_asyappctzm"
    citizen: str
    geo: str
    period: str  # "2024-03", "2024-Q1" or "2024"
    applicant: str = ""
    sex: str = ""
    age: str = ""
    decision: str = ""
    unit: str = ""
    value: float | None = None
    flag: str = ""

    @property
    def missing(self) -> bool:
        return self.value is None

    def cell(self) -> tuple[str, ...]:
        """Everything that identifies the cell, without value and flag."""
        return (
            self.source,
            self.dataset,
            self.citizen,
            self.geo,
            self.period,
            self.applicant,
            self.sex,
            self.age,
            self.decision,
            self.unit,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "dataset": self.dataset,
            "citizen": self.citizen,
            "geo": self.geo,
            "period": self.period,
            "applicant": self.applicant,
            "sex": self.sex,
            "age": self.age,
            "decision": self.decision,
            "unit": self.unit,
            "value": self.value,
            "flag": self.flag,
        }


@dataclass(frozen=True, slots=True)
class ReadResult:
    """What one payload held: its observations and the dataset's last-update stamp, when it says one."""

    source: str
    dataset: str
    observations: tuple[AsylumObservation, ...]
    vintage: str | None  # normalised "YYYY-MM-DDTHH:MM:SS" in the publisher's local time
    format: str  # "json-stat", "sdmx-csv", "sdmx-csv-json", "tsv", "unhcr-json", "ukho", "derived-json"
    legacy: bool = False  # read through the retired asyl_app / YYYYMmm conventions
