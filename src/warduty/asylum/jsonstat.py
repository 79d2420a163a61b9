"""A JSON-stat 2.0 dataset decoder that keeps status flags (pyjstat drops them).

``value`` and ``status`` come either as arrays over the whole cube or as sparse objects keyed by the
flat row-major index; cells absent from both are not emitted. Works for any Eurostat dataset.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from warduty.asylum.errors import PayloadError, SourceError
from warduty.asylum.model import MISSING_FLAG


@dataclass(frozen=True, slots=True)
class JsonStatCell:
    codes: tuple[str, ...]  # one category code per dimension, in ``ids`` order
    value: float | None
    flag: str


@dataclass(frozen=True, slots=True)
class JsonStatCube:
    label: str
    updated: str | None
    extension_id: str | None  # Eurostat puts the dataset code here, e.g. "MIGR_ASYAPPCTZM"
    ids: tuple[str, ...]
    sizes: tuple[int, ...]
    categories: Mapping[str, tuple[str, ...]]  # codes in position order
    labels: Mapping[str, Mapping[str, str]]
    cells: tuple[JsonStatCell, ...]

    def coordinates(self, cell: JsonStatCell) -> dict[str, str]:
        return dict(zip(self.ids, cell.codes, strict=True))


def parse_json(payload: bytes, what: str) -> Any:
    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PayloadError(f"{what} is not UTF-8 (byte {exc.start}): mis-encoded or binary") from exc
    if not text.strip():
        raise PayloadError(f"{what} is empty")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        hint = " (truncated?)" if exc.pos >= len(text.rstrip()) - 1 else ""
        raise PayloadError(f"{what} is not valid JSON at line {exc.lineno} column {exc.colno}{hint}") from exc
    except RecursionError as exc:
        raise PayloadError(f"{what} is nested too deeply to be JSON-stat") from exc


def raise_for_error_object(document: Any) -> None:
    """Eurostat's statistics API answers errors as ``{"error": [{"status", "id", "label"}]}``."""
    if not isinstance(document, dict) or "error" not in document:
        return
    errors = document["error"]
    first = errors[0] if isinstance(errors, list) and errors else errors
    if isinstance(first, dict):
        status = first.get("status")
        raise SourceError(
            f"source error {first.get('id', '')}: {first.get('label', first)}".strip(),
            status=status if isinstance(status, int) else None,
            code=str(first.get("id")) if first.get("id") is not None else None,
        )
    raise SourceError(f"source error: {errors!r}")


def decode_jsonstat(payload: bytes) -> JsonStatCube:
    document = parse_json(payload, "JSON-stat payload")
    raise_for_error_object(document)
    return decode_jsonstat_document(document)


def decode_jsonstat_document(document: Any) -> JsonStatCube:
    if not isinstance(document, dict):
        raise PayloadError("JSON-stat payload is not an object")
    if document.get("class", "dataset") != "dataset":
        raise PayloadError(f"JSON-stat class {document.get('class')!r} is not 'dataset'")
    ids = _string_list(document.get("id"), "id")
    sizes = _size_list(document.get("size"))
    if len(ids) != len(sizes):
        raise PayloadError(f"JSON-stat 'id' has {len(ids)} dimensions but 'size' has {len(sizes)}")
    if len(set(ids)) != len(ids):
        raise PayloadError(f"JSON-stat 'id' repeats a dimension: {ids}")
    dimensions = document.get("dimension")
    if not isinstance(dimensions, dict):
        raise PayloadError("JSON-stat 'dimension' is missing or not an object")
    categories: dict[str, tuple[str, ...]] = {}
    labels: dict[str, dict[str, str]] = {}
    for dim, size in zip(ids, sizes, strict=True):
        categories[dim], labels[dim] = _categories(dimensions.get(dim), dim, size)
    total = math.prod(sizes)
    values = _indexed(document.get("value"), total, "value", required=True)
    statuses = _indexed(document.get("status"), total, "status", required=False)
    cells = []
    strides = [math.prod(sizes[j + 1 :]) for j in range(len(sizes))]
    for flat in sorted(set(values) | set(statuses)):
        value = _number(values.get(flat), flat)
        status = statuses.get(flat)
        flag = str(status).strip() if status is not None else ""
        if value is None and not flag:
            flag = MISSING_FLAG
        codes = tuple(categories[d][(flat // s) % n] for d, s, n in zip(ids, strides, sizes, strict=True))
        cells.append(JsonStatCell(codes, value, flag))
    updated = document.get("updated")
    extension = document.get("extension")
    extension_id = extension.get("id") if isinstance(extension, dict) else None
    return JsonStatCube(
        label=str(document.get("label", "")),
        updated=updated if isinstance(updated, str) else None,
        extension_id=extension_id if isinstance(extension_id, str) else None,
        ids=tuple(ids),
        sizes=tuple(sizes),
        categories=categories,
        labels=labels,
        cells=tuple(cells),
    )


def _string_list(raw: Any, name: str) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise PayloadError(f"JSON-stat {name!r} is missing or not a list of strings")
    return raw


def _size_list(raw: Any) -> list[int]:
    if not isinstance(raw, list) or not all(type(x) is int and x >= 0 for x in raw):
        raise PayloadError("JSON-stat 'size' is missing or not a list of non-negative integers")
    return raw


def _categories(raw: Any, dim: str, size: int) -> tuple[tuple[str, ...], dict[str, str]]:
    if not isinstance(raw, dict) or not isinstance(raw.get("category"), dict):
        raise PayloadError(f"JSON-stat dimension {dim!r} has no 'category'")
    category = raw["category"]
    label_map = category.get("label") or {}
    if not isinstance(label_map, dict):
        raise PayloadError(f"JSON-stat dimension {dim!r} has a malformed 'label'")
    index = category.get("index")
    if index is None and len(label_map) == 1:
        index = {next(iter(label_map)): 0}  # JSON-stat allows a lone category without an index
    if isinstance(index, list):
        index = {code: position for position, code in enumerate(index)}
    if not isinstance(index, dict) or not all(
        isinstance(code, str) and type(pos) is int for code, pos in index.items()
    ):
        raise PayloadError(f"JSON-stat dimension {dim!r} has a malformed category index")
    if sorted(index.values()) != list(range(size)):
        raise PayloadError(
            f"JSON-stat dimension {dim!r} lists {len(index)} categories but 'size' says {size}: "
            "dimension order or sizes do not match"
        )
    codes = tuple(sorted(index, key=index.__getitem__))
    return codes, {str(k): str(v) for k, v in label_map.items()}


def _indexed(raw: Any, total: int, name: str, *, required: bool) -> dict[int, Any]:
    if raw is None:
        if required:
            raise PayloadError(f"JSON-stat {name!r} is missing")
        return {}
    if isinstance(raw, str) and name == "status":  # one flag for every cell
        return dict.fromkeys(range(total), raw)
    if isinstance(raw, list):
        if len(raw) != total:
            raise PayloadError(f"JSON-stat {name!r} has {len(raw)} entries for {total} cells")
        return {i: v for i, v in enumerate(raw) if v is not None}
    if not isinstance(raw, dict):
        raise PayloadError(f"JSON-stat {name!r} is neither an array nor an object")
    result: dict[int, Any] = {}
    for key, item in raw.items():
        if not (isinstance(key, str) and key.isdigit()):
            raise PayloadError(f"JSON-stat {name!r} has a non-numeric key {key!r}")
        flat = int(key)
        if flat >= total:
            raise PayloadError(
                f"JSON-stat {name!r} index {flat} lies outside the cube of {total} cells "
                "(sizes or dimension order wrong)"
            )
        if item is not None:
            result[flat] = item
    return result


def _number(raw: Any, flat: int) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise PayloadError(f"JSON-stat value at index {flat} is not a number: {raw!r}")
    try:
        number = float(raw)
    except OverflowError as exc:
        raise PayloadError(f"JSON-stat value at index {flat} is out of range") from exc
    if not math.isfinite(number):
        raise PayloadError(f"JSON-stat value at index {flat} is not finite")
    return number
