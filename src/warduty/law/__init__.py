"""Article catalogue: Criminal Code art. 328 and Chapter 33, and a parser for written references."""

from warduty.law.catalogue import (
    GROUP_ARTICLES,
    GROUPS,
    WATCHED_ARTICLES,
    Group,
    PartInfo,
    chapter_of,
    group_of,
    part_info,
)
from warduty.law.refs import ArticleParseError, ArticleRef, parse_articles

__all__ = [
    "GROUPS",
    "GROUP_ARTICLES",
    "WATCHED_ARTICLES",
    "ArticleParseError",
    "ArticleRef",
    "Group",
    "PartInfo",
    "chapter_of",
    "group_of",
    "parse_articles",
    "part_info",
]
