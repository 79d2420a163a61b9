"""Every saved page parses to its reviewed expected JSON, field by field.

A missing ``NAME.expected.json`` is written out and the test fails until a person reviews it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from warduty.sudrf import decode_page, page_to_dict, parse_page

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
PAGE_FILES = sorted(PAGES.glob("*.html"))


def _diff(expected: Any, actual: Any, path: str, out: list[str]) -> None:
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            if key not in actual:
                out.append(f"{path}.{key}: missing in output")
            elif key not in expected:
                out.append(f"{path}.{key}: not in expected file")
            else:
                _diff(expected[key], actual[key], f"{path}.{key}", out)
    elif isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            out.append(f"{path}: {len(actual)} items, expected {len(expected)}")
        for index, (left, right) in enumerate(zip(expected, actual, strict=False)):
            _diff(left, right, f"{path}[{index}]", out)
    elif expected != actual:
        out.append(f"{path}: {actual!r} != expected {expected!r}")


def test_all_real_pages_are_present() -> None:
    real = [path for path in PAGE_FILES if not path.name.startswith("synthetic_")]
    assert len(real) == 19


@pytest.mark.parametrize("page", PAGE_FILES, ids=[path.stem for path in PAGE_FILES])
def test_page_matches_expected_json(page: Path) -> None:
    actual = json.loads(
        json.dumps(page_to_dict(parse_page(decode_page(page.read_bytes()))), ensure_ascii=False)
    )
    expected_path = page.with_name(page.stem + ".expected.json")
    if not expected_path.exists():
        expected_path.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        pytest.fail(f"{expected_path.name} was missing and has been written: review it, then rerun")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    differences: list[str] = []
    _diff(expected, actual, page.stem, differences)
    assert not differences, "\n".join(differences[:40])
