"""Every form in which Russian text may write a person's name: the six grammatical cases of surname,
first name and patronymic, and the initials.

Forms come from two places, merged: pymorphy3's dictionary (its ``Surn``/``Name``/``Patr`` lexemes,
when it knows the word as one) and the regular declension of Russian surnames and names, written out
here because many surnames are unknown to any dictionary (Воробьёв → Воробьёва, Воробьёву, Воробьёвым,
Воробьёве; Шевченко stays as it is). Over-generation costs nothing (a form that is not a word never
matches); a missing form would leak a name. All forms are folded: lower case, ё written е.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

# Words of a name that are not part of its declension: «Мамедов Рустам Алиевич оглы».
NAME_PARTICLES = frozenset({"оглы", "кызы", "угли", "улы", "гызы"})
_INITIAL = re.compile(r"^([а-яa-z])\.?$")
_INITIALS = re.compile(r"^(?:[а-яa-z]\.){1,3}$")


def fold(text: str) -> str:
    """The matching form of a text: lower case, ё as е (one character for one, offsets kept)."""
    return text.lower().replace("ё", "е")


@dataclass(frozen=True, slots=True)
class NameParts:
    """A person's name split as Russian court records write it: surname first."""

    surname: str
    first: str | None  # None when only an initial is known («Иванов И.И.»)
    patronymic: str | None
    first_initial: str | None
    patronymic_initial: str | None


def split_name(name: str) -> NameParts | None:
    """Split «Фамилия Имя Отчество» or «Фамилия И.О.» (folded); None for a redacted or empty name."""
    text = fold(name).replace("\xa0", " ")
    if not text.strip() or any(ch.isdigit() or ch in "<>[]" for ch in text):
        return None  # «ФИО1», «<данные изъяты>»: nothing to find
    text = re.sub(r"\.\s*", ". ", text)  # «И.О.» -> «И. О.»
    words = [w for w in re.split(r"[\s,]+", text) if w and w not in NAME_PARTICLES]
    words = [w for w in words if re.search(r"[а-яa-z]", w)]
    if not words or len(words[0].strip(".")) < 2:
        return None
    surname, rest = words[0].strip("."), words[1:]
    first = patronymic = first_initial = patronymic_initial = None
    if rest:
        token = rest[0]
        if _INITIAL.match(token):
            first_initial = token[0]
        else:
            first, first_initial = token.strip("."), token[0]
    if len(rest) > 1:
        token = rest[1]
        if _INITIAL.match(token) or _INITIALS.match(token):
            patronymic_initial = token[0]
        else:
            patronymic, patronymic_initial = token.strip("."), token[0]
    return NameParts(surname, first, patronymic, first_initial, patronymic_initial)


@cache
def _analyser() -> Any:
    import pymorphy3  # imported on first use: building the analyser takes ~0.3 s

    return pymorphy3.MorphAnalyzer(lang="ru")


def _dictionary_forms(word: str, tag: str) -> set[str]:
    """All forms of the lexemes pymorphy3 tags ``tag`` (Surn, Name, Patr) for ``word``."""
    forms: set[str] = set()
    for parse in _analyser().parse(word):
        if tag in parse.tag:
            forms.update(fold(lexeme.word) for lexeme in parse.lexeme)
    return forms


_VELAR_OR_SIBILANT = "гкхжшщч"


def _noun_forms(word: str) -> set[str]:
    """Regular declension of a name that declines as a noun (Денис, Шевчук, Андрей, Игорь, Никита)."""
    if len(word) < 2:
        return {word}
    last, stem = word[-1], word[:-1]
    if last == "й":
        if word.endswith("ий"):  # Василий: Василия, Василию, Василием, Василии
            return {word, stem + "я", stem + "ю", stem + "ем", stem + "и", stem + "е"}
        return {word, stem + "я", stem + "ю", stem + "ем", stem + "е"}
    if last == "ь":
        return {word, stem + "я", stem + "ю", stem + "ем", stem + "е", stem + "и", stem + "ью"}
    if last == "а":
        soft = stem[-1:] in _VELAR_OR_SIBILANT
        return {word, stem + ("и" if soft else "ы"), stem + "е", stem + "у", stem + "ой", stem + "ей"}
    if last == "я":  # Илья, Марья: Ильи, Илье, Илью, Ильей
        return {word, stem + "и", stem + "е", stem + "ю", stem + "ей", stem + "ею"}
    if last in "оеиуыэю":
        return {word}  # indeclinable: Шевченко, Гюго, Дюма...
    return {word, word + "а", word + "у", word + "ом", word + "ем", word + "е"}


def _adjective_forms(stem: str) -> set[str]:
    """Surnames that decline as adjectives: Островский, Толстой, Белый, Синий (stem without the ending).
    Hard and soft endings are both generated: a form that is not a word never matches."""
    forms = {stem + "ий", stem + "ый", stem + "ой", stem + "им", stem + "ым"}
    for vowel in "ое":
        forms |= {stem + vowel + "го", stem + vowel + "му", stem + vowel + "м", stem + vowel + "й"}
    return forms | {stem + "ая", stem + "яя", stem + "ую", stem + "юю", stem + "ею", stem + "ою"}


def _possessive_forms(stem: str) -> set[str]:
    """-ов/-ев/-ин/-ын surnames, both genders: Воробьев, Воробьева, Воробьеву, Воробьевым, Воробьевой."""
    return {stem, stem + "а", stem + "у", stem + "ым", stem + "е", stem + "ой", stem + "ых", stem + "ыми"}


_POSSESSIVE = re.compile(r"(?:ов|ев|ин|ын)$")
_POSSESSIVE_FEMININE = re.compile(r"(?:ова|ева|ина|ына)$")
_ADJECTIVE = re.compile(r"(?:ий|ый|ой|ая|яя)$")
_INDECLINABLE = re.compile(r"(?:ых|их|ко|енко|[оеиуыэю])$")


def surname_rule_forms(surname: str) -> set[str]:
    """The regular declensions of a (folded) Russian surname, both genders."""
    forms = {surname}
    if _INDECLINABLE.search(surname):
        return forms
    if _POSSESSIVE.search(surname):
        forms |= _possessive_forms(surname)
    elif _POSSESSIVE_FEMININE.search(surname):
        forms |= _possessive_forms(surname[:-1])
    elif _ADJECTIVE.search(surname) and len(surname) > 4:
        forms |= _adjective_forms(surname[:-2])
    else:
        forms |= _noun_forms(surname)
    return forms


def _patronymic_rule_forms(word: str) -> set[str]:
    if word.endswith(("вич", "ич")):  # Викторович: Викторовича, Викторовичу, Викторовичем, Викторовиче
        return {word, word + "а", word + "у", word + "ем", word + "е"}
    if word.endswith("на"):  # Викторовна, Ильинична: -ы, -е, -у, -ой
        stem = word[:-1]
        return {word, stem + "ы", stem + "е", stem + "у", stem + "ой"}
    return _noun_forms(word)


def _hyphenated(word: str, declined: Any) -> set[str]:
    """Each part of a hyphenated name declines by itself: Петров-Водкин -> Петрова-Водкина."""
    parts = word.split("-")
    if len(parts) == 1:
        return set(declined(word))
    first, last = declined(parts[0]), declined(parts[-1])
    middle = "-".join(parts[1:-1])
    joined = {f"{a}-{middle}-{b}" if middle else f"{a}-{b}" for a in first for b in last}
    return joined | {f"{parts[0]}-{b}" for b in last}


@lru_cache(maxsize=16384)
def surname_forms(surname: str) -> frozenset[str]:
    """All forms of a surname: the dictionary's (if it knows it as one) and the regular declension."""
    word = fold(surname)
    return frozenset(_hyphenated(word, lambda w: surname_rule_forms(w) | _dictionary_forms(w, "Surn")))


@lru_cache(maxsize=16384)
def first_name_forms(name: str) -> frozenset[str]:
    word = fold(name)
    return frozenset(_hyphenated(word, lambda w: _noun_forms(w) | _dictionary_forms(w, "Name")))


@lru_cache(maxsize=16384)
def patronymic_forms(patronymic: str) -> frozenset[str]:
    word = fold(patronymic)
    return frozenset(_patronymic_rule_forms(word) | _dictionary_forms(word, "Patr"))


_NAME_TAGS = ("Surn", "Name", "Patr")


@lru_cache(maxsize=65536)
def is_common_word(form: str) -> bool:
    """The dictionary knows ``form`` as an ordinary word and never as a name («суд», «мир», «закон»)."""
    parses = _analyser().parse(form)
    if any(any(tag in parse.tag for tag in _NAME_TAGS) for parse in parses):
        return False
    return any(parse.is_known for parse in parses)
