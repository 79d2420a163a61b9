"""Small pure helpers for text pulled out of court pages: whitespace, dates, cells, fragments."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache, wraps

_DROP_BLOCKS = re.compile(r"<(script|style|title)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_COMMENTS = re.compile(r"<!--.*?-->", re.DOTALL)
_LINE_BREAKS = re.compile(r"<br\b[^>]*>|</(?:p|div|tr|li|h[1-6]|table|center)\s*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")
# Where a script, style or title may start (case blind, so never missing what the lower-cased test finds).
_BLOCK_START = re.compile(r"<(?:script|style|title)", re.IGNORECASE)
_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def squash(text: str) -> str:
    """Collapse runs of whitespace (incl. no-break spaces and new lines) to one space and trim."""
    return " ".join(_strip_invisible(text).split())


def _strip_invisible(text: str) -> str:
    # str.split() treats no-break spaces as whitespace but not these zero-width marks.
    if "\u200b" in text or "\ufeff" in text:
        return text.replace("\u200b", " ").replace("\ufeff", " ")
    return text


def normalise_lines(text: str) -> str:
    """Trim every line, squash spaces inside lines and drop empty lines."""
    lines = (" ".join(line.split()) for line in _strip_invisible(text).split("\n"))
    return "\n".join(line for line in lines if line)


def _remember_short(function: Callable[[str], str]) -> Callable[[str], str]:
    """``function`` with the results for short arguments remembered (least recently used go first).

    Label and header cells («Дата поступления», «Наименование события») are the same markup on every card
    of a template, and most cells read are such cells; long texts (acts) seldom repeat. At most 2,048
    results of at most 400 characters are kept: a few MB, whatever a page holds.
    """
    remembered = lru_cache(maxsize=2048)(function)

    @wraps(function)
    def short_remembered(text: str) -> str:
        return remembered(text) if len(text) <= 400 else function(text)

    return short_remembered


@_remember_short
def fragment_text(fragment: str) -> str:
    """Readable text of an HTML fragment: <br> and block ends become new lines, tags go, entities decode."""
    text = _COMMENTS.sub("", fragment) if "<!--" in fragment else fragment
    if _BLOCK_START.search(text):  # cheaper than lower-casing every fragment (acts are long)
        lowered = text.lower()
        if "<script" in lowered or "<style" in lowered or "<title" in lowered:
            text = _DROP_BLOCKS.sub("", text)
    text = _LINE_BREAKS.sub("\n", text)
    text = _TAGS.sub("", text)
    return normalise_lines(html.unescape(text))


@_remember_short
def label_key(text: str) -> str:
    """A label as a comparison key: upper case, single spaces, no trailing colon."""
    return squash(text).upper().rstrip(":").strip()


def parse_date(raw: str | None) -> date | None:
    """``22.04.2026`` -> date; empty or unreadable -> None (the raw string is kept by the caller)."""
    if not raw:
        return None
    match = _DATE.match(raw.strip())
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def or_none(text: str) -> str | None:
    """Empty text is a missing value."""
    return text if text else None
