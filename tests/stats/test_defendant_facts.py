"""A card defendant's sentence out of a stored verdict with one or several defendants."""

from __future__ import annotations

from typing import Any

from warduty.stats.defendant_facts import SENTENCE_KEYS, facts_for

UNKNOWN = dict.fromkeys(SENTENCE_KEYS)


def _entry(name: str | None, punishment: str, term: int, probation: int | None = None) -> dict[str, Any]:
    return {"name": name, "punishment": punishment, "term_months": term, "probation_months": probation,
            "mobilised": True, "colony_regime": None}  # fmt: skip


def _several(*entries: dict[str, Any]) -> dict[str, Any]:
    return {"is_verdict": True, "punishment": None, "term_months": None, "probation_months": None,
            "mobilised": None, "defendants": list(entries)}  # fmt: skip


def test_sole_defendant_takes_the_top_level_facts() -> None:
    verdict = {**_entry(None, "suspended", 24, 12), "defendants": [_entry("ФИО1", "suspended", 24, 12)]}
    assert facts_for(verdict, "Петров Пётр Петрович") == {
        "punishment": "suspended", "term_months": 24, "probation_months": 12, "mobilised": True,
    }  # fmt: skip


def test_old_rows_without_defendant_entries_take_the_top_level_facts() -> None:
    assert facts_for({"punishment": "imprisonment", "term_months": 30}, "Иванов И.И.")["term_months"] == 30


def test_several_defendants_are_told_apart_by_surname_and_initials() -> None:
    verdict = _several(
        _entry("Воробьёв Д.В.", "imprisonment", 42), _entry("Сидоров А.А.", "suspended", 36, 24)
    )
    assert facts_for(verdict, "Воробьев Денис Викторович")["term_months"] == 42
    assert facts_for(verdict, "Сидоров Алексей Андреевич")["punishment"] == "suspended"
    # a namesake with other initials is not the same person
    assert facts_for(verdict, "Сидоров Борис Андреевич") == UNKNOWN


def test_redacted_names_settle_nothing_unless_every_sentence_is_the_same() -> None:
    differ = _several(_entry("ФИО1", "imprisonment", 42), _entry("ФИО2", "imprisonment", 48))
    assert facts_for(differ, "Те И.О.") == UNKNOWN
    same = _several(_entry("ФИО1", "disciplinary_unit", 6), _entry("ФИО2", "disciplinary_unit", 6))
    assert facts_for(same, "Иванов Иван Иванович")["punishment"] == "disciplinary_unit"
    assert facts_for(same, None)["term_months"] == 6


def test_broken_stored_json_gives_unknown_facts_not_an_error() -> None:
    assert facts_for(None, "Иванов И.И.") == UNKNOWN
    assert facts_for({}, "Иванов И.И.") == UNKNOWN
    hostile = {"defendants": ["x", 3, None, {"name": 5}], "punishment": "fine"}
    assert facts_for(hostile, "Иванов И.И.")["punishment"] == "fine"
    assert facts_for({"defendants": "not a list"}, "")["punishment"] is None
    two_odd = _several({"name": 5, "punishment": "fine"}, {"name": ["x"], "punishment": "fine"})
    assert facts_for(two_odd, "Иванов И.И.")["punishment"] == "fine"
