"""Eurostat SDMX-CSV 1.0 (one observation per row), and the same rows saved as a JSON array."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from warduty.asylum.cells import RawObservation, RawTable, combine_flags, parse_number
from warduty.asylum.codes import normalise_stamp
from warduty.asylum.errors import NoDataError, PayloadError
from warduty.asylum.jsonstat import parse_json

_NON_DIMENSIONS = ("DATAFLOW", "LAST UPDATE", "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG", "CONF_STATUS")


def read_sdmx_csv(payload: bytes) -> RawTable:
    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PayloadError(f"SDMX-CSV is not UTF-8 (byte {exc.start}): mis-encoded or binary") from exc
    if "\x00" in text:
        raise PayloadError("SDMX-CSV contains NUL bytes: binary, not CSV")
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise PayloadError(f"SDMX-CSV cannot be split into fields: {exc}") from exc
    records = [r for r in records if r]
    if not records:
        raise PayloadError("SDMX-CSV is empty")
    header = [h.strip() for h in records[0]]
    rows = []
    for line_number, record in enumerate(records[1:], start=2):
        if len(record) != len(header):
            raise PayloadError(
                f"SDMX-CSV line {line_number} has {len(record)} fields, the header {len(header)} (truncated?)"
            )
        rows.append(dict(zip(header, record, strict=True)))
    return _table(header, rows, "SDMX-CSV")


def read_sdmx_csv_json(payload: bytes) -> RawTable:
    """SDMX-CSV rows converted by some tool to a JSON array of objects with the CSV column names."""
    document = parse_json(payload, "SDMX-CSV-as-JSON payload")
    if not isinstance(document, list) or not all(isinstance(r, dict) for r in document):
        raise PayloadError("SDMX-CSV-as-JSON payload is not an array of row objects")
    if not document:
        raise NoDataError("SDMX-CSV-as-JSON payload holds no rows")
    header = list(document[0])
    rows = []
    for number, record in enumerate(document, start=1):
        if list(record) != header:
            raise PayloadError(f"row {number} has columns {list(record)}, the first row {header}")
        rows.append({k: _json_text(k, v, number) for k, v in record.items()})
    return _table(header, rows, "SDMX-CSV-as-JSON")


def _json_text(column: str, value: Any, number: int) -> str:
    if isinstance(value, bool):
        # A loosely typed converter turned a code (e.g. sex "T") into a boolean: the code is lost.
        raise PayloadError(
            f"row {number}: column {column!r} holds the boolean {value!r}, not a code; "
            "the file went through a converter that turned codes such as 'T' into booleans"
        )
    if value is None:
        return ""
    if isinstance(value, int | float | str):
        return str(value)
    raise PayloadError(f"row {number}: column {column!r} holds {type(value).__name__}, not a scalar")


def _table(header: Sequence[str], rows: Sequence[Mapping[str, str]], what: str) -> RawTable:
    for required in ("TIME_PERIOD", "OBS_VALUE"):
        if required not in header:
            raise PayloadError(f"{what} has no {required} column (header: {', '.join(header)})")
    if len(set(header)) != len(header):
        raise PayloadError(f"{what} header repeats a column: {', '.join(header)}")
    dimensions = tuple(h for h in header if h not in _NON_DIMENSIONS)
    if not rows:
        raise NoDataError(f"{what} has a header and no rows: the query is valid but matched no data")
    observations = []
    dataflows = {r.get("DATAFLOW", "") for r in rows}
    updates = {r.get("LAST UPDATE", "") for r in rows}
    for number, row in enumerate(rows, start=2):
        raw_value = row["OBS_VALUE"].strip()
        where = f"{what} row {number}"
        value = None if raw_value in ("", ":") else parse_number(raw_value, where)
        flag = combine_flags(value, row.get("OBS_FLAG", ""), row.get("CONF_STATUS", "").lower())
        codes = tuple(row[d].strip() for d in dimensions)
        observations.append(RawObservation(codes, row["TIME_PERIOD"].strip(), value, flag))
    if len(dataflows) > 1:
        raise PayloadError(f"{what} mixes dataflows: {sorted(dataflows)}")
    return RawTable(
        dataflow=dataflows.pop() or None,
        last_update=_newest_stamp(updates),
        dimensions=dimensions,
        rows=tuple(observations),
    )


def _newest_stamp(stamps: set[str]) -> str | None:
    known = [s for s in stamps if s]
    return max(known, key=normalise_stamp) if known else None
