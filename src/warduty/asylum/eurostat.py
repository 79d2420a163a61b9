"""Eurostat asylum datasets: JSON-stat, SDMX-CSV and TSV payloads -> typed observations.

The generic decoders (``jsonstat``, ``sdmxcsv``, ``tsv``) read any dataset; this module checks that the
payload is one of the asylum datasets with the structure we know, maps legacy names and normalises time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from warduty.asylum.cells import RawObservation, RawTable
from warduty.asylum.codes import (
    DATASET_DIMENSIONS,
    check_dimensions,
    is_legacy_period,
    map_applicant_code,
    map_legacy_dimension,
    normalise_period,
    normalise_stamp,
)
from warduty.asylum.errors import PayloadError, SourceError, StructureChangedError
from warduty.asylum.jsonstat import JsonStatCube, decode_jsonstat
from warduty.asylum.model import AsylumObservation, ReadResult
from warduty.asylum.sdmxcsv import read_sdmx_csv, read_sdmx_csv_json
from warduty.asylum.tsv import read_tsv

SOURCE = "eurostat"
_FLOW = re.compile(r"^(?:[A-Z0-9_]+:)?(?P<id>[A-Za-z0-9_]+)(?:\([^)]*\))?$")
_FAULT = re.compile(rb"<(?:[A-Za-z0-9_]+:)?Fault[\s>]")


def raise_for_soap_fault(payload: bytes) -> None:
    """Eurostat's SDMX API answers an invalid query with a SOAP fault (e.g. faultcode 150)."""
    head = payload[:4096]
    if not _FAULT.search(head):
        return
    text = head.decode("utf-8", errors="replace")
    code = re.search(r"<faultcode>\s*([^<]*?)\s*</faultcode>", text)
    reason = re.search(r"<faultstring>\s*([^<]*?)\s*</faultstring>", text)
    fault_code = code.group(1) if code else None
    message = (reason.group(1) if reason else "no faultstring").replace("&apos;", "'")
    raise SourceError(f"Eurostat SOAP fault {fault_code or '?'}: {message}", code=fault_code)


def dataset_from_flow(flow: str | None) -> str | None:
    """``ESTAT:MIGR_ASYAPPCTZM(1.0)`` or ``MIGR_ASYAPPCTZM`` -> ``migr_asyappctzm``."""
    if not flow:
        return None
    match = _FLOW.match(flow.strip())
    return match.group("id").lower() if match else None


def _resolve_dataset(declared: str | None, requested: str | None) -> str:
    if declared and requested and declared != requested.lower():
        raise StructureChangedError(f"payload is dataset {declared!r}, not the requested {requested!r}")
    dataset = declared or (requested.lower() if requested else None)
    if dataset is None:
        raise PayloadError("the payload does not name its dataset; pass it (e.g. migr_asyappctzm)")
    if dataset not in DATASET_DIMENSIONS:
        raise StructureChangedError(
            f"dataset {dataset!r} is not an asylum dataset this package reads "
            f"(known: {', '.join(sorted(DATASET_DIMENSIONS))})"
        )
    return dataset


def read_jsonstat(payload: bytes, dataset: str | None = None) -> ReadResult:
    raise_for_soap_fault(payload)
    cube = decode_jsonstat(payload)
    return from_cube(cube, dataset)


def from_cube(cube: JsonStatCube, dataset: str | None = None) -> ReadResult:
    name = _resolve_dataset(dataset_from_flow(cube.extension_id), dataset)
    time_names = [d for d in cube.ids if d.lower() in ("time", "time_period")]
    if len(time_names) != 1:
        raise StructureChangedError(f"{name}: JSON-stat payload has no single time dimension: {cube.ids}")
    time_position = cube.ids.index(time_names[0])
    if time_position != len(cube.ids) - 1:
        raise StructureChangedError(f"{name}: time is not the last JSON-stat dimension: {cube.ids}")
    key_dims = list(cube.ids[:time_position])
    rows = [
        RawObservation(c.codes[:time_position], c.codes[time_position], c.value, c.flag) for c in cube.cells
    ]
    legacy = "asyl_app" in key_dims or any(is_legacy_period(p) for p in cube.categories[time_names[0]])
    observations = _observations(name, key_dims, rows, legacy=legacy)
    vintage = normalise_stamp(cube.updated) if cube.updated else None
    return ReadResult(SOURCE, name, observations, vintage, "json-stat", legacy)


def read_csv(payload: bytes, dataset: str | None = None) -> ReadResult:
    raise_for_soap_fault(payload)
    return _from_table(read_sdmx_csv(payload), dataset, "sdmx-csv")


def read_csv_json(payload: bytes, dataset: str | None = None) -> ReadResult:
    return _from_table(read_sdmx_csv_json(payload), dataset, "sdmx-csv-json")


def read_tsv_payload(payload: bytes, dataset: str | None = None) -> ReadResult:
    raise_for_soap_fault(payload)
    return _from_table(read_tsv(payload), dataset, "tsv")


def _from_table(table: RawTable, dataset: str | None, fmt: str) -> ReadResult:
    name = _resolve_dataset(dataset_from_flow(table.dataflow), dataset)
    legacy = (
        "asyl_app" in table.dimensions
        or table.time_name.lower() == "time"
        or any(is_legacy_period(r.period) for r in table.rows[:50])
    )
    observations = _observations(name, list(table.dimensions), table.rows, legacy=legacy)
    vintage = normalise_stamp(table.last_update) if table.last_update else None
    return ReadResult(SOURCE, name, observations, vintage, fmt, legacy)


def _observations(
    dataset: str, dimensions: Sequence[str], rows: Iterable[RawObservation], *, legacy: bool
) -> tuple[AsylumObservation, ...]:
    check_dimensions(dataset, list(dimensions), legacy=legacy)
    names = [map_legacy_dimension(d) for d in dimensions]
    applications = "applicant" in DATASET_DIMENSIONS[dataset]
    result = []
    seen: set[tuple[str, ...]] = set()
    for row in rows:
        codes = dict(zip(names, row.codes, strict=True))
        observation = AsylumObservation(
            source=SOURCE,
            dataset=dataset,
            citizen=codes["citizen"],
            geo=codes["geo"],
            period=normalise_period(row.period),
            applicant=map_applicant_code(codes["applicant"]) if applications else "",
            sex=codes["sex"],
            age=codes["age"],
            decision="" if applications else codes["decision"],
            unit=codes["unit"],
            value=row.value,
            flag=row.flag,
        )
        cell = observation.cell()
        if cell in seen:
            raise PayloadError(f"{dataset}: cell {cell[2:]} appears twice in one payload")
        seen.add(cell)
        result.append(observation)
    return tuple(result)
