"""The JSON API under /api/v1: read-only, public, one envelope, CSV on every list."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import Response

from warduty.asylum import MonthValue, record_statement
from warduty.web import queries
from warduty.web.context import WebContext
from warduty.web.cursor import CursorError, decode_cursor, encode_cursor
from warduty.web.envelope import ApiError, csv_response, ok

router = APIRouter(prefix="/api/v1", tags=["data"])

Format = Literal["json", "csv"]
Group = Literal["awol", "desertion", "insubordination", "violence_against_superior", "malingering"]
Outcome = Literal["verdict", "terminated", "returned", "transferred", "other", "pending"]
COURT_PATTERN = r"^[0-9A-Z]{4,16}$"
ARTICLE_PATTERN = r"^\d{3}(\.\d{1,2})?$"
PART_PATTERN = r"^\d{1,2}(\.\d{1,2})?$"
MAX_LIMIT = 500


def web(request: Request) -> WebContext:
    context: WebContext = request.app.state.web
    return context


Ctx = Annotated[WebContext, Depends(web)]


def case_filters(
    court: Annotated[
        str | None, Query(pattern=COURT_PATTERN, description="Court code, e.g. 77GV0017")
    ] = None,
    region: Annotated[
        str | None, Query(min_length=1, max_length=120, description="Seat region (Russian or English name)")
    ] = None,
    article: Annotated[
        str | None, Query(pattern=ARTICLE_PATTERN, description="Criminal Code article")
    ] = None,
    part: Annotated[str | None, Query(pattern=PART_PATTERN, description="Part of the article")] = None,
    group: Annotated[Group | None, Query(description="Article group")] = None,
    received_from: date | None = None,
    received_to: date | None = None,
    decided_from: date | None = None,
    decided_to: date | None = None,
    outcome: Outcome | None = None,
    missing: bool | None = None,
) -> queries.CaseFilters:
    return queries.CaseFilters(
        court,
        region,
        article,
        part,
        group,
        received_from,
        received_to,
        decided_from,
        decided_to,
        outcome,
        missing,
    )


Filters = Annotated[queries.CaseFilters, Depends(case_filters)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Cursor = Annotated[str | None, Query(max_length=200, description="Opaque cursor from `next`")]


def _after(context: WebContext, cursor: str | None, filters: dict[str, object]) -> int | None:
    if cursor is None:
        return None
    try:
        return decode_cursor(cursor, filters, context.pseudonyms.sign)
    except CursorError as exc:
        raise ApiError(400, str(exc)) from None


def _next(context: WebContext, last: int | None, filters: dict[str, object]) -> str | None:
    return None if last is None else encode_cursor(last, filters, context.pseudonyms.sign)


# -- courts -----------------------------------------------------------------------------------------

COURT_COLUMNS = (
    "code", "level", "name_en", "name_ru", "region_en", "region_ru", "circuit", "engine", "captcha",
    "cases", "missing", "last_checked", "last_changed",
)  # fmt: skip


@router.get("/courts", summary="Courts with case counts and freshness")
def list_courts(context: Ctx, format: Format = "json") -> Response:
    rows = context.courts()
    return csv_response(rows, COURT_COLUMNS) if format == "csv" else ok(rows)


@router.get("/courts.csv", summary="Courts as CSV")
def list_courts_csv(context: Ctx) -> Response:
    return csv_response(context.courts(), COURT_COLUMNS)


@router.get("/courts/{code}", summary="One court")
def get_court(context: Ctx, code: Annotated[str, Path(pattern=COURT_PATTERN)]) -> Response:
    for row in context.courts():
        if row["code"] == code:
            return ok(row)
    raise ApiError(404, f"no court {code}")


# -- cases ------------------------------------------------------------------------------------------


def _cases_page(
    context: WebContext, filters: queries.CaseFilters, cursor: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    key = filters.as_dict()
    after = _after(context, cursor, key)
    with context.engine.connect() as connection:
        rows, last = queries.list_cases(connection, filters, after=after, limit=limit)
    return rows, _next(context, last, key)


@router.get("/cases", summary="Cases, newest first, filtered, with cursor pagination")
def list_cases(
    context: Ctx, filters: Filters, cursor: Cursor = None, limit: Limit = 50, format: Format = "json"
) -> Response:
    rows, next_cursor = _cases_page(context, filters, cursor, limit)
    if format == "csv":
        return csv_response(rows, queries.CASE_COLUMNS, next_cursor)
    return ok(rows, next_cursor=next_cursor, meta={"filters": filters.as_dict()})


@router.get("/cases.csv", summary="Cases as CSV (next cursor in the X-Next-Cursor header)")
def list_cases_csv(context: Ctx, filters: Filters, cursor: Cursor = None, limit: Limit = 50) -> Response:
    rows, next_cursor = _cases_page(context, filters, cursor, limit)
    return csv_response(rows, queries.CASE_COLUMNS, next_cursor)


def load_case(context: WebContext, case_id: int) -> dict[str, Any]:
    with context.engine.connect() as connection:
        case = queries.case_detail(connection, case_id)
    if case is None:
        raise ApiError(404, f"no case {case_id}")
    public = context.public_case(case)
    public["archived_page"] = f"/cases/{case_id}/archived" if case.get("fetch_id") else None
    for name in ("fetch_id", "listing_signature"):
        public.pop(name, None)
    return public


@router.get("/cases/{case_id}", summary="One case: events, persons (pseudonymised), acts, archived page link")
def get_case(context: Ctx, case_id: Annotated[int, Path(ge=1, le=2**62)]) -> Response:
    return ok(load_case(context, case_id))


# -- series, records, regions --------------------------------------------------------------------

SERIES_COLUMNS = ("month", "group", "count", "incomplete")


def _series(
    context: WebContext, metric: str, filters: queries.CaseFilters, since: date | None, as_of: date | None
) -> list[queries.MonthCount]:
    series = context.monthly(metric, filters, since)
    if as_of is not None:
        cut = as_of.strftime("%Y-%m")
        series = [m for m in series if m.month <= cut]
    return series


@router.get("/series", summary="Monthly counts by article group (receipts or verdicts)")
def get_series(
    context: Ctx,
    filters: Filters,
    metric: Literal["received", "sentences"] = "received",
    group_by: Literal["group", "none"] = "group",
    period: Literal["month"] = "month",
    since: date | None = None,
    as_of: date | None = None,
    format: Format = "json",
) -> Response:
    series = _series(context, metric, filters, since, as_of)
    rows: list[dict[str, object]] = [m.to_dict() for m in series]
    if group_by == "none":
        totals: dict[str, dict[str, object]] = {}
        for m in series:
            entry = totals.setdefault(
                m.month, {"month": m.month, "group": "all", "count": 0, "incomplete": m.incomplete}
            )
            entry["count"] = int(str(entry["count"])) + m.count
        rows = list(totals.values())
    if format == "csv":
        return csv_response(rows, SERIES_COLUMNS)
    meta = {"metric": metric, "group_by": group_by, "period": period, "as_of": as_of or context.as_of(),
            "definition": _DEFINITIONS[metric], "filters": filters.as_dict()}  # fmt: skip
    return ok(rows, meta=meta)


_DEFINITIONS = {
    "received": "first-instance cases whose receipt date falls in the month, once per case and article group",
    "sentences": (
        "defendants with a verdict (приговор) dated in the month, once per defendant and article group"
    ),
}


def records_for(context: WebContext) -> list[dict[str, object]]:
    """For each group and metric: how the latest complete month compares with earlier months."""
    overview = context.overview()
    out: list[dict[str, object]] = []
    if overview.latest_month is None:
        return out
    for metric, series in (("received", overview.received), ("sentences", overview.sentences)):
        for group in queries.WATCHED_GROUPS:
            values = [
                MonthValue(m.month, m.count, 0, m.incomplete)
                for m in series
                if m.group == group and m.month <= overview.latest_month
            ]
            if not values or values[-1].value == 0:
                continue
            statement = record_statement(values, overview.latest_month)
            out.append({"metric": metric, "group": group, **statement.to_dict()})
    return out


RECORD_COLUMNS = ("metric", "group", "month", "value", "text")


@router.get("/records", summary="Latest complete month against earlier months (highest since ...)")
def get_records(context: Ctx, format: Format = "json") -> Response:
    rows = records_for(context)
    return csv_response(rows, RECORD_COLUMNS) if format == "csv" else ok(rows)


@router.get("/regions", summary="Cases received per court seat region")
def get_regions(
    context: Ctx, since: date | None = None, until: date | None = None, format: Format = "json"
) -> Response:
    rows = context.regions(since, until)
    return csv_response(rows, ("region_en", "region_ru", "cases")) if format == "csv" else ok(rows)


@router.get("/overview", summary="Everything the overview page shows")
def get_overview(context: Ctx) -> Response:
    o = context.overview()
    return ok(
        {
            "as_of": o.as_of,
            "latest_month": o.latest_month,
            "latest": o.latest,
            "incomplete_months": o.incomplete_months,
            "received": [m.to_dict() for m in o.received],
            "sentences": [m.to_dict() for m in o.sentences],
            "regions": o.regions,
            "sentence_mix": o.sentence_mix,
        }
    )


# -- asylum, briefing, runs --------------------------------------------------------------------------


@router.get("/asylum/series", summary="Monthly asylum applications by Russian citizens (Eurostat)")
def get_asylum(
    context: Ctx,
    applicant: Literal["FRST", "TOTAL"] = "FRST",
    scope: Literal["reporting", "eu27", "eu27_published"] = "reporting",
    since: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None,
    format: Format = "json",
) -> Response:
    series, source = context.asylum(applicant, scope)
    rows = [m.to_dict() for m in series if since is None or m.period >= since]
    if format == "csv":
        return csv_response(rows, ("period", "value", "countries", "incomplete"))
    return ok(rows, meta={"source": source, "applicant": applicant, "scope": scope})


def briefing_figures(context: WebContext) -> list[dict[str, object]]:
    """The figures a briefing states, each with its definition, filters and the cases behind it."""
    overview = context.overview()
    figures: list[dict[str, object]] = []
    if overview.latest_month is None:
        return figures
    month = overview.latest_month
    for metric in ("received", "sentences"):
        for group, count in sorted(overview.latest[metric].items()):
            key = "received" if metric == "received" else "decided"
            figures.append(
                {
                    "id": f"{metric}.{group}.{month}",
                    "metric": metric,
                    "group": group,
                    "month": month,
                    "value": count,
                    "definition": _DEFINITIONS[metric],
                    "filters": {"group": group, f"{key}_from": f"{month}-01", f"{key}_to": _month_end(month)},
                    "cases_url": f"/cases?group={group}&{key}_from={month}-01&{key}_to={_month_end(month)}",
                }
            )
    return figures


def _month_end(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    following = date(year + number // 12, number % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1).isoformat()


@router.get("/briefing/figures", summary="Briefing figures with definitions and filters")
def get_briefing(context: Ctx, format: Format = "json") -> Response:
    rows = briefing_figures(context)
    if format == "csv":
        return csv_response(rows, ("id", "metric", "group", "month", "value", "definition", "cases_url"))
    return ok(rows, meta={"as_of": context.as_of()})


RUN_COLUMNS = ("id", "kind", "started_at", "finished_at", "status", "plan")


@router.get("/runs", summary="Crawl and load runs, newest first")
def list_runs(context: Ctx, cursor: Cursor = None, limit: Limit = 50, format: Format = "json") -> Response:
    after = _after(context, cursor, {"runs": True})
    with context.engine.connect() as connection:
        rows, last = queries.list_runs(connection, after=after, limit=limit)
    next_cursor = _next(context, last, {"runs": True})
    if format == "csv":
        return csv_response(rows, RUN_COLUMNS, next_cursor)
    return ok(rows, next_cursor=next_cursor)


@router.get("/runs/{run_id}", summary="One run with its statistics and issues")
def get_run(context: Ctx, run_id: Annotated[int, Path(ge=1, le=2**62)]) -> Response:
    with context.engine.connect() as connection:
        row = queries.run_detail(connection, run_id)
    if row is None:
        raise ApiError(404, f"no run {run_id}")
    return ok(row)
