"""Every saved page parses to its reviewed expected JSON, field by field.

A missing ``NAME.expected.json`` is written out and the test fails until a person reviews it. An act's
text is a third-party document: the expected files hold its length, SHA-256 and first and last words, not
the text itself.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from tests.reference import OUR_PAGES, REAL_PAGES, page_path, real_page_names, require

from warduty.sudrf import decode_page, page_to_dict, parse_page

# Real pages are read from ../shared/reference/pages; their reviewed expected JSON is ours and lives here.
EXPECTED = sorted(path.name.removesuffix(".expected.json") for path in OUR_PAGES.glob("*.expected.json"))
PAGE_NAMES = sorted({*EXPECTED, *(name.removesuffix(".html") for name in real_page_names())})
_TEXT_KEYS = ("text",)
_KEPT = 60


def digest_texts(value: Any) -> Any:
    """``value`` with every act text replaced by its length, SHA-256, and its first and last characters."""
    if isinstance(value, dict):
        return {
            key: _text_digest(item) if key in _TEXT_KEYS and isinstance(item, str) else digest_texts(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [digest_texts(item) for item in value]
    return value


def _text_digest(text: str) -> dict[str, object]:
    return {
        "chars": len(text),
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "head": text[:_KEPT],
        "tail": text[-_KEPT:],
    }


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


def test_every_real_page_has_reviewed_expected_json() -> None:
    real = {path.removesuffix(".html") for path in real_page_names()} if require(REAL_PAGES) else set()
    assert len(real) >= 23
    assert real <= set(EXPECTED), f"no expected JSON for {sorted(real - set(EXPECTED))}"


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_matches_expected_json(name: str) -> None:
    page = page_path(name + ".html")
    parsed = page_to_dict(parse_page(decode_page(page.read_bytes())))
    actual = digest_texts(json.loads(json.dumps(parsed, ensure_ascii=False)))
    expected_path = OUR_PAGES / (name + ".expected.json")
    if not expected_path.exists():
        expected_path.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        pytest.fail(f"{expected_path.name} was missing and has been written: review it, then rerun")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    differences: list[str] = []
    _diff(expected, actual, page.stem, differences)
    assert not differences, "\n".join(differences[:40])
