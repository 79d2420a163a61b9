"""The vocabulary of ``data/words.toml`` (EN and RU), compiled into patterns once.

A phrase matches at the start of a word, case-insensitive; ``*`` stands for any word ending and a space
for any run of spaces. Region forms are checked against the court registry: a form for a region no court
sits in is an error in the data file, not a silent miss.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from warduty.courts import load_registry
from warduty.stats.definitions import Metric


class VocabularyError(ValueError):
    """The words file is malformed or names a region the court registry does not know."""


@dataclass(frozen=True, slots=True)
class Offence:
    articles: tuple[str, ...]
    confused_with: tuple[str, ...]
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Span:
    days: int
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    offences: tuple[Offence, ...]
    measures: dict[Metric, re.Pattern[str]]
    since_mobilisation: re.Pattern[str]
    first_half: re.Pattern[str]
    second_half: re.Pattern[str]
    since_start_of: re.Pattern[str]
    day_spans: tuple[Span, ...]
    superlative: re.Pattern[str]
    asylum: re.Pattern[str]
    destination: re.Pattern[str]  # a destination country of asylum applications
    about: re.Pattern[str]  # a rounded number
    at_least: re.Pattern[str]  # a lower bound
    regions: dict[str, re.Pattern[str]]  # seat region (registry, Russian) -> its forms


def phrase_regex(phrase: str) -> str:
    """One phrase of the words file as a regular expression (no anchors)."""
    parts = []
    for word in phrase.lower().split():
        parts.append(r"\w*".join(re.escape(piece) for piece in word.split("*")))
    return r"\s+".join(parts)


def compile_phrases(phrases: list[str]) -> re.Pattern[str]:
    """Any of ``phrases``, starting at a word start and ending at a word end unless it ends in ``*``."""
    if not phrases:
        return re.compile(r"(?!x)x")
    ordered = sorted(phrases, key=len, reverse=True)  # the longest form first
    body = "|".join(phrase_regex(p) + ("" if p.endswith("*") or not p[-1:].isalnum() else r"(?!\w)")
                    for p in ordered)  # fmt: skip
    return re.compile(rf"(?<!\w)(?:{body})", re.IGNORECASE)


def _both(table: dict[str, Any], key: str) -> list[str]:
    entry = table.get(key)
    if not isinstance(entry, dict):
        raise VocabularyError(f"words file: [{key}] needs en and ru lists")
    return _phrases(entry, key)


def _phrases(entry: dict[str, Any], where: str) -> list[str]:
    words: list[str] = []
    for lang in ("en", "ru"):
        value = entry.get(lang, [])
        if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
            raise VocabularyError(f"words file: {where}.{lang} must be a list of phrases")
        words.extend(value)
    return words


def parse_vocabulary(document: dict[str, Any], known_regions: set[str] | None = None) -> Vocabulary:
    """The vocabulary of a parsed words file; ``known_regions``: the registry's seat regions."""
    try:
        offences = tuple(
            Offence(
                tuple(o["articles"]),
                tuple(o.get("confused_with", [])),
                compile_phrases(_phrases(o, "offence")),
            )
            for o in document["offence"]
        )
        measure = document["measure"]
        period = document["period"]
        spans = tuple(
            Span(int(s["days"]), compile_phrases(_phrases(s, "period.days"))) for s in period["days"]
        )
        regions = {
            name: compile_phrases(_phrases(forms, f"region.{name}"))
            for name, forms in document["region"].items()
        }
    except (KeyError, TypeError, ValueError) as exc:
        raise VocabularyError(f"words file: {exc}") from None
    unknown = sorted(set(regions) - known_regions) if known_regions is not None else []
    if unknown:
        raise VocabularyError(f"words file: no court sits in region {unknown[0]!r}")
    return Vocabulary(
        offences=offences,
        measures={"sentences": compile_phrases(_both(measure, "sentences")),
                  "received": compile_phrases(_both(measure, "received"))},
        since_mobilisation=compile_phrases(_both(period, "since_mobilisation")),
        first_half=compile_phrases(_both(period, "first_half")),
        second_half=compile_phrases(_both(period, "second_half")),
        since_start_of=compile_phrases(_both(period, "since_start_of_year")),
        day_spans=spans,
        superlative=compile_phrases(_phrases(document["superlative"], "superlative")),
        asylum=compile_phrases(_phrases(document["asylum"], "asylum")),
        destination=compile_phrases(_phrases(document["asylum"]["destination"], "asylum.destination")),
        about=compile_phrases(_both(document["hedge"], "about")),
        at_least=compile_phrases(_both(document["hedge"], "at_least")),
        regions=regions,
    )  # fmt: skip


@cache
def vocabulary() -> Vocabulary:
    """The shipped words, with the registry's own region names (Russian and English) added."""
    document = tomllib.loads(resources.files("warduty.claims").joinpath("data/words.toml").read_text("utf-8"))
    registry = {c.seat_region_ru: c.seat_region_en for c in load_registry() if c.first_instance}
    parsed = parse_vocabulary(document, set(registry))
    regions = dict(parsed.regions)
    for ru, en in registry.items():
        own = compile_phrases([ru, en.split(" (")[0]])
        extra = parsed.regions.get(ru)
        regions[ru] = re.compile(f"{own.pattern}|{extra.pattern}", re.IGNORECASE) if extra else own
    return Vocabulary(**{**{f: getattr(parsed, f) for f in parsed.__slots__}, "regions": regions})
