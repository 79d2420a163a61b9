"""The Judgement corpus's annotation tags read as labels, and the reader scored against them.

The rules are those of ``../shared/reference/verdicts/MANIFEST.md``:

- act kind: the heading (ПРИГОВОР / ПОСТАНОВЛЕНИЕ / ОПРЕДЕЛЕНИЕ / РЕШЕНИЕ), for every act; only
  ПРИГОВОР is a verdict;
- for verdicts (heading ПРИГОВОР) with exactly one ``\\convb`` (one defendant), inside that conviction
  clause (rulings are not scored for the sentence: the reader reads a sentence from verdicts only):
  punishment ``\\condb`` → suspended, else ``\\prisontermb`` → imprisonment, else ``\\fineb`` → fine;
  term = ``\\term{Y-M-D}`` inside ``\\prisontermb…\\prisonterme`` (12·Y + M months); probation =
  ``\\term{}`` inside ``\\condb…\\conde``; colony regime (real terms) ``\\ikor`` / ``\\iksr`` / ``\\ikp``;
  fine amount ``\\fn{N}`` (fines).

The reader sees the text with every tag stripped (``\\\\[a-z]+(\\{[^}]*\\})?``). Used by
``benchmarks/verdicts_real.py`` and ``tests/sudrf/test_verdict_real.py``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

TAG = re.compile(r"\\[a-z]+(\{[^}]*\})?")
_TERM = re.compile(r"\\term\{(\d+)-(\d+)-(\d+)\}")
_FINE_AMOUNT = re.compile(r"\\fn\{([\d\s]+)\}")
_REGIME_TAGS = (("\\ikor", "general"), ("\\iksr", "strict"), ("\\ikp", "settlement"))
_KINDS = ("приговор", "постановление", "определение", "решение")
_HEADING_LINES = 8

FIELDS = (
    "act_kind",
    "is_verdict",
    "punishment",
    "term_months",
    "probation_months",
    "colony_regime",
    "fine_rubles",
)


def strip_tags(text: str) -> str:
    return TAG.sub("", text)


def read_tagged(path: Path) -> str:
    """A dev file's tagged text (UTF-8, BOM dropped). Line ends are left as they are."""
    return path.read_bytes().decode("utf-8-sig")


def _heading_kind(text: str) -> str | None:
    """The kind word of the act's heading: the first of the first lines that holds one as a word.

    Letters spaced out («П Р И Г О В О Р») are joined first. The heading of these acts is the first
    kind word the text holds; later lines speak of other acts («рассмотрев постановление ...»).
    """
    lines = [line for line in re.split(r"[\r\n]+", strip_tags(text)) if line.strip()]
    for line in lines[:_HEADING_LINES]:
        joined = re.sub(r"(?<=\b\w) (?=\w\b)", "", line.strip()).lower()
        words = re.findall(r"[а-яё]+", joined)
        for word in words:
            if word in _KINDS:
                return word
    return None


def _span(text: str, opening: str, closing: str) -> str | None:
    start = text.find(opening)
    if start < 0:
        return None
    end = text.find(closing, start)
    return text[start : end if end >= 0 else len(text)]


def _months(span: str | None) -> int | None:
    if span is None:
        return None
    match = _TERM.search(span)
    if match is None:
        return None
    years, months, _days = (int(x) for x in match.groups())
    if years == 0 and months == 0:
        return None  # a term in days (arrest) is not a term in months
    return 12 * years + months


def conviction_clauses(text: str) -> list[str]:
    """The tagged text of each ``\\convb`` clause (to its ``\\conve``, the next clause or the end)."""
    clauses = []
    for match in re.finditer(r"\\convb", text):
        rest = text[match.end() :]
        ends = [i for i in (rest.find("\\conve"), rest.find("\\convb"), rest.find("\\rese")) if i >= 0]
        clauses.append(rest[: min(ends)] if ends else rest)
    return clauses


def clause_labels(clause: str) -> dict[str, object]:
    """Punishment, term, probation, regime and fine of one conviction clause (``None``: no label)."""
    condition = _span(clause, "\\condb", "\\conde")
    prison = _span(clause, "\\prisontermb", "\\prisonterme")
    fine = "\\fineb" in clause
    punishment = "suspended" if condition else "imprisonment" if prison else "fine" if fine else None
    regime = None
    if punishment == "imprisonment":
        found = [(clause.find(tag), name) for tag, name in _REGIME_TAGS if tag in clause]
        regime = min(found)[1] if found else None
    amount = None
    if punishment == "fine":
        match = _FINE_AMOUNT.search(clause)
        amount = int(re.sub(r"\s", "", match.group(1))) if match else None
    return {
        "punishment": punishment,
        "term_months": _months(prison) if punishment in ("imprisonment", "suspended") else None,
        "probation_months": _months(condition),
        "colony_regime": regime,
        "fine_rubles": amount,
    }


def labels(text: str) -> dict[str, object]:
    """Every field's label for one tagged act; a field without a label is ``None``."""
    kind = _heading_kind(text)
    result: dict[str, object] = {"act_kind": kind, "is_verdict": None if kind is None else kind == "приговор"}
    clauses = conviction_clauses(text)
    sole = clause_labels(clauses[0]) if len(clauses) == 1 and kind == "приговор" else {}
    for name in FIELDS[2:]:
        result[name] = sole.get(name)
    return result


@dataclass
class FieldScore:
    labelled: int = 0
    answered: int = 0  # non-null answers where a label exists
    correct: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.labelled if self.labelled else 1.0

    @property
    def coverage(self) -> float:
        return self.answered / self.labelled if self.labelled else 1.0


@dataclass
class Miss:
    file: str
    field: str
    expected: object
    got: object


@dataclass
class Scores:
    files: int = 0
    fields: dict[str, FieldScore] = field(default_factory=lambda: {name: FieldScore() for name in FIELDS})
    misses: list[Miss] = field(default_factory=list)
    confusion: Counter[tuple[object, object]] = field(default_factory=Counter)


def score(items: Iterable[tuple[str, str]], read: Callable[[str], Mapping[str, object]]) -> Scores:
    """Score ``read`` (plain text → the reader's JSON object) on ``(name, tagged text)`` pairs."""
    scores = Scores()
    for name, tagged in items:
        scores.files += 1
        expected = labels(tagged)
        got = read(strip_tags(tagged))
        for field_name in FIELDS:
            want = expected[field_name]
            if want is None:
                continue
            answer = got.get(field_name)
            entry = scores.fields[field_name]
            entry.labelled += 1
            entry.answered += answer is not None
            if answer == want:
                entry.correct += 1
            else:
                scores.misses.append(Miss(name, field_name, want, answer))
            if field_name == "punishment":
                scores.confusion[(want, answer)] += 1
    return scores


def dev_files(root: Path, parity: int | None = None) -> list[Path]:
    """Dev texts (``papaver/N.txt``, ``mitingi/N.txt``), optionally only those with N % 2 == parity."""
    paths = sorted(root.glob("*/*.txt"), key=lambda p: (p.parent.name, int(p.stem)))
    return [p for p in paths if parity is None or int(p.stem) % 2 == parity]
