"""Service and absence facts from the narrative of an act: mobilised, contract or conscript; when the
absence began and ended, how long it lasted, and whether the serviceman came back of his own accord.

Read from the part before the operative verb (the court's account of the facts); a fact the text does
not state is ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6,
    "июля": 7, "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
}  # fmt: skip
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_WORD_DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})", re.IGNORECASE)
_ANY_DATE = re.compile(_NUMERIC_DATE.pattern + "|" + _WORD_DATE.pattern + r"|ДД\.ММ\.ГГГГ", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.;])\s+|\n+")


class _Rule:
    """A case-blind regex with words that every match of it contains, in upper case: a text whose upper
    case holds none of them cannot match, and ``in`` runs at memory speed where these regexes take a step
    per character. Upper case, not lower: ``re.IGNORECASE`` also takes e.g. the narrow о (U+1C82) for
    «о», and the two share only their upper case (tests/sudrf/test_service_rules.py checks every letter).
    """

    def __init__(self, pattern: str, *words: str) -> None:
        self.regex = re.compile(pattern, re.IGNORECASE)
        self.words = words

    def found(self, text: str, upper: str | None = None) -> bool:
        """Does the regex match ``text``? ``upper`` is ``text.upper()`` when the caller has it."""
        upper = text.upper() if upper is None else upper
        return any(word in upper for word in self.words) and self.regex.search(text) is not None


_MOBILISED = _Rule(
    r"призван\w*\s+(?:\w+\s+){0,4}?по\s+(?:частичной\s+)?мобилизации|мобилизованн\w*\s+(?:военнослужащ|рядов|сержант)",
    "МОБИЛИЗ",
)
_CONTRACT = _Rule(
    r"(?:служб\w*|заключил\w*|заключенн\w*|заключённ\w*)\s+(?:\w+\s+){0,3}?контракт", "КОНТРАКТ"
)
_CONSCRIPT = _Rule(r"служб\w*\s+по\s+призыву|военнослужащ\w+\s+по\s+призыву", "ПРИЗЫВУ")
_ABSENCE_KEY = re.compile(
    r"самовольно|не\s+явил|не\s+прибыл|уклон\w+\s+от\s+(?:прохождения|исполнения)|вне\s+(?:части|сферы|места)|"
    r"незаконно\s+находил|отсутствовал",
    re.IGNORECASE,
)
_START_KEY = re.compile(
    r"самовольно\s+оставил|оставил\w*\s+(?:место|воинск|расположени)|не\s+явил|не\s+прибыл|убыл",
    re.IGNORECASE,
)
_RETURN_KEY = re.compile(
    r"явил\w*(?!\s+в\s+срок)|прибыл\w*\s+в\s+(?:воинск|военн|пункт|расположени|комендатур)|вернул|задержан|обнаружен|"
    r"доставлен|прекратил\w*\s+(?:сво[её]\s+)?незаконное",
    re.IGNORECASE,
)
_SPAN = re.compile(
    rf"\bс\s+({_ANY_DATE.pattern})\s*(?:г\.|года)?\s+(?:и\s+)?по\s+({_ANY_DATE.pattern})", re.IGNORECASE
)
_DAYS = re.compile(
    r"(?:продолжительностью|в\s+течение|общей\s+продолжительностью)\s+(\d{1,4})\s*(?:\([^)]{1,40}\)\s*)?(?:сут|дн|ден)",
    re.IGNORECASE,
)
_VOLUNTARY = _Rule(
    r"добровольно\s+(?:\w+\s+){0,2}?(?:явил|прибыл|вернул|прекратил)|(?:явил|прибыл|вернул)\w*\s+(?:\w+\s+){0,3}?добровольно|"
    r"самостоятельно\s+(?:явил|прибыл|вернул)|(?:явил|прибыл|вернул)\w*\s+самостоятельно",
    "ДОБРОВОЛЬНО",
    "САМОСТОЯТЕЛЬНО",
)
_SELF_RETURN = re.compile(r"\b(?:явил|прибыл|вернул)\w*", re.IGNORECASE)
_DETAINED = re.compile(
    r"задержан|обнаружен\w*\s+(?:и\s+)?(?:сотрудник|военн)|доставлен|розыск", re.IGNORECASE
)


_MILITARY = _Rule(
    r"военнослужащ|воинск|военн\w*\s+служб|мобилиз|по\s+призыву|контракт",
    *("ВОЕНН", "ВОИНСК", "МОБИЛИЗ", "ПРИЗЫВУ", "КОНТРАКТ"),
)


@dataclass(frozen=True, slots=True)
class ServiceFacts:
    """A serviceman's service and absence as the narrative tells them."""

    mobilised: bool
    contract: bool
    conscript: bool
    absence_start: date | None
    absence_end: date | None
    absence_days: int | None
    voluntary_return: bool | None


CIVILIAN = ServiceFacts(False, False, False, None, None, None, None)


def service_facts(text: str, narrative: str) -> ServiceFacts:
    """Service facts from the whole text, absence facts from the narrative; a text that names no military
    service at all is a civilian's (checked first: it is cheap, the absence rules are not)."""
    upper = text.upper()
    if not _MILITARY.found(text, upper):
        return CIVILIAN
    start, end, days = absence(narrative)
    return ServiceFacts(
        _MOBILISED.found(text, upper),
        _CONTRACT.found(text, upper),
        _CONSCRIPT.found(text, upper),
        start,
        end,
        days,
        voluntary_return(narrative),
    )


def mobilised(text: str) -> bool:
    return _MOBILISED.found(text)


def contract(text: str) -> bool:
    return _CONTRACT.found(text)


def conscript(text: str) -> bool:
    return _CONSCRIPT.found(text)


def _to_date(token: str) -> date | None:
    numeric = _NUMERIC_DATE.fullmatch(token.strip())
    try:
        if numeric:
            day, month, year = (int(x) for x in numeric.groups())
            return date(year, month, day)
        word = _WORD_DATE.fullmatch(token.strip())
        if word:
            return date(int(word.group(3)), _MONTHS[word.group(2).lower()], int(word.group(1)))
    except ValueError:
        return None
    return None


def absence(narrative: str) -> tuple[date | None, date | None, int | None]:
    sentences = [part for part in _SENTENCE.split(narrative) if part.strip()]
    start: date | None = None
    end: date | None = None
    for sentence in sentences:
        span = _SPAN.search(sentence)
        if span and _ABSENCE_KEY.search(sentence):
            dates = [m.group(0) for m in _ANY_DATE.finditer(span.group(0))]
            start, end = _to_date(dates[0]), _to_date(dates[-1])
            break
    if start is None and end is None:
        start, end = _marked_dates(sentences)
    days = (end - start).days if start and end and end >= start else None
    if days is None:
        explicit = next(
            (m for s in sentences if _ABSENCE_KEY.search(s) for m in [_DAYS.search(s)] if m), None
        )
        days = int(explicit.group(1)) if explicit else None
    return start, end, days


def _marked_dates(sentences: list[str]) -> tuple[date | None, date | None]:
    start: date | None = None
    end: date | None = None
    start_seen = False
    for sentence in sentences:
        starts = _START_KEY.search(sentence)
        if not start_seen and starts:
            start_seen = True
            found = _ANY_DATE.search(sentence)
            start = _to_date(found.group(0)) if found else None
            rest = sentence[starts.end() :]
        elif start_seen:
            rest = sentence
        else:
            continue
        back = _RETURN_KEY.search(rest)
        if back:
            dates = [m.group(0) for m in _ANY_DATE.finditer(rest)]
            before = [m.group(0) for m in _ANY_DATE.finditer(rest[: back.end() + 60])]
            candidates = before or dates
            end = _to_date(candidates[-1]) if candidates else None
            break
    return start, end


def voluntary_return(narrative: str) -> bool | None:
    if _VOLUNTARY.found(narrative):
        return True
    absence = _ABSENCE_KEY.search(narrative)
    if absence is None:
        return None
    if _DETAINED.search(narrative):
        return False
    return True if _SELF_RETURN.search(narrative, absence.end()) else None
