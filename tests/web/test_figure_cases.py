"""Every figure on the overview and in a briefing that links to cases links to exactly as many cases as
it says, on SQLite and PostgreSQL: the case list is filtered by the rule the figure counts with."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import AS_OF, TOKEN, crawl_replica, make_client
from warduty.config import Settings
from warduty.replica.population import Population
from warduty.web import create_app

MONTHS = ("2024-03", "2023-11")
# The figures whose number is itself a count of cases (received); the others say their cases apart.
CASE_COUNTS = ("received", "since_mobilisation", "region")


@pytest.fixture
def client(db_url: str, tmp_path: Path, population: Population) -> TestClient:
    crawl_replica(db_url, tmp_path, population).dispose()
    settings = Settings(data_dir=tmp_path, db=db_url, admin_token=TOKEN)
    return make_client(create_app(settings, rate=100_000, burst=100_000, warm=False))


def _listed(client: TestClient, link: str) -> int:
    """How many cases the case list at ``link`` (a dashboard ``/cases?...`` URL) has, all pages."""
    assert link.startswith("/cases?"), link
    url, total = link.replace("/cases?", "/api/v1/cases?limit=500&"), 0
    while url:
        body = client.get(url).json()
        assert body["ok"] is True, (link, body)
        total += len(body["data"])
        url = (
            link.replace("/cases?", f"/api/v1/cases?limit=500&cursor={body['next']}&") if body["next"] else ""
        )
    return total


def test_briefing_figures_list_as_many_cases_as_they_count(client: TestClient) -> None:
    checked: set[str] = set()
    for month in MONTHS:
        body = client.get(f"/api/v1/briefing/figures?month={month}&as_of={AS_OF}").json()
        for row in body["data"]:
            if not row["cases_url"]:
                continue
            listed = _listed(client, row["cases_url"])
            assert listed == row["cases"], (month, row["key"], row["cases_url"])
            value = row["value"]
            if isinstance(value, dict):  # a record, a region, a share or a nowcast: its count
                value = next(value[k] for k in ("value", "count", "observed") if k in value)
            if row["definition"] in CASE_COUNTS:
                assert listed == value, (month, row["key"])
            checked.add(re.sub(r"_\d.*$", "", row["key"]))
    assert {
        "received_month",
        "sentences_month",
        "outcome_verdict",
        "outcome_dismissed",
        "region_oblast",
    } <= checked
    assert any(k.startswith("nowcast") for k in checked) and "received_since_mobilisation" in checked


def test_overview_figures_list_as_many_cases_as_they_show(client: TestClient) -> None:
    page = client.get("/?lang=en").text
    cards = re.findall(r'<a class="card [^"]*" href="([^"]+)">\s*<span class="num">(\d+)</span>', page)
    assert cards and any(int(n) > 0 for _, n in cards)
    for link, number in cards:
        assert _listed(client, unescape(link)) == int(number), link
    bars = re.findall(r'<a href="(/cases\?[^"]+)" class="bar-link"><rect[^>]*><title>([^<]*)</title>', page)
    assert len(bars) > 20
    apart = 0  # sentences whose defendants outnumber their cases: the list counts cases, not them
    for link, title in bars:
        shown = re.search(r": (\d+)(?: · Cases: (\d+))?", unescape(title))
        assert shown, title
        cases = int(shown.group(2) or shown.group(1))
        assert _listed(client, unescape(link)) == cases, (title, link)
        apart += cases < int(shown.group(1))
    assert apart > 0
