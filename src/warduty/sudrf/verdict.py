"""Facts from the text of a judicial act: is it a verdict, for whom, the punishment, and the absence.

Rules follow the wording of ст. 73, 58 and the military penalties (see docs/parsers.md). The punishment is
read only from the operative part (after «ПРИГОВОРИЛ»), with sentences about parole, release under
ст. 80.2, cancelled suspensions, extended probation and earlier convictions removed first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6,
    "июля": 7, "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
}  # fmt: skip
_NUMBER_WORDS = {
    "один": 1, "одного": 1, "одному": 1, "два": 2, "двух": 2, "три": 3, "трех": 3, "трёх": 3,
    "четыре": 4, "четырех": 4, "четырёх": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6,
    "семь": 7, "семи": 7, "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9, "десять": 10,
    "десяти": 10, "одиннадцать": 11, "двенадцать": 12,
}  # fmt: skip
_NUM = r"(\d{1,2}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_SPELLED = r"(?:\s*\([^)]{1,30}\))?"
_DURATION = re.compile(
    rf"(?:{_NUM}{_SPELLED}\s*(?:год[а]?|лет)\b(?:\s*(?:и\s*)?{_NUM}{_SPELLED}\s*месяц\w*)?"
    rf"|{_NUM}{_SPELLED}\s*месяц\w*)",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_WORD_DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})", re.IGNORECASE)
_ANY_DATE = re.compile(_NUMERIC_DATE.pattern + "|" + _WORD_DATE.pattern + r"|ДД\.ММ\.ГГГГ", re.IGNORECASE)

_HEADINGS = (
    ("приговор", re.compile(r"^(?:АПЕЛЛЯЦИОННЫЙ\s+)?П\s?Р\s?И\s?Г\s?О\s?В\s?О\s?Р\b")),
    (
        "постановление",
        re.compile(
            r"^(?:АПЕЛЛЯЦИОННОЕ\s+|КАССАЦИОННОЕ\s+)?П\s?О\s?С\s?Т\s?А\s?Н\s?О\s?В\s?Л\s?Е\s?Н\s?И\s?Е"
        ),
    ),
    (
        "определение",
        re.compile(r"^(?:АПЕЛЛЯЦИОННОЕ\s+|КАССАЦИОННОЕ\s+)?О\s?П\s?Р\s?Е\s?Д\s?Е\s?Л\s?Е\s?Н\s?И\s?Е"),
    ),
    ("решение", re.compile(r"^(?:ЗАОЧНОЕ\s+)?Р\s?Е\s?Ш\s?Е\s?Н\s?И\s?Е\b")),
)
_OPERATIVE = re.compile(r"П\s?Р\s?И\s?Г\s?О\s?В\s?О\s?Р\s?И\s?Л\s?:?")
_FALSE_POSITIVES = re.compile(
    r"условно[\s-]*досрочн|освобо\w*\s+(?:\w+\s+){0,4}от\s+(?:отбывания\s+)?наказания\s+условно|"
    r"80\.2|отмен\w*\s+условн\w*\s+осуждени|услов\w+\s+осуждени\w*\s+отмен|ст(?:атьи|\.)\s*74\b|"
    r"продл\w*\s+испытательн|ранее\s+(?:был\s+)?суд|судим",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.;])\s+|\n+")
_DEFENDANT = re.compile(r"признать\s+(.{1,80}?)\s*,?\s+виновн", re.IGNORECASE)
_ART73 = re.compile(r"ст(?:ать[иеюя]|\.)?\s*73\s*УК", re.IGNORECASE)
_CONDITIONAL = re.compile(r"условн\w*", re.IGNORECASE)
_PROBATION = re.compile(r"испытательн\w*\s+срок\w*\s*(?:на|в|продолжительностью)?\s*", re.IGNORECASE)
_IMPRISONMENT = re.compile(r"лишени\w*\s+свободы", re.IGNORECASE)
_DISCIPLINARY = re.compile(r"содержани\w*\s+в\s+дисциплинарной\s+воинской\s+части", re.IGNORECASE)
_RESTRICTION = re.compile(r"ограничени\w*\s+по\s+военной\s+службе", re.IGNORECASE)
_FINE = re.compile(
    r"(?<!судебного\s)(?<!судебный\s)штраф\w*\s+в\s+размере\s+([\d\s\u00a0]{1,12})", re.IGNORECASE
)
_PERCENT = re.compile(
    r"удержани\w*\s+(?:\w+\s+){0,3}?(\d{1,2})\s*(?:\([^)]{1,20}\)\s*)?(?:%|процент)", re.IGNORECASE
)
_REGIMES = (
    ("settlement", re.compile(r"колони\w*[\s-]+поселени", re.IGNORECASE)),
    ("general", re.compile(r"общего\s+режима", re.IGNORECASE)),
    ("strict", re.compile(r"строгого\s+режима", re.IGNORECASE)),
    ("special", re.compile(r"особого\s+режима", re.IGNORECASE)),
)
_MOBILISED = re.compile(
    r"призван\w*\s+(?:\w+\s+){0,4}?по\s+(?:частичной\s+)?мобилизации|мобилизованн\w*\s+(?:военнослужащ|рядов|сержант)",
    re.IGNORECASE,
)
_CONTRACT = re.compile(
    r"(?:служб\w*|заключил\w*|заключенн\w*|заключённ\w*)\s+(?:\w+\s+){0,3}?контракт", re.IGNORECASE
)
_CONSCRIPT = re.compile(r"служб\w*\s+по\s+призыву|военнослужащ\w+\s+по\s+призыву", re.IGNORECASE)
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
_VOLUNTARY = re.compile(
    r"добровольно\s+(?:\w+\s+){0,2}?(?:явил|прибыл|вернул|прекратил)|(?:явил|прибыл|вернул)\w*\s+(?:\w+\s+){0,3}?добровольно|"
    r"самостоятельно\s+(?:явил|прибыл|вернул)|(?:явил|прибыл|вернул)\w*\s+самостоятельно",
    re.IGNORECASE,
)
_SELF_RETURN = re.compile(r"\b(?:явил|прибыл|вернул)\w*", re.IGNORECASE)
_DETAINED = re.compile(
    r"задержан|обнаружен\w*\s+(?:и\s+)?(?:сотрудник|военн)|доставлен|розыск", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class VerdictFacts:
    """What an act's text says. ``None`` means the text does not say (or was not read with confidence)."""

    is_verdict: bool
    act_kind: str | None
    defendants: tuple[str, ...]
    punishment: str | None
    term_months: int | None
    probation_months: int | None
    colony_regime: str | None
    deduction_percent: int | None
    fine_rubles: int | None
    mobilised: bool
    contract: bool
    conscript: bool
    absence_start: date | None
    absence_end: date | None
    absence_days: int | None
    voluntary_return: bool | None

    def to_dict(self) -> dict[str, object]:
        return {
            "is_verdict": self.is_verdict,
            "act_kind": self.act_kind,
            "defendants": list(self.defendants),
            "punishment": self.punishment,
            "term_months": self.term_months,
            "probation_months": self.probation_months,
            "colony_regime": self.colony_regime,
            "deduction_percent": self.deduction_percent,
            "fine_rubles": self.fine_rubles,
            "mobilised": self.mobilised,
            "contract": self.contract,
            "conscript": self.conscript,
            "absence_start": self.absence_start.isoformat() if self.absence_start else None,
            "absence_end": self.absence_end.isoformat() if self.absence_end else None,
            "absence_days": self.absence_days,
            "voluntary_return": self.voluntary_return,
        }


def extract_verdict(text: str) -> VerdictFacts:
    """Read the facts from an act's plain text. Pure; never raises."""
    kind = _act_kind(text)
    operative_match = _OPERATIVE.search(text)
    is_verdict = kind == "приговор" or (kind is None and operative_match is not None)
    narrative = text[: operative_match.start()] if operative_match else text
    operative = _clean_operative(text[operative_match.end() :]) if operative_match else ""
    punishment, term, probation = _punishment(operative) if is_verdict else (None, None, None)
    start, end, days = _absence(narrative)
    return VerdictFacts(
        is_verdict=is_verdict,
        act_kind=kind,
        defendants=_defendants(operative) if is_verdict else (),
        punishment=punishment,
        term_months=term,
        probation_months=probation,
        colony_regime=_regime(operative) if punishment == "imprisonment" else None,
        deduction_percent=_percent(operative) if punishment == "service_restriction" else None,
        fine_rubles=_fine(operative) if punishment == "fine" else None,
        mobilised=bool(_MOBILISED.search(text)),
        contract=bool(_CONTRACT.search(text)),
        conscript=bool(_CONSCRIPT.search(text)),
        absence_start=start,
        absence_end=end,
        absence_days=days,
        voluntary_return=_voluntary(narrative),
    )


def _act_kind(text: str) -> str | None:
    for line in text.split("\n")[:60]:
        heading = line.strip()
        for kind, pattern in _HEADINGS:
            if pattern.match(heading):
                return kind
    return None


def _clean_operative(operative: str) -> str:
    kept = [part for part in _SENTENCE.split(operative) if not _FALSE_POSITIVES.search(part)]
    return " ".join(kept)


def _number(token: str) -> int:
    return int(token) if token.isdigit() else _NUMBER_WORDS[token.lower()]


def _months(match: re.Match[str]) -> int:
    years, extra, months_only = match.group(1), match.group(2), match.group(3)
    if years is not None:
        return _number(years) * 12 + (_number(extra) if extra else 0)
    return _number(months_only)


def _duration_after(text: str, position: int, reach: int = 120) -> int | None:
    match = _DURATION.search(text, position, position + reach)
    return _months(match) if match else None


def _punishment(operative: str) -> tuple[str | None, int | None, int | None]:
    prison = _IMPRISONMENT.search(operative)
    if prison:
        term = _duration_after(operative, prison.end()) or _duration_before(operative, prison.start())
        probation = _PROBATION.search(operative)
        if _ART73.search(operative) and _CONDITIONAL.search(operative) and probation:
            return "suspended", term, _duration_after(operative, probation.end(), 60)
        return "imprisonment", term, None
    for kind, pattern in (("disciplinary_unit", _DISCIPLINARY), ("service_restriction", _RESTRICTION)):
        match = pattern.search(operative)
        if match:
            term = _duration_after(operative, match.end()) or _duration_before(operative, match.start())
            return kind, term, None
    if _FINE.search(operative):
        return "fine", None, None
    return None, None, None


def _duration_before(text: str, position: int) -> int | None:
    window = text[max(0, position - 80) : position]
    matches = list(_DURATION.finditer(window))
    return _months(matches[-1]) if matches else None


def _regime(operative: str) -> str | None:
    return next((name for name, pattern in _REGIMES if pattern.search(operative)), None)


def _percent(operative: str) -> int | None:
    match = _PERCENT.search(operative)
    return int(match.group(1)) if match else None


def _fine(operative: str) -> int | None:
    match = _FINE.search(operative)
    if not match:
        return None
    digits = re.sub(r"\D", "", match.group(1))
    return int(digits) if digits else None


def _defendants(operative: str) -> tuple[str, ...]:
    names: list[str] = []
    for match in _DEFENDANT.finditer(operative):
        name = match.group(1).strip(' ,.«»"')
        if name and name not in names:
            names.append(name)
    return tuple(names)


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


def _absence(narrative: str) -> tuple[date | None, date | None, int | None]:
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


def _voluntary(narrative: str) -> bool | None:
    if _VOLUNTARY.search(narrative):
        return True
    absence = _ABSENCE_KEY.search(narrative)
    if absence is None:
        return None
    if _DETAINED.search(narrative):
        return False
    return True if _SELF_RETURN.search(narrative, absence.end()) else None
