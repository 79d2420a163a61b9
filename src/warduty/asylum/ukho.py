"""UK Home Office quarterly asylum applications (detailed dataset, sheet ``Data - Asy_D01``).

Columns: Year, Quarter, Nationality, Region, Age, Sex, Applicant type, UASC, Location of application,
Applications. Rows for one nationality are summed over UASC and location (disjoint categories) and kept
apart by quarter, applicant type (MAIN/DEP), sex and age. Reads the XLSX or the same table saved as CSV.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict

from warduty.asylum.cells import parse_number
from warduty.asylum.errors import NoDataError, PayloadError, StructureChangedError
from warduty.asylum.model import AsylumObservation, ReadResult
from warduty.asylum.xlsx import read_sheet, sheet_names

SOURCE = "ukho"
DATASET = "asy_d01"
SHEET = "Data - Asy_D01"
GEO = "UK"  # Eurostat's code for the United Kingdom
REQUIRED = ("Year", "Quarter", "Nationality", "Age", "Sex", "Applicant type", "Applications")
_APPLICANT = {"main applicant": "MAIN", "dependant": "DEP", "dependent": "DEP"}
_SEX = {"male": "M", "female": "F"}


def read_ukho(payload: bytes, nationality: str = "Russia", vintage: str | None = None) -> ReadResult:
    rows = _xlsx_rows(payload) if payload.startswith(b"PK\x03\x04") else _csv_rows(payload)
    return ReadResult(SOURCE, DATASET, ukho_observations(rows, nationality), vintage, "ukho")


def ukho_observations(rows: list[list[str]], nationality: str = "Russia") -> tuple[AsylumObservation, ...]:
    header_at = next(
        (i for i, row in enumerate(rows[:10]) if {"Nationality", "Applications"} <= {c.strip() for c in row}),
        None,
    )
    if header_at is None:
        raise StructureChangedError("UK table has no header row with 'Nationality' and 'Applications'")
    header = [c.strip() for c in rows[header_at]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise StructureChangedError(f"UK table lacks column(s) {missing}; header: {header}")
    column = {name: header.index(name) for name in REQUIRED}
    totals: dict[tuple[str, str, str, str], float] = defaultdict(float)
    wanted = nationality.strip().casefold()
    for number, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if not any(c.strip() for c in row):
            continue
        cells = row + [""] * (len(header) - len(row))
        if cells[column["Nationality"]].strip().casefold() != wanted:
            continue
        where = f"UK table row {number}"
        key = (
            _quarter(cells[column["Year"]], cells[column["Quarter"]], where),
            _applicant(cells[column["Applicant type"]], where),
            _SEX.get(cells[column["Sex"]].strip().casefold(), "UNK"),
            _age(cells[column["Age"]], where),
        )
        totals[key] += parse_number(cells[column["Applications"]].strip().replace(",", ""), where)
    if not totals:
        raise NoDataError(f"UK table has no rows for nationality {nationality!r}")
    return tuple(
        AsylumObservation(
            source=SOURCE,
            dataset=DATASET,
            citizen="RU" if wanted == "russia" else nationality,
            geo=GEO,
            period=period,
            applicant=applicant,
            sex=sex,
            age=age,
            unit="PER",
            value=value,
        )
        for (period, applicant, sex, age), value in sorted(totals.items())
    )


def _xlsx_rows(payload: bytes) -> list[list[str]]:
    names = sheet_names(payload)
    if SHEET not in names:
        raise StructureChangedError(f"UK workbook has no sheet {SHEET!r}; sheets: {names}")
    return read_sheet(payload, SHEET)


def _csv_rows(payload: bytes) -> list[list[str]]:
    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PayloadError(f"UK CSV is not UTF-8 (byte {exc.start})") from exc
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise PayloadError(f"UK CSV cannot be split into fields: {exc}") from exc


def _quarter(year: str, quarter: str, where: str) -> str:
    text = quarter.strip()
    if match := re.fullmatch(r"Q([1-4])", text):
        year_text = year.strip().split(".")[0]  # spreadsheets store 2024 as "2024.0" at times
        if not re.fullmatch(r"\d{4}", year_text):
            raise PayloadError(f"{where}: year {year!r} is not a year")
        return f"{year_text}-Q{match.group(1)}"
    if match := re.fullmatch(r"(\d{4})\s*-?\s*Q([1-4])", text):
        return f"{match.group(1)}-Q{match.group(2)}"
    raise PayloadError(f"{where}: quarter {quarter!r} is not Q1..Q4 or '2024 Q1'")


def _applicant(raw: str, where: str) -> str:
    code = _APPLICANT.get(raw.strip().casefold())
    if code is None:
        raise StructureChangedError(f"{where}: unknown applicant type {raw!r}")
    return code


def _age(raw: str, where: str) -> str:
    text = raw.strip()
    if match := re.fullmatch(r"(\d+)\s*-\s*(\d+)", text):
        return f"Y{match.group(1)}-{match.group(2)}"
    if match := re.fullmatch(r"(?i)under\s+(\d+)", text):
        return f"Y_LT{match.group(1)}"
    if match := re.fullmatch(r"(\d+)\s*\+", text):
        return f"Y_GE{match.group(1)}"
    if "unknown" in text.casefold() or not text:
        return "UNK"
    if text.casefold() in ("total", "all ages"):
        return "TOTAL"
    raise StructureChangedError(f"{where}: unknown age group {raw!r}")
