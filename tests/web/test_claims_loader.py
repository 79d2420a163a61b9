"""The claim tests' database is loaded, not crawled (``tests.stats.load_truth``); it gives the figures a
crawl gives: the crawled ``demo_db`` (three courts of the scale-0.25 replica as of 2024-04-12, receipts
from 2022) against the same population loaded, every monthly count of cases received and sentences per
watched article, court by court, and the cases behind them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import delete

from tests.stats.load_truth import load_truth
from tests.web.conftest import AS_OF, COURTS, DemoDb
from warduty.law import WATCHED_ARTICLES
from warduty.replica.population import Population
from warduty.stats import Filters, count
from warduty.stats.definitions import METRICS
from warduty.stats.series import Count
from warduty.store import make_engine
from warduty.store.schema import cases

CRAWLED_SINCE = date(2022, 1, 1)  # the demo_db crawl's first receipt date


def _counts(url: str) -> dict[tuple[str, str], list[Count]]:
    engine = make_engine(url, create=False)
    out = {}
    with engine.connect() as connection:
        for metric in METRICS:
            for article in WATCHED_ARTICLES:
                filters = Filters((article,), courts=tuple(COURTS))
                out[(metric, article)] = count(connection, metric, filters, ("month", "court"))
                out[(metric, f"{article} cases")] = count(
                    connection, metric, filters, ("court",), cases_only=True
                )
    engine.dispose()
    return out


def test_loaded_records_count_as_crawled(demo_db: DemoDb, population: Population, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'loaded.sqlite'}"
    engine = make_engine(url)
    load_truth(engine, population, AS_OF)
    with engine.begin() as connection:  # the crawl asked for receipts from 2022 on
        connection.execute(delete(cases).where(cases.c.received < CRAWLED_SINCE))
    engine.dispose()
    crawled, loaded = _counts(demo_db.url), _counts(url)
    assert sum(c.value for c in crawled[("sentences", "337")]) > 50  # the comparison compares something
    differing = {key: (crawled[key], loaded[key]) for key in crawled if crawled[key] != loaded[key]}
    assert not differing
