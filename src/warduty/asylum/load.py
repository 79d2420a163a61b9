"""Read any saved payload: sniff the format from its bytes, then hand it to the right reader."""

from __future__ import annotations

import re

from warduty.asylum import eurostat
from warduty.asylum.codes import DATASET_DIMENSIONS
from warduty.asylum.errors import PayloadError
from warduty.asylum.model import ReadResult
from warduty.asylum.snapshot import read_derived_series
from warduty.asylum.tsv import maybe_gunzip
from warduty.asylum.ukho import read_ukho
from warduty.asylum.unhcr import read_unhcr


def detect_format(payload: bytes) -> str:
    """One of json-stat, sdmx-csv, sdmx-csv-json, tsv, unhcr-json, ukho, derived-json, soap-fault."""
    if payload.startswith(b"PK\x03\x04"):
        return "ukho"
    head = payload[:8192].decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    first_line = head.split("\n", 1)[0]
    if head.startswith("{"):
        if '"series"' in head and '"provenance"' in head:
            return "derived-json"
        if re.search(r'"(items|maxPages)"\s*:', head):
            return "unhcr-json"
        return "json-stat"
    if head.startswith("["):
        return "sdmx-csv-json"
    if head.startswith("<"):
        return "soap-fault" if "Fault" in head else "xml"
    if "\t" in first_line and "\\" in first_line.split("\t", 1)[0]:
        return "tsv"
    if "TIME_PERIOD" in first_line and "OBS_VALUE" in first_line:
        return "sdmx-csv"
    if "Nationality" in head and "Applications" in head:
        return "ukho"
    raise PayloadError(
        "unrecognised payload: not JSON-stat, SDMX-CSV, Eurostat TSV, UNHCR JSON or the UK asylum table"
    )


def guess_dataset(name: str) -> str | None:
    """A known Eurostat dataset code inside a file name, e.g. ``migr_asyappctzm_RU.tsv``."""
    lowered = name.lower()
    found = [code for code in DATASET_DIMENSIONS if code in lowered]
    return found[0] if len(found) == 1 else None


def read_payload(
    payload: bytes, *, dataset: str | None = None, name: str = "", vintage: str | None = None
) -> ReadResult:
    """Observations from saved bytes of any supported format. ``vintage`` is used when the payload has
    no last-update stamp of its own (TSV, UNHCR, UK, the derived series)."""
    data = maybe_gunzip(payload)
    fmt = detect_format(data)
    wanted = dataset or guess_dataset(name)
    result: ReadResult
    if fmt == "json-stat":
        result = eurostat.read_jsonstat(data, wanted)
    elif fmt == "sdmx-csv":
        result = eurostat.read_csv(data, wanted)
    elif fmt == "sdmx-csv-json":
        result = eurostat.read_csv_json(data, wanted)
    elif fmt == "tsv":
        result = eurostat.read_tsv_payload(data, wanted)
    elif fmt == "unhcr-json":
        result = read_unhcr(data)
    elif fmt == "ukho":
        result = read_ukho(data)
    elif fmt == "derived-json":
        result = read_derived_series(data)
    elif fmt == "soap-fault":
        eurostat.raise_for_soap_fault(data)
        raise PayloadError("XML payload looks like a fault but carries none that can be read")
    else:
        raise PayloadError("SDMX-ML (XML) payloads are not read; ask Eurostat for SDMX-CSV or JSON-stat")
    if result.vintage is None and vintage is not None:
        return ReadResult(
            result.source, result.dataset, result.observations, vintage, result.format, result.legacy
        )
    return result
