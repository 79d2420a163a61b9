"""A judicial act from a file: plain text (UTF-8 or windows-1251, with or without BOM, any line ends) or
a saved act page (HTML), read to the facts ``extract_verdict`` gives. Bad input gets a clear error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from warduty.sudrf.act_parts import normalise
from warduty.sudrf.dispatch import parse_page
from warduty.sudrf.errors import PageFormatError
from warduty.sudrf.verdict import VerdictFacts, extract_verdict

MAX_BYTES = 20 * 1024 * 1024  # the longest real acts are well under 1 MB
_CONTROL_SHARE = 0.01  # more control characters than this is not a text
_HTML = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<div|<meta|<table|<p\b)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class ActFileError(ValueError):
    """The file is not a readable act text (empty, binary, too large, an HTML page without an act)."""


@dataclass(frozen=True, slots=True)
class ActFileResult:
    """One file's facts, or why it could not be read."""

    file: str
    facts: VerdictFacts | None
    error: str | None

    def to_dict(self) -> dict[str, object]:
        if self.facts is None:
            return {"file": self.file, "error": self.error}
        return {"file": self.file, **self.facts.to_dict()}


def decode_text(data: bytes) -> str:
    """Bytes to text: a BOM decides; else UTF-8 (a character cut at the very end is dropped); else cp1251."""
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    elif data.startswith(_UTF16_BOMS):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return data[: exc.start].decode("utf-8")  # a file truncated inside its last character
        return data.decode("cp1251", errors="replace")


def act_text(data: bytes) -> str:
    """The act's plain text from a file's bytes. Raises ``ActFileError`` for input that holds none."""
    if len(data) > MAX_BYTES:
        raise ActFileError(f"file too large ({len(data)} bytes; at most {MAX_BYTES})")
    if not data.strip():
        raise ActFileError("empty file")
    if b"\x00" in data and not data.startswith(_UTF16_BOMS):
        raise ActFileError("binary file (NUL bytes), not a text")
    text = decode_text(data)
    if _HTML.match(data[:2000]):
        text = _page_text(text)
    text = normalise(text)
    control = len(_CONTROL.findall(text))
    if control > _CONTROL_SHARE * len(text):
        raise ActFileError("binary file (control characters), not a text")
    if not text.strip():
        raise ActFileError("no text in the file")
    return text


def _page_text(html: str) -> str:
    try:
        page = parse_page(html)
    except PageFormatError as exc:
        raise ActFileError(f"saved page is broken: {exc.reason}") from None
    if page.document is not None:
        return page.document.text
    if page.card is not None:
        texts = [act.text for act in page.card.acts if act.text]
        if texts:
            return texts[0]
        raise ActFileError("saved case card shows no act text")
    raise ActFileError(f"saved page holds no act text (page kind: {page.state.value})")


def read_act_file(path: Path) -> ActFileResult:
    """Read one file to its facts; any failure becomes the result's ``error``."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return ActFileResult(str(path), None, f"file too large ({size} bytes; at most {MAX_BYTES})")
        data = path.read_bytes()
    except OSError as exc:
        return ActFileResult(str(path), None, f"cannot read: {exc.strerror or exc}")
    try:
        text = act_text(data)
    except ActFileError as exc:
        return ActFileResult(str(path), None, str(exc))
    try:
        return ActFileResult(str(path), extract_verdict(text), None)
    except Exception as exc:  # a reader bug must not hide the other files' results
        return ActFileResult(str(path), None, f"internal error reading the act: {type(exc).__name__}: {exc}")
