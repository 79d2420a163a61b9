"""Search result lists of both engines, checked against their counter.

Standard: ``table#tablcont`` whose header names «№ дела»; counter «Всего по запросу найдено — N. На
странице записи с F по L» in a plain cell. Vintage (samara_kas_appeal_uid_results.html):
``div#resultTable > table.law-case-table`` whose ``thead`` names «Номер дела»; counter in
``div.lawcase-count`` «Всего по запросу найдено - <b>N</b>. На странице записи с <b>F</b> по <b>L</b>.»;
act links are card links with ``_doc=K``. The page repeats every row as a mobile card (``div#resultMob``),
which is not read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import parse_qs, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from warduty.sudrf.card import require_complete
from warduty.sudrf.errors import PageFormatError
from warduty.sudrf.markup import html_tree
from warduty.sudrf.records import Engine, Listing, ListingRow
from warduty.sudrf.tables import LabelTest, cell_text, find_header, links, row_cells, starts, table_rows
from warduty.sudrf.text import label_key, or_none, parse_date, squash

_DASH = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212:"
_TOTAL = re.compile(rf"найдено\s*[{_DASH}]*\s*(\d+)", re.IGNORECASE)
_RANGE = re.compile(r"\bс\s*(\d+)\s*по\s*(\d+)", re.IGNORECASE)
_COLUMN_SPEC: dict[str, LabelTest] = {
    "case_number": starts("№ ДЕЛА", "НОМЕР ДЕЛА"),
    "received": starts("ДАТА ПОСТУПЛЕНИЯ"),
    "judge": starts("СУДЬЯ"),
    "decided": starts("ДАТА РЕШЕНИЯ", "ДАТА РАССМОТРЕНИЯ"),
    "result": starts("РЕШЕНИЕ", "РЕЗУЛЬТАТ"),
    "legal_force": starts("ДАТА ВСТУПЛЕНИЯ"),
    "acts": starts("СУДЕБНЫЕ АКТЫ"),
    "info": lambda key: bool(key),
}
_CARD_LINK = re.compile(r"name_op=case", re.IGNORECASE)
_VINTAGE_ACT_LINK = re.compile(r"[?&]_doc=\d", re.IGNORECASE)


def find_result_table(tree: LexborHTMLParser) -> tuple[Engine, LexborNode] | None:
    """The engine and result table of a result page, or None when the page has none."""
    for table in tree.css("div#resultTable > table.law-case-table"):
        if _names_case_number(table, "НОМЕР ДЕЛА"):
            return Engine.VINTAGE, table
    for table in tree.css("table#tablcont"):
        if _names_case_number(table, "№ ДЕЛА"):
            return Engine.STANDARD, table
    return None


def _names_case_number(table: LexborNode, label: str) -> bool:
    # Header cells are th on the standard engine and td inside thead on the vintage one.
    header_cells = [*table.css("th"), *table.css("thead td")]
    return any(label_key(cell_text(cell)).startswith(label) for cell in header_cells)


def parse_listing(html: str, base_url: str | None = None) -> Listing:
    """Rows, counter and page range of a result page. Raises ``PageFormatError`` on a structural break."""
    require_complete(html)
    tree = html_tree(html)
    found = find_result_table(tree)
    if found is None:
        raise PageFormatError(
            "no result table (table#tablcont naming «№ дела», or div#resultTable > table.law-case-table"
            " naming «Номер дела»)"
        )
    engine, table = found
    counter = _vintage_counter(tree) if engine is Engine.VINTAGE else _standard_counter(tree)
    warnings: list[str] = []
    rows = _rows(table, engine, base_url, warnings)
    total, first, last = _counter(counter)
    _check(total, first, last, len(rows), warnings)
    return Listing(
        engine=engine, total=total, first=first, last=last, rows=tuple(rows), warnings=tuple(warnings)
    )


def _standard_counter(tree: LexborHTMLParser) -> str:
    for cell in tree.css("td"):
        text = cell.text()
        if "Всего по запросу найдено" in text and len(text) < 400:
            return squash(text)
    return ""


def _vintage_counter(tree: LexborHTMLParser) -> str:
    node = tree.css_first("div.lawcase-count")
    return squash(node.text()) if node is not None else ""


def _counter(text: str) -> tuple[int, int | None, int | None]:
    total = _TOTAL.search(text)
    if total is None:
        raise PageFormatError("listing counter «Всего по запросу найдено — N» not found")
    span = _RANGE.search(text[total.end() :])
    if span is None:
        return int(total.group(1)), None, None
    return int(total.group(1)), int(span.group(1)), int(span.group(2))


def _check(total: int, first: int | None, last: int | None, count: int, warnings: list[str]) -> None:
    if first is None or last is None:
        warnings.append("listing counter has no page range «с F по L»")
        if count > total:
            warnings.append(f"{count} rows parsed but the counter says {total} in all")
        return
    if last < first or last > total:
        warnings.append(f"page range {first}–{last} does not fit the total {total}")
    expected = last - first + 1
    if count != expected:
        warnings.append(f"{count} rows parsed but the page range {first}–{last} promises {expected}")


def _rows(table: LexborNode, engine: Engine, base_url: str | None, warnings: list[str]) -> list[ListingRow]:
    all_rows = table_rows(table)
    start, header = find_header(
        all_rows, _COLUMN_SPEC, ("case_number", "received", "info"), lambda key: False, "result table"
    )
    warnings.extend(f"result table: unknown column «{label}» not read" for label in header.unknown)
    rows: list[ListingRow] = []
    for number, row in enumerate(all_rows[start + 1 :], start=1):
        cells = row_cells(row)
        if not cells or all(cell.tag == "th" for cell in cells):
            continue
        if len(cells) != header.width:
            warnings.append(f"result row {number} has {len(cells)} cells, header has {header.width}; skipped")
            continue
        parsed = _row(cells, header.columns, engine, base_url)
        if parsed is None:
            warnings.append(f"result row {number} has no card link; skipped")
            continue
        rows.append(parsed)
    return rows


def _row(
    cells: list[LexborNode], columns: Mapping[str, int], engine: Engine, base_url: str | None
) -> ListingRow | None:
    def text(name: str) -> str:
        position = columns.get(name)
        return cell_text(cells[position]) if position is not None else ""

    number_cell = cells[columns["case_number"]]
    link = next((a for a in links(number_cell) if _CARD_LINK.search(a.attributes.get("href") or "")), None)
    if link is None:
        return None
    href = link.attributes.get("href") or ""
    query = parse_qs(urlsplit(href).query)
    number_raw = squash(link.text()) or squash(number_cell.text())
    acts_position = columns.get("acts")
    act_cells = [cells[acts_position]] if acts_position is not None else cells
    act_hrefs = (a.attributes.get("href") or "" for cell in act_cells for a in links(cell))
    act_urls = tuple(_absolute(act, base_url) for act in act_hrefs if _is_act_link(act, engine))
    received_raw, decided_raw, force_raw = text("received"), text("decided"), text("legal_force")
    return ListingRow(
        case_number=number_raw.split()[0] if number_raw else "",
        case_number_raw=number_raw,
        card_url=_absolute(href, base_url),
        case_id=_first(query, "case_id", "_id"),
        case_uid=_first(query, "case_uid", "_uid"),
        received=parse_date(received_raw),
        received_raw=received_raw,
        info=text("info"),
        judge=or_none(text("judge")),
        decided=parse_date(decided_raw),
        decided_raw=decided_raw,
        result=or_none(text("result")),
        legal_force=parse_date(force_raw),
        legal_force_raw=force_raw,
        act_urls=act_urls,
    )


def _is_act_link(href: str, engine: Engine) -> bool:
    if engine is Engine.VINTAGE:
        # The vintage engine opens an act as the card's document tab: name_op=case&…&_doc=K.
        return bool(_CARD_LINK.search(href) and _VINTAGE_ACT_LINK.search(href))
    return "name_op=doc" in href


def _first(query: dict[str, list[str]], *names: str) -> str | None:
    for name in names:
        values = query.get(name)
        if values and values[0]:
            return values[0]
    return None


def _absolute(href: str, base_url: str | None) -> str:
    return urljoin(base_url, href) if base_url else href
