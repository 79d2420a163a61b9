"""Fixtures: the replica population at scale 0.1 and databases loaded with its ground truth."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.stats.load_truth import load_truth
from warduty.replica.population import Population, generate_population
from warduty.store import make_engine

AS_OF = date(2024, 4, 12)
SCALE = 0.1


@pytest.fixture(scope="session")
def population() -> Population:
    return generate_population(scale=SCALE)


@pytest.fixture(scope="session")
def truth_db(population: Population, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """One SQLite database with the truth as of 2024-04-12, shared by read-only tests."""
    path: Path = tmp_path_factory.mktemp("truth") / "truth.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    load_truth(engine, population, AS_OF)
    return engine


@pytest.fixture
def pg_truth_db(population: Population, postgres_url: str) -> Iterator[Engine]:
    """A fresh PostgreSQL database with the same truth as :func:`truth_db`."""
    engine = make_engine(postgres_url)
    load_truth(engine, population, AS_OF)
    yield engine
    engine.dispose()
