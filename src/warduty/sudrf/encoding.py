"""Response bytes to text. Court pages are windows-1251 but often mislabelled, so the bytes decide."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

_UTF8_BOM = b"\xef\xbb\xbf"


def decode_page(data: bytes, declared_charset: str | None = None) -> str:
    """Decode a page, trusting the bytes over headers and meta tags.

    Bytes that are valid UTF-8 are UTF-8 (windows-1251 Cyrillic text is almost never valid UTF-8);
    anything else is windows-1251, which maps every byte, so decoding never fails. ``declared_charset``
    is only compared with the result and logged when it disagrees.
    """
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    try:
        text = data.decode("utf-8")
        chosen = "utf-8"
    except UnicodeDecodeError:
        text = data.decode("cp1251", errors="replace")
        chosen = "windows-1251"
    if declared_charset and _normalise(declared_charset) != _normalise(chosen):
        logger.debug("page declared %s but its bytes are %s", declared_charset, chosen)
    return text


def _normalise(charset: str) -> str:
    name = charset.strip().lower().replace("_", "-")
    return {"cp1251": "windows-1251", "win-1251": "windows-1251", "utf8": "utf-8"}.get(name, name)


def charset_of(content_type: str | None) -> str | None:
    """The ``charset=`` of a Content-Type header, if it names one."""
    if not content_type or "charset=" not in content_type.lower():
        return None
    return content_type.lower().split("charset=", 1)[1].split(";")[0].strip() or None
