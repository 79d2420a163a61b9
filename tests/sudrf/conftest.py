"""Paths to the page fixtures shared by the parser tests."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PAGES = FIXTURES / "pages"


def page_paths() -> list[Path]:
    return sorted(PAGES.glob("*.html"))


@pytest.fixture(scope="session")
def pages_dir() -> Path:
    return PAGES
