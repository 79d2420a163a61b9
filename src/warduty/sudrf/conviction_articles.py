"""Criminal Code articles of a conviction, read from its clause («… виновным в совершении преступлений,
предусмотренных ч. 2 ст. 232, п. «г» ч. 3 ст. 228.1 УК РФ …»), never from elsewhere in the text.

Court wording varies: «ч. 1 ст. 228», «ч.1 ст.228», «частью 1 статьи 228», «ст. 228 ч. 1», «ст.ст. 30 ч. 3,
228.1 ч. 3 п. «г»», «ст. 228-1» (a superscript written with a dash).
"""

from __future__ import annotations

import re

from warduty.law import ArticleRef
from warduty.law.refs import scan_refs

_NUMBER = r"(\d{1,3}(?:[.\-]\d{1,2})?)"
_POINT = r"(?:п(?:ункт\w*|п)?\.?\s*[«\"']?\s*([а-я])(?:\s*[,и]\s*[а-я])*\s*[»\"']?\s*,?\s*)?"
_PART = r"ч(?:аст\w*|\.)?\s*"
_ARTICLE = r"ст(?:ать\w*|\.(?:\s*ст\.)?)?\s*"
_PRESS = re.compile(rf"{_POINT}{_PART}{_NUMBER}\s*,?\s*{_ARTICLE}{_NUMBER}", re.IGNORECASE)
_CARD = re.compile(
    rf"{_ARTICLE}{_NUMBER}(?:\s*,?\s*{_PART}{_NUMBER})?(?:\s*,?\s*п(?:ункт\w*)?\.?\s*[«\"']?\s*([а-я])\b)?",
    re.IGNORECASE,
)
# «преступления, предусмотренного ч. 1 ст. 228 УК РФ», «в совершении преступления по ч. 1 ст. 228 УК РФ»
_SCOPE = re.compile(
    r"(?:предусмотренн\w*|в\s+совершении\s+преступлени\w*\s*,?\s*по)\s+(.{1,300}?)"
    r"(?:УК\b|Уголовн\w*\s+кодекс|КоАП|и\s+назнач|назнач|\(|$)",
    re.IGNORECASE,
)
# where the counts end and their combination begins
_COMBINATION = re.compile(
    r"окончательн|по\s+совокупност|ст(?:ать\w*|\.)\s*69|ст(?:ать\w*|\.)\s*70\b", re.IGNORECASE
)
_ACQUITTAL = re.compile(r"оправда|невиновн", re.IGNORECASE)
_SENTENCE = re.compile(r";|\.\s+(?=[А-ЯЁ])")


def conviction_articles(clause: str) -> tuple[ArticleRef, ...]:
    """The articles a defendant's clause convicts under: every «предусмотренного …» of its counts, before
    they are combined; acquittals left out (УК only; a КоАП clause gives none)."""
    combination = _COMBINATION.search(clause)
    counts = clause[: combination.start()] if combination else clause
    refs: list[ArticleRef] = []
    for part in _SENTENCE.split(counts):
        if _ACQUITTAL.search(part):
            continue
        for scope in _SCOPE.finditer(part):
            if re.match(r"КоАП", part[scope.end(1) : scope.end(1) + 30].strip()):
                continue
            for ref in _refs(scope.group(1)):
                if ref not in refs:
                    refs.append(ref)
    return tuple(refs)


def _refs(text: str) -> list[ArticleRef]:
    return [_ref(article, part, point) for _, article, part, point in scan_refs(text, _PRESS, _CARD)]


def _ref(article: str, part: str | None, point: str | None) -> ArticleRef:
    return ArticleRef(article=article.replace("-", "."), part=part, point=point.lower() if point else None)
