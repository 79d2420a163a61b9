"""``warduty.open``: the notebook API answers with the briefing's own numbers, and the documented
example reproduces the March 2024 briefing's headline figures."""

# ruff: noqa: F811  (the demo database fixtures are imported by name)

from __future__ import annotations

import json
import runpy
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import warduty
from tests.web.conftest import AS_OF, DemoDb, demo_db, population  # noqa: F401  (fixtures)
from warduty.jobs import write_briefing
from warduty.notebook import PandasMissingError
from warduty.privacy.pseudonym import Pseudonymiser
from warduty.stats.outcomes import OUTCOMES
from warduty.store import DatabaseError

EXAMPLE = Path(__file__).parents[1] / "examples" / "march_2024_briefing.py"


@pytest.fixture(scope="module")
def briefing_figures(demo_db: DemoDb, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    out = tmp_path_factory.mktemp("briefing")
    pseudonyms = Pseudonymiser(b"a test secret of the deployment, 32+ bytes")
    briefing = write_briefing(demo_db.url, "2024-03", AS_OF, "en", out, pseudonyms=pseudonyms)
    document = json.loads(briefing.figures_json.read_text(encoding="utf-8"))
    return {f["key"]: f["value"] for f in document["figures"]}


def test_example_reproduces_the_march_2024_headline(
    demo_db: DemoDb, briefing_figures: dict[str, object]
) -> None:
    headline = runpy.run_path(str(EXAMPLE))["headline"](demo_db.url, AS_OF)
    top = briefing_figures["region_oblast_1"]
    assert isinstance(top, dict)
    assert headline == {
        "received_month": briefing_figures["received_month"],
        "sentences_month": briefing_figures["sentences_month"],
        "sentences_per_working_day": briefing_figures["sentences_per_working_day"],
        "received_since_mobilisation": briefing_figures["received_since_mobilisation"],
        "sentences_since_mobilisation": briefing_figures["sentences_since_mobilisation"],
        "top_region": top["region_en"],
        "top_region_value": top["value"],
        "sentences_record": briefing_figures["sentences_record"],
    }
    assert headline["sentences_month"] > 0 and headline["received_since_mobilisation"] > 0


def test_example_runs_as_a_script(demo_db: DemoDb) -> None:
    result = subprocess.run(
        [sys.executable, str(EXAMPLE), demo_db.url, AS_OF.isoformat()],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "sentences_month: " in result.stdout and "top_region: " in result.stdout


def test_frames_have_the_documented_columns_and_types(
    demo_db: DemoDb, briefing_figures: dict[str, object]
) -> None:
    with warduty.open(demo_db.url) as db:
        series = db.series("337", first="2023-01", last="2024-03", until=AS_OF)
        assert list(series.columns) == ["month", "received", "sentences"]
        assert series["month"].tolist()[0] == "2023-01" and len(series) == 15
        assert series["received"].dtype == "int64"
        cases = db.cases("337", metric="sentences", since=date(2024, 3, 1), until=date(2024, 3, 31))
        assert cases["received"].dtype.kind == "M" and set(cases["outcome"]) <= set(OUTCOMES)
        assert "name" not in cases.columns
        figures = db.figures("2024-03", as_of=AS_OF)
        assert len(cases) == figures.loc["sentences_month", "cases"] > 0  # the figure's own case list
        assert figures.loc["received_month", "value"] == briefing_figures["received_month"]
        merged = db.regions("337", until=AS_OF, moscow="city_and_oblast")
        assert merged["value"].sum() == db.regions("337", until=AS_OF)["value"].sum()
        asylum = db.asylum()
        assert list(asylum.columns) == ["period", "value", "countries", "incomplete", "source"]
        assert len(asylum) > 0 and set(asylum["source"]) == {"snapshot"}


def test_open_refuses_a_missing_database_and_bad_input(tmp_path: Path, demo_db: DemoDb) -> None:
    missing = tmp_path / "nowhere.sqlite"
    with pytest.raises(DatabaseError):
        warduty.open(f"sqlite:///{missing}")
    assert not missing.exists()
    with pytest.raises(DatabaseError):
        warduty.open("not a url")
    with warduty.open(demo_db.url) as db:
        with pytest.raises(ValueError, match="month"):
            db.figures("March 2024")
        with pytest.raises(ValueError):
            db.series(first="2024-13")
        with pytest.raises(ValueError):
            db.asylum(scope="mars")


def test_without_pandas_the_message_says_how_to_get_it(
    demo_db: DemoDb,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with warduty.open(demo_db.url) as db, pytest.raises(PandasMissingError, match=r"warduty\[pandas\]"):
        db.series()
