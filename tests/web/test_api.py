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
    court = _walk(client, "court=63GV0001&outcome=verdict")
    assert court and all(r["court_code"] == "63GV0001" and r["outcome"] == "verdict" for r in court)
    assert len(court) == _scalar(
        demo_db, "SELECT count(*) FROM cases WHERE court_code = '63GV0001' AND result LIKE '%ПРИГОВОР%'"
    )
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
    series = client.get("/api/v1/series?metric=received").json()["data"]
    awol_total = sum(m["count"] for m in series if m["group"] == "awol")
    want = _scalar(
        demo_db,
        "SELECT count(DISTINCT c.id) FROM cases c JOIN persons p ON p.case_id = c.id "
        "JOIN person_articles a ON a.person_id = p.id "
        "WHERE a.article_group = 'awol' AND c.received <= '2024-04-12'",
    )
    assert awol_total == want
    incomplete = sorted({m["month"] for m in series if m["incomplete"]})
    assert incomplete == ["2024-03", "2024-04"]  # as of 12 April: April open, March still filling
    regions = client.get("/api/v1/regions").json()["data"]
    assert sum(r["cases"] for r in regions) == _scalar(
        demo_db, "SELECT count(*) FROM cases WHERE received IS NOT NULL"
    )
    overview = client.get("/api/v1/overview").json()["data"]
    assert overview["as_of"] == "2024-04-12" and overview["latest_month"] == "2024-02"
    feb = {m["group"]: m["count"] for m in series if m["month"] == "2024-02"}
    assert overview["latest"]["received"] == feb
    mix = overview["sentence_mix"]
    assert mix["verdicts"] == sum(mix["punishments"].values()) > 0


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
