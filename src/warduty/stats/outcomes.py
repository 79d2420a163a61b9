"""Outcomes as the court cards write them, read by the rules of the law notes (checked in this order).

Pure functions: the SQL side asks the database for the distinct result strings and keeps those of a
kind (SQLite's ``lower()`` does not fold Cyrillic, so case-insensitive matching happens here).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

Outcome = Literal["verdict", "dismissed", "returned", "transferred", "medical", "pending", "other"]
OUTCOMES: tuple[Outcome, ...] = (
    "verdict", "dismissed", "returned", "transferred", "medical", "pending", "other",
)  # fmt: skip
OUTCOME_LABELS: dict[Outcome, tuple[str, str]] = {
    "verdict": ("verdict", "приговор"),
    "dismissed": ("dismissed", "прекращено"),
    "returned": ("returned to the prosecutor", "возвращено прокурору"),
    "transferred": ("transferred to another court", "передано по подсудности"),
    "medical": ("compulsory medical measures", "принудительные меры медицинского характера"),
    "pending": ("pending", "не рассмотрено"),
    "other": ("other", "иное"),
}
_RULES: tuple[tuple[Outcome, re.Pattern[str]], ...] = (
    ("verdict", re.compile(r"приговор", re.IGNORECASE)),
    ("dismissed", re.compile(r"прекращ", re.IGNORECASE)),
    ("returned", re.compile(r"возвращ\w*\s+прокурор", re.IGNORECASE)),
    ("transferred", re.compile(r"подсудност|подведомственност", re.IGNORECASE)),
    ("medical", re.compile(r"принудительн\w*\s+мер\w*\s+медицинск", re.IGNORECASE)),
    ("pending", re.compile(r"отложен|приостановлен|назначено", re.IGNORECASE)),
)
_EXECUTION = re.compile(r"исполнени\w*\s+приговор", re.IGNORECASE)


def classify_outcome(result: str | None) -> Outcome:
    """The outcome a card's result string states; ``pending`` when there is none yet."""
    if result is None or not result.strip():
        return "pending"
    for outcome, pattern in _RULES:
        if outcome == "verdict":
            if pattern.search(_EXECUTION.sub(" ", result)):
                return outcome
            continue
        if pattern.search(result):
            return outcome
    return "other"


def is_sentence(result: str | None) -> bool:
    return classify_outcome(result) == "verdict"


def results_of(kind: Outcome, results: Iterable[str | None]) -> list[str]:
    """The result strings among ``results`` that state ``kind``."""
    return sorted({r for r in results if r is not None and classify_outcome(r) == kind})
