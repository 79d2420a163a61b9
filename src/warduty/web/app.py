"""The FastAPI application: API, dashboard, admin, security middleware and error handling."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from warduty.config import ConfigError, Settings
from warduty.privacy.pseudonym import pseudonymiser
from warduty.store import make_engine
from warduty.web import admin, api, embed, pages
from warduty.web import feed as alert_feed  # issue 14: alerts and health
from warduty.web import health as health_check
from warduty.web.context import WebContext
from warduty.web.envelope import ApiError, error
from warduty.web.security import (
    MAX_IN_FLIGHT,
    BodyLimit,
    CostLimit,
    OverCostLimit,
    RateLimit,
    RealClient,
    SecurityHeaders,
    TokenBucket,
    check_forwarded_allow_ips,
)
from warduty.web.sessions import SessionStore
from warduty.web.warm import POLL_SECONDS, Warmer

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
MAX_BODY_BYTES = 64 * 1024


def create_app(
    settings: Settings,
    *,
    engine: Engine | None = None,
    rate: float = 20.0,
    burst: float = 60.0,
    max_body: int = MAX_BODY_BYTES,
    max_in_flight: int = MAX_IN_FLIGHT,
    warm: bool = True,
    warm_poll: float = POLL_SECONDS,
) -> FastAPI:
    """The whole web application for one database. ``rate`` and ``burst`` set the per-client limit,
    ``max_in_flight`` the requests one client may have unanswered at once.

    With ``warm`` the figures are computed in a background thread while the server starts (and again
    whenever a run starts or finishes), so the first visitor does not wait for them. Raises
    ``ConfigError`` for unusable web settings.
    """
    _check_web_settings(settings)
    context = WebContext(
        settings,
        engine or make_engine(settings.database_url),
        pseudonymiser(settings),
        cost=CostLimit(per_client=settings.cost_limit),
    )
    warmer = Warmer(context, poll=warm_poll)
    context.data_changed = warmer.poke

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if warm:
            warmer.start()
        try:
            yield
        finally:
            warmer.stop()

    application = FastAPI(
        title="warduty API",
        version="1",
        description=(
            "Prosecutions of Russian soldiers for leaving the war (Criminal Code arts. 332, 334, 337, 338, "
            "339) from military-court websites, beside asylum applications by Russians abroad. Read-only "
            "and public; admin endpoints need a bearer token. Defendants are pseudonymised."
        ),
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    application.state.web = context
    application.state.warmer = warmer
    application.state.admin = admin.AdminState(
        SessionStore(lifetime=settings.admin_session_hours * 3600, idle=settings.admin_idle_minutes * 60)
    )
    application.include_router(api.router)
    application.include_router(admin.api_router)
    application.include_router(admin.page_router)
    application.include_router(embed.router)
    application.include_router(pages.router)
    application.include_router(alert_feed.router)
    application.include_router(health_check.router)
    application.mount("/static", StaticFiles(directory=STATIC), name="static")
    _install_error_handlers(application)
    # Outermost first: the real client, headers on everything, then the rate limit, then the body size.
    application.add_middleware(BodyLimit, max_bytes=max_body)
    application.add_middleware(
        RateLimit, bucket=TokenBucket(rate=rate, burst=burst), max_in_flight=max_in_flight
    )
    application.add_middleware(SecurityHeaders)
    application.add_middleware(RealClient, forwarded_allow_ips=settings.forwarded_allow_ips)
    return application


def _check_web_settings(settings: Settings) -> None:
    try:
        check_forwarded_allow_ips(settings.forwarded_allow_ips)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    if settings.cost_limit < 1:
        raise ConfigError(f"cost_limit must be at least 1, not {settings.cost_limit}")
    for name in ("admin_session_hours", "admin_idle_minutes"):
        value = getattr(settings, name)
        if not 0 < value < float("inf"):
            raise ConfigError(f"{name} must be a positive number, not {value}")


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _install_error_handlers(application: FastAPI) -> None:
    @application.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        if _wants_json(request):
            return error(exc.status, exc.message)
        return pages.error_page(request, exc.status, exc.message)

    @application.exception_handler(OverCostLimit)
    async def over_cost_limit(request: Request, exc: OverCostLimit) -> Response:
        if _wants_json(request):
            return error(429, str(exc), retry_after=exc.retry_after)
        response = pages.error_page(request, 429, str(exc))
        response.headers["retry-after"] = str(exc.retry_after)
        return response

    @application.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: {e.get('msg', 'invalid')}"
            for e in exc.errors()[:5]
        )
        message = f"invalid parameters: {problems}"
        if _wants_json(request):
            return error(400, message)
        return pages.error_page(request, 400, message)

    @application.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) and exc.status_code < 500 else "error"
        headers = dict(exc.headers) if exc.headers else None
        if _wants_json(request) or request.url.path.startswith("/static/"):
            return error(exc.status_code, message, headers)
        return pages.error_page(request, exc.status_code, message)

    @application.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        if _wants_json(request):
            return error(500, "internal error; the operator's log has the details")
        return pages.error_page(request, 500, "internal error")
