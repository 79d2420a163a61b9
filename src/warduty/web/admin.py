"""Admin, behind the token from the settings: start a crawl, watch it, answer its captchas.

Everything here refuses requests without the token, and refuses everyone when no token is configured.
API clients send the token in an ``Authorization: Bearer`` header. A browser signs in once by posting the
token in the login form and gets a session cookie (a random id, never the token; see
``warduty.web.sessions``) that expires and ends at logout. Every state-changing request must come from
this server's own pages (Origin, else Referer) and, when a cookie authenticates it, carry the session's
CSRF token (a hidden form field, or the ``X-CSRF-Token`` header). The token never appears in a URL.
"""

from __future__ import annotations

import base64
import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Header, Request
from pydantic import BaseModel, Field
from starlette.responses import RedirectResponse, Response

from warduty.courts import Court, UnknownCourtError, load_registry
from warduty.crawl.captcha import CaptchaSolver, FirstAnswer
from warduty.crawl.crawler import CrawlOptions, ProgressEvent
from warduty.crawl.lock import CrawlLocked
from warduty.jobs import default_solver, run_crawl
from warduty.law import WATCHED_ARTICLES
from warduty.web.context import WebContext
from warduty.web.envelope import ApiError, ok
from warduty.web.security import UNSAFE_METHODS, bearer, same_origin, token_matches
from warduty.web.sessions import Session, SessionStore

log = logging.getLogger(__name__)
COOKIE = "warduty_admin"
CAPTCHA_WAIT_SECONDS = 900.0
_DIGITS = re.compile(r"^\d{4,8}$")
_COURT_CODE = re.compile(r"^[0-9A-Z]{4,16}$")


class WebCaptchaSolver:
    """A CaptchaSolver that shows the image on the admin page and waits for the answer posted there."""

    def __init__(self, wait_seconds: float = CAPTCHA_WAIT_SECONDS) -> None:
        self.wait_seconds = wait_seconds
        self._lock = threading.Lock()
        self._pending: tuple[bytes, str, str] | None = None
        self._answered = threading.Event()
        self._answer: str | None = None
        self.asked = 0

    def solve(self, image: bytes, court: Court, rejected: Sequence[str] = ()) -> str | None:
        with self._lock:
            self._pending = (image, court.code, court.name_en)
            self._answer = None
            self._answered.clear()
            self.asked += 1
        self._answered.wait(self.wait_seconds)
        with self._lock:
            self._pending = None
            return self._answer

    def pending(self) -> tuple[bytes, str, str] | None:
        with self._lock:
            return self._pending

    def answer(self, digits: str) -> bool:
        """Hand the answer to the waiting crawl; False when no captcha is waiting."""
        with self._lock:
            if self._pending is None:
                return False
            self._answer = digits
            self._answered.set()
            return True

    def cancel(self) -> None:
        self._answered.set()


@dataclass
class CrawlJob:
    options: CrawlOptions
    started_at: datetime
    pages: int = 0
    courts: set[str] = field(default_factory=set)
    status: str = "running"
    run_id: int | None = None
    message: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "status": self.status,
            "run_id": self.run_id,
            "started_at": self.started_at,
            "pages": self.pages,
            "courts_started": sorted(self.courts),
            "courts": list(self.options.courts or []),
            "since": self.options.since,
            "until": self.options.until,
            "message": self.message,
        }


class AdminState:
    """At most one crawl at a time, run in a background thread; and the admin sessions."""

    def __init__(self, sessions: SessionStore) -> None:
        self.sessions = sessions
        self.solver = WebCaptchaSolver()
        # The OCR reads the captchas first (when installed); the person on the admin page answers those
        # it has no reading for.
        ocr = default_solver()
        self.crawl_solver: CaptchaSolver = self.solver if ocr is None else FirstAnswer(ocr, self.solver)
        self.job: CrawlJob | None = None
        self._lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def start(self, context: WebContext, options: CrawlOptions) -> CrawlJob:
        with self._lock:
            if self.job is not None and self.job.status == "running":
                raise ApiError(409, "a crawl is already running")
            job = CrawlJob(options, datetime.now(UTC))
            self.job = job
            self.thread = threading.Thread(
                target=self._run, args=(context, job), name="warduty-crawl", daemon=True
            )
            self.thread.start()
            return job

    def _run(self, context: WebContext, job: CrawlJob) -> None:
        def on_progress(event: ProgressEvent) -> None:
            job.pages += 1
            job.courts.add(event.court)

        try:
            report = run_crawl(
                context.settings,
                job.options,
                solver=self.crawl_solver,
                on_progress=on_progress,
                engine=context.engine,
            )
            job.run_id, job.status = report.run_id, report.status
        except CrawlLocked as exc:  # another crawl (the CLI's, say) holds the database
            job.status, job.message = "refused", str(exc)
        except Exception:
            log.exception("crawl started from the admin page failed")
            job.status, job.message = "failed", "the crawl failed; the server log has the details"
        finally:
            context.data_changed()  # warm the figures of the new data now, not at the next poll


# -- authentication ------------------------------------------------------------------------------

LOGIN_PATH = "/admin/login"


def _state(request: Request) -> AdminState:
    state: AdminState = request.app.state.admin
    return state


def session_of(request: Request) -> Session | None:
    return _state(request).sessions.get(request.cookies.get(COOKIE))


def _bearer_ok(request: Request, authorization: str | None) -> bool:
    context: WebContext = request.app.state.web
    return token_matches(context.settings.admin_token, bearer(authorization))


def is_admin(request: Request, authorization: str | None) -> bool:
    context: WebContext = request.app.state.web
    if not context.settings.admin_token:
        return False
    return _bearer_ok(request, authorization) or session_of(request) is not None


def own_origin(request: Request) -> str:
    """This server's origin as the browser sees it (the scheme is the proxy's when the proxy is trusted)."""
    return f"{request.url.scheme}://{request.url.netloc}"


async def guard(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    """Every admin route's first check. A state-changing request is refused (403) when its Origin or
    Referer is another site's; a cookie-authenticated one also when it has neither, or lacks the
    session's CSRF token. A bearer-token client is not a browser sending ambient credentials, so it
    needs neither. The login form has no session yet: only the origin check applies to it."""
    context: WebContext = request.app.state.web
    if not context.settings.admin_token:
        raise ApiError(403, "admin is disabled: no admin token is configured")
    if request.method not in UNSAFE_METHODS:
        return
    origin = same_origin(dict(request.headers), own_origin(request))
    if origin is False:
        raise ApiError(403, "cross-origin request refused")
    if request.url.path == LOGIN_PATH or _bearer_ok(request, authorization):
        return
    session = session_of(request)
    if session is None:
        raise ApiError(401, "admin token required")
    if origin is None:
        raise ApiError(403, "request without Origin or Referer refused")
    presented = request.headers.get("x-csrf-token")
    if presented is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        field = (await request.form()).get("csrf")
        presented = field if isinstance(field, str) else None
    if not session.csrf_matches(presented):
        raise ApiError(403, "missing or wrong CSRF token; reload the admin page")


def require_admin(request: Request, authorization: Annotated[str | None, Header()] = None) -> WebContext:
    context: WebContext = request.app.state.web
    if not context.settings.admin_token:
        raise ApiError(403, "admin is disabled: no admin token is configured")
    if not is_admin(request, authorization):
        raise ApiError(401, "admin token required")
    return context


Admin = Annotated[WebContext, Depends(require_admin)]


# -- API -----------------------------------------------------------------------------------------

# The guard is on the routers, so a route added to them cannot miss it.
api_router = APIRouter(prefix="/api/v1/admin", tags=["admin"], dependencies=[Depends(guard)])


class CrawlRequest(BaseModel):
    courts: list[Annotated[str, Field(pattern=_COURT_CODE.pattern)]] = Field(min_length=1, max_length=200)
    since: date
    until: date
    articles: list[Annotated[str, Field(pattern=r"^\d{3}$")]] = Field(
        default=list(WATCHED_ARTICLES), min_length=1, max_length=20
    )


class CaptchaAnswer(BaseModel):
    answer: Annotated[str, Field(pattern=_DIGITS.pattern)]


def crawl_options(courts: list[str], since: date, until: date, articles: list[str]) -> CrawlOptions:
    registry = load_registry()
    try:
        for code in courts:
            registry.by_code(code)
    except UnknownCourtError as exc:
        raise ApiError(400, str(exc)) from None
    if since > until:
        raise ApiError(400, "since must not be after until")
    return CrawlOptions(courts=courts, since=since, until=until, articles=tuple(articles))


@api_router.post("/crawls", summary="Start a crawl (one at a time)", status_code=202)
def start_crawl(request: Request, context: Admin, body: CrawlRequest) -> Response:
    job = _state(request).start(context, crawl_options(body.courts, body.since, body.until, body.articles))
    response = ok(job.to_dict())
    response.status_code = 202
    return response


@api_router.get("/crawls/current", summary="Progress of the crawl started here")
def current_crawl(request: Request, context: Admin) -> Response:
    job = _state(request).job
    return ok(job.to_dict() if job else None)


@api_router.get("/captcha", summary="The captcha waiting for an answer, if any")
def get_captcha(request: Request, context: Admin) -> Response:
    pending = _state(request).solver.pending()
    if pending is None:
        return ok({"waiting": False})
    image, code, name = pending
    return ok(
        {
            "waiting": True,
            "court": code,
            "court_name": name,
            "image": "data:image/png;base64," + base64.b64encode(image).decode(),
        }
    )


@api_router.post("/captcha", summary="Answer the waiting captcha")
def answer_captcha(request: Request, context: Admin, body: CaptchaAnswer) -> Response:
    if not _state(request).solver.answer(body.answer):
        raise ApiError(409, "no captcha is waiting")
    return ok({"accepted": True})


# -- pages ---------------------------------------------------------------------------------------

page_router = APIRouter(include_in_schema=False, dependencies=[Depends(guard)])
# Admin pages send a same-origin Referer and Origin with their forms (the site-wide policy is
# no-referrer, under which a browser sends ``Origin: null`` with a POST).
ADMIN_REFERRER_POLICY = "same-origin"


def _lang(request: Request) -> Any:
    from warduty.web.i18n import COOKIE as LANG_COOKIE
    from warduty.web.i18n import choose

    return choose(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))


@page_router.get("/admin")
def admin_page(request: Request) -> Response:
    from warduty.web.pages import render

    context: WebContext = request.app.state.web
    lang = _lang(request)
    if not context.settings.admin_token:
        raise ApiError(403, "admin is disabled: no admin token is configured")
    session = session_of(request)
    if session is None:
        response = render(request, "admin_login.html", lang, status=401)
        response.headers["referrer-policy"] = ADMIN_REFERRER_POLICY
        return response
    state = _state(request)
    pending = state.solver.pending()
    captcha = None
    if pending is not None:
        captcha = {
            "court": pending[2],
            "image": "data:image/png;base64," + base64.b64encode(pending[0]).decode(),
        }
    job = state.job.to_dict() if state.job else None
    today = date.today().isoformat()
    response = render(request, "admin.html", lang, job=job, captcha=captcha, today=today, csrf=session.csrf)
    response.headers["referrer-policy"] = ADMIN_REFERRER_POLICY
    response.headers["cache-control"] = "no-store"  # it holds the CSRF token
    return response


@page_router.post(LOGIN_PATH)
def admin_login(request: Request, token: Annotated[str, Form(max_length=512)]) -> Response:
    context: WebContext = request.app.state.web
    if not token_matches(context.settings.admin_token, token):
        raise ApiError(401, "wrong admin token")
    sessions = _state(request).sessions
    sessions.end(request.cookies.get(COOKIE))  # a new id at every sign-in (no session fixation)
    session_id, _ = sessions.create()
    response = RedirectResponse("/admin", status_code=303)
    response.set_cookie(
        COOKIE, session_id, max_age=int(sessions.lifetime), httponly=True, samesite="strict",
        secure=request.url.scheme == "https",
    )  # fmt: skip
    return response


@page_router.post("/admin/logout")
def admin_logout(request: Request, context: Admin) -> Response:
    _state(request).sessions.end(request.cookies.get(COOKIE))
    response = RedirectResponse("/admin", status_code=303)
    response.delete_cookie(COOKIE, httponly=True, samesite="strict")
    return response


@page_router.post("/admin/crawl")
def admin_crawl_form(
    request: Request,
    context: Admin,
    courts: Annotated[str, Form(max_length=2000)],
    since: Annotated[date, Form()],
    until: Annotated[date, Form()],
) -> Response:
    codes = [c.strip() for c in courts.replace(";", ",").split(",") if c.strip()]
    if not codes or any(not _COURT_CODE.match(c) for c in codes):
        raise ApiError(400, "courts must be court codes separated by commas")
    _state(request).start(context, crawl_options(codes, since, until, list(WATCHED_ARTICLES)))
    return RedirectResponse("/admin", status_code=303)


@page_router.post("/admin/captcha")
def admin_captcha_form(
    request: Request, context: Admin, answer: Annotated[str, Form(max_length=16)]
) -> Response:
    if not _DIGITS.match(answer.strip()):
        raise ApiError(400, "the answer is 4 to 8 digits")
    if not _state(request).solver.answer(answer.strip()):
        raise ApiError(409, "no captcha is waiting")
    return RedirectResponse("/admin", status_code=303)
