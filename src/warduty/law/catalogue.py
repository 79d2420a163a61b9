"""The catalogue of Criminal Code articles: art. 328 and Chapter 33 (arts. 331-352.1), part by part.

``data/articles.csv`` ships with the package (sources in its ``sources`` column; notes in
``data/PROVENANCE.md``). Articles outside the file are still classified by chapter and group.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

Group = Literal[
    "awol",
    "desertion",
    "insubordination",
    "violence_against_superior",
    "malingering",
    "other_military",
    "non_military",
]

GROUPS: tuple[Group, ...] = (
    "awol",
    "desertion",
    "insubordination",
    "violence_against_superior",
    "malingering",
    "other_military",
    "non_military",
)

# The articles warduty watches by default, and the group of each Chapter 33 article that has its own.
WATCHED_ARTICLES: tuple[str, ...] = ("332", "334", "337", "338", "339")
_GROUP_OF_ARTICLE: dict[str, Group] = {
    "337": "awol",
    "338": "desertion",
    "332": "insubordination",
    "333": "insubordination",
    "334": "violence_against_superior",
    "339": "malingering",
}
# The articles of each group that has its own (Chapter 33 only), in the order of GROUPS.
GROUP_ARTICLES: dict[str, tuple[str, ...]] = {
    group: tuple(sorted(a for a, g in _GROUP_OF_ARTICLE.items() if g == group))
    for group in GROUPS
    if group in _GROUP_OF_ARTICLE.values()
}

# Chapters of the Special Part of the Criminal Code as (first, last, chapter) by article number.
_CHAPTERS: tuple[tuple[float, float, int], ...] = (
    (105, 125.99, 16),
    (126, 128.99, 17),
    (131, 135.99, 18),
    (136, 149.99, 19),
    (150, 157.99, 20),
    (158, 168.99, 21),
    (169, 200.99, 22),
    (201, 204.99, 23),
    (205, 227.99, 24),
    (228, 245.99, 25),
    (246, 262.99, 26),
    (263, 271.99, 27),
    (272, 274.99, 28),
    (275, 284.99, 29),
    (285, 293.99, 30),
    (294, 316.99, 31),
    (317, 330.99, 32),
    (331, 352.99, 33),
    (353, 361.99, 34),
)
MILITARY_CHAPTER = 33
_WARTIME_WORDS = ("mobilisation", "martial law", "wartime", "armed conflict")


@dataclass(frozen=True, slots=True)
class PartInfo:
    """One row of the catalogue: an article part with its 2022-amendment status."""

    article: str
    part: str
    label_en: str
    label_ru: str
    max_penalty_en: str
    period_condition: str
    fz365_status: str
    later_amendments: str

    @property
    def wartime_part(self) -> bool:
        """Whether the part applies only in mobilisation, martial law, wartime or armed conflict."""
        condition = self.period_condition.lower()
        return any(word in condition for word in _WARTIME_WORDS)


def chapter_of(article: str) -> int | None:
    """Chapter of the Criminal Code's Special Part that contains the article, if any."""
    try:
        number = float(article)
    except ValueError:
        return None
    for first, last, chapter in _CHAPTERS:
        if first <= number <= last:
            return chapter
    return None


def group_of(article: str) -> Group:
    """The analytic group of an article: awol, desertion, ..., other_military or non_military."""
    if article in _GROUP_OF_ARTICLE:
        return _GROUP_OF_ARTICLE[article]
    return "other_military" if chapter_of(article) == MILITARY_CHAPTER else "non_military"


@cache
def load_parts() -> dict[tuple[str, str], PartInfo]:
    """The shipped catalogue, keyed by (article, part)."""
    text = resources.files("warduty.law").joinpath("data/articles.csv").read_text("utf-8")
    parts: dict[tuple[str, str], PartInfo] = {}
    for row in csv.DictReader(io.StringIO(text)):
        info = PartInfo(
            article=row["article"].strip(),
            part=row["part"].strip(),
            label_en=row["label_en"].strip(),
            label_ru=row["label_ru"].strip(),
            max_penalty_en=row["max_penalty_en"].strip(),
            period_condition=row["period_condition"].strip(),
            fz365_status=row["fz365_status"].strip(),
            later_amendments=row["later_amendments"].strip(),
        )
        parts[(info.article, info.part)] = info
    return parts


def part_info(article: str, part: str | None) -> PartInfo | None:
    """The catalogue row for an article part, or ``None`` when the catalogue does not cover it."""
    parts = load_parts()
    if part is None:
        return parts.get((article, "—"))
    return parts.get((article, part))


def catalogue_articles() -> frozenset[str]:
    """The articles the shipped catalogue covers, e.g. ``"337"``, ``"352.1"``."""
    return frozenset(article for article, _ in load_parts())


def known_parts(article: str) -> set[str]:
    return {part for (art, part) in load_parts() if art == article}
