"""Criminal Code articles of a conviction, read from its clause («… виновным в совершении преступлений,
предусмотренных ч. 2 ст. 232, п. «г» ч. 3 ст. 228.1 УК РФ …»), never from elsewhere in the text.

Court wording varies: «ч. 1 ст. 228», «ч.1 ст.228», «частью 1 статьи 228», «ст. 228 ч. 1», «ст.ст. 30 ч. 3,
228.1 ч. 3 п. «г»», «ст. 228-1» (a superscript written with a dash).
"""

from __future__ import annotations

import re

from warduty.law import ArticleRef

_NUMBER = r"(\d{1,3}(?:[.\-]\d{1,2})?)"
_POINT = r"(?:п(?:ункт\w*|п)?\.?\s*[«\"']?\s*([а-я])(?:\s*[,и]\s*[а-я])*\s*[»\"']?\s*,?\s*)?"
_PART = r"ч(?:аст\w*|\.)?\s*"
_ARTICLE = r"ст(?:ать\w*|\.(?:\s*ст\.)?)?\s*"
_PRESS = re.compile(rf"{_POINT}{_PART}{_NUMBER}\s*,?\s*{_ARTICLE}{_NUMBER}", re.IGNORECASE)
_CARD = re.compile(
    rf"{_ARTICLE}{_NUMBER}(?:\s*,?\s*{_PART}{_NUMBER})?(?:\s*,?\s*п(?:ункт\w*)?\.?\s*[«\"']?\s*([а-я])\b)?",
    re.IGNORECASE,
)
_SCOPE = re.compile(r"(?:в\s+совершени\w*|по)\s+(.*?)(?:УК\b|Уголовн\w*\s+кодекс|КоАП|и\s+назнач|назнач|$)",
                    re.IGNORECASE | re.DOTALL)  # fmt: skip


def conviction_articles(conviction: str) -> tuple[ArticleRef, ...]:
    """The articles the clause convicts under (УК only; a КоАП clause gives none)."""
    scope = _SCOPE.search(conviction)
    if scope is None or re.search(r"КоАП|административн", conviction[scope.start() : scope.end() + 20]):
        return ()
    text = scope.group(1)
    found: list[tuple[int, ArticleRef]] = []
    covered: list[tuple[int, int]] = []
    for match in _PRESS.finditer(text):
        point, part, article = match.groups()
        found.append((match.start(), _ref(article, part, point)))
        covered.append(match.span())
    for match in _CARD.finditer(text):
        if any(start <= match.start() < end for start, end in covered):
            continue
        article, part, point = match.groups()
        found.append((match.start(), _ref(article, part, point)))
    refs: list[ArticleRef] = []
    for _, ref in sorted(found, key=lambda item: item[0]):
        if ref not in refs:
            refs.append(ref)
    return tuple(refs)


def _ref(article: str, part: str | None, point: str | None) -> ArticleRef:
    return ArticleRef(article=article.replace("-", "."), part=part, point=point.lower() if point else None)
