"""Parse article references as courts, the press and the sudrf portal write them.

Forms handled (case-insensitive, any spacing):

* card form: ``ст.337 ч.5 УК РФ``, several joined by ``;`` or new lines, ``ст.173.1 ч.2 п.б``
* press form: ``ч. 2.1 ст. 337``, ``п. «б» ч. 2 ст. 333``
* portal form: ``Статья 337 Часть 5 п.а``
* superscripts flattened by copy-paste: ``ст. 3521`` (352.1), ``ч.21 ст.337`` (ч.2.1)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from warduty.law.catalogue import Group, chapter_of, group_of, known_parts, part_info

MAX_ARTICLE = 361  # the last article of the Criminal Code's Special Part


class ArticleParseError(ValueError):
    """Text that should hold article references could not be read. ``text`` is the input."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"cannot read article references in {text!r}: {reason}")
        self.text = text
        self.reason = reason


@dataclass(frozen=True, slots=True, order=True)
class ArticleRef:
    """A reference to an article of the Criminal Code, with its part and point when given."""

    article: str
    part: str | None = None
    point: str | None = None

    @property
    def chapter(self) -> int | None:
        return chapter_of(self.article)

    @property
    def group(self) -> Group:
        return group_of(self.article)

    @property
    def wartime_part(self) -> bool:
        """A part added in 2022 or later for mobilisation, martial law, wartime or armed conflict."""
        info = part_info(self.article, self.part)
        return info.wartime_part if info is not None else False

    @property
    def label_en(self) -> str | None:
        info = part_info(self.article, self.part)
        return info.label_en if info is not None else None

    def __str__(self) -> str:
        text = f"ст.{self.article}"
        if self.part:
            text += f" ч.{self.part}"
        if self.point:
            text += f" п.{self.point}"
        return text

    def to_dict(self) -> dict[str, object]:
        return {
            "article": self.article,
            "part": self.part,
            "point": self.point,
            "chapter": self.chapter,
            "group": self.group,
            "mobilisation_part": self.wartime_part,
            "label_en": self.label_en,
        }


_NUM = r"(\d{1,5}(?:\.\d{1,2})?)"
_POINT = r"п(?:ункт[а-я]*)?\.?\s*[«\"']?\s*([а-яё])\s*[»\"']?"
_ARTICLE = r"ст(?:ать[яи])?\.?"
_PART = r"ч(?:аст[ьи])?\.?"
_CARD = re.compile(rf"{_ARTICLE}\s*{_NUM}(?:\s*,?\s*{_PART}\s*{_NUM})?(?:\s*,?\s*{_POINT})?", re.IGNORECASE)
_PRESS = re.compile(rf"(?:{_POINT}\s*,?\s*)?{_PART}\s*{_NUM}\s*,?\s*{_ARTICLE}\s*{_NUM}", re.IGNORECASE)
_NOISE = re.compile(
    r"уголовн\w*\s+кодекс\w*(?:\s+российской\s+федерации)?|ук\s*рф|ук|рф|\(|\)|[\s;,.:\-–—]+",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"[;\n]+")


def _unflatten_article(number: str) -> str:
    """``3521`` -> ``352.1``: a superscript lost in copying leaves a number past the last article."""
    if "." in number or int(number) <= MAX_ARTICLE:
        return number
    for cut, smallest_head in ((1, 1), (2, 100)):
        head, tail = number[:-cut], number[-cut:]
        if head and smallest_head <= int(head) <= MAX_ARTICLE and not tail.startswith("0"):
            return f"{head}.{tail}"
    raise ValueError(f"article {number} does not exist")


def _unflatten_part(article: str, part: str | None) -> str | None:
    """``21`` -> ``2.1``: no article has ten parts, so a two-digit part is a flattened superscript."""
    if part is None or "." in part or len(part) == 1:
        return part
    if part in known_parts(article):
        return part
    return f"{part[0]}.{part[1:]}"


def _make_ref(article: str, part: str | None, point: str | None) -> ArticleRef:
    article = _unflatten_article(article)
    part = _unflatten_part(article, part)
    return ArticleRef(article=article, part=part, point=point.lower() if point else None)


RawRef = tuple[tuple[int, int], str, str | None, str | None]  # (span, article, part, point)


def scan_refs(text: str, press: re.Pattern[str], card: re.Pattern[str]) -> list[RawRef]:
    """Article references in ``text``, in text order: the press form («п. «а» ч. 1 ст. 228», groups point,
    part, article) first, then the card form («ст.228 ч.1 п.а», groups article, part, point) wherever no
    press form stands. The patterns are the caller's: a card field and a verdict's prose differ."""
    found: list[RawRef] = []
    for match in press.finditer(text):
        point, part, article = match.groups()
        found.append((match.span(), article, part, point))
    for match in card.finditer(text):
        if any(start <= match.start() < end for (start, end), *_ in found):
            continue
        article, part, point = match.groups()
        found.append((match.span(), article, part, point))
    return sorted(found, key=lambda raw: raw[0][0])


def _parse_segment(segment: str, original: str) -> list[ArticleRef]:
    raw = scan_refs(segment, _PRESS, _CARD)
    try:
        refs = [_make_ref(article, part, point) for _, article, part, point in raw]
    except ValueError as exc:
        raise ArticleParseError(original, str(exc)) from None
    covered = [span for span, *_ in raw]
    leftover = segment
    for start, end in sorted(covered, reverse=True):
        leftover = leftover[:start] + " " + leftover[end:]
    leftover = _NOISE.sub("", leftover)
    if leftover:
        raise ArticleParseError(original, f"unrecognised fragment {leftover!r}")
    return refs


def parse_articles(text: str) -> list[ArticleRef]:
    """All article references in ``text``, in order, without repeats.

    Raises ``ArticleParseError`` when the text holds no reference or has fragments that are not one.
    """
    refs: list[ArticleRef] = []
    for segment in _SPLIT.split(text):
        if segment.strip():
            for ref in _parse_segment(segment, text):
                if ref not in refs:
                    refs.append(ref)
    if not refs:
        raise ArticleParseError(text, "no article reference found")
    return refs
