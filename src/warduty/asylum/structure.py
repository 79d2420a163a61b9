"""SDMX 2.1 structure messages (data structure definition with its codelists) -> dimension order and codes.

Used to check, before reading data, that a dataset still has the dimensions and codes we query: a rename
(like ``asyl_app`` -> ``applicant``) must stop the run with a clear message, not return empty series.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree

from warduty.asylum.codes import (
    DATASET_DIMENSIONS,
    LEGACY_APPLICANT_CODES,
    map_legacy_dimension,
)
from warduty.asylum.errors import PayloadError, StructureChangedError


@dataclass(frozen=True, slots=True)
class DatasetStructure:
    dimensions: tuple[str, ...]  # key order, time dimension excluded
    codes: dict[str, frozenset[str]]  # dimension -> codes of its codelist (where the message has it)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_structure(payload: bytes) -> DatasetStructure:
    if b"<!DOCTYPE" in payload[:2048] or b"<!ENTITY" in payload[:8192]:
        raise PayloadError("structure message declares a DTD; refusing it")
    try:
        root = ElementTree.fromstring(payload)
    except ElementTree.ParseError as exc:
        raise PayloadError(f"structure message is not well-formed XML: {exc}") from exc
    if _local(root.tag) == "Fault":
        raise PayloadError("structure request answered with a SOAP fault")
    codelists: dict[str, frozenset[str]] = {}
    for element in root.iter():
        if _local(element.tag) == "Codelist" and element.get("id"):
            members = frozenset(c.get("id", "") for c in element if _local(c.tag) == "Code")
            codelists[element.get("id", "")] = members
    dimensions: list[tuple[int, str, str | None]] = []
    for element in root.iter():
        if _local(element.tag) != "Dimension" or not element.get("id"):
            continue
        reference = next(
            (r.get("id") for r in element.iter() if _local(r.tag) == "Ref" and r.get("class") == "Codelist"),
            None,
        )
        position = element.get("position", str(len(dimensions) + 1))
        if not position.isdigit():
            raise PayloadError(f"dimension {element.get('id')!r} has position {position!r}")
        dimensions.append((int(position), element.get("id", ""), reference))
    if not dimensions:
        raise PayloadError("structure message lists no dimensions")
    dimensions.sort()
    names = tuple(name for _, name, _ in dimensions)
    codes = {name: codelists[ref] for _, name, ref in dimensions if ref in codelists}
    return DatasetStructure(names, codes)


def check_structure(dataset: str, structure: DatasetStructure, wanted: dict[str, tuple[str, ...]]) -> None:
    """Raise StructureChangedError unless the dimensions and order are as known and every wanted code
    (after mapping the legacy applicant codes) is in its codelist."""
    expected = DATASET_DIMENSIONS.get(dataset)
    if expected is None:
        raise StructureChangedError(f"dataset {dataset!r} is not an asylum dataset this package reads")
    found = tuple(map_legacy_dimension(d.lower()) for d in structure.dimensions)
    if found != expected:
        raise StructureChangedError(
            f"{dataset}: the structure now has dimensions {', '.join(structure.dimensions)}; "
            f"expected {', '.join(expected)}"
        )
    reverse_legacy = {new: old for old, new in LEGACY_APPLICANT_CODES.items()}
    for original, name in zip(structure.dimensions, found, strict=True):
        codelist = structure.codes.get(original)
        if codelist is None:
            continue
        for code in wanted.get(name, ()):
            if code not in codelist and reverse_legacy.get(code) not in codelist:
                raise StructureChangedError(
                    f"{dataset}: code {code!r} is no longer in the codelist of {original!r} "
                    f"({len(codelist)} codes, e.g. {', '.join(sorted(codelist)[:8])})"
                )
