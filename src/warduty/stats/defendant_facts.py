"""Which part of a stored verdict is one card defendant's sentence.

An act with several defendants stores null top-level facts and one entry per defendant (see
``warduty.sudrf.verdict``). A card person is matched to an entry by surname and initials; where names
cannot settle it (courts redact them as ФИО1 in the text but not on the card), the facts are used only if
every defendant of the act got the same sentence. Otherwise the person's facts are unknown: never a guess
by position.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

SENTENCE_KEYS = ("punishment", "term_months", "probation_months", "mobilised")
_WORD = re.compile(r"[а-яa-z]+", re.IGNORECASE)
_REDACTED = re.compile(r"^(?:фио|ио|лицо)\d*$")


def _name_key(name: object) -> tuple[str, str] | None:
    """(surname, initials) of «Иванов Иван Иванович», «Иванов И.И.»; None for a redacted or empty name."""
    words = _WORD.findall(name.lower().replace("ё", "е") if isinstance(name, str) else "")
    if not words or _REDACTED.match(words[0]) or len(words[0]) < 2:
        return None
    return words[0], "".join(word[0] for word in words[1:3])


def _same_person(card: tuple[str, str], act: tuple[str, str]) -> bool:
    surname, initials = card
    other_surname, other_initials = act
    if surname != other_surname:
        return False
    shorter = min(len(initials), len(other_initials))
    return initials[:shorter] == other_initials[:shorter]


def _sentence(facts: Mapping[str, Any]) -> dict[str, Any]:
    return {key: facts.get(key) for key in SENTENCE_KEYS}


def facts_for(verdict: Mapping[str, Any] | None, person_name: str | None) -> dict[str, Any]:
    """The sentence facts (``SENTENCE_KEYS``) of the card person ``person_name`` in ``verdict``."""
    unknown = dict.fromkeys(SENTENCE_KEYS)
    if not verdict:
        return unknown
    entries: Sequence[Mapping[str, Any]] = [
        d for d in verdict.get("defendants") or () if isinstance(d, Mapping)
    ]
    if len(entries) <= 1:
        return _sentence(verdict)
    card = _name_key(person_name)
    if card is not None:
        matches = [e for e in entries if (key := _name_key(e.get("name"))) and _same_person(card, key)]
        if len(matches) == 1:
            return _sentence(matches[0])
    sentences = [_sentence(entry) for entry in entries]
    if all(sentence == sentences[0] for sentence in sentences):
        return sentences[0]
    return unknown
