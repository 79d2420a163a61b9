"""Paths of the test payloads and a minimal XLSX writer (the UK table is a workbook)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from tests.reference import REFERENCE, require

# Recorded Eurostat/UNHCR payloads are third-party documents: read from ../shared, never copied here.
REAL_PAYLOADS = REFERENCE / "asylum" / "examples"
# Placeholder-number payloads in the documented shapes (the reference folder's and ours).
SYNTHETIC = Path(__file__).resolve().parent.parent / "fixtures" / "asylum" / "synthetic"


def payload(name: str) -> Path:
    """A recorded payload by file name; skips (fails under CI=true) where ../shared is absent."""
    return require(REAL_PAYLOADS / name)


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def make_xlsx(rows: Sequence[Sequence[str | int]], sheet: str = "Data - Asy_D01") -> bytes:
    """A workbook with one sheet; text goes to shared strings, numbers stay numbers."""
    strings: list[str] = []
    xml_rows = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{_column(c)}{r}"
            if isinstance(value, int):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                strings.append(value)
                cells.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
        xml_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        '<sheet name="Cover" sheetId="1" r:id="rId1"/>'
        f'<sheet name="{escape(sheet)}" sheetId="2" r:id="rId2"/>'
        "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="ws"/>'
        '<Relationship Id="rId2" Target="worksheets/sheet2.xml" Type="ws"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData/></worksheet>',
        "xl/worksheets/sheet2.xml": f'<worksheet xmlns="{main}"><sheetData>'
        + "".join(xml_rows)
        + "</sheetData></worksheet>",
        "xl/sharedStrings.xml": f'<sst xmlns="{main}">'
        + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
        + "</sst>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()
