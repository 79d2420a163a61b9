"""Shared pieces of the tabular Eurostat readers (SDMX-CSV, TSV): one parsed cell of text."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from warduty.asylum.errors import PayloadError
from warduty.asylum.model import MISSING_FLAG


@dataclass(frozen=True, slots=True)
class RawObservation:
    """One observation before it is mapped to a dataset: dimension codes in column order."""

    codes: tuple[str, ...]
    period: str
    value: float | None
    flag: str


@dataclass(frozen=True, slots=True)
class RawTable:
    dataflow: str | None  # e.g. "ESTAT:MIGR_ASYAPPCTZM(1.0)"
    last_update: str | None
    dimensions: tuple[str, ...]
    rows: tuple[RawObservation, ...]
    time_name: str = "TIME_PERIOD"


def parse_number(text: str, where: str) -> float:
    try:
        number = float(text)
    except (ValueError, OverflowError) as exc:
        raise PayloadError(f"{where}: {text!r} is not a number") from exc
    if not math.isfinite(number):
        raise PayloadError(f"{where}: {text!r} is not a finite number")
    return number


def combine_flags(value: float | None, *flags: str) -> str:
    """Flags as stored: verbatim and joined; a missing value without a flag gets ':' (never zero)."""
    joined = ""
    for flag in flags:
        for part in flag.split():
            if part and part not in joined:
                joined += part
    if value is None and not joined:
        return MISSING_FLAG
    return joined


_TSV_CELL = re.compile(r"^(?P<value>:|[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*(?P<flag>[A-Za-z@]*)$")


def parse_tsv_cell(cell: str, where: str) -> tuple[float | None, str]:
    """``95 p`` -> (95.0, 'p'); ``: c`` -> (None, 'c'); ``:`` -> (None, ':'); ``100 `` -> (100.0, '')."""
    text = cell.strip()
    match = _TSV_CELL.match(text)
    if not match:
        raise PayloadError(f"{where}: cannot read cell {cell!r} (expected 'value flag' or ': flag')")
    raw_value, flag = match.group("value"), match.group("flag")
    value = None if raw_value == ":" else parse_number(raw_value, where)
    return value, combine_flags(value, flag)
