"""The service rules' word test (``service._Rule``) never turns away a text its regex matches."""

from __future__ import annotations

import re

import pytest

from warduty.sudrf import service

RULES = {
    "mobilised": service._MOBILISED,
    "contract": service._CONTRACT,
    "conscript": service._CONSCRIPT,
    "voluntary": service._VOLUNTARY,
    "military": service._MILITARY,
}
# Every code point, so that each letter's case-blind matches are all found.
EVERY_CHARACTER = "".join(map(chr, range(0x110000)))


def test_each_word_is_spelt_in_its_regex() -> None:
    for rule in RULES.values():
        for word in rule.words:
            assert word == word.upper() and word.lower() in rule.regex.pattern, word


def test_whatever_a_letter_matches_blind_to_case_has_the_letters_upper_case() -> None:
    letters = {letter for rule in RULES.values() for word in rule.words for letter in word}
    for letter in letters:
        matches = re.findall(re.escape(letter.lower()), EVERY_CHARACTER, re.IGNORECASE)
        assert len(matches) >= 2 and {match.upper() for match in matches} == {letter}, letter


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("voluntary", "Он дᲂбровольно явился в воинскую часть"),  # narrow о, U+1C82
        ("voluntary", "ПРИБЫЛ В ЧАСТЬ ДОБРОВОЛЬНО"),
        ("voluntary", "вернулся САМОСТОЯТЕЛЬНО"),
        ("mobilised", "призванный на военную службу по частичной мобилизации"),
        ("contract", "проходящий военную службу по кᲂнтракту"),
        ("conscript", "Служба по ПРИЗЫВУ"),
        ("military", "Военнᲂслужащий войсковой части"),
        ("military", "проходил военную службу"),
    ],
)
def test_a_rule_finds_what_its_regex_finds(name: str, text: str) -> None:
    rule = RULES[name]
    assert rule.regex.search(text) is not None
    assert rule.found(text) and rule.found(text, text.upper())
    without_words = text.upper()
    for word in rule.words:
        without_words = without_words.replace(word, "")
    assert not rule.found(without_words)
