"""``warduty.replica.load.load_visible`` gives the figures a crawl gives: the crawled ``demo_db`` (three
courts of the scale-0.25 replica as of 2024-04-12) against the same population loaded directly, every
monthly count of cases received and sentences per watched article, court by court, and the regions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.web.conftest import AS_OF, COURTS, DemoDb
from warduty.jobs import prepare_store
from warduty.law import WATCHED_ARTICLES
from warduty.replica.load import load_visible
from warduty.replica.population import Population
from warduty.stats import Filters, count
from warduty.stats.definitions import METRICS
from warduty.stats.series import Count
from warduty.store import make_engine

CRAWLED_SINCE = date(2022, 1, 1)  # the demo_db crawl's first receipt date


def _counts(url: str) -> dict[tuple[str, str], list[Count]]:
    engine = make_engine(url, create=False)
    out = {}
    with engine.connect() as connection:
        for metric in METRICS:
            for article in WATCHED_ARTICLES:
                filters = Filters((article,), courts=tuple(COURTS))
                out[(metric, article)] = count(connection, metric, filters, ("month", "court"))
                out[(metric, f"{article}-cases")] = count(
                    connection, metric, filters, ("court",), cases_only=True
                )
    engine.dispose()
    return out


def test_loaded_records_count_as_crawled(demo_db: DemoDb, population: Population, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'loaded.sqlite'}"
    engine = make_engine(url)
    prepare_store(engine)
    load_visible(engine, population, AS_OF, received_since=CRAWLED_SINCE)
    engine.dispose()
    crawled, loaded = _counts(demo_db.url), _counts(url)
    assert sum(c.value for c in crawled[("sentences", "337")]) > 50  # the comparison compares something
    differing = {key: (crawled[key], loaded[key]) for key in crawled if crawled[key] != loaded[key]}
    assert not differing
