"""A court site in a changed layout: the fault profile ``redesign`` serves one court's pages so.

Courts' sites change their markup without notice (the vintage engine's result list was once read as
a page of unknown state). The transform works on the finished page text, whatever markup produced it:
it renames what the parsers look for, the ``id`` and ``class`` names of result tables, counters, card
headings and tab bars, and rewords the counter, the "nothing found" phrases and one tab label. A person
still sees an ordinary court page; the parsers must say they do not understand it, never read it wrong.
"""

from __future__ import annotations

import re

# Page kinds (as the replica counts them) that the redesigned court serves changed. Captcha and
# throttle pages keep their look, so the court can still be reached; documents are reached from cards.
REDESIGNED_KINDS = frozenset({"listing", "no_data", "card"})

_RENAMED_NAMES = {
    "tablcont": "tablcontent",
    "resultTable": "result-table",
    "lawcase-count": "lawcase-found",
    "casenumber": "case-number",
    "case-num": "case-heading",
    "case_bookmarks": "case-bookmarks",
    "tabs": "tab-bar",
}
_NUMBERED_NAME = re.compile(r"(tab|cont)(\d{1,6})")
_BOOKMARK_NAME = re.compile(r"tab_(id|content)_(\w{1,64})")
_REWORDED = (
    ("Всего по запросу найдено", "Найдено дел по запросу"),
    ("Данных по запросу не обнаружено", "По запросу дела не найдены"),
    ("Ничего не найдено", "Дела не найдены"),
    ("ДВИЖЕНИЕ ДЕЛА", "ХОД ДЕЛА"),
)
# An id or class attribute (not data-id or similar) with its value, quoted or bare.
_ATTRIBUTE = re.compile(
    r"""(?<![\w-])((?:id|class)\s*=\s*)("[^"<>]*"|'[^'<>]*'|[^\s"'<>=`]+)""", re.IGNORECASE
)
_TOKEN = re.compile(r"[^\s\"']+")


def _renamed(name: str) -> str:
    if name in _RENAMED_NAMES:
        return _RENAMED_NAMES[name]
    numbered = _NUMBERED_NAME.fullmatch(name)
    if numbered:
        return f"{numbered.group(1)}-{numbered.group(2)}"
    bookmark = _BOOKMARK_NAME.fullmatch(name)
    if bookmark:
        return f"bookmark_{bookmark.group(1)}_{bookmark.group(2)}"
    return name


def _attribute(match: re.Match[str]) -> str:
    return match.group(1) + _TOKEN.sub(lambda token: _renamed(token.group(0)), match.group(2))


def redesign_page(html: str) -> str:
    """The page in the changed layout. Pure and idempotent; text it does not recognise stays as it is."""
    changed = _ATTRIBUTE.sub(_attribute, html)
    for old, new in _REWORDED:
        changed = changed.replace(old, new)
    return changed
