"""SQL series against values computed independently from the replica population (scale 0.1)."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from sqlalchemy import Engine, select, update

from tests.stats import expected
from tests.stats.conftest import AS_OF
from tests.stats.load_truth import load_truth
from warduty.courts.registry import MOSCOW_OBLAST
from warduty.law import WATCHED_ARTICLES
from warduty.replica.population import Population
from warduty.stats import Filters, count, monthly_series, region_ranking, running_totals, total
from warduty.stats.definitions import MOSCOW_BOTH_RU, MOSCOW_CITY
from warduty.stats.query import DIMENSIONS
from warduty.store.schema import cases, person_articles, persons

MOBILISATION = date(2022, 9, 21)


def test_monthly_series_equal_ground_truth_on_sqlite_and_postgres(
    engine: Engine, population: Population
) -> None:
    load_truth(engine, population, AS_OF)
    for article in ("337", "332", "338"):
        with engine.connect() as connection:
            got_received = monthly_series(connection, "received", Filters((article,)), "2021-01", "2024-04")
            got_sentences = monthly_series(connection, "sentences", Filters((article,)), "2021-01", "2024-04")
        want_received = expected.received(population, AS_OF, [article])
        want_sentences = expected.sentences(population, AS_OF, [article])
        assert {m.month: m.value for m in got_received if m.value} == dict(want_received)
        assert {m.month: m.value for m in got_sentences if m.value} == dict(want_sentences)
        assert sum(want_received.values()) > 0


def test_counts_by_region_court_and_circuit(truth_db: Engine, population: Population) -> None:
    keys = {
        "region": lambda c: expected.REGISTRY[c.court_code].seat_region_ru,
        "court": lambda c: c.court_code,
        "circuit": lambda c: expected.REGISTRY[c.court_code].circuit,
    }
    with truth_db.connect() as connection:
        for dimension, key in keys.items():
            got = count(connection, "received", Filters(WATCHED_ARTICLES, since=MOBILISATION), (dimension,))  # type: ignore[arg-type]
            want = expected.received(population, AS_OF, WATCHED_ARTICLES, key, since=MOBILISATION)
            assert {c.labels[0]: c.value for c in got} == dict(want), dimension
        by_region = count(connection, "sentences", Filters(("337",)), ("region",))
    want = expected.sentences(
        population, AS_OF, ["337"], lambda c, p: expected.REGISTRY[c.court_code].seat_region_ru
    )
    assert {c.labels[0]: c.value for c in by_region} == dict(want)


def test_part_groups_and_articles_split_the_total(truth_db: Engine, population: Population) -> None:
    def is_mobilisation(case: object) -> str:
        refs = [r for p in case.persons for r in p.articles if r.article == "337"]  # type: ignore[attr-defined]
        return "mobilisation" if any(r.wartime_part for r in refs) else "other"

    with truth_db.connect() as connection:
        groups = count(connection, "received", Filters(("337",)), ("part_group",))
        mobilisation_only = total(connection, "received", Filters(("337",), mobilisation_parts=True))
        by_article = count(connection, "received", Filters(WATCHED_ARTICLES), ("article",))
    values = {c.labels[0]: c.value for c in groups}
    assert values["mobilisation"] == mobilisation_only
    assert (
        values["mobilisation"]
        == expected.received(population, AS_OF, ["337"], is_mobilisation)["mobilisation"]
    )
    assert sum(values.values()) >= expected.received(population, AS_OF, ["337"], lambda c: "all")["all"]
    for item in by_article:
        assert item.value == sum(expected.received(population, AS_OF, [item.labels[0]]).values())


def test_running_totals_since_mobilisation(truth_db: Engine, population: Population) -> None:
    with truth_db.connect() as connection:
        series = monthly_series(
            connection, "received", Filters(("337",), since=MOBILISATION), "2022-09", "2024-04"
        )
        since = total(connection, "received", Filters(("337",), since=MOBILISATION, until=AS_OF))
    running = running_totals(series)
    assert running[-1].value == since
    assert since == sum(expected.received(population, AS_OF, ["337"], since=MOBILISATION).values())
    assert all(a.value <= b.value for a, b in itertools.pairwise(running))


def test_moscow_readings_and_the_appellate_court(truth_db: Engine) -> None:
    filters = Filters(("337",), since=MOBILISATION)
    with truth_db.connect() as connection:
        oblast = {r.region_ru: r.value for r in region_ranking(connection, "received", filters, "oblast")}
        merged = {
            r.region_ru: r.value for r in region_ranking(connection, "received", filters, "city_and_oblast")
        }
        courts = {c.labels[0] for c in count(connection, "received", Filters(WATCHED_ARTICLES), ("court",))}
    assert merged[MOSCOW_BOTH_RU] == oblast[MOSCOW_OBLAST] + oblast.get(MOSCOW_CITY, 0)
    assert MOSCOW_OBLAST not in merged and MOSCOW_CITY not in merged
    assert "50AV0000" not in courts


def test_appellate_cases_are_never_counted(engine: Engine, population: Population) -> None:
    load_truth(engine, population, AS_OF)
    with engine.begin() as connection:
        before = total(connection, "received", Filters(("337",)))
        ids = [
            r.case_id
            for r in connection.execute(
                select(persons.c.case_id)
                .join(person_articles, person_articles.c.person_id == persons.c.id)
                .where(person_articles.c.article == "337")
                .distinct()
                .order_by(persons.c.case_id)
                .limit(3)
            )
        ]
        connection.execute(update(cases).where(cases.c.id.in_(ids)).values(court_code="50AV0000"))
        assert total(connection, "received", Filters(("337",))) == before - 3
        courts = {c.labels[0] for c in count(connection, "received", Filters(WATCHED_ARTICLES), ("court",))}
    assert "50AV0000" not in courts


def test_missing_cases_count_unless_filtered(engine: Engine, population: Population) -> None:
    load_truth(engine, population, AS_OF)
    with engine.begin() as connection:
        everything = total(connection, "received", Filters(WATCHED_ARTICLES))
        ids = [r.id for r in connection.execute(cases.select().order_by(cases.c.id).limit(5))]
        connection.execute(update(cases).where(cases.c.id.in_(ids)).values(missing_since=AS_OF))
        assert total(connection, "received", Filters(WATCHED_ARTICLES)) == everything
        assert (
            total(connection, "received", Filters(WATCHED_ARTICLES, include_missing=False)) == everything - 5
        )


def test_unknown_dimension_is_refused(truth_db: Engine) -> None:
    with truth_db.connect() as connection, pytest.raises(ValueError, match="unknown dimension"):
        count(connection, "received", Filters(), ("soldier",))  # type: ignore[arg-type]
    assert "region" in DIMENSIONS


def test_empty_database_gives_zeros(engine: Engine) -> None:
    from warduty.store import migrate

    migrate(engine)
    with engine.connect() as connection:
        assert total(connection, "sentences", Filters()) == 0
        assert [m.value for m in monthly_series(connection, "received", Filters(), "2024-01", "2024-03")] == [
            0,
            0,
            0,
        ]
