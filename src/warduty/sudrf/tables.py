"""Reading sud_delo tables: cells as text, header rows mapped to fields by label, label/value tables."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from selectolax.lexbor import LexborNode

from warduty.sudrf.errors import PageFormatError
from warduty.sudrf.text import fragment_text, label_key, squash

LabelTest = Callable[[str], bool]


def starts(*prefixes: str) -> LabelTest:
    return lambda key: key.startswith(prefixes)


def equals(*labels: str) -> LabelTest:
    return lambda key: key in labels


def cell_text(cell: LexborNode) -> str:
    markup = cell.html or ""
    if markup.count("<") <= 2:  # a plain cell: only its own open and close tags
        return squash(cell.text())
    return fragment_text(markup)


def links(node: LexborNode) -> list[LexborNode]:
    """The ``a`` elements of ``node`` (itself included) in document order, as ``node.css("a")`` finds them
    but without compiling a selector on every call (a few per result row)."""
    return [descendant for descendant in node.traverse() if descendant.tag == "a"]


def row_cells(row: LexborNode) -> list[LexborNode]:
    return [child for child in row.iter() if child.tag in ("td", "th")]


def table_rows(table: LexborNode) -> list[LexborNode]:
    """Rows of ``table`` itself (rows of nested tables are left out)."""
    rows: list[LexborNode] = []
    for child in table.iter():
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(grandchild for grandchild in child.iter() if grandchild.tag == "tr")
    return rows


@dataclass(frozen=True, slots=True)
class HeaderMap:
    """Where each field's column is, how many columns the header has, labels nobody claimed, and the
    columns the caller chose not to read (label, position)."""

    columns: Mapping[str, int]
    width: int
    unknown: tuple[str, ...]
    ignored: tuple[tuple[str, int], ...] = ()


def find_header(
    rows: Sequence[LexborNode],
    spec: Mapping[str, LabelTest],
    required: Sequence[str],
    ignored: LabelTest,
    what: str,
) -> tuple[int, HeaderMap]:
    """The first row whose cells name every required field; raises ``PageFormatError`` if none does."""
    for index, row in enumerate(rows):
        keys = [label_key(cell_text(cell)) for cell in row_cells(row)]
        columns: dict[str, int] = {}
        unknown: list[str] = []
        skipped: list[tuple[str, int]] = []
        for position, key in enumerate(keys):
            field = next((name for name, test in spec.items() if name not in columns and test(key)), None)
            if field is not None:
                columns[field] = position
            elif key and ignored(key):
                skipped.append((key, position))
            elif key:
                unknown.append(key)
        if all(name in columns for name in required):
            header = HeaderMap(
                columns=columns, width=len(keys), unknown=tuple(unknown), ignored=tuple(skipped)
            )
            return index, header
    raise PageFormatError(f"{what}: no header row naming {', '.join(required)}")


def label_values(table: LexborNode, what: str, warnings: list[str]) -> list[tuple[str, str]]:
    """Rows of a two-column label/value table. Title rows are skipped; odd rows become warnings."""
    pairs: list[tuple[str, str]] = []
    for number, row in enumerate(table_rows(table), start=1):
        cells = row_cells(row)
        if not cells or all(cell.tag == "th" for cell in cells):
            continue
        if len(cells) != 2:
            warnings.append(f"{what}: row {number} has {len(cells)} cells, expected label and value")
            continue
        label = fragment_text(cells[0].html or "").replace("\n", " ")
        if not label:
            warnings.append(f"{what}: row {number} has no label")
            continue
        pairs.append((label, cell_text(cells[1])))
    return pairs
