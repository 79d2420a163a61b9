"""The web application on PostgreSQL, the team backend: the same crawl answers the same on both."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import TOKEN, DemoDb, crawl_replica, make_client
from warduty.config import Settings
from warduty.replica.population import Population
from warduty.web import create_app

pytestmark = pytest.mark.postgres

SAME_ANSWERS = (
    "/api/v1/overview",
    "/api/v1/series?metric=sentences&from=2022-01&to=2024-04",
    "/api/v1/regions?metric=received&since=2022-09-21",
    "/api/v1/records",
)


def _data(client: TestClient, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, (path, response.text[:300])
    body = response.json()
    assert body["ok"] is True
    return body["data"]


def _case_numbers(client: TestClient) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    url = "/api/v1/cases?limit=100"
    while url:
        body = client.get(url).json()
        seen += [(row["court_code"], row["case_number"]) for row in body["data"]]
        url = f"/api/v1/cases?limit=100&cursor={body['next']}" if body["next"] else ""
    return sorted(seen)


def test_api_on_postgresql_answers_as_on_sqlite(
    demo_db: DemoDb, population: Population, postgres_url: str, tmp_path: Any
) -> None:
    crawl_replica(postgres_url, tmp_path, population).dispose()
    settings = Settings(data_dir=tmp_path, db=postgres_url, admin_token=TOKEN)
    on_pg = make_client(create_app(settings, rate=10_000, burst=10_000, warm=False))
    on_lite = make_client(create_app(demo_db.settings(), rate=10_000, burst=10_000, warm=False))
    for path in SAME_ANSWERS:
        assert _data(on_pg, path) == _data(on_lite, path), path
    cases = _case_numbers(on_pg)
    assert cases == _case_numbers(on_lite) and len(cases) > 100
    first = on_pg.get("/api/v1/cases?limit=1").json()["data"][0]
    detail = _data(on_pg, f"/api/v1/cases/{first['id']}")
    assert detail["case_number"] == first["case_number"] and detail["persons"]
    assert on_pg.get("/").status_code == 200
    assert on_pg.post("/api/v1/admin/crawls").status_code in (401, 403)
