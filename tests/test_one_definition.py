"""Each concept is defined once: a search of the source finds one outcome classifier, one
pseudonymiser, one month arithmetic, one "highest since", one table of watched articles and groups, and
one list of first-instance court levels; and ``web`` does not import ``report``."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import warduty

SOURCE = Path(warduty.__file__).parent
# The offline court websites stand in for the courts: they write results and names, they do not read them.
SKIP = ("replica",)


def _modules() -> dict[str, str]:
    return {
        str(path.relative_to(SOURCE)): path.read_text(encoding="utf-8")
        for path in sorted(SOURCE.rglob("*.py"))
        if path.relative_to(SOURCE).parts[0] not in SKIP
    }


def _where(pattern: str, flags: int = 0) -> set[str]:
    found = re.compile(pattern, flags)
    return {name for name, text in _modules().items() if found.search(text)}


def test_one_outcome_classifier() -> None:
    # the rules of the outcome classes, as regexes or LIKE patterns (the verdict parsers in sudrf read
    # a verdict's text, not a card's result)
    rules = r"%ПРИГОВОР%|ПРЕКРАЩЕНО|прекращ|подсудност|исполнени\\w\*\\s\+приговор"
    assert _where(rules, re.IGNORECASE) == {"stats/outcomes.py"}
    assert _where(r'"terminated"|"dismissed":') <= {"stats/outcomes.py"}
    assert _where(r"def classify_outcome|def outcome_of") == {"stats/outcomes.py"}


def test_one_pseudonymiser() -> None:
    assert _where(r"hmac\.new\(") == {"privacy/pseudonym.py"}
    assert _where(r"def pseudonym\b") == {"privacy/pseudonym.py"}
    assert _where(r"def load_or_create_secret|SECRET_FILE = ") == {"privacy/pseudonym.py"}


def test_one_month_arithmetic() -> None:
    # calendar months (sudrf/durations counts the months of a prison term, not calendar months)
    assert _where(r"\[:4\]\) \* 12|year \* 12|% 12 \+ 1|monthrange") == {"stats/months.py"}
    assert _where(r"def (shift|shift_month|month_index|months_between|last_day|first_day)\(") == {
        "stats/months.py"
    }
    assert _where(r'"январь"|"January"') == {"stats/months.py"}  # month names (sudrf parses dates)


def test_one_highest_since() -> None:
    assert _where(r"highest month (since|on record)|the most since|больше всего с|рекорд за") == {
        "stats/records.py"
    }
    assert _where(r"at_least = \[") == {"stats/records.py"}


def test_articles_groups_and_levels_from_one_place() -> None:
    assert _where(r'"332"') == {"law/catalogue.py", "report/text.py"}  # and the briefing's article names
    assert _where(r'"333"') == {"law/catalogue.py"}  # web/statistics had its own group table
    assert _where(r'\("garrison", "district"\)|"garrison", "district",') == {"courts/registry.py"}


def test_web_does_not_import_report() -> None:
    for name, text in _modules().items():
        if not name.startswith("web/"):
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("warduty.report"), name
            elif isinstance(node, ast.Import):
                assert not any(a.name.startswith("warduty.report") for a in node.names), name
