"""The JSON API against a database crawled from the replica."""

from __future__ import annotations

import base64
import csv
import io
import json
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text

from tests.web.conftest import DemoDb
from warduty.stats.outcomes import OUTCOMES, classify_outcome
from warduty.store import make_engine
from warduty.web.envelope import csv_cell


def _scalar(demo_db: DemoDb, sql: str, **params: Any) -> Any:
    engine = make_engine(demo_db.url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql), params).scalar()
    finally:
        engine.dispose()


def _walk(client: TestClient, query: str, limit: int = 7) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    url = f"/api/v1/cases?{query}&limit={limit}"
    while True:
        body = client.get(url).json()
        assert body["ok"] is True
        rows += body["data"]
        if body["next"] is None:
            return rows
        url = f"/api/v1/cases?{query}&limit={limit}&cursor={body['next']}"


def test_pagination_visits_every_case_once(client: TestClient, demo_db: DemoDb) -> None:
    rows = _walk(client, "", limit=9)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) == _scalar(demo_db, "SELECT count(*) FROM cases")
    assert ids == sorted(ids, reverse=True)


def test_filters_agree_with_sql(client: TestClient, demo_db: DemoDb) -> None:
    awol_2023 = _walk(client, "group=awol&received_from=2023-01-01&received_to=2023-12-31")
    want = _scalar(
        demo_db,
        "SELECT count(DISTINCT c.id) FROM cases c JOIN persons p ON p.case_id = c.id "
        "JOIN person_articles a ON a.person_id = p.id WHERE a.article_group = 'awol' "
        "AND c.received BETWEEN '2023-01-01' AND '2023-12-31'",
    )
    assert 0 < len(awol_2023) == want
    assert all("2023-01-01" <= r["received"] <= "2023-12-31" for r in awol_2023)
    # The outcome filter is the statistics' classifier (not a LIKE of its own): every outcome's list
    # is the court's cases that classify_outcome puts there, and the lists partition the court's cases.
    engine = make_engine(demo_db.url)
    with engine.connect() as connection:
        results = [
            r[0] for r in connection.execute(text("SELECT result FROM cases WHERE court_code = '63GV0001'"))
        ]
    engine.dispose()
    for outcome in OUTCOMES:
        court = _walk(client, f"court=63GV0001&outcome={outcome}")
        assert all(r["court_code"] == "63GV0001" and r["outcome"] == outcome for r in court)
        assert len(court) == sum(classify_outcome(r) == outcome for r in results), outcome
    assert _walk(client, "court=63GV0001&outcome=verdict")
    region = _walk(client, "region=Город Санкт-Петербург")
    assert {r["court_code"] for r in region} == {"78GV0001"}
    article = _walk(client, "article=337&part=5")
    assert article and all("337 ч.5" in r["articles"] for r in article)


def test_errors_use_the_envelope_and_say_nothing_internal(client: TestClient) -> None:
    for url, status in [
        ("/api/v1/cases/999999", 404),
        ("/api/v1/cases/abc", 400),
        ("/api/v1/cases?limit=100000", 400),
        ("/api/v1/cases?court=x';DROP TABLE cases;--", 400),
        ("/api/v1/cases?received_from=2023-02-30", 400),
        ("/api/v1/nothing-here", 404),
        ("/api/v1/series?metric=bogus", 400),
        ("/api/v1/courts/ZZZZ9999", 404),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        body = response.json()
        assert body["ok"] is False and body["error"]["status"] == status
        assert "Traceback" not in response.text and "sqlalchemy" not in response.text.lower()


def test_hostile_cursors_are_refused(client: TestClient) -> None:
    first = client.get("/api/v1/cases?limit=5").json()
    cursor = first["next"]
    raw = bytearray(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    raw[-3] ^= 1  # tamper with the payload, keep the signature
    forged = base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")
    unsigned = base64.urlsafe_b64encode(b"\0" * 16 + json.dumps({"after": 1, "f": "x"}).encode()).decode()
    for bad in [forged, unsigned, "%%%", "A" * 150, cursor[:-4], "", "😀"]:
        response = client.get("/api/v1/cases", params={"limit": 5, "cursor": bad})
        assert response.status_code == 400, bad
        assert response.json()["ok"] is False
    # A cursor from one filter set is not valid for another.
    response = client.get(f"/api/v1/cases?limit=5&court=77GV0017&cursor={cursor}")
    assert response.status_code == 400
    assert "other filters" in response.json()["error"]["message"]


def test_csv_on_every_list_endpoint(client: TestClient) -> None:
    for path in [
        "courts",
        "cases",
        "series",
        "records",
        "regions",
        "asylum/series",
        "briefing/figures",
        "runs",
    ]:
        response = client.get(f"/api/v1/{path}?format=csv")
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.text)))
        assert len(rows) >= 2, path
        assert len({len(r) for r in rows}) == 1, path
    paged = client.get("/api/v1/cases.csv?limit=3")
    assert len(paged.text.strip().splitlines()) == 4
    assert paged.headers["x-next-cursor"]


def test_csv_cells_cannot_become_formulas() -> None:
    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_cell("-1+2") == "'-1+2"
    assert csv_cell(["a", "b"]) == "a;b"
    assert csv_cell(None) == ""


def test_series_regions_and_overview_are_consistent(client: TestClient, demo_db: DemoDb) -> None:
    series = client.get("/api/v1/series?metric=received").json()
    assert series["meta"]["as_of"] == "2024-04-12" and series["meta"]["labels"]["awol"] == ["337"]
    awol = [m for m in series["data"] if m["group"] == "awol"]
    assert awol[0]["month"] == "2021-01" and awol[-1]["month"] == "2024-04"
    # Counted as the statistics count: first-instance cases under art. 337, once each.
    want = _scalar(
        demo_db,
        "SELECT count(DISTINCT c.id) FROM cases c JOIN courts k ON k.code = c.court_code "
        "JOIN persons p ON p.case_id = c.id JOIN person_articles a ON a.person_id = p.id "
        "WHERE a.article = '337' AND c.docket = 'criminal-1' AND k.level IN ('garrison', 'district') "
        "AND c.received BETWEEN '2021-01-01' AND '2024-04-12'",
    )
    assert sum(m["count"] for m in awol) == want > 0
    incomplete = [m for m in awol if m["incomplete"]]
    assert incomplete[-1]["month"] == "2024-04" and incomplete[-1]["nowcast"] is None  # the as-of month
    assert all(m["nowcast"]["observed"] == m["count"] for m in incomplete[:-1])
    assert {m["month"] for m in incomplete} <= {"2023-10", "2023-11", "2023-12", "2024-01", "2024-02",
                                                 "2024-03", "2024-04"}  # fmt: skip
    regions = client.get("/api/v1/regions").json()
    assert regions["meta"]["since"] == "2022-09-21" and regions["meta"]["until"] == "2024-04-12"
    since = [m["count"] for m in awol if m["month"] >= "2022-09"]
    assert sum(r["value"] for r in regions["data"]) <= sum(since)
    assert [r["rank"] for r in regions["data"]] == list(range(1, len(regions["data"]) + 1))
    overview = client.get("/api/v1/overview").json()["data"]
    assert overview["as_of"] == "2024-04-12" and overview["latest_month"] == "2024-03"
    march = {m["group"]: m["count"] for m in series["data"] if m["month"] == "2024-03"}
    assert overview["latest"]["received"] == march
    mix = overview["sentence_mix"]
    assert mix["sentences"] == overview["latest"]["sentences"]["awol"]
    assert mix["suspended"]["n"] == mix["published"]["count"] <= mix["sentences"]


def test_series_parameters_are_checked(client: TestClient) -> None:
    for url in [
        "/api/v1/series?article=338&group=awol",
        "/api/v1/series?region=Nowhere",
        "/api/v1/series?region=Город Москва&court=78GV0001",
        "/api/v1/series?since=0001-01-01",
        "/api/v1/series?as_of=9999-12-31",
        "/api/v1/series?group_by=court",
        "/api/v1/regions?moscow=both",
        "/api/v1/regions?until=1200-01-01",
    ]:
        response = client.get(url)
        assert response.status_code == 400, url
        assert response.json()["ok"] is False
    one = client.get("/api/v1/series?group_by=none&court=78GV0001&since=2023-01-01&as_of=2023-06-30").json()
    assert [m["month"] for m in one["data"]] == ["2023-01", "2023-02", "2023-03", "2023-04", "2023-05",
                                                 "2023-06"]  # fmt: skip
    assert {m["group"] for m in one["data"]} == {"all"} and one["meta"]["filters"]["courts"] == ["78GV0001"]


def test_courts_show_freshness(client: TestClient) -> None:
    courts = {c["code"]: c for c in client.get("/api/v1/courts").json()["data"]}
    crawled = courts["77GV0017"]
    assert crawled["cases"] > 0 and crawled["last_checked"] and crawled["last_changed"]
    assert courts["25GV0001"]["last_checked"] is None and courts["25GV0001"]["cases"] == 0


def test_asylum_series_and_runs(client: TestClient) -> None:
    body = client.get("/api/v1/asylum/series?since=2023-01").json()
    assert body["meta"]["source"] == "snapshot"
    assert body["data"][0] == {"period": "2023-01", "value": 2080, "countries": 0, "incomplete": False}
    runs = client.get("/api/v1/runs").json()["data"]
    assert runs[0]["kind"] == "crawl" and runs[0]["status"] == "done"
    assert client.get(f"/api/v1/runs/{runs[0]['id']}").json()["data"]["statistics"]["status"] == "done"


def test_openapi_document_lists_the_endpoints(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    for path in ["/api/v1/courts", "/api/v1/cases", "/api/v1/cases/{case_id}", "/api/v1/series",
                 "/api/v1/records", "/api/v1/regions", "/api/v1/asylum/series", "/api/v1/briefing/figures",
                 "/api/v1/runs", "/api/v1/admin/crawls"]:  # fmt: skip
        assert path in document["paths"], path
    assert not any(p.startswith("/cases") or p == "/" for p in document["paths"])
