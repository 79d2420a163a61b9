"""Admin hardening (issue 16): same-origin and CSRF checks on every state-changing admin request,
sessions that expire and end at logout, and the token kept out of URLs and logs."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tests.web.conftest import ORIGIN, TOKEN, DemoDb, make_client, sign_in
from warduty.web import create_app
from warduty.web.admin import COOKIE
from warduty.web.security import UNSAFE_METHODS
from warduty.web.sessions import SessionStore

EVIL = "http://evil.example"
UNKNOWN_COURT = "99ZZ0000"  # well-formed but in no registry: a crawl request that passes the guard fails
# A body for every state-changing admin route, such that a request that passes the guard cannot start
# anything (an unknown court; a captcha answer with none waiting).
BODIES: dict[str, dict[str, object]] = {
    "/admin/login": {"data": {"token": TOKEN}},
    "/admin/logout": {"data": {}},
    "/admin/crawl": {"data": {"courts": UNKNOWN_COURT, "since": "2024-01-01", "until": "2024-02-01"}},
    "/admin/captcha": {"data": {"answer": "1234"}},
    "/api/v1/admin/crawls": {
        "json": {"courts": [UNKNOWN_COURT], "since": "2024-01-01", "until": "2024-02-01"}
    },
    "/api/v1/admin/captcha": {"json": {"answer": "1234"}},
}


def _flat(routes: Iterable[object], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    for route in routes:
        inner = getattr(route, "original_router", None)  # FastAPI keeps included routers as they are
        if inner is not None:
            yield from _flat(inner.routes, prefix + getattr(route.include_context, "prefix", ""))  # type: ignore[attr-defined]
        elif isinstance(route, APIRoute):
            yield prefix + route.path, route


def admin_writes(app: FastAPI) -> list[tuple[str, str]]:
    """Every state-changing admin route of the application, read from its routes (a new form is here
    the moment it is added)."""
    found = []
    for path, route in _flat(app.routes):
        if path.startswith(("/admin", "/api/v1/admin")):
            found += [(method, path) for method in sorted(route.methods & UNSAFE_METHODS)]
    return found


@pytest.fixture
def admin_app(demo_db: DemoDb) -> FastAPI:
    return create_app(demo_db.settings(), rate=10_000, burst=10_000, warm=False)


def _request(client: TestClient, method: str, path: str, csrf: str, **headers: str) -> int:
    body = BODIES[path]
    if "data" in body:
        kwargs: dict[str, object] = {"data": {**body["data"], "csrf": csrf}}  # type: ignore[dict-item]
    else:
        kwargs = {"json": body["json"]}
        headers = {"x-csrf-token": csrf, **headers}
    response = client.request(method, path, headers=headers, follow_redirects=False, **kwargs)  # type: ignore[arg-type]
    return response.status_code


def test_every_admin_write_refuses_another_origin(admin_app: FastAPI) -> None:
    writes = admin_writes(admin_app)
    assert {path for _, path in writes} == set(BODIES), "a new admin route needs a body in BODIES"
    for method, path in writes:
        client = make_client(admin_app)
        csrf = sign_in(client)
        # With a valid session and CSRF token, only the origin is wrong.
        for foreign in ({"origin": EVIL}, {"origin": "null"}, {"origin": "https://testserver"}):
            assert _request(client, method, path, csrf, **foreign) == 403, (path, foreign)
        client.headers.pop("origin")
        assert _request(client, method, path, csrf, referer=f"{EVIL}/admin") == 403, path
        # A bearer-token client gets the same answer when a browser's Origin says another site.
        bearer = make_client(admin_app)
        assert _request(bearer, method, path, "", authorization=f"Bearer {TOKEN}", origin=EVIL) == 403
        # The control: the same request from the server's own page passes the guard.
        assert _request(client, method, path, csrf, origin=ORIGIN) not in (401, 403), path
    assert admin_app.state.admin.job is None  # nothing was started


def test_cookie_requests_need_the_sessions_csrf_token_and_an_origin(admin_app: FastAPI) -> None:
    client = make_client(admin_app)
    csrf = sign_in(client)
    other = sign_in(make_client(admin_app))
    assert other != csrf
    form = {"answer": "1234"}
    assert client.post("/admin/captcha", data=form).status_code == 403  # no token
    assert client.post("/admin/captcha", data={**form, "csrf": "x" * len(csrf)}).status_code == 403
    assert client.post("/admin/captcha", data={**form, "csrf": other}).status_code == 403  # another session's
    assert (
        client.post("/admin/captcha", data={**form, "csrf": csrf}).status_code == 409
    )  # passes: none waiting
    client.headers.pop("origin")
    assert client.post("/admin/captcha", data={**form, "csrf": csrf}).status_code == 403  # neither header
    same_page = {"referer": f"{ORIGIN}/admin"}
    assert client.post("/admin/captcha", data={**form, "csrf": csrf}, headers=same_page).status_code == 409
    # The JSON API with the cookie: the token in a header.
    api = "/api/v1/admin/captcha"
    assert client.post(api, json=form, headers=same_page).status_code == 403
    assert client.post(api, json=form, headers={**same_page, "x-csrf-token": csrf}).status_code == 409
    # A bearer-token client (no cookie) needs neither Origin nor a CSRF token.
    bearer = make_client(admin_app)
    assert bearer.post(api, json=form, headers={"authorization": f"Bearer {TOKEN}"}).status_code == 409
    # The old cookie, a fixed keyed hash of the token, means nothing now.
    stale = make_client(admin_app)
    stale.cookies.set(COOKIE, "0" * 64)
    assert stale.get("/admin").status_code == 401


def test_sessions_expire_and_idle_out(demo_db: DemoDb) -> None:
    app = create_app(
        demo_db.settings(admin_session_hours=8.0, admin_idle_minutes=60.0),
        rate=10_000,
        burst=10_000,
        warm=False,
    )
    now = [1000.0]
    app.state.admin.sessions.clock = lambda: now[0]
    client = make_client(app)
    sign_in(client)
    login = client.post("/admin/login", data={"token": TOKEN}, follow_redirects=False)
    assert "max-age=28800" in login.headers["set-cookie"].lower()
    current = "/api/v1/admin/crawls/current"
    for _ in range(15):  # active every 30 minutes: alive until eight hours after sign-in
        now[0] += 1800
        assert client.get(current).status_code == 200, now[0]
    now[0] += 1800  # 8 h
    assert client.get(current).status_code == 401
    assert client.get("/admin").status_code == 401  # the login form again
    sign_in(client)
    now[0] += 3600  # an hour idle
    assert client.get(current).status_code == 401


def test_session_store_unit() -> None:
    now = [0.0]
    store = SessionStore(lifetime=100.0, idle=10.0, clock=lambda: now[0])
    first, session = store.create()
    assert store.get(first) is session and store.get("x" * 43) is None and store.get(None) is None
    now[0] = 9.9
    assert store.get(first) is session
    now[0] = 20.0  # 10.1 s idle
    assert store.get(first) is None and len(store) == 0
    second, _ = store.create()
    store.end(second)
    assert store.get(second) is None


def test_logout_ends_the_session(admin_app: FastAPI) -> None:
    client = make_client(admin_app)
    csrf = sign_in(client)
    cookie = client.cookies[COOKIE]
    assert client.post("/admin/logout", data={}).status_code == 403  # logout is CSRF-checked too
    assert client.get("/api/v1/admin/crawls/current").status_code == 200
    out = client.post("/admin/logout", data={"csrf": csrf}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/admin"
    assert f'{COOKIE}=""' in out.headers["set-cookie"] or "max-age=0" in out.headers["set-cookie"].lower()
    replayed = make_client(admin_app)
    replayed.cookies.set(COOKIE, cookie)  # the old cookie kept by someone: refused
    assert replayed.get("/api/v1/admin/crawls/current").status_code == 401
    assert (
        replayed.post(
            "/admin/captcha", data={"answer": "1234", "csrf": csrf}, headers={"origin": ORIGIN}
        ).status_code
        == 401
    )
    # A new sign-in is a new session id (an id planted before sign-in is not kept).
    assert sign_in(client) != csrf and client.cookies[COOKIE] != cookie


def test_the_token_is_never_in_a_url_a_redirect_or_a_log_line(
    admin_app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = make_client(admin_app)
    client.headers["origin"] = ORIGIN
    seen: list[str] = []
    for response in [
        client.get("/admin"),
        client.post("/admin/login", data={"token": "wrong-" + TOKEN}),
        client.post("/admin/login", data={"token": TOKEN}),
        client.get("/admin"),
        client.post(
            "/api/v1/admin/crawls",
            json={"courts": [UNKNOWN_COURT], "since": "2024-01-01", "until": "2024-02-01"},
            headers={"authorization": f"Bearer {TOKEN}"},
        ),
    ]:
        for step in [*response.history, response]:
            seen += [str(step.url), step.headers.get("location", ""), step.headers.get("set-cookie", "")]
            seen += re.findall(r'(?:href|action|src)="([^"]*)"', step.text)
            assert TOKEN not in step.text, step.url
    assert len(seen) > 10 and not [s for s in seen if TOKEN in s]
    assert TOKEN not in caplog.text
    # A token in the query string is not a way in.
    assert make_client(admin_app).get(f"/admin?token={TOKEN}").status_code == 401
    assert make_client(admin_app).get(f"/api/v1/admin/crawls/current?token={TOKEN}").status_code == 401
