"""Redaction of defendants' names from text and HTML: one matcher for replacing and for the leftover check.

A name is found in every form Russian text writes it (:mod:`warduty.privacy.forms`): all six cases,
«Фамилия Имя Отчество», «Имя Отчество Фамилия», «Фамилия И.О.», «Фамилия И. О.», «И.О. Фамилия»,
«И.О.Фамилия», «Имя Отчество», and the surname alone when written with a capital. Letter case and ё/е
do not matter. Matching runs on a *projection* of the text in which what a reader does not see is
gone: HTML tags (inline ones join, block ones separate words), entities (``&nbsp;`` ``&#160;``
``&shy;``...), soft hyphens and zero-width characters; every match is mapped back to the original
and replaced there, keeping the tags it spans. An HTML page is matched twice: as the reader sees it,
and with its tags as text (names in attributes).

The leftover check runs the same matcher over the redacted result: anything it still finds raises
:class:`RedactionError`, and the caller must not show or write the text.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from warduty.privacy.forms import (
    first_name_forms,
    fold,
    is_common_word,
    patronymic_forms,
    split_name,
    surname_forms,
)


class RedactionError(RuntimeError):
    """A name could still be found in a text after redaction; the text must not be shown or written."""


# What a reader does not see, or sees as a space. Only HTML mode treats <...> as a tag.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_TAG = r"<!--.*?-->|<[a-zA-Z/!?][^<>]*>"
_ENTITY = r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});?"
_SPECIAL_HTML = re.compile(f"{_TAG}|{_ENTITY}|[{_INVISIBLE}]", re.DOTALL)
_SPECIAL_TEXT = re.compile(f"{_ENTITY}|[{_INVISIBLE}]")
_TAG_ONLY = re.compile(_TAG, re.DOTALL)
# Inline elements do not separate words: «Воро<b>бьёв</b>» reads «Воробьёв».
_INLINE = frozenset(
    ("a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins",
     "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u",
     "var", "wbr")
)  # fmt: skip
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z0-9]+)")
_WHITESPACE_LIKE = "\xa0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"


@dataclass(frozen=True, slots=True)
class _Projection:
    """The folded, visible text, and where each of its pieces came from in the original."""

    text: str
    starts: list[int]  # projection offset where each piece begins
    origins: list[int]  # original offset of each piece
    verbatim: list[bool]  # piece copied character for character (else a tag, entity or invisible)
    ends: list[int]  # original end offset of each piece

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        first = bisect_right(self.starts, start) - 1
        last = bisect_right(self.starts, end - 1) - 1
        begin = self.origins[first] + (start - self.starts[first] if self.verbatim[first] else 0)
        finish = self.origins[last] + (end - self.starts[last]) if self.verbatim[last] else self.ends[last]
        return begin, finish


def _fold_run(run: str) -> str:
    folded = fold(run)
    if len(folded) != len(run):  # a few characters lower-case to two: keep one for one
        folded = "".join(fold(ch)[:1] or ch for ch in run)
    for ch in _WHITESPACE_LIKE:
        folded = folded.replace(ch, " ")
    return folded


def _replacement(token: str) -> str:
    if token.startswith("<"):
        name = _TAG_NAME.match(token)
        return "" if token.startswith("<!--") or (name and name.group(1).lower() in _INLINE) else " "
    if token.startswith("&"):
        decoded = html.unescape(token)
        if decoded == token:
            return _fold_run(token)  # not an entity after all
        return "".join(
            " " if ch.isspace() or ch in _WHITESPACE_LIKE else ch
            for ch in fold(decoded)
            if ch not in _INVISIBLE
        )
    return ""  # soft hyphen, zero-width characters


def _project(text: str, strip_tags: bool) -> _Projection:
    special = _SPECIAL_HTML if strip_tags else _SPECIAL_TEXT
    pieces: list[str] = []
    starts: list[int] = []
    origins: list[int] = []
    verbatim: list[bool] = []
    ends: list[int] = []
    length = position = 0
    for match in special.finditer(text):
        for begin, end, value, copied in (
            (position, match.start(), _fold_run(text[position : match.start()]), True),
            (match.start(), match.end(), _replacement(match.group()), False),
        ):
            if begin == end:
                continue
            starts.append(length)
            origins.append(begin)
            ends.append(end)
            verbatim.append(copied)
            pieces.append(value)
            length += len(value)
        position = match.end()
    starts.append(length)
    origins.append(position)
    ends.append(len(text))
    verbatim.append(True)
    pieces.append(_fold_run(text[position:]))
    return _Projection("".join(pieces), starts, origins, verbatim, ends)


_WORD_AT = re.compile(r"\w+(?:-\w+)*")
_NEXT_WORD = re.compile(r"\s*(\w+(?:-\w+)*)")  # an inline tag between two words leaves no space
_NEXT_INITIAL = re.compile(r"\s*(\w)\.")
_INITIALS_BEFORE = re.compile(r"(?<!\w)(\w)\.\s*(?:(\w)\.\s*)?$")


@dataclass(frozen=True, slots=True)
class _Person:
    alias: str
    first_initial: str | None
    patronymic_initial: str | None


@dataclass(frozen=True, slots=True)
class _Match:
    start: int
    end: int
    person: int
    alone: bool  # the surname alone


def _common_prefix(words: set[str]) -> str:
    first, last = min(words), max(words)
    for index, (a, b) in enumerate(zip(first, last, strict=False)):
        if a != b:
            return first[:index]
    return first if len(first) <= len(last) else last


def _is_word_char(text: str, position: int) -> bool:
    return 0 <= position < len(text) and (text[position].isalnum() or text[position] == "_")


class Redactor:
    """Finds and replaces the names of a set of people; build once per set (cached by :func:`redactor`).

    Matching is by word: every form of every name is a dictionary key, so the cost of a text does not
    grow with the number of people.
    """

    def __init__(self, aliases: Mapping[str, str]) -> None:
        self._people: list[_Person] = []
        self._surnames: dict[str, set[int]] = {}
        self._firsts: dict[str, set[int]] = {}
        self._patronymics: dict[str, set[int]] = {}
        for name, alias in aliases.items():
            parts = split_name(name)
            if parts is None:
                continue
            index = len(self._people)
            surnames = surname_forms(parts.surname)
            self._people.append(_Person(alias, parts.first_initial, parts.patronymic_initial))
            for table, forms in (
                (self._surnames, surnames),
                (self._firsts, first_name_forms(parts.first) if parts.first else frozenset()),
                (self._patronymics, patronymic_forms(parts.patronymic) if parts.patronymic else frozenset()),
            ):
                for form in forms:
                    table.setdefault(form, set()).add(index)
        # Every match holds a surname or a first name: the shared beginnings of their forms find them
        # by substring search, which costs a tenth of splitting the text into words.
        stems: set[str] = set()
        for person_forms in self._forms_by_person():
            prefix = _common_prefix(person_forms)
            stems |= {prefix} if len(prefix) >= 2 else person_forms
        self._stems = tuple(sorted(stems))

    def _forms_by_person(self) -> list[set[str]]:
        """Each person's surname forms and first name forms (two sets a person)."""
        by_person: list[set[str]] = [set() for _ in range(2 * len(self._people))]
        for offset, table in ((0, self._surnames), (1, self._firsts)):
            for form, people in table.items():
                for person in people:
                    by_person[2 * person + offset].add(form)
        return [forms for forms in by_person if forms]

    def _anchors(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, word) of every surname or first-name form in ``text``: found by substring search
        for the forms' shared beginnings (fast in C), then checked as whole words."""
        seen: set[int] = set()
        for stem in self._stems:
            position = text.find(stem)
            while position >= 0:
                if position not in seen and not _is_word_char(text, position - 1):
                    seen.add(position)
                    word = _WORD_AT.match(text, position)
                    if word and (word.group() in self._surnames or word.group() in self._firsts):
                        yield position, word.end(), word.group()
                    elif (
                        word
                        and text[word.end() : word.end() + 1] == "."
                        and word.group()[:-1] in self._surnames
                    ):
                        yield position, word.end() - 1, word.group()[:-1]  # «ЛебедеваВ.Л.»: glued initial
                position = text.find(stem, position + 1)

    def _around_surname(self, text: str, start: int, end: int, p: int) -> _Match:
        """Фамилия [Имя [Отчество] | И.[О.]], or [И.[О.]] Фамилия."""
        person, alone = self._people[p], True
        following = _NEXT_WORD.match(text, end)
        initial = _NEXT_INITIAL.match(text, end)
        if following and p in self._firsts.get(following.group(1), ()):
            end, alone = following.end(), False
            third = _NEXT_WORD.match(text, end)
            if third and p in self._patronymics.get(third.group(1), ()):
                end = third.end()
        elif initial and initial.group(1) == person.first_initial:
            end, alone = initial.end(), False
            second = _NEXT_INITIAL.match(text, end)
            if second and second.group(1) == person.patronymic_initial:
                end = second.end()
        before = _INITIALS_BEFORE.search(text, max(0, start - 12), start)
        initials = (before.group(1), before.group(2)) if before else None
        if (
            initials
            and initials[0] == person.first_initial
            and initials[1] in (None, person.patronymic_initial)
        ):
            start, alone = before.start(), False  # type: ignore[union-attr]
        return _Match(start, end, p, alone)

    def _after_first_name(self, text: str, start: int, end: int, p: int) -> _Match | None:
        """Имя Отчество [Фамилия], Имя Фамилия (a first name alone is no match)."""
        following = _NEXT_WORD.match(text, end)
        if not following:
            return None
        if p in self._patronymics.get(following.group(1), ()):
            third = _NEXT_WORD.match(text, following.end())
            if third and p in self._surnames.get(third.group(1), ()):
                return _Match(start, third.end(), p, False)
            return _Match(start, following.end(), p, False)
        if p in self._surnames.get(following.group(1), ()):
            return _Match(start, following.end(), p, False)
        return None

    def _matches(self, text: str, projection: _Projection) -> Iterator[tuple[int, int, str]]:
        """(start, end, alias) in the original ``text`` of every name found in its projection."""
        folded = projection.text
        candidates: list[_Match] = []
        for start, end, word in self._anchors(folded):
            for p in self._surnames.get(word, ()):
                candidates.append(self._around_surname(folded, start, end, p))
            for p in self._firsts.get(word, ()):
                match = self._after_first_name(folded, start, end, p)
                if match is not None:
                    candidates.append(match)
        if not candidates:
            return
        # Longest first among those starting together; a match inside a kept one is part of it, and one
        # reaching past it extends it («Гоголь Андрей Алиевич Воробьёв» names two people: one span).
        candidates.sort(key=lambda m: (m.start, -m.end, m.alone))
        found: list[_Match] = []
        for match in candidates:
            if found and match.start < found[-1].end:
                if match.end > found[-1].end:
                    found[-1] = _Match(found[-1].start, match.end, found[-1].person, False)
                continue
            found.append(match)
        # A person known by the surname alone cannot be named in full: their surname always counts.
        named_in_full = {m.person for m in found if not m.alone or not self._people[m.person].first_initial}
        for match in found:
            start, end = projection.original_span(match.start, match.end)
            if match.alone:
                # The surname alone counts when capitalised; one that is also a common word («Суд»)
                # only in a text that names the person in full somewhere.
                first_letter = next((ch for ch in text[start:end] if ch.isalpha()), "")
                if not first_letter.isupper():
                    continue
                visible = folded[match.start : match.end]
                if match.person not in named_in_full and is_common_word(visible):
                    continue
            yield start, end, self._people[match.person].alias

    def _replace(self, text: str, strip_tags: bool, escape: bool) -> str:
        matches = list(self._matches(text, _project(text, strip_tags)))
        if not matches:
            return text
        out: list[str] = []
        position = 0
        for start, end, alias in matches:
            out.append(text[position:start])
            # Tags inside a match stay: «<td>Воробьёв</td><td>Денис</td>» keeps its table.
            kept = "".join(_TAG_ONLY.findall(text, start, end)) if strip_tags else ""
            out.append((html.escape(alias) if escape else alias) + kept)
            position = end
        out.append(text[position:])
        return "".join(out)

    def found(self, text: str, *, is_html: bool = False) -> list[str]:
        """The spans of ``text`` in which the matcher finds a name (as written, at most 20)."""
        projections = [(True, _project(text, True))] if is_html else []
        projections.append((False, _project(text, False)))
        return [text[start:end] for _, proj in projections for start, end, _ in self._matches(text, proj)][
            :20
        ]

    def redact(self, text: str, *, is_html: bool = False) -> str:
        """``text`` with every name replaced by its alias; raises :class:`RedactionError` if the same
        matcher still finds one afterwards."""
        if is_html:
            text = self._replace(text, strip_tags=True, escape=True)
        text = self._replace(text, strip_tags=False, escape=is_html)
        left = self.found(text, is_html=is_html)
        if left:
            raise RedactionError(f"{len(left)} name form(s) survived redaction")
        return text


@lru_cache(maxsize=4096)
def _cached(items: tuple[tuple[str, str], ...]) -> Redactor:
    return Redactor(dict(items))


def redactor(aliases: Mapping[str, str]) -> Redactor:
    """The (cached) redactor for this set of names and aliases."""
    return _cached(tuple(sorted(aliases.items())))


def redact(text: str, aliases: Mapping[str, str], *, is_html: bool = False) -> str:
    """Replace every form of each name in ``aliases`` with its alias; raise :class:`RedactionError`
    if any form can still be found."""
    if not aliases or not text:
        return text
    return redactor(aliases).redact(text, is_html=is_html)


def redact_values(value: Any, aliases: Mapping[str, str], *, skip: frozenset[str] = frozenset()) -> Any:
    """``value`` (a string, or dicts and lists of them, as a record or its JSON) with every name
    redacted in every string; keys in ``skip`` are kept as they are. Raises :class:`RedactionError`."""
    if not aliases:
        return value
    matcher = redactor(aliases)

    def walk(item: Any) -> Any:
        if isinstance(item, str):
            return matcher.redact(item) if item else item
        if isinstance(item, dict):
            return {k: v if k in skip else walk(v) for k, v in item.items()}
        if isinstance(item, list | tuple):
            return [walk(v) for v in item]
        return item

    return walk(value)
