"""Eurostat's own TSV: ``dims\\TIME_PERIOD`` then one column per period, cells ``value flag``.

Handles what the files really look like: trailing spaces in header and cells, CRLF line ends, ``: c``
style missing cells, gzip compression, and the legacy bulk layout (``geo\\time``, descending periods,
``2018M03`` months, ``asyl_app`` dimension).
"""

from __future__ import annotations

import zlib

from warduty.asylum.cells import RawObservation, RawTable, parse_tsv_cell
from warduty.asylum.errors import NoDataError, PayloadError

# A gzip bomb must not fill memory: Eurostat's filtered TSVs are far below this.
MAX_DECOMPRESSED = 256 * 1024 * 1024


def maybe_gunzip(payload: bytes) -> bytes:
    if not payload.startswith(b"\x1f\x8b"):
        return payload
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(payload, MAX_DECOMPRESSED)
    except zlib.error as exc:
        raise PayloadError(f"gzip data is corrupt: {exc}") from exc
    if inflater.unconsumed_tail:
        raise PayloadError(f"gzip data expands beyond {MAX_DECOMPRESSED} bytes")
    if not inflater.eof:
        raise PayloadError("gzip data is truncated")
    return data


def read_tsv(payload: bytes) -> RawTable:
    data = maybe_gunzip(payload)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PayloadError(f"TSV is not UTF-8 (byte {exc.start}): mis-encoded or binary") from exc
    lines = [line.rstrip("\r") for line in text.split("\n")]
    lines = [line for line in lines if line.strip()]
    if not lines:
        raise PayloadError("TSV is empty")
    header = lines[0].split("\t")
    key_spec = header[0].strip()
    if "\\" not in key_spec or len(header) < 2:
        raise PayloadError(f"TSV header does not start with 'dimensions\\time' and periods: {key_spec!r}")
    dims_text, time_name = key_spec.rsplit("\\", 1)
    dimensions = tuple(d.strip() for d in dims_text.split(","))
    periods = [p.strip() for p in header[1:]]
    if any(not p for p in periods):
        raise PayloadError("TSV header has an empty period column")
    if len(lines) == 1:
        raise NoDataError("TSV has a header and no rows: the query matched no data")
    rows: list[RawObservation] = []
    for line_number, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        if len(fields) != len(header):
            raise PayloadError(
                f"TSV line {line_number} has {len(fields)} fields, the header {len(header)} (truncated?)"
            )
        codes = tuple(c.strip() for c in fields[0].split(","))
        if len(codes) != len(dimensions):
            raise PayloadError(f"TSV line {line_number} has {len(codes)} key codes for {len(dimensions)}")
        for period, cell in zip(periods, fields[1:], strict=True):
            value, flag = parse_tsv_cell(cell, f"TSV line {line_number} period {period}")
            rows.append(RawObservation(codes, period, value, flag))
    return RawTable(
        dataflow=None, last_update=None, dimensions=dimensions, rows=tuple(rows), time_name=time_name
    )
