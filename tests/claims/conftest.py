"""A database with the full replica (scale 1.0) as its sites stood on 2024-04-12, loaded without a crawl
by the statistics tests' loader (``tests.stats.load_truth``: the rows the crawler stores, watched articles
only); ``tests/web/test_claims_loader.py`` checks it counts as a crawl does."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.stats.load_truth import load_truth
from warduty.replica.population import Population, generate_population
from warduty.store import make_engine

AS_OF = date(2024, 4, 12)


@pytest.fixture(scope="session")
def full_population() -> Population:
    return generate_population(scale=1.0)


def load_full(url: str, population: Population) -> str:
    """``url``'s database with the records the replica's sites showed on :data:`AS_OF`."""
    engine = make_engine(url)
    load_truth(engine, population, AS_OF)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def full_db(tmp_path_factory: pytest.TempPathFactory, full_population: Population) -> str:
    path: Path = tmp_path_factory.mktemp("claims") / "full.sqlite"
    return load_full(f"sqlite:///{path}", full_population)
