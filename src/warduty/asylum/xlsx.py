"""Just enough of XLSX (a zip of XML parts) to read one worksheet's cell texts, using the stdlib only."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from xml.etree import ElementTree

from warduty.asylum.errors import PayloadError

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
}
MAX_PART_BYTES = 200 * 1024 * 1024  # a zip bomb stops here
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")


def sheet_names(payload: bytes) -> list[str]:
    with _open(payload) as archive:
        workbook = _xml(archive, "xl/workbook.xml")
        return [s.get("name", "") for s in workbook.iterfind("m:sheets/m:sheet", _NS)]


def read_sheet(payload: bytes, name: str) -> list[list[str]]:
    """Rows of cell texts (empty string where a cell is blank) of the sheet called ``name``."""
    with _open(payload) as archive:
        workbook = _xml(archive, "xl/workbook.xml")
        relation = None
        for sheet in workbook.iterfind("m:sheets/m:sheet", _NS):
            if sheet.get("name") == name:
                relation = sheet.get(f"{{{_NS['r']}}}id")
        if relation is None:
            raise PayloadError(f"workbook has no sheet {name!r}")
        rels = _xml(archive, "xl/_rels/workbook.xml.rels")
        target = next(
            (r.get("Target") for r in rels.iterfind("pr:Relationship", _NS) if r.get("Id") == relation), None
        )
        if not target:
            raise PayloadError(f"workbook does not say where sheet {name!r} is stored")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        shared = _shared_strings(archive)
        return _rows(_xml(archive, path), shared)


def _open(payload: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(BytesIO(payload))
    except zipfile.BadZipFile as exc:
        raise PayloadError(f"not a readable XLSX (zip) file: {exc}") from exc


def _xml(archive: zipfile.ZipFile, path: str) -> ElementTree.Element:
    try:
        info = archive.getinfo(path)
    except KeyError as exc:
        raise PayloadError(f"XLSX lacks the part {path}") from exc
    if info.file_size > MAX_PART_BYTES:
        raise PayloadError(f"XLSX part {path} is {info.file_size} bytes, over the limit")
    try:
        data = archive.read(info)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise PayloadError(f"XLSX part {path} is corrupt: {exc}") from exc
    if b"<!DOCTYPE" in data[:2048] or b"<!ENTITY" in data[:4096]:
        raise PayloadError(f"XLSX part {path} declares a DTD; refusing it")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise PayloadError(f"XLSX part {path} is not well-formed XML: {exc}") from exc


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    root = _xml(archive, "xl/sharedStrings.xml")
    return [
        "".join(t.text or "" for t in item.iter(f"{{{_NS['m']}}}t")) for item in root.iterfind("m:si", _NS)
    ]


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _rows(sheet: ElementTree.Element, shared: list[str]) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in sheet.iterfind("m:sheetData/m:row", _NS):
        cells: dict[int, str] = {}
        for position, cell in enumerate(row.iterfind("m:c", _NS)):
            match = _CELL_REF.match(cell.get("r", ""))
            column = _column_index(match.group(1)) if match else position
            cells[column] = _cell_text(cell, shared)
        width = max(cells, default=-1) + 1
        rows.append([cells.get(i, "") for i in range(width)])
    return rows


def _cell_text(cell: ElementTree.Element, shared: list[str]) -> str:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(f"{{{_NS['m']}}}t"))
    value = cell.find("m:v", _NS)
    text = value.text if value is not None and value.text is not None else ""
    if kind == "s":
        try:
            return shared[int(text)]
        except (ValueError, IndexError) as exc:
            raise PayloadError(f"XLSX cell {cell.get('r')} points at a missing shared string") from exc
    return text
