"""UNHCR Refugee Data Finder ``population/v1/asylum-applications`` responses -> observations.

Annual, by country of origin and of asylum, joined on the ISO3 codes (``coo_iso``/``coa_iso``; the short
UNHCR codes can disagree). The applicant column holds ``app_type/procedure_type/dec_level`` because
those three together identify a UNHCR row; ``unit`` is PER for persons and CASE where a country (the
US) reports cases.
"""

from __future__ import annotations

from typing import Any

from warduty.asylum.errors import PayloadError
from warduty.asylum.jsonstat import parse_json, raise_for_error_object
from warduty.asylum.model import MISSING_FLAG, AsylumObservation, ReadResult

SOURCE = "unhcr"
DATASET = "asylum-applications"
_UNITS = {"P": "PER", "C": "CASE"}


def read_unhcr(payload: bytes, vintage: str | None = None) -> ReadResult:
    document = parse_json(payload, "UNHCR response")
    raise_for_error_object(document)
    return ReadResult(SOURCE, DATASET, unhcr_items(document), vintage, "unhcr-json")


def unhcr_items(document: Any) -> tuple[AsylumObservation, ...]:
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        raise PayloadError("UNHCR response has no 'items' list (an API root or error page?)")
    observations = []
    seen: set[tuple[str, ...]] = set()
    for number, item in enumerate(document["items"], start=1):
        if not isinstance(item, dict):
            raise PayloadError(f"UNHCR item {number} is not an object")
        if "applied" not in item:
            hint = " (this is the population endpoint)" if "refugees" in item else ""
            raise PayloadError(f"UNHCR item {number} has no 'applied' count{hint}")
        value = _count(item["applied"], number)
        observation = AsylumObservation(
            source=SOURCE,
            dataset=DATASET,
            citizen=_iso(item, "coo_iso", number),
            geo=_iso(item, "coa_iso", number),
            period=_year(item.get("year"), number),
            applicant="/".join(str(item.get(k) or "") for k in ("app_type", "procedure_type", "dec_level")),
            unit=_UNITS.get(str(item.get("app_pc") or ""), ""),
            value=value,
            flag=MISSING_FLAG if value is None else "",
        )
        if observation.cell() in seen:
            raise PayloadError(f"UNHCR item {number} repeats the cell {observation.cell()[2:]}")
        seen.add(observation.cell())
        observations.append(observation)
    return tuple(observations)


def _iso(item: dict[str, Any], key: str, number: int) -> str:
    raw = item.get(key)
    if not isinstance(raw, str) or not raw.strip():
        raise PayloadError(f"UNHCR item {number} has no {key!r}")
    code = raw.strip()
    return "TOTAL" if code == "-" else code  # "-" is the all-countries row


def _year(raw: Any, number: int) -> str:
    text = str(raw).strip() if isinstance(raw, int | str) and not isinstance(raw, bool) else ""
    if not (len(text) == 4 and text.isdigit()):
        raise PayloadError(f"UNHCR item {number} has no valid year: {raw!r}")
    return text


def _count(raw: Any, number: int) -> float | None:
    if isinstance(raw, bool):
        raise PayloadError(f"UNHCR item {number}: 'applied' is a boolean")
    if isinstance(raw, int | float):
        return float(raw)
    if isinstance(raw, str):
        text = raw.strip().replace(",", "")
        if text in ("", "-"):
            return None
        if text.isdigit():
            return float(text)
    raise PayloadError(f"UNHCR item {number}: 'applied' is not a count: {raw!r}")
