"""The dashboard: server-rendered pages in English and Russian."""

from __future__ import annotations

from datetime import date, datetime
from html import escape
from pathlib import Path as FilePath
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse, Response

from warduty.claims.check import VERDICT_WORDS, Answer, Verdict
from warduty.claims.parse import MAX_TEXT
from warduty.crawl.archive import ArchiveError, read_response
from warduty.crawl.client import ArchiveRef
from warduty.jobs.schedule import schedule_view
from warduty.privacy import RedactionError, redact
from warduty.stats import DEFINITIONS, Metric
from warduty.stats.months import last_day
from warduty.stats.records import number
from warduty.sudrf import decode_page
from warduty.web import queries
from warduty.web.api import (
    AsOfParam,
    Ctx,
    Cursor,
    Filters,
    MonthParam,
    _after,
    _next,
    briefing_figures,
    check_claims,
    load_case,
)
from warduty.web.charts import Bar, Segment, bar_chart
from warduty.web.context import WebContext
from warduty.web.envelope import ApiError
from warduty.web.i18n import COOKIE, STRINGS, Lang, choose, translate
from warduty.web.redaction import archived_page_aliases
from warduty.web.security import ARCHIVE_CSP, inert_page
from warduty.web.statistics import WATCHED_GROUPS, SeriesPoint, SeriesQuery
from warduty.workers.progress import queue_status
from warduty.workers.schedule import MOSCOW

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=FilePath(__file__).parent / "templates")
LangQuery = Annotated[str | None, Query(alias="lang", pattern="^(en|ru)$")]


def language(request: Request, lang: LangQuery = None) -> Lang:
    return choose(lang, request.cookies.get(COOKIE))


Language = Annotated[Lang, Depends(language)]


def _switch_url(request: Request, lang: Lang) -> str:
    other = "ru" if lang == "en" else "en"
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return f"{request.url.path}?{urlencode([*params, ('lang', other)])}"


def render(request: Request, template: str, lang: Lang, status: int = 200, **values: Any) -> Response:
    def t(key: str) -> str:
        return translate(key, lang)

    response = templates.TemplateResponse(
        request,
        template,
        {"t": t, "lang": lang, "switch_url": _switch_url(request, lang), "path": request.url.path, **values},
        status_code=status,
    )
    if request.query_params.get("lang") in ("en", "ru"):
        response.set_cookie(COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def error_page(request: Request, status: int, message: str) -> Response:
    lang = choose(request.query_params.get("lang"), request.cookies.get(COOKIE))
    return render(request, "error.html", lang, status=status, status_code=status, message=message)


def _group_label(group: str, lang: Lang) -> str:
    return translate(f"g_{group}", lang)


OVERVIEW_MONTHS = 36  # months of the series the overview charts show


def month_bars(
    points: list[SeriesPoint], lang: Lang, metric: Metric, extra: dict[str, str] | None = None
) -> list[Bar]:
    """One stacked bar per month, one segment per article group, each linked to the cases it counts
    (``counted``: the list is filtered by the rule the count uses)."""
    date_key = "received" if metric == "received" else "decided"
    months: dict[str, list[SeriesPoint]] = {}
    for point in points:
        months.setdefault(point.month, []).append(point)
    bars = []
    for month, counts in months.items():
        end = last_day(month).isoformat()
        segments = tuple(
            Segment(
                p.group,
                p.count,
                "/cases?"
                + urlencode(
                    {
                        "group": p.group,
                        **(extra or {}),
                        f"{date_key}_from": f"{month}-01",
                        f"{date_key}_to": end,
                        "counted": metric,
                    }
                ),
                f"{month} {_group_label(p.group, lang)}: {p.count}"
                + (f" · {translate('cases', lang)}: {p.cases}" if p.cases is not None else "")
                + (f" ({translate('expected', lang)} ~{p.nowcast.estimate:.0f})" if p.nowcast else ""),
            )
            for p in counts
        )
        bars.append(Bar(month, segments, any(p.incomplete for p in counts)))
    return bars


def _recent(points: list[SeriesPoint], months: int = OVERVIEW_MONTHS) -> list[SeriesPoint]:
    kept = sorted({p.month for p in points})[-months:]
    return [p for p in points if p.month in kept]


@router.get("/", response_class=HTMLResponse)
def overview_page(request: Request, context: Ctx, lang: Language) -> Response:
    o = context.overview()
    received_chart = bar_chart(
        month_bars(_recent(o.received), lang, "received"),
        translate("monthly_received", lang),
        translate("incomplete_short", lang),
    )
    sentences_chart = bar_chart(
        month_bars(_recent(o.sentences), lang, "sentences"),
        translate("monthly_sentences", lang),
        translate("incomplete_short", lang),
    )
    asylum, source = context.asylum()
    recent = asylum[-36:]
    asylum_chart = bar_chart(
        [
            Bar(m.period, (Segment("asylum", m.value, None, f"{m.period}: {m.value}"),), m.incomplete)
            for m in recent
        ],
        translate("asylum_chart", lang),
        translate("incomplete_short", lang),
    )
    headline = [r for r in o.records if r.group == "awol"]
    moscow = next((r for r in o.regions_city_and_oblast if r.region_ru.startswith("Москва и ")), None)
    return render(
        request, "overview.html", lang, o=o, received_chart=received_chart, sentences_chart=sentences_chart,
        asylum_chart=asylum_chart, asylum_source=source, records=headline, groups=WATCHED_GROUPS,
        latest=o.latest(), nowcasts=o.nowcasts(), moscow=moscow,
        mix=o.sentence_mix, mix_shares={s.key: s for s in o.sentence_mix.shares()} if o.sentence_mix else {},
        asylum_latest=recent[-1] if recent else None,
        latest_end=last_day(o.month).isoformat() if o.month else None,
    )  # fmt: skip


@router.get("/courts", response_class=HTMLResponse)
def courts_page(request: Request, context: Ctx, lang: Language) -> Response:
    rows = [c for c in context.courts() if c["cases"] or c["last_checked"]] or context.courts()
    return render(request, "courts.html", lang, courts=rows)


@router.get("/courts/{code}", response_class=HTMLResponse)
def court_page(
    request: Request, context: Ctx, lang: Language, code: Annotated[str, Path(pattern=r"^[0-9A-Z]{4,16}$")]
) -> Response:
    court = next((c for c in context.courts() if c["code"] == code), None)
    if court is None:
        raise ApiError(404, f"no court {code}")
    filters = queries.CaseFilters(court=code)
    series = context.series(SeriesQuery("received", courts=(code,)))
    chart = bar_chart(
        month_bars(series, lang, "received", {"court": code}),
        translate("monthly_received", lang),
        translate("incomplete_short", lang),
    )
    with context.engine.connect() as connection:
        recent, _ = queries.list_cases(connection, filters, after=None, limit=20)
    return render(request, "court.html", lang, court=court, chart=chart, cases=recent)


@router.get("/regions/{region}", response_class=HTMLResponse)
def region_page(
    request: Request, context: Ctx, lang: Language, region: Annotated[str, Path(min_length=1, max_length=120)]
) -> Response:
    courts = [c for c in context.courts() if region in (c["region_en"], c["region_ru"])]
    if not courts:
        raise ApiError(404, "no such region")
    series = context.series(SeriesQuery("received", courts=tuple(c["code"] for c in courts)))
    chart = bar_chart(
        month_bars(series, lang, "received", {"region": region}),
        translate("monthly_received", lang),
        translate("incomplete_short", lang),
    )
    name = courts[0]["region_ru" if lang == "ru" else "region_en"]
    return render(request, "region.html", lang, region=region, name=name, courts=courts, chart=chart)


@router.get("/cases", response_class=HTMLResponse)
def cases_page(
    request: Request, context: Ctx, lang: Language, filters: Filters, cursor: Cursor = None
) -> Response:
    key = filters.as_dict()
    after = _after(context, cursor, key)
    with context.engine.connect() as connection:
        rows, last = queries.list_cases(connection, filters, after=after, limit=50)
    next_cursor = _next(context, last, key)
    current = {k: str(v) for k, v in key.items()}
    next_url = "/cases?" + urlencode({**current, "cursor": next_cursor}) if next_cursor else None
    csv_url = "/api/v1/cases.csv?" + urlencode({**current, "limit": 500})
    return render(
        request, "cases.html", lang, cases=rows, filters=current, next_url=next_url, csv_url=csv_url,
        groups=WATCHED_GROUPS, outcomes=queries.OUTCOME_NAMES,
    )  # fmt: skip


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(
    request: Request, context: Ctx, lang: Language, case_id: Annotated[int, Path(ge=1, le=2**62)]
) -> Response:
    case = load_case(context, case_id)
    return render(request, "case.html", lang, case=case, show_names=context.show_names)


@router.get("/cases/{case_id}/archived", response_class=HTMLResponse)
def archived_page(
    request: Request, context: Ctx, lang: Language, case_id: Annotated[int, Path(ge=1, le=2**62)]
) -> Response:
    """The card as the court published it, from the WARC archive; names redacted unless names are on."""
    html, fetched_at = archived_card(context, case_id)
    html = inert_page(html)
    # The card's tabs are switched by scripts, which do not run here: show every tab's content.
    banner = (
        '<style>div[id^="cont"]{display:block!important}</style>'
        '<div style="background:#fff3c4;border-bottom:2px solid #b58a00;padding:8px 12px;'
        'font:14px/1.4 sans-serif;color:#222">'
        f"{escape(translate('archived_banner', lang))} {escape(fetched_at)}"
        + ("" if context.show_names else f" {escape(translate('redacted_banner', lang))}")
        + f' <a href="/cases/{case_id}" target="_top">&larr; warduty</a></div>'
    )
    marker = html.lower().find("<body")
    if marker >= 0:
        close = html.find(">", marker)
        html = html[: close + 1] + banner + html[close + 1 :]
    else:
        html = banner + html
    return HTMLResponse(html, headers={"content-security-policy": ARCHIVE_CSP})


def archived_card(context: WebContext, case_id: int) -> tuple[str, str]:
    with context.engine.connect() as connection:
        pointer = queries.archive_pointer(connection, case_id)
    if pointer is None:
        raise ApiError(404, f"no case {case_id}")
    if not pointer["warc_file"] or pointer["warc_offset"] is None:
        raise ApiError(404, "no archived page for this case")
    path = context.archive_path(pointer["warc_file"])
    if path is None or not path.is_file():
        raise ApiError(404, "the archived page is not available on this server")
    try:
        response = read_response(ArchiveRef(str(path), int(pointer["warc_offset"])))
    except ArchiveError:
        raise ApiError(404, "the archived page cannot be read") from None
    html = decode_page(response.body)
    if not context.show_names:
        # Every defendant the page names (a listing page names other cases' too), not only this case's.
        with context.engine.connect() as connection:
            aliases = archived_page_aliases(connection, context.pseudonyms, pointer, html)
        try:
            html = redact(html, aliases, is_html=True)
        except RedactionError:
            raise ApiError(503, "the archived page cannot be shown without names") from None
    return html, response.fetched_at


@router.get("/briefing", response_class=HTMLResponse)
def briefing_page(
    request: Request, context: Ctx, lang: Language, month: MonthParam = None, as_of: AsOfParam = None
) -> Response:
    data, figures = briefing_figures(context, month, as_of)
    return render(
        request, "briefing.html", lang, data=data, figures=figures, definitions=DEFINITIONS,
        as_of=data.as_of if data else None, month=data.month if data else None,
    )  # fmt: skip


VERDICT_CLASSES = {
    Verdict.MATCHES: "matches",
    Verdict.OTHER_LABEL: "other",
    Verdict.CLOSE: "close",
    Verdict.DOES_NOT_MATCH: "no",
    Verdict.CANNOT_CHECK: "cannot",
}


@router.get("/check", response_class=HTMLResponse)
def check_page(
    request: Request,
    context: Ctx,
    lang: Language,
    text: Annotated[str | None, Query(max_length=MAX_TEXT * 4)] = None,
    as_of: AsOfParam = None,
) -> Response:
    """A text box; with ``text``, the answer for each claim in it, with links to the cases."""
    result = check_claims(context, text, as_of) if text and text.strip() else None
    answers = [_answer_view(answer, lang) for answer in result.answers] if result else []
    return render(
        request, "check.html", lang, text=text or "", result=result, answers=answers, max_text=MAX_TEXT,
        as_of_param=as_of.isoformat() if as_of else "",
    )  # fmt: skip


def _answer_view(answer: Answer, lang: Lang) -> dict[str, object]:
    """What the page shows of one answer, in ``lang``."""
    data = answer.to_dict()
    figures = []
    for role, key in (("figure_exact", "figure"), ("figure_nearest", "nearest")):
        figure = data[key]
        if not isinstance(figure, dict):
            continue
        label = figure.get("label")
        definition = figure.get("definition_text") or {}
        value = figure["value"]
        figures.append(
            {
                "role": role,
                "label": label[lang] if isinstance(label, dict) else figure["key"],
                "value": number(value, lang) if isinstance(value, int) else value,
                "cases": figure["cases"],
                "cases_url": figure["cases_url"],
                "definition": definition.get(lang, "") if isinstance(definition, dict) else "",
            }
        )
    source = answer.source
    return {
        "quote": answer.claim.quote,
        "verdict_class": VERDICT_CLASSES[answer.verdict],
        "verdict_words": VERDICT_WORDS[answer.verdict][lang],
        "reason": answer.reason[lang],
        "superlative": answer.superlative[lang]
        if answer.superlative
        and answer.claim.superlative
        and answer.superlative[lang] not in answer.reason[lang]
        else None,
        "superlative_words": answer.claim.superlative,
        "figures": figures,
        "source": f"{source.get('series')}, vintage {source.get('vintage')}" if source else None,
    }


@router.get("/runs", response_class=HTMLResponse)
def runs_page(request: Request, context: Ctx, lang: Language) -> Response:
    with context.engine.connect() as connection:
        rows, _ = queries.list_runs(connection, after=None, limit=100)
    # Issue 14: the workers' live progress and the schedule (both empty without workers on PostgreSQL).
    queue = queue_status(context.engine)
    postgres = context.engine.dialect.name == "postgresql"
    schedule = [
        view for view in schedule_view(context.settings, context.engine if postgres else None) if view.entry
    ]
    return render(request, "runs.html", lang, runs=rows, queue=queue, schedule=schedule, msk=_msk)


def _msk(value: datetime | None) -> str:
    """A moment in Moscow time, as the schedule is set."""
    return "—" if value is None else f"{value.astimezone(MOSCOW):%Y-%m-%d %H:%M} MSK"


def _fmt_date(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, date):
        return value.isoformat()[:16].replace("T", " ")
    return str(value)[:16]


templates.env.filters["d"] = _fmt_date
templates.env.globals["STRINGS"] = STRINGS
