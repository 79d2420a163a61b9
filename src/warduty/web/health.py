"""``/healthz``: database reachable, the last successful run, queue workers alive (``jobs/health.py``).
200 when the database answers, 503 when it does not."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import JSONResponse, Response

from warduty.jobs.health import check_health
from warduty.web.api import Ctx

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Health: database, last successful run, workers")
def healthz(context: Ctx) -> Response:
    health = check_health(context.engine, context.settings)
    return JSONResponse(
        health.to_dict(), status_code=200 if health.healthy else 503, headers={"Cache-Control": "no-store"}
    )
