"""The verdict extractor on labelled texts and on the acts embedded in the real pages.

Run ``python tests/sudrf/test_sudrf_verdict.py`` to print the per-field precision/recall table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.reference import page_path

from warduty.sudrf import decode_page, extract_verdict, parse_card, parse_document

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
LABELLED = FIXTURES / "verdicts" / "labelled_texts.jsonl"
FIELDS = (
    "is_verdict",
    "punishment",
    "term_months",
    "probation_months",
    "colony_regime",
    "mobilised",
    "contract",
    "conscript",
    "absence_start",
    "absence_end",
    "absence_days",
    "voluntary_return",
)
BOOLEAN_POSITIVE = {"is_verdict", "mobilised", "contract", "conscript"}
# Floors measured on the labelled set; a change that lowers a score below them fails.
FLOORS = {
    "is_verdict": (1.0, 1.0),
    "punishment": (0.95, 0.95),
    "term_months": (0.95, 0.95),
    "probation_months": (0.95, 0.9),
    "colony_regime": (0.95, 0.95),
    "mobilised": (0.95, 0.85),
    "contract": (0.95, 0.85),
    "conscript": (0.95, 0.95),
    "absence_start": (0.9, 0.8),
    "absence_end": (0.9, 0.8),
    "absence_days": (0.9, 0.8),
    "voluntary_return": (0.9, 0.8),
}


@dataclass(frozen=True, slots=True)
class Score:
    true_positive: int
    false_positive: int
    false_negative: int

    @property
    def precision(self) -> float:
        made = self.true_positive + self.false_positive
        return self.true_positive / made if made else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positive + self.false_negative
        return self.true_positive / wanted if wanted else 1.0


def load_cases() -> list[dict[str, Any]]:
    return [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]


def _present(field: str, value: Any) -> bool:
    return value is True if field in BOOLEAN_POSITIVE else value is not None


def score(cases: list[dict[str, Any]]) -> dict[str, Score]:
    counts = {field: [0, 0, 0] for field in FIELDS}
    for case in cases:
        predicted = extract_verdict(case["text"]).to_dict()
        for field in FIELDS:
            got, want = predicted[field], case["labels"][field]
            if _present(field, got) and got == want:
                counts[field][0] += 1
            elif _present(field, got):
                counts[field][1] += 1
                if _present(field, want):
                    counts[field][2] += 1
            elif _present(field, want):
                counts[field][2] += 1
    return {field: Score(*values) for field, values in counts.items()}


def test_labelled_set_is_large_and_well_formed() -> None:
    cases = load_cases()
    assert len(cases) >= 40
    assert all(set(case["labels"]) == set(FIELDS) for case in cases)
    assert sum(case["labels"]["is_verdict"] for case in cases) >= 30


@pytest.mark.parametrize("field", FIELDS)
def test_field_meets_its_floor(field: str) -> None:
    result = score(load_cases())[field]
    min_precision, min_recall = FLOORS[field]
    assert result.precision >= min_precision, f"{field} precision {result.precision:.2f}"
    assert result.recall >= min_recall, f"{field} recall {result.recall:.2f}"


def test_real_embedded_acts_are_not_verdicts() -> None:
    """The real pages hold a dismissal (судебный штраф), civil rulings and a КоАП ruling: no verdict."""
    texts = [
        act.text
        for name in ("leninsky_ufa_criminal", "kirov_koap", "sgs_1inst", "vsrk_appeal", "ksoy_cassation")
        for act in parse_card(decode_page(page_path(f"{name}.html").read_bytes())).acts
        if act.text
    ]
    texts.append(parse_document(decode_page(page_path("ksoyu_act_doc.html").read_bytes())).text)
    facts = [extract_verdict(text) for text in texts]
    assert [fact.is_verdict for fact in facts] == [False] * len(texts)
    assert facts[0].act_kind == "постановление"
    assert all(fact.punishment is None for fact in facts)


def test_false_positive_phrases_do_not_make_a_suspended_sentence() -> None:
    text = (
        "ПРИГОВОР\nИМЕНЕМ РОССИЙСКОЙ ФЕДЕРАЦИИ\nФИО1, ранее судимый к лишению свободы условно,\n"
        "ПРИГОВОРИЛ:\nПризнать ФИО1 виновным и назначить наказание в виде лишения свободы "
        "на срок 3 (три) года с отбыванием наказания в исправительной колонии общего режима.\n"
        "На основании ст. 74 УК РФ отменить условное осуждение по приговору от ДД.ММ.ГГГГ "
        "с испытательным сроком."
    )
    facts = extract_verdict(text)
    assert (facts.punishment, facts.term_months, facts.colony_regime) == ("imprisonment", 36, "general")
    assert [defendant.name for defendant in facts.defendants] == ["ФИО1"]


def test_a_suspension_that_also_lifts_the_preventive_measure_stays_a_suspension() -> None:
    """«… отменить» in the same sentence lifts a preventive measure, not the suspension (not ст. 74)."""
    text = (
        "ПРИГОВОР\nПРИГОВОРИЛ:\nПризнать ФИО1 виновным в совершении преступления, предусмотренного ч. 5 "
        "ст. 337 УК РФ, и назначить ему наказание в виде лишения свободы на срок 5 (пять) лет. На основании "
        "ст. 73 УК РФ назначенное наказание считать условным с испытательным сроком 3 (три) года, меру "
        "пресечения в виде наблюдения командования воинской части отменить по вступлении приговора в силу."
    )
    facts = extract_verdict(text)
    assert (facts.punishment, facts.term_months, facts.probation_months) == ("suspended", 60, 36)
    assert [str(article) for article in facts.defendants[0].articles] == ["ст.337 ч.5"]


def test_dates_and_length() -> None:
    facts = extract_verdict(load_cases()[0]["text"])
    assert (facts.absence_start, facts.absence_end, facts.absence_days) == (
        date(2023, 1, 12),
        date(2023, 3, 20),
        67,
    )


@pytest.mark.parametrize("text", ["", "ПРИГОВОРИЛ:", "ст. 73 УК РФ условно " * 50, "\x00" * 100])
def test_odd_text_never_raises(text: str) -> None:
    extract_verdict(text)


if __name__ == "__main__":
    scores = score(load_cases())
    print("| field | TP | FP | FN | precision | recall |")
    print("|---|---|---|---|---|---|")
    for name, value in scores.items():
        print(
            f"| {name} | {value.true_positive} | {value.false_positive} | {value.false_negative} "
            f"| {value.precision:.2f} | {value.recall:.2f} |"
        )
