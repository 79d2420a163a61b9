"""The verdict reader on real court acts (the Judgement corpus in ../shared/reference/verdicts).

The dev texts carry the source project's annotation tags; they are the labels (tests/judgement_labels.py
reads them by the rules of MANIFEST.md) and are stripped before the reader sees the text. The floors sit
a little under what ``benchmarks/verdicts_real.py`` measured (docs/parsers.md). Six acts are checked fact
by fact against what MANIFEST.md records as read by hand. Over ``eval/`` (no labels here) only that every
text gives a result.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from tests.judgement_labels import Scores, dev_files, read_tagged, score, strip_tags
from tests.reference import REAL_VERDICTS, require

from warduty.sudrf.act_file import read_act_file
from warduty.sudrf.verdict import VerdictFacts, extract_verdict

# measured on all of dev (see docs/parsers.md), floors a little lower: (accuracy, coverage)
FLOORS = {
    "act_kind": (0.99, 0.99),
    "is_verdict": (0.99, 0.99),
    "punishment": (0.96, 0.98),
    "term_months": (0.91, 0.97),
    "probation_months": (0.94, 0.96),
    "colony_regime": (0.95, 0.96),
    "fine_rubles": (0.9, 0.9),
}


def _dev() -> Path:
    return require(REAL_VERDICTS / "dev")


@cache
def _scores(parity: int | None) -> Scores:
    dev = _dev()
    items = [(str(path.relative_to(dev)), read_tagged(path)) for path in dev_files(dev, parity)]
    return score(items, lambda text: extract_verdict(text).to_dict())


@pytest.mark.parametrize("field", sorted(FLOORS))
def test_dev_field_meets_its_floor(field: str) -> None:
    result = _scores(None).fields[field]
    accuracy, coverage = FLOORS[field]
    assert result.labelled >= 10, f"{field}: only {result.labelled} labels"
    assert result.accuracy >= accuracy, f"{field} accuracy {result.accuracy:.3f} < {accuracy}"
    assert result.coverage >= coverage, f"{field} coverage {result.coverage:.3f} < {coverage}"


@pytest.mark.parametrize("field", ["punishment", "term_months", "colony_regime"])
def test_held_out_half_is_as_good_as_the_half_rules_were_written_on(field: str) -> None:
    """Rules were developed on files with an even number; the odd ones estimate unseen texts."""
    even, odd = _scores(0).fields[field], _scores(1).fields[field]
    assert odd.accuracy >= even.accuracy - 0.03, f"{field}: odd {odd.accuracy:.3f}, even {even.accuracy:.3f}"


def _act(name: str) -> VerdictFacts:
    return extract_verdict(strip_tags(read_tagged(require(REAL_VERDICTS / "dev" / name))))


def test_military_court_fine_contract_serviceman() -> None:
    facts = _act("papaver/76.txt")
    assert (facts.act_kind, facts.is_verdict, facts.punishment) == ("приговор", True, "fine")
    assert (facts.fine_rubles, facts.term_months, facts.probation_months) == (20000, None, None)
    assert (facts.contract, facts.mobilised, facts.conscript) == (True, False, False)
    assert [(a.article, a.part) for a in facts.defendants[0].articles] == [("228", "1")]


def test_two_defendants_each_with_their_final_term_and_no_art_337() -> None:
    facts = _act("papaver/1658.txt")
    assert facts.is_verdict and len(facts.defendants) == 2
    assert (facts.punishment, facts.term_months, facts.colony_regime, facts.contract) == (
        None,
        None,
        None,
        None,
    )
    first, second = facts.defendants
    assert (first.punishment, first.term_months, first.colony_regime) == ("imprisonment", 42, "strict")
    assert (second.punishment, second.term_months, second.colony_regime) == ("imprisonment", 48, "general")
    assert (first.probation_months, second.probation_months) == (None, None)
    assert (first.contract, second.contract) == (True, False)
    assert [str(a) for a in first.articles] == ["ст.232 ч.2", "ст.228 ч.2", "ст.30 ч.3", "ст.228.1 ч.3 п.г"]
    assert "ст.228.1 ч.2 п.б" in [str(a) for a in second.articles]
    named = [a.article for d in facts.defendants for a in d.articles]
    assert "337" not in named  # named only as a case the investigator refused to open


def test_koap_ruling_of_a_military_court_is_not_a_verdict() -> None:
    facts = _act("mitingi/403.txt")
    assert (facts.act_kind, facts.is_verdict) == ("постановление", False)
    assert (facts.punishment, facts.term_months, facts.probation_months, facts.defendants) == (
        None,
        None,
        None,
        (),
    )


def test_suspended_sentence_with_the_amnesty_kept_apart() -> None:
    facts = _act("papaver/10.txt")
    assert (facts.punishment, facts.term_months, facts.probation_months) == ("suspended", 12, 24)
    assert facts.amnesty is True
    assert facts.colony_regime is None


def test_suspended_three_years_probation_eighteen_months() -> None:
    facts = _act("papaver/1096.txt")
    assert (facts.punishment, facts.term_months, facts.probation_months) == ("suspended", 36, 18)
    assert (facts.mobilised, facts.contract, facts.conscript) == (False, False, False)


def test_counts_absorbed_into_two_years_in_a_colony_settlement() -> None:
    facts = _act("papaver/1030.txt")
    assert (facts.punishment, facts.term_months, facts.colony_regime) == ("imprisonment", 24, "settlement")
    assert facts.probation_months is None
    assert [str(a) for a in facts.defendants[0].articles] == ["ст.228 ч.1", "ст.232 ч.1"]


def test_every_eval_text_gives_a_result() -> None:
    """No scoring here (eval has no labels in the repository): every file reads without an error."""
    paths = sorted(require(REAL_VERDICTS / "eval").glob("*/*.txt"))
    assert len(paths) == 438
    results = [read_act_file(path) for path in paths]
    failed = [(r.file, r.error) for r in results if r.error]
    assert not failed, failed[:5]
    assert sum(r.facts is not None and r.facts.is_verdict for r in results) > 100
