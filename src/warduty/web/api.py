"""The JSON API under /api/v1: read-only, public, one envelope, CSV on every list."""

from __future__ import annotations

from datetime import date
from pathlib import PurePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from warduty.claims.check import TOLERANCE, Verdict
from warduty.claims.parse import MAX_TEXT, ClaimTextError
from warduty.jobs.claims import CheckResult
from warduty.stats import DEFINITIONS, MOBILISATION_START, Metric, MoscowReading, Outcome
from warduty.stats.figures import BriefingData
from warduty.web import queries, statistics
from warduty.web.context import WebContext
from warduty.web.cursor import CursorError, decode_cursor, encode_cursor
from warduty.web.envelope import ApiError, csv_response, ok
from warduty.web.statistics import GroupBy, RecordRow, SeriesQuery, StatisticsRequestError

router = APIRouter(prefix="/api/v1", tags=["data"])

Format = Literal["json", "csv"]
Group = Literal["awol", "desertion", "insubordination", "violence_against_superior", "malingering"]
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
    first_instance: Annotated[
        bool | None, Query(description="true: only the cases the statistics count (first-instance docket)")
    ] = None,
    counted: Annotated[
        Metric | None,
        Query(
            description="The cases behind a statistic of this metric, by its rule: `article`, the period "
            "(`received_from/to`, or `decided_from/to` on a defendant's decision date) and for sentences "
            "the defendant's `outcome` (default: verdict); the figures' `cases_url` use it"
        ),
    ] = None,
) -> queries.CaseFilters:
    return queries.CaseFilters(
        court=court,
        region=region,
        article=article,
        part=part,
        group=group,
        received_from=received_from,
        received_to=received_to,
        decided_from=decided_from,
        decided_to=decided_to,
        outcome=outcome,
        missing=missing,
        first_instance=first_instance,
        counted=counted,
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
    "cases", "missing", "last_checked", "last_changed", "last_run", "needs_attention", "issues",
    "attention",
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


@router.get("/cases", summary="Cases, the most recently stored first, filtered, with cursor pagination")
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


# -- series, records, regions (warduty.stats, see warduty.web.statistics) ---------------------------


def _dates_in_range(**dates: date | None) -> None:
    for name, value in dates.items():
        if value is not None and not statistics.EARLIEST <= value <= statistics.LATEST:
            raise ApiError(400, f"{name} must be between {statistics.EARLIEST} and {statistics.LATEST}")


def series_query(
    context: Ctx,
    metric: Metric = "received",
    group_by: Annotated[
        GroupBy, Query(description="One series per article group, per article, or one for all (a case once)")
    ] = "group",
    group: Annotated[Group | None, Query(description="Only this article group's articles")] = None,
    article: Annotated[str | None, Query(pattern=ARTICLE_PATTERN, description="Only this article")] = None,
    court: Annotated[str | None, Query(pattern=COURT_PATTERN, description="Only this court")] = None,
    region: Annotated[
        str | None, Query(min_length=1, max_length=120, description="Only courts seated in this region")
    ] = None,
    mobilisation_parts: Annotated[
        bool | None, Query(description="true: only the mobilisation parts; false: only the others")
    ] = None,
    include_missing: Annotated[bool, Query(description="Count cases gone from the site")] = True,
    since: Annotated[date | None, Query(description="First day counted (default 2021-01-01)")] = None,
    as_of: Annotated[
        date | None, Query(description="Last day counted (default: the data's as-of date)")
    ] = None,
) -> SeriesQuery:
    _dates_in_range(since=since, as_of=as_of)
    articles = (
        (article,) if article else statistics.GROUP_ARTICLES[group] if group else statistics.ALL_ARTICLES
    )
    if article and group and article not in statistics.GROUP_ARTICLES[group]:
        raise ApiError(400, f"article {article} is not in the group {group}")
    courts: tuple[str, ...] = (court,) if court else ()
    if region:
        in_region = context.courts_of_region(region)
        if not in_region:
            raise ApiError(400, f"no court sits in the region {region!r}")
        if court and court not in in_region:
            raise ApiError(400, f"the court {court} does not sit in the region {region!r}")
        courts = courts or in_region
    return SeriesQuery(
        metric,
        articles,
        group_by,
        courts,
        since,
        as_of or context.as_of(),
        include_missing,
        mobilisation_parts,
    )


Series = Annotated[SeriesQuery, Depends(series_query)]


@router.get("/series", summary="Monthly counts by article group (cases received or sentences), with nowcasts")
def get_series(
    context: Ctx, query: Series, period: Literal["month"] = "month", format: Format = "json"
) -> Response:
    points = context.series(query)
    if format == "csv":
        return csv_response([p.to_row() for p in points], statistics.SERIES_COLUMNS)
    meta = {
        "metric": query.metric,
        "group_by": query.group_by,
        "period": period,
        "as_of": query.as_of,
        "labels": {label: list(articles) for label, articles in query.labels().items()},
        "filters": query.filters(query.articles).to_dict(),
        "definition": DEFINITIONS[query.metric]["en"],
        "incomplete": DEFINITIONS["nowcast"]["en"],
    }
    return ok([p.to_dict() for p in points], meta=meta)


def overview_records(context: WebContext) -> list[RecordRow]:
    return context.overview().records


@router.get("/records", summary="The latest ended month against every earlier month (record, highest since)")
def get_records(context: Ctx, format: Format = "json") -> Response:
    rows = overview_records(context)
    if format == "csv":
        return csv_response([r.to_row() for r in rows], statistics.RECORD_COLUMNS)
    return ok([r.to_dict() for r in rows], meta={"as_of": context.as_of(), "month": context.overview().month})


REGION_COLUMNS = ("rank", "region_ru", "region_en", "value")


@router.get("/regions", summary="Regions by court seat, largest first (both readings of Moscow)")
def get_regions(
    context: Ctx,
    metric: Metric = "received",
    article: Annotated[str, Query(pattern=ARTICLE_PATTERN)] = "337",
    since: Annotated[
        date, Query(description="Default: 21 September 2022 (mobilisation)")
    ] = MOBILISATION_START,
    until: Annotated[date | None, Query(description="Default: the data's as-of date")] = None,
    moscow: Annotated[
        MoscowReading,
        Query(description="oblast: Moscow Oblast and Moscow city apart; city_and_oblast: merged"),
    ] = "oblast",
    format: Format = "json",
) -> Response:
    _dates_in_range(since=since, until=until)
    until = until or context.as_of()
    rows = [r.to_dict() for r in context.regions(metric, (article,), since, until, moscow)]
    if format == "csv":
        return csv_response(rows, REGION_COLUMNS)
    meta = {"metric": metric, "article": article, "since": since, "until": until, "moscow": moscow,
            "definition": DEFINITIONS["region"]["en"]}  # fmt: skip
    return ok(rows, meta=meta)


@router.get("/overview", summary="Everything the overview page shows")
def get_overview(context: Ctx) -> Response:
    return ok(context.overview().to_dict())


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


def briefing_figures(
    context: WebContext, month: str | None = None, as_of: date | None = None
) -> tuple[BriefingData | None, list[dict[str, object]]]:
    """The briefing's figures (``warduty.stats.figures``) for ``month`` as of ``as_of``, with case links."""
    _dates_in_range(as_of=as_of)
    try:
        data = context.briefing(month, as_of)
    except StatisticsRequestError as exc:
        raise ApiError(400, str(exc)) from None
    return data, ([statistics.figure_row(f) for f in data.figures] if data else [])


MonthParam = Annotated[
    str | None,
    Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM; default: the newest ended month"),
]
AsOfParam = Annotated[date | None, Query(description="YYYY-MM-DD; default: the data's as-of date")]
FIGURE_COLUMNS = ("key", "value", "definition", "filters", "as_of", "cases", "note", "cases_url")


@router.get("/briefing/figures", summary="The briefing's figures with definitions, filters and case links")
def get_briefing(
    context: Ctx, month: MonthParam = None, as_of: AsOfParam = None, format: Format = "json"
) -> Response:
    data, rows = briefing_figures(context, month, as_of)
    if format == "csv":
        return csv_response(rows, FIGURE_COLUMNS)
    meta: dict[str, object] = {"month": data.month if data else None, "as_of": data.as_of if data else None,
                               "statement": STATEMENT, "definitions": DEFINITIONS}  # fmt: skip
    return ok(rows, meta=meta)


STATEMENT = "Counts of records published on court websites as crawled on the as-of date."


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
    if isinstance(row.get("issues"), list):  # the archive record, without the server's own folders
        row["issues"] = [_archive_relative(entry) for entry in row["issues"]]
    return ok(row)


def _archive_relative(entry: object) -> object:
    if not isinstance(entry, dict) or not isinstance(entry.get("warc_file"), str):
        return entry
    parts = PurePath(entry["warc_file"]).parts
    return {**entry, "warc_file": "/".join(parts[-2:])}


# -- claims ------------------------------------------------------------------------------------------


class CheckRequest(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT, description="A sentence or paragraph, EN or RU")
    as_of: date | None = Field(
        default=None, description="The data's date for 'in March'; default: the data's"
    )


def check_claims(context: WebContext, text: str, as_of: date | None = None) -> CheckResult:
    """``warduty check`` for a request: a text that cannot be read is a 400 with the reason."""
    _dates_in_range(as_of=as_of)
    try:
        return context.check(text, as_of)
    except ClaimTextError as exc:
        raise ApiError(400, str(exc)) from None


@router.post("/check", summary="Check a sentence from the news against the data (warduty check)")
def post_check(context: Ctx, request: Annotated[CheckRequest, Body()]) -> Response:
    """Each quantitative claim in the text with the figure it states (definition, case count, case list),
    the nearest figure when its labels are off, and a verdict: matches, matches under another label,
    close (within 5 %), does not match, cannot be checked (with the reason)."""
    result = check_claims(context, request.text, request.as_of)
    return ok(result.to_dict(), meta={"verdicts": [v.value for v in Verdict], "tolerance": TOLERANCE})
