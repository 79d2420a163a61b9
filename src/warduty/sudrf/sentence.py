"""The final sentence of one defendant's conviction clause: punishment, term, probation, colony, fine.

A clause may list several counts («по ч. 1 ст. 228 УК РФ – 1 год …; по ч. 1 ст. 232 …»), then combine
them (ч. 2/3/5 ст. 69, ст. 70) «окончательно»: the final punishment is the one after the last
«окончательно» (else after the last «по совокупности», else the first one named). Sentences about
other sentences are set apart before the suspension is read: cancelled suspensions (ст. 74), prior
sentences to be served on their own, parole, extended probation. A release under an amnesty is a fact
of its own and leaves the sentence as imposed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from warduty.sudrf.durations import DURATION, NUMBER_WORDS, duration_at, durations_in

_PUNISHMENTS = (
    # «с отбыванием наказания в колонии» names imprisonment where the term itself is redacted
    ("imprisonment", r"лишени[еяюи]\w*\s+свободы|отбывани\w*\s+(?:наказани\w*\s+)?в\s+(?:\w+\s+){0,2}колони"),
    ("disciplinary_unit", r"содержани\w*\s+в\s+дисциплинарной\s+воинской\s+части"),
    ("service_restriction", r"ограничени\w*\s+по\s+военной\s+службе"),
    ("restriction_of_liberty", r"ограничени\w*\s+свободы"),
    ("forced_labour", r"принудительн\w*\s+работ"),
    ("correctional_labour", r"исправительн\w*\s+работ"),
    ("compulsory_work", r"обязательн\w*\s+работ"),
    ("fine", r"(?<!судебного\s)(?<!судебный\s)(?<!судебным\s)штраф(?:а|ом|у)?\b"),
)
_PUNISHMENT = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _PUNISHMENTS), re.IGNORECASE)
# the final sentence after counts and combinations
_FINAL = re.compile(r"окончательн\w*", re.IGNORECASE)
_COMBINED = re.compile(r"по\s+совокупност\w*", re.IGNORECASE)
_IMPOSED = re.compile(r"назнач\w*|наказани\w*", re.IGNORECASE)
_SENTENCE_SPLIT = re.compile(r"(?<![\s.][А-ЯЁ])(?<!\bст)(?<!\bч)(?<!\bп)(?<!\bг)\.\s+(?=[А-ЯЁ«\"(])|;\s*|\n+")
# a suspension: «считать условным с испытательным сроком 2 года» (ст. 73 УК)
_PROBATION = re.compile(r"испытательн\w*\s+срок\w*", re.IGNORECASE)
_CONDITIONAL = re.compile(r"условн\w*|ст(?:ать[иеюя]|\.)?\s*73\b", re.IGNORECASE)
_DURATION_AFTER_PROBATION = re.compile(
    rf"\s*(?:[-–—:,]\s*)?(?:(?:в|на|продолжительностью|равн\w+|сроком|срок|в\s+течение|который\s+установить)\s+)*(?:на\s*)?"
    rf"(?P<length>{DURATION.pattern})",
    re.IGNORECASE,
)
_SUSPENSION = re.compile(r"(?<![\w-])условн(?!о[\s-]*досрочн)\w*|ст(?:ать[иеюя]|\.)?\s*73\b", re.IGNORECASE)
_SUSPENDED_WORDING = re.compile(
    r"считать\s+(?:его\s+|ее\s+|её\s+)?условн|назнач\w*\s+(?:\w+\s+){0,3}условн|применить\s+(?:\w+\s+){0,2}ст\.?\s*73",
    re.IGNORECASE,
)
_OTHER_SENTENCE = re.compile(
    r"условно[\s-]*досрочн|80\.2|\b74\b|\b79\b|отмен\w*\s+(?:\S+\s+){0,3}?условн|"
    r"условн\w*\s+осуждени\w*[^.;]{0,200}?отмен|продл\w*\s+(?:\S+\s+){0,3}?испытательн|исполнять\s+самостоятельно|"
    r"исполня\w*\s+самостоятельно|самостоятельно(?:му)?\s+исполнени|по\s+приговору\s+(?:[^\s]+\s+){0,8}?от\b|"
    r"ранее\s+(?:был\w*\s+)?(?:суд|осужд)|судим",
    re.IGNORECASE,
)
_AMNESTY = re.compile(r"амнисти", re.IGNORECASE)
_RELEASED = re.compile(r"освобод\w*", re.IGNORECASE)
_REGIMES = (
    ("settlement", re.compile(r"колони\w*[\s\-–—]*поселени", re.IGNORECASE)),
    ("general", re.compile(r"общего\s+режима", re.IGNORECASE)),
    ("strict", re.compile(r"строгого\s+режима", re.IGNORECASE)),
    ("special", re.compile(r"особого\s+режима", re.IGNORECASE)),
    ("educational", re.compile(r"воспитательн\w*\s+колони", re.IGNORECASE)),
    ("prison", re.compile(r"\bв\s+тюрьме\b", re.IGNORECASE)),
)
_AMOUNT = re.compile(
    r"(?P<digits>\d{1,3}(?:[\s.]\d{3})+(?:,\d{1,2})?|\d+(?:[.,]\d{1,2})?)?\s*(?:\([^)]{1,80}\)\s*)?(?P<words>(?:[а-яё]+\s+){0,3}?)"
    r"(?P<thousand>тысяч\w*|тыс\.?)?\s*(?:руб|₽)",
    re.IGNORECASE,
)
_HUNDREDS = {
    "сто": 100, "ста": 100, "двести": 200, "двухсот": 200, "триста": 300, "трехсот": 300, "трёхсот": 300,
    "четыреста": 400, "четырехсот": 400, "пятьсот": 500, "пятисот": 500, "шестьсот": 600, "шестисот": 600,
    "семьсот": 700, "семисот": 700, "восемьсот": 800, "восьмисот": 800, "девятьсот": 900, "девятисот": 900,
    "сорок": 40, "сорока": 40, "пятьдесят": 50, "пятидесяти": 50, "шестьдесят": 60, "шестидесяти": 60,
    "семьдесят": 70, "семидесяти": 70, "восемьдесят": 80, "восьмидесяти": 80, "девяносто": 90,
}  # fmt: skip
_PERCENT = re.compile(r"(\d{1,2})\s*(?:\([^)]{1,30}\)\s*)?(?:%|процент)", re.IGNORECASE)
_NEAR = 40  # a length written before its punishment: «3 (три) года лишения свободы»
_REACH = 160  # a length written after it: «лишения свободы с применением ст. 64 УК РФ на срок 1 год»


@dataclass(frozen=True, slots=True)
class Sentence:
    """The final sentence of one clause; ``None`` where the clause does not say."""

    punishment: str | None
    term_months: int | None
    probation_months: int | None
    colony_regime: str | None
    fine_rubles: int | None
    deduction_percent: int | None
    amnesty: bool


NO_SENTENCE = Sentence(None, None, None, None, None, None, False)


def sentences(text: str) -> list[str]:
    return [part for part in _SENTENCE_SPLIT.split(text) if part.strip()]


def read_sentence(clause: str) -> Sentence:
    """The final punishment of one defendant's clause."""
    if not clause:
        return NO_SENTENCE
    final = _final_part(clause)
    main = _main_punishment(final)
    if main is None:
        return NO_SENTENCE
    kind, start, end = main
    own = [part for part in sentences(clause) if not _OTHER_SENTENCE.search(part)]
    suspended = _suspended(own) and kind not in ("fine", "compulsory_work")
    probation = _probation(own) if suspended else None
    amnesty = any(_AMNESTY.search(part) and _RELEASED.search(part) for part in sentences(clause))
    term = _term(final, start, end) if kind not in ("fine",) else None
    return Sentence(
        punishment="suspended" if suspended else kind,
        term_months=term,
        probation_months=probation[0] if probation else None,
        colony_regime=_regime(final[start:]) if kind == "imprisonment" and not suspended else None,
        fine_rubles=_fine(final, end) if kind == "fine" else None,
        deduction_percent=_percent(final, end)
        if kind in ("service_restriction", "correctional_labour")
        else None,
        amnesty=amnesty,
    )


def _final_part(clause: str) -> str:
    for pattern in (_FINAL, _COMBINED):
        matches = list(pattern.finditer(clause))
        for match in reversed(matches):
            rest = clause[match.end() :]
            stop = _SENTENCE_SPLIT.search(rest)
            if _PUNISHMENT.search(rest[: stop.start() if stop else len(rest)]):
                return rest
    imposed = _IMPOSED.search(clause)
    return clause[imposed.start() :] if imposed else clause


def _main_punishment(text: str) -> tuple[str, int, int] | None:
    match = _PUNISHMENT.search(text)
    if match is None or match.lastgroup is None:
        return None
    return match.lastgroup, match.start(), match.end()


def _term(text: str, start: int, end: int) -> int | None:
    """The length next to the punishment named at ``text[start:end]``: just before it, else after it."""
    for _, d_end, months in reversed(durations_in(text[max(0, start - _NEAR) : start])):
        gap = text[max(0, start - _NEAR) + d_end : start]
        if re.fullmatch(r"[\s,]*(?:\([^)]*\)\s*)?", gap):
            return months
        break
    window = text[end : end + _REACH]
    stop = re.search(r";|\.\s+[А-ЯЁ]|испытательн|" + _PUNISHMENT.pattern, window, re.IGNORECASE)
    found = duration_at(window, 0, stop.start() if stop else len(window))
    return found[0] if found else None


def _suspended(own: list[str]) -> bool:
    """A sentence of this clause suspends the punishment: «условно» / ст. 73 with a probation period."""
    return any(_SUSPENSION.search(part) and _PROBATION.search(part) for part in own) or any(
        _SUSPENDED_WORDING.search(part) for part in own
    )


def _probation(own: list[str]) -> tuple[int, int] | None:
    """The probation period: «с испытательным сроком 2 года», «в течение 3 лет испытательного срока»."""
    for index, part in enumerate(own):
        for probation in _PROBATION.finditer(part):
            context = " ".join(own[max(0, index - 1) : index + 1])
            if not _CONDITIONAL.search(context):
                continue
            found = _DURATION_AFTER_PROBATION.match(part, probation.end())
            if found:
                months = duration_at(part, found.start("length"), found.end())
                if months:
                    return months[0], index
            before = durations_in(part[max(0, probation.start() - 30) : probation.start()])
            if before and re.fullmatch(
                r"\s*", part[max(0, probation.start() - 30) + before[-1][1] : probation.start()]
            ):
                return before[-1][2], index
    return None


def _regime(text: str) -> str | None:
    found = [(m.start(), name) for name, pattern in _REGIMES for m in [pattern.search(text, 0, 600)] if m]
    return min(found)[1] if found else None


def _words_number(words: str) -> int | None:
    """The number the last words spell («в размере двадцати пяти» -> 25)."""
    total = 0
    for word in reversed(words.lower().split()):
        value = _HUNDREDS.get(word, NUMBER_WORDS.get(word))
        if value is None:
            break
        total += value
    return total or None


def _fine(text: str, position: int) -> int | None:
    window = text[position : position + 160]
    for match in _AMOUNT.finditer(window):
        digits = match.group("digits")
        thousand = 1000 if match.group("thousand") else 1
        if digits:
            whole = _rubles(digits)
            if whole is not None:
                return whole * thousand
        elif match.group("words") and thousand == 1000:
            value_words = _words_number(match.group("words"))
            if value_words:
                return value_words * thousand
    return None


def _rubles(digits: str) -> int | None:
    """``"20 000"``, ``"10.000"`` (a dot between thousands), ``"5000,00"`` -> whole roubles."""
    value = re.sub(r"\s", "", digits)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", value):
        value = value.replace(".", "")
    value = re.split(r"[.,]", value)[0]
    return int(value) if value.isdigit() else None


def _percent(text: str, position: int) -> int | None:
    match = _PERCENT.search(text, position, position + 200)
    return int(match.group(1)) if match else None
