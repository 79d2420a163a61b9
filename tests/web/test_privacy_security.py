"""Personal data, security headers, limits, and the admin token."""

from __future__ import annotations

import re
import time
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import AS_OF, TOKEN, DemoDb, make_client, sign_in
from warduty.privacy import RedactionError, redact, redactor
from warduty.replica.population import Population
from warduty.replica.server import ReplicaServer
from warduty.store import make_engine
from warduty.store.schema import cases
from warduty.web import create_app
from warduty.web.security import TokenBucket


def _every_url(client: TestClient) -> list[str]:
    urls = ["/", "/courts", "/cases", "/briefing", "/runs", "/admin", "/?lang=ru", "/cases?lang=ru"]
    api = ["courts", "series", "series?metric=sentences", "records", "regions", "overview", "asylum/series",
           "briefing/figures", "runs", "openapi.json"]  # fmt: skip
    urls += [f"/api/v1/{p}" for p in api] + [f"/api/v1/{p.split('?')[0]}?format=csv" for p in api[:-1]]
    cursor: str | None = ""
    while cursor is not None:
        body = client.get(f"/api/v1/cases?limit=200{'&cursor=' + cursor if cursor else ''}").json()
        for row in body["data"]:
            urls += [f"/api/v1/cases/{row['id']}", f"/cases/{row['id']}", f"/cases/{row['id']}/archived"]
            urls.append(f"/courts/{row['court_code']}")
        cursor = body["next"]
    urls += ["/api/v1/cases.csv?limit=500", "/api/v1/cases?limit=500"]
    return sorted(set(urls))


def test_no_response_contains_a_defendants_name(client: TestClient, demo_db: DemoDb) -> None:
    urls = _every_url(client)
    assert len(urls) > 300
    archived = pseudonymised = 0
    matcher = redactor({name: "x" for name in demo_db.names})
    # A judge «Баранова И.В.» reads like the genitive of a defendant «Баранов Илья Владимирович»: judges
    # are public officials, their names stay.
    engine = make_engine(demo_db.url)
    with engine.connect() as connection:
        judges = redactor({j: "judge" for j in connection.execute(select(cases.c.judge)).scalars() if j})
    engine.dispose()
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 401), url
        # Every form of every name, declined, across tags and entities; the surname alone is left out
        # here because a judge may share a defendant's surname.
        found = matcher.found(response.text, is_html=True)
        leaked = [f for f in found if (len(f.split()) > 1 or "." in f) and not judges.found(f)]
        assert leaked == [], (url, leaked[:3])
        if url.endswith("/archived"):
            archived += 1
            assert "&larr; warduty</a></div>" in response.text  # the banner
            pseudonymised += re.search(r"D-[A-Z2-7]{10}", response.text) is not None
    assert archived > 50 and pseudonymised > 50


def test_names_are_shown_only_when_the_operator_enables_them(demo_db: DemoDb) -> None:
    client = make_client(create_app(demo_db.settings(show_names=True), rate=1000, burst=1000))
    case = client.get("/api/v1/cases/1").json()["data"]
    assert any(p["name"] in demo_db.names for p in case["persons"])
    archived = client.get("/cases/1/archived").text
    assert any(name in archived for name in demo_db.names)


def test_pseudonyms_are_stable_and_keyed(client: TestClient, demo_db: DemoDb) -> None:
    first = client.get("/api/v1/cases/1").json()["data"]["persons"][0]["name"]
    assert re.fullmatch(r"D-[A-Z2-7]{10}", first)
    again = make_client(create_app(demo_db.settings(), rate=1000, burst=1000))
    assert again.get("/api/v1/cases/1").json()["data"]["persons"][0]["name"] == first  # secret file reused
    other = make_client(create_app(demo_db.settings(web_secret="x" * 40), rate=1000, burst=1000))
    assert other.get("/api/v1/cases/1").json()["data"]["persons"][0]["name"] != first


def test_redaction_covers_initials_and_refuses_when_a_name_survives() -> None:
    aliases = {"Иванов Алексей Сергеевич": "Defendant 1"}
    page = (
        "<td>Иванов Алексей Сергеевич</td> осуждён Иванов А.С., ИВАНОВ А. С. и Иванов&nbsp;Алексей  Сергеевич"
    )
    out = redact(page, aliases, is_html=True)
    assert "Иванов" not in out and "ИВАНОВ" not in out and out.count("Defendant 1") == 4
    with pytest.raises(RedactionError):  # never hand out a text in which a name is still readable
        redact("Иванов Алексей Сергеевич", {"Иванов Алексей Сергеевич": "Иванов Алексей Сергеевич (1)"})


def test_security_headers_on_pages_api_and_errors(client: TestClient) -> None:
    for url in ["/", "/api/v1/courts", "/api/v1/cases/99999", "/static/style.css", "/nothing"]:
        headers = client.get(url).headers
        assert headers["x-content-type-options"] == "nosniff", url
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"
        csp = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert "server" not in headers
    archived = client.get("/cases/1/archived").headers["content-security-policy"]
    assert (
        archived.startswith("sandbox") and "script-src" not in archived and "default-src 'none'" in archived
    )


def test_request_size_limit(client: TestClient) -> None:
    big = b"x" * (70 * 1024)
    response = client.post("/api/v1/admin/captcha", content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.json()["ok"] is False

    def chunks() -> object:
        for _ in range(80):
            yield b"x" * 1024

    streamed = client.post(
        "/api/v1/admin/captcha", content=chunks(), headers={"authorization": f"Bearer {TOKEN}"}
    )
    assert streamed.status_code == 413


def test_rate_limit(demo_db: DemoDb) -> None:
    client = make_client(create_app(demo_db.settings(), rate=1.0, burst=5))
    codes = [client.get("/api/v1/runs").status_code for _ in range(8)]
    assert codes[:5] == [200] * 5 and codes[5:] == [429] * 3
    limited = client.get("/api/v1/runs")
    assert limited.json()["error"]["status"] == 429 and int(limited.headers["retry-after"]) >= 1
    assert client.get("/static/style.css").status_code == 200


def test_token_bucket_refills() -> None:
    now = [0.0]
    bucket = TokenBucket(rate=2.0, burst=2, clock=lambda: now[0])
    assert [bucket.allow("a")[0] for _ in range(3)] == [True, True, False]
    assert bucket.allow("b")[0] is True
    now[0] = 0.5
    assert bucket.allow("a")[0] is True and bucket.allow("a")[0] is False


def test_internal_errors_are_not_leaked(demo_db: DemoDb, tmp_path: object) -> None:
    broken = demo_db.settings(
        db=f"sqlite:///{demo_db.data_dir / 'not-a-dir' / 'x' / '..' / 'missing.sqlite'}"
    )
    client = make_client(create_app(broken, rate=1000, burst=1000))
    response = client.get("/api/v1/cases")
    assert response.status_code == 500
    assert response.json() == {
        "ok": False,
        "error": {"status": 500, "message": "internal error; the operator's log has the details"},
    }
    assert "internal error" in client.get("/cases").text


ADMIN_CALLS = [
    ("get", "/api/v1/admin/crawls/current", None),
    ("get", "/api/v1/admin/captcha", None),
    ("post", "/api/v1/admin/captcha", {"answer": "1234"}),
    ("post", "/api/v1/admin/crawls", {"courts": ["77GV0017"], "since": "2024-01-01", "until": "2024-02-01"}),
]


def test_admin_refuses_without_the_token(client: TestClient, demo_db: DemoDb) -> None:
    for method, url, body in ADMIN_CALLS:
        for headers in [
            {},
            {"authorization": "Bearer wrong"},
            {"authorization": TOKEN},
            {"cookie": "warduty_admin=x"},
        ]:
            response = client.request(method, url, json=body, headers=headers)
            assert response.status_code == 401, (url, headers)
    assert client.get("/admin").status_code == 401
    assert client.post("/admin/login", data={"token": "wrong"}).status_code == 401
    assert (
        client.post(
            "/admin/crawl", data={"courts": "77GV0017", "since": "2024-01-01", "until": "2024-02-01"}
        ).status_code
        == 401
    )
    disabled = make_client(create_app(demo_db.settings(admin_token=""), rate=1000, burst=1000))
    for method, url, body in ADMIN_CALLS:
        response = disabled.request(method, url, json=body, headers={"authorization": "Bearer "})
        assert response.status_code == 403
    assert disabled.get("/admin").status_code == 403


def test_admin_crawl_with_a_captcha_answered_through_the_page(
    demo_db: DemoDb, population: Population, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the ocr extra the person on the admin page answers every captcha (with it, only those the
    OCR cannot read: tests/web/test_admin_captcha.py)."""
    from pathlib import Path

    monkeypatch.setattr("warduty.web.admin.default_solver", lambda: None)

    data = Path(str(tmp_path))
    with ReplicaServer(population, as_of=AS_OF, seed=2) as server:
        settings = demo_db.settings(
            data_dir=data, db=f"sqlite:///{data / 'admin.sqlite'}", sudrf_origin=server.origin,
            min_interval=0.0, global_interval=0.0,
        )  # fmt: skip
        from warduty.courts import load_registry
        from warduty.store import make_engine, migrate, sync_courts

        engine = make_engine(settings.database_url)
        migrate(engine)
        with engine.begin() as connection:
            sync_courts(connection, load_registry())
        client = make_client(create_app(settings, engine=engine, rate=1000, burst=1000))
        csrf = sign_in(client)
        started = client.post(
            "/admin/crawl", data={"courts": "78GV0001", "since": "2023-01-01", "until": AS_OF.isoformat(),
                                  "csrf": csrf}, follow_redirects=False,
        )  # fmt: skip
        assert started.status_code == 303
        again = {"courts": ["78GV0001"], "since": "2023-01-01", "until": "2023-02-01"}
        assert (
            client.post("/api/v1/admin/crawls", json=again, headers={"x-csrf-token": csrf}).status_code == 409
        )
        deadline = time.monotonic() + 60
        answered = 0
        while time.monotonic() < deadline:
            job = client.get("/api/v1/admin/crawls/current").json()["data"]
            if job["status"] != "running":
                break
            captcha = client.get("/api/v1/admin/captcha").json()["data"]
            if captcha["waiting"]:
                page = client.get("/admin").text
                assert 'id="captcha-image"' in page and "data:image/png;base64," in page
                import base64

                png = base64.b64decode(captcha["image"].split(",", 1)[1])
                answer = server.site.captcha.answer_to(png)  # the person at the page reads it
                assert answer is not None
                assert (
                    client.post(
                        "/admin/captcha", data={"answer": answer, "csrf": csrf}, follow_redirects=False
                    ).status_code
                    == 303
                )
                answered += 1
            time.sleep(0.05)
        assert job["status"] == "done", job
        assert answered >= 1 and job["pages"] > 0
        cases = client.get("/api/v1/cases?court=78GV0001").json()["data"]
        assert cases and all(r["received"] >= "2023-01-01" for r in cases)
        engine.dispose()
    assert date.fromisoformat(job["until"]) == AS_OF
