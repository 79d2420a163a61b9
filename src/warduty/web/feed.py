"""``/feed.xml``: the alerts as an Atom feed (:mod:`warduty.alerts`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from warduty.alerts.atom import atom_feed
from warduty.jobs.alerts import recent_alerts
from warduty.web.api import Ctx

router = APIRouter(tags=["alerts"])
FEED_ENTRIES = 50


@router.get("/feed.xml", summary="Alerts as an Atom feed: record months, courts gone dark, changed sites")
def feed(request: Request, context: Ctx) -> Response:
    base = context.settings.alert_base_url or str(request.base_url)
    body = atom_feed(recent_alerts(context.engine, FEED_ENTRIES), base)
    return Response(body, media_type="application/atom+xml; charset=utf-8")
