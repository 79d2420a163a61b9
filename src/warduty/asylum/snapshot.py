"""The shipped snapshot of the real monthly series, so the demo shows real asylum figures offline.

The file is a derived series (first-time applicants with Russian citizenship, summed over the reporting
countries, aggregates excluded); see ``data/PROVENANCE.md``. Its cells are stored under the pseudo-geo
``DERIVED_SUM_GEO`` so they are never mixed with per-country cells.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from warduty.asylum.codes import normalise_period
from warduty.asylum.errors import PayloadError
from warduty.asylum.jsonstat import parse_json
from warduty.asylum.model import MISSING_FLAG, AsylumObservation, ReadResult

SOURCE = "eurostat-derived"
DATASET = "migr_asyappctzm"
DERIVED_SUM_GEO = "SUM_REPORTING"
SNAPSHOT_FILE = "ru_first_time_monthly_sum34_derived_horrrt.json"


def load_snapshot() -> list[AsylumObservation]:
    """The shipped monthly series of first-time Russian applicants, summed over reporting countries."""
    payload = resources.files("warduty.asylum").joinpath("data").joinpath(SNAPSHOT_FILE).read_bytes()
    return list(read_derived_series(payload).observations)


def read_derived_series(payload: bytes, vintage: str | None = None) -> ReadResult:
    document = parse_json(payload, "derived series")
    if not isinstance(document, dict) or not isinstance(document.get("series"), dict):
        raise PayloadError("derived series has no 'series' object of period -> value")
    citizen = _code(document, "citizen")
    applicant = _code(document, "applicant")
    observations = []
    for raw_period, raw_value in document["series"].items():
        period = normalise_period(raw_period)
        if raw_value is not None and (isinstance(raw_value, bool) or not isinstance(raw_value, int | float)):
            raise PayloadError(f"derived series value for {raw_period} is not a number: {raw_value!r}")
        value = None if raw_value is None else float(raw_value)
        observations.append(
            AsylumObservation(
                source=SOURCE,
                dataset=DATASET,
                citizen=citizen,
                geo=DERIVED_SUM_GEO,
                period=period,
                applicant=applicant,
                sex="T",
                age="TOTAL",
                unit="PER",
                value=value,
                flag=MISSING_FLAG if value is None else "",
            )
        )
    return ReadResult(
        SOURCE, DATASET, tuple(sorted(observations, key=lambda o: o.period)), vintage, "derived-json"
    )


def _code(document: dict[str, Any], key: str) -> str:
    value = document.get(key)
    if not isinstance(value, str) or not value:
        raise PayloadError(f"derived series has no {key!r} code")
    return value
