"""Briefings: figures checked against values computed independently from the replica population."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from tests.stats import expected
from tests.stats.conftest import AS_OF, pg_truth_db, population, truth_db  # noqa: F401  (fixtures)
from tests.stats.load_truth import load_truth
from warduty.privacy.pseudonym import Pseudonymiser
from warduty.replica.population import Population, generate_population
from warduty.report import build_briefing, build_briefings
from warduty.report.briefing import BriefingNameError
from warduty.store import make_engine
from warduty.store.schema import cases, persons

PSEUDONYMS = Pseudonymiser(b"a test secret of the deployment, 32+ bytes")

MOBILISATION = date(2022, 9, 21)


def _figures(path: Path) -> dict[str, dict[str, Any]]:
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["as_of"] == AS_OF.isoformat()
    return {f["key"]: f for f in document["figures"]}


def _top_regions(figures: dict[str, dict[str, Any]], name: str) -> list[tuple[str, int]]:
    return [
        (figures[f"region_oblast_{i}"]["value"][name], figures[f"region_oblast_{i}"]["value"]["value"])
        for i in (1, 2, 3)
    ]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_briefing_figures_equal_the_population(
    truth_db: Engine,  # noqa: F811
    population: Population,  # noqa: F811
    tmp_path: Path,
    lang: str,
) -> None:
    briefing = build_briefing(truth_db, "2024-03", AS_OF, lang, tmp_path, pseudonyms=PSEUDONYMS)  # type: ignore[arg-type]
    figures = _figures(briefing.figures_json)
    for figure in figures.values():
        assert figure["definition"] and figure["as_of"] == "2024-04-12" and isinstance(figure["cases"], int)
    sentences = expected.sentences(population, AS_OF, ["337"])["2024-03"]
    assert figures["sentences_month"]["value"] == sentences
    assert figures["sentences_per_working_day"]["value"] == round(sentences / 20, 2)
    received = expected.received(population, AS_OF, ["337"], since=MOBILISATION, until=AS_OF)
    assert figures["received_since_mobilisation"]["value"] == sum(received.values())
    regions = expected.received(
        population,
        AS_OF,
        ["337"],
        lambda c: expected.REGISTRY[c.court_code].seat_region_ru,
        since=MOBILISATION,
    )
    top = sorted(regions.items(), key=lambda item: (-item[1], item[0]))[:3]
    got = _top_regions(figures, "region_ru")
    assert got == top
    total, shown, suspended = expected.texts(population, AS_OF, ["337"], "2024-03")
    assert figures["texts_published"]["value"] == {
        "key": "published",
        "count": shown,
        "n": total,
        "share": shown / total,
    }
    assert figures["texts_suspended"]["value"]["count"] == suspended  # type: ignore[index]
    text = briefing.markdown.read_text(encoding="utf-8")
    html = briefing.html.read_text(encoding="utf-8")
    assert f"**{sentences}**" in text and f"<strong>{sentences}</strong>" in html
    assert ("crawled on 12 April 2024" if lang == "en" else "по состоянию на 12 апреля 2024") in text
    for chart in briefing.charts:
        head = chart.read_bytes()[:64]
        assert head.startswith(b"\x89PNG") if chart.suffix == ".png" else b"<svg" in chart.read_bytes()[:2000]
        assert chart.name in text or chart.suffix == ".svg"


def test_briefings_in_both_languages_equal_one_briefing_each(truth_db: Engine, tmp_path: Path) -> None:  # noqa: F811
    together = build_briefings(
        truth_db, "2024-03", AS_OF, {"en": tmp_path / "en", "ru": tmp_path / "ru"}, pseudonyms=PSEUDONYMS
    )
    assert [b.lang for b in together] == ["en", "ru"]
    for briefing in together:
        alone = build_briefing(
            truth_db,
            "2024-03",
            AS_OF,
            briefing.lang,
            tmp_path / f"alone-{briefing.lang}",
            pseudonyms=PSEUDONYMS,  # type: ignore[arg-type]
        )
        for name in ("briefing.md", "briefing.html", "figures.json"):
            assert (briefing.html.parent / name).read_bytes() == (alone.html.parent / name).read_bytes(), name
        assert [p.name for p in briefing.charts] == [p.name for p in alone.charts]


def test_defendants_are_pseudonymised_unless_names_are_asked_for(truth_db: Engine, tmp_path: Path) -> None:  # noqa: F811
    hidden = build_briefing(truth_db, "2024-03", AS_OF, "en", tmp_path / "a", pseudonyms=PSEUDONYMS)
    shown = build_briefing(truth_db, "2024-03", AS_OF, "en", tmp_path / "b", show_names=True)
    with truth_db.connect() as connection:
        names = {
            r.name for r in connection.execute(select(persons.c.name).where(persons.c.name.is_not(None)))
        }
    listed = [n for n in names if n in shown.markdown.read_text(encoding="utf-8")]
    assert listed, "the names table should list some defendants by name"
    for path in (hidden.markdown, hidden.html, hidden.figures_json):
        content = path.read_text(encoding="utf-8")
        assert not [n for n in listed if n in content]
    assert "D-" in hidden.markdown.read_text(encoding="utf-8")


def test_a_briefing_that_would_name_a_defendant_is_refused(
    truth_db: Engine,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A pseudonym that declines the name («Иванова И.И.»): the leftover check of warduty.privacy catches
    # it and nothing is written.
    def declined(self: Pseudonymiser, court: str, number: str, position: int) -> str:
        statement = (
            select(persons.c.name)
            .join(cases, cases.c.id == persons.c.case_id)
            .where(cases.c.court_code == court, cases.c.case_number == number, persons.c.position == position)
        )
        with truth_db.connect() as connection:
            name = connection.execute(statement).scalar_one()
        if not name:
            return "D-hidden"
        surname, first, *_ = name.split()
        return f"{surname}а {first[0]}."  # the genitive with an initial: «Иванова И.»

    monkeypatch.setattr(Pseudonymiser, "pseudonym", declined)
    with pytest.raises(BriefingNameError):
        build_briefing(truth_db, "2024-03", AS_OF, "en", tmp_path / "out", pseudonyms=PSEUDONYMS)
    assert not (tmp_path / "out").exists()


def test_briefing_refuses_bad_months_and_future_months(truth_db: Engine, tmp_path: Path) -> None:  # noqa: F811
    with pytest.raises(ValueError, match="not a month"):
        build_briefing(truth_db, "2024-3", AS_OF, "en", tmp_path, pseudonyms=PSEUDONYMS)
    with pytest.raises(ValueError, match="after the as-of date"):
        build_briefing(truth_db, "2024-05", AS_OF, "en", tmp_path, pseudonyms=PSEUDONYMS)
    with pytest.raises(ValueError, match="language"):
        build_briefing(truth_db, "2024-03", AS_OF, "de", tmp_path, pseudonyms=PSEUDONYMS)  # type: ignore[arg-type]


def test_full_scale_acceptance_march_2024(tmp_path: Path) -> None:
    """FULL SCALE (about 15 s): the issue's acceptance figures from the whole replica as of 2024-04-12."""
    engine = make_engine(f"sqlite:///{tmp_path / 'full.sqlite'}")
    load_truth(engine, generate_population(scale=1.0), AS_OF)
    briefing = build_briefing(engine, "2024-03", AS_OF, "en", tmp_path / "out", pseudonyms=PSEUDONYMS)
    figures = _figures(briefing.figures_json)
    assert figures["sentences_month"]["value"] == 684
    assert figures["sentences_record"]["value"]["is_record"] is True  # type: ignore[index]
    assert round(figures["sentences_per_working_day"]["value"]) == 34  # type: ignore[arg-type]
    assert abs(figures["received_since_mobilisation"]["value"] - 7400) <= 74  # type: ignore[operator]
    top = _top_regions(figures, "region_en")
    assert top == [("Moscow Oblast", 496), ("Sverdlovsk Oblast", 258), ("Orenburg Oblast", 255)]
    assert figures["texts_published"]["value"]["count"] == 44  # type: ignore[index]
    assert figures["texts_suspended"]["value"]["count"] == 32  # type: ignore[index]
    text = briefing.markdown.read_text(encoding="utf-8")
    for phrase in (
        "**684**",
        "a record",
        "**34 per working day**",
        "**7,439**",
        "Moscow Oblast **496**",
        "Sverdlovsk Oblast **258**",
        "Orenburg Oblast **255**",
        "**44**",
        "**32** were suspended",
    ):
        assert phrase in text, phrase  # fmt: skip


@pytest.mark.postgres
def test_briefing_on_postgresql_equals_sqlite(
    truth_db: Engine,  # noqa: F811
    pg_truth_db: Engine,  # noqa: F811
    tmp_path: Path,
) -> None:
    """The team backend: every figure of the briefing, computed on PostgreSQL, equals SQLite's."""
    on_pg = _figures(
        build_briefing(
            pg_truth_db, "2024-03", AS_OF, "en", tmp_path / "pg", pseudonyms=PSEUDONYMS
        ).figures_json
    )
    on_sqlite = _figures(
        build_briefing(
            truth_db, "2024-03", AS_OF, "en", tmp_path / "lite", pseudonyms=PSEUDONYMS
        ).figures_json
    )
    assert on_pg.keys() == on_sqlite.keys() and len(on_pg) > 10
    differing = {k for k in on_pg if on_pg[k] != on_sqlite[k]}
    assert differing == set(), {k: (on_pg[k]["value"], on_sqlite[k]["value"]) for k in sorted(differing)}


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_chart_data_loads_in_the_chart_tools_layout(
    truth_db: Engine,  # noqa: F811
    population: Population,  # noqa: F811
    tmp_path: Path,
    lang: str,
) -> None:
    import pandas as pd

    briefing = build_briefing(truth_db, "2024-03", AS_OF, lang, tmp_path, pseudonyms=PSEUDONYMS)  # type: ignore[arg-type]
    assert {p.name for p in briefing.chart_data} == {"monthly.csv", "regions.csv", "sentence_mix.csv",
                                                     "charts.json"}  # fmt: skip
    index = json.loads((tmp_path / "charts.json").read_text(encoding="utf-8"))["charts"]
    assert [c["key"] for c in index] == ["monthly", "regions", "sentence_mix"]
    for chart in index:
        assert chart["title"] and chart["source"] and (tmp_path / chart["csv"]).exists()
        assert ("12 April 2024" if lang == "en" else "12 апреля 2024") in chart["source"]
    # Monthly: the x labels (months) first, then one column per series.
    monthly = pd.read_csv(tmp_path / "monthly.csv")
    assert monthly.iloc[0, 0] == "2021-01" and monthly.iloc[-1, 0] == "2024-03"
    assert monthly.iloc[:, 1].dtype == "int64" and monthly.iloc[:, 2].dtype == "int64"
    by_month = monthly.set_index(monthly.columns[0])
    sentences = expected.sentences(population, AS_OF, ["337"])
    assert by_month.loc["2024-03"].iloc[1] == sentences["2024-03"]
    assert by_month.loc["2023-06"].iloc[1] == sentences.get("2023-06", 0)
    assert by_month.iloc[:-6, 2:].isna().all().all()  # nowcast columns only on months still being posted
    # Regions: region names and counts, largest first, as figures.json ranks them.
    regions = pd.read_csv(tmp_path / "regions.csv")
    figures = _figures(briefing.figures_json)
    name = "region_en" if lang == "en" else "region_ru"
    assert list(regions.itertuples(index=False, name=None))[:3] == _top_regions(figures, name)
    # The sentence mix: one row (the month), one column per punishment, summing to the texts read.
    mix = pd.read_csv(tmp_path / "sentence_mix.csv")
    assert len(mix) == 1 and int(mix.iloc[0, 1:].sum()) == figures["texts_published"]["value"]["count"]
