"""Where the third-party reference material lives, and how tests that need it skip.

Real pages, real court acts and captcha images are other people's documents: they are not in this
repository. Tests read them from ``../shared/reference`` beside the project root (or from
``WARDUTY_REFERENCE``) and skip with a message where it is absent; under ``CI=true`` that is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(os.environ.get("WARDUTY_REFERENCE", PROJECT_ROOT.parent / "shared" / "reference"))
REAL_PAGES = REFERENCE / "pages"
REAL_VERDICTS = REFERENCE / "verdicts" / "judgement"


def require(path: Path) -> Path:
    """``path`` if it exists; otherwise skip the test (fail under CI=true) naming what is missing."""
    if path.exists():
        return path
    message = (
        f"real reference material {path} is absent: these tests read third-party documents from "
        "../shared/reference beside the project (or WARDUTY_REFERENCE), which is not in the repository"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (required under CI=true)")
    pytest.skip(message)


def real_page_path(name: str) -> Path:
    return require(REAL_PAGES / name)


def real_page_names() -> list[str]:
    """Names of the real saved pages (empty where the reference folder is absent)."""
    return sorted(p.name for p in REAL_PAGES.glob("*.html")) if REAL_PAGES.is_dir() else []


OUR_PAGES = PROJECT_ROOT / "tests" / "fixtures" / "pages"


def page_path(name: str) -> Path:
    """A page by file name: our own ``synthetic_*`` pages from tests/fixtures, real ones from ../shared."""
    if name.startswith("synthetic_"):
        return OUR_PAGES / name
    return real_page_path(name)


def read_page(name: str) -> str:
    """The page's text (real pages are stored as UTF-8, one as windows-1251)."""
    data = page_path(name).read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1251")
