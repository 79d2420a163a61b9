"""Lengths of punishments as judgments write them: «2 (два) года 6 месяцев», «трех лет», «1 г. 6 мес.».

Numbers come as digits, as words in any case (``два``, ``двух``, ``двум``; ``шести``), or both
(«3 (три) года»). A length is returned in months; days are ignored (a term in days is not read as months).
"""

from __future__ import annotations

import re

_UNITS = {
    1: "один одна одно одного одной одному одним одном",
    2: "два две двух двум двумя",
    3: "три трех трёх трем трём тремя",
    4: "четыре четырех четырёх четырем четырём четырьмя",
    5: "пять пяти пятью",
    6: "шесть шести шестью",
    7: "семь семи семью",
    8: "восемь восьми восемью",
    9: "девять девяти девятью",
    10: "десять десяти десятью",
    11: "одиннадцать одиннадцати",
    12: "двенадцать двенадцати",
    13: "тринадцать тринадцати",
    14: "четырнадцать четырнадцати",
    15: "пятнадцать пятнадцати",
    16: "шестнадцать шестнадцати",
    17: "семнадцать семнадцати",
    18: "восемнадцать восемнадцати",
    19: "девятнадцать девятнадцати",
    20: "двадцать двадцати",
    30: "тридцать тридцати",
}
NUMBER_WORDS: dict[str, int] = {word: value for value, words in _UNITS.items() for word in words.split()}
_WORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
# «двадцать два», «двадцати пяти»: a tens word and a units word
_DIGITS = r"\d{1,3}(?:-?(?:го|ти|ми|х|ух|ех|ёх|и))?(?![\d.,]\d)"  # «5», «5-ти», «1-го»
NUMBER = rf"(?:\((?:{_WORD})\)|{_DIGITS}|(?<![а-яё])(?:{_WORD})(?:\s+(?:{_WORD}))?)"
_SPELLED = r"(?:\s*(?:\([^)]{1,40}\)|/[^/]{1,40}/))?"  # «3 (три)», «1 /один/»
_YEARS = r"(?:год(?:а|у|ом|ам|ами)?|лет|г\.)"
_MONTHS = r"(?:месяц\w*|мес\.?)"
_DAYS = r"(?:д(?:ня|ней|ень|н\.)|сут\w*)"
_HALF = r"(?:полтора\s+года|полутора\s+лет)"

DURATION = re.compile(
    rf"(?<![\d.])(?:(?P<half>{_HALF})"
    rf"|(?P<years>{NUMBER}){_SPELLED}\s*{_YEARS}(?![а-яё])"
    rf"(?:\s*,?\s*(?:и\s+)?(?P<extra>{NUMBER}){_SPELLED}\s*{_MONTHS})?"
    rf"|(?P<months>{NUMBER}){_SPELLED}\s*{_MONTHS})"
    rf"(?:\s*,?\s*(?:и\s+)?{NUMBER}{_SPELLED}\s*{_DAYS})?",
    re.IGNORECASE,
)


def number(token: str) -> int | None:
    """``"12"`` -> 12, ``"двадцати пяти"`` -> 25; ``None`` when a word is not a number."""
    token = token.strip()
    digits = re.match(r"\d+", token)
    if digits:
        return int(digits.group(0))
    total = 0
    for word in token.lower().strip("()").split():
        value = NUMBER_WORDS.get(word)
        if value is None:
            return None
        total += value
    return total


def months_of(match: re.Match[str]) -> int | None:
    """Months of a ``DURATION`` match (``None`` if a number in it does not read)."""
    if match.group("half"):
        return 18
    if match.group("years") is not None:
        years = number(match.group("years"))
        extra = number(match.group("extra")) if match.group("extra") else 0
        if years is None or extra is None:
            return None
        return years * 12 + extra
    return number(match.group("months"))


def duration_at(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The first length in ``text[start:end]`` as (months, end offset)."""
    for match in DURATION.finditer(text, start, end):
        months = months_of(match)
        if months is not None:
            return months, match.end()
    return None


def durations_in(text: str) -> list[tuple[int, int, int]]:
    """Every length in ``text`` as (start, end, months)."""
    found = []
    for match in DURATION.finditer(text):
        months = months_of(match)
        if months is not None:
            found.append((match.start(), match.end(), months))
    return found
