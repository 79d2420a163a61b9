"""Embeddable briefing charts at stable URLs: ``/embed/<chart>.svg`` (a standalone SVG with the title,
notes and source line in the image) and ``/embed/<chart>.csv`` (the chart-ready table), for
``monthly``, ``regions`` and ``sentence_mix``. ``?month=YYYY-MM&as_of=YYYY-MM-DD&lang=en|ru`` choose the
briefing (default: the newest ended month, as of the data's date, in English).

The pictures are drawn here from :mod:`warduty.stats.chart_data`, the tables the briefing writes, so an
embed shows the briefing's numbers. Errors answer in the JSON envelope (never an HTML page, never 5xx).
Other sites may embed these: they are served with a cross-origin resource policy that allows it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from html import escape

from fastapi import APIRouter, Request
from starlette.responses import Response

from warduty.stats.chart_data import CHART_KEYS, ChartTable, chart_tables
from warduty.stats.months import MonthError, parse_month
from warduty.stats.wording import Words, words_for
from warduty.web.context import WebContext
from warduty.web.envelope import csv_cell, error
from warduty.web.statistics import StatisticsRequestError

router = APIRouter(include_in_schema=False)

WIDTH = 760
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
COLOURS = ("#7a8fa6", "#b2182b", "#4393c3", "#f4a582", "#bababa")
MIX_COLOURS = ("#4393c3", "#b2182b", "#f4a582", "#bababa")
SHADE = "#f0e6c8"
CACHE = "public, max-age=300"
EMBED_HEADERS = {
    "cache-control": CACHE,
    "cross-origin-resource-policy": "cross-origin",  # newsroom pages on other sites show these
    "access-control-allow-origin": "*",
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors *",
}
FORMATS = ("svg", "csv")


def _text(x: float, y: float, text: str, *, size: int = 12, anchor: str = "start", weight: str = "normal",
          fill: str = "#1a1a1a") -> str:  # fmt: skip
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}" '
        f'fill="{fill}">{escape(text)}</text>'
    )


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters (at spaces)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _nice_top(value: float) -> float:
    if value <= 5:
        return 5
    step = 1.0
    while step * 10 < value:
        step *= 10
    return next(step * f for f in (1, 2, 2.5, 5, 10) if step * f >= value)


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _lines(table: ChartTable, words: Words, top_y: float) -> tuple[list[str], float]:
    """The monthly chart: one line per series; nowcast columns as open dots on shaded months."""
    left, right, height = 48.0, WIDTH - 16.0, 260.0
    rows = table.rows
    observed = [_number(row[i]) for row in rows for i in (1, 2)]
    expected = [_number(row[i]) for row in rows for i in (5, 8) if row[i] is not None]
    top = _nice_top(max([*observed, *expected, 1.0]))
    slot = (right - left) / max(len(rows), 1)

    def x(i: int) -> float:
        return left + slot * (i + 0.5)

    def y(v: float) -> float:
        return top_y + height - height * v / top

    parts = []
    for tick in range(5):
        value = top * tick / 4
        parts.append(f'<line x1="{left}" x2="{right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                     'stroke="#e4e4e4" stroke-width="0.7"/>')  # fmt: skip
        parts.append(_text(left - 6, y(value) + 4, f"{value:g}", size=10, anchor="end", fill="#555555"))
    for i, row in enumerate(rows):
        if row[3] is not None or row[6] is not None:
            parts.append(f'<rect x="{x(i) - slot / 2:.1f}" y="{top_y}" width="{slot:.1f}" height="{height}" '
                         f'fill="{SHADE}"/>')  # fmt: skip
        month = str(row[0])
        if month.endswith(("-01", "-07")):
            parts.append(_text(x(i), top_y + height + 16, words.short_month(month), size=10, anchor="middle"))
    for series, nowcast, colour in ((1, 3, COLOURS[0]), (2, 6, COLOURS[1])):
        points = " ".join(f"{x(i):.1f},{y(_number(row[series])):.1f}" for i, row in enumerate(rows))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for i, row in enumerate(rows):
            estimate, low, high = row[nowcast : nowcast + 3]
            if estimate is None:
                continue
            parts.append(f'<line x1="{x(i):.1f}" x2="{x(i):.1f}" y1="{y(_number(low)):.1f}" '
                         f'y2="{y(_number(high)):.1f}" stroke="{colour}" stroke-width="1"/>')  # fmt: skip
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(_number(estimate)):.1f}" r="3.5" fill="white" '
                         f'stroke="{colour}" stroke-width="1.5"/>')  # fmt: skip
    legend_y = top_y + height + 36
    parts += _legend([*table.series[:2], *table.notes[:1]], [*COLOURS[:2], SHADE], left, legend_y)
    return parts, legend_y + 10


def _legend(labels: Sequence[str], colours: Sequence[str], x: float, y: float) -> list[str]:
    parts = []
    for label, colour in zip(labels, colours, strict=False):
        parts.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="12" height="10" fill="{colour}"/>')
        parts.append(_text(x + 16, y, label, size=11))
        x += 30 + 6.5 * len(label)
    return parts


def _bars(table: ChartTable, top_y: float) -> tuple[list[str], float]:
    """Horizontal bars, largest first, the value at each bar's end."""
    label_width, bar_height, gap = 230.0, 20.0, 8.0
    top = max((_number(row[1]) for row in table.rows), default=1.0) or 1.0
    room = WIDTH - label_width - 70
    parts = []
    y = top_y
    for row in table.rows:
        width = room * _number(row[1]) / top
        parts.append(_text(label_width - 8, y + 14, str(row[0]), size=11, anchor="end"))
        parts.append(f'<rect x="{label_width}" y="{y:.1f}" width="{width:.1f}" height="{bar_height}" '
                     f'fill="{COLOURS[0]}"/>')  # fmt: skip
        parts.append(_text(label_width + width + 6, y + 14, str(row[1]), size=11))
        y += bar_height + gap
    return parts, y


def _stacked(table: ChartTable, top_y: float) -> tuple[list[str], float]:
    """One bar split by category, each part's count on it, the legend below."""
    left, right = 16.0, WIDTH - 16.0
    row = table.rows[0]
    values = [_number(v) for v in row[1:]]
    whole = sum(values) or 1.0
    parts = []
    x = left
    for value, colour in zip(values, MIX_COLOURS, strict=False):
        width = (right - left) * value / whole
        if width <= 0:
            continue
        parts.append(f'<rect x="{x:.1f}" y="{top_y}" width="{width:.1f}" height="36" fill="{colour}"/>')
        if value / whole >= 0.08:
            parts.append(
                _text(x + width / 2, top_y + 23, f"{value:g}", size=12, anchor="middle", fill="white")
            )
        x += width
    labels = [f"{label}: {value:g}" for label, value in zip(table.series, values, strict=True)]
    return [*parts, *_legend(labels, MIX_COLOURS, left, top_y + 60)], top_y + 70


def chart_svg(table: ChartTable, words: Words) -> str:
    """A standalone SVG of ``table``: title, notes, the chart, and the source line at the bottom."""
    head: list[str] = []
    y = 28.0
    for line in _wrap(table.title, 88):
        head.append(_text(16, y, line, size=16, weight="bold"))
        y += 20
    for note in table.notes:
        for line in _wrap(note, 110):
            head.append(_text(16, y, line, size=11, fill="#555555"))
            y += 15
    y += 8
    if table.kind == "lines":
        body, y = _lines(table, words, y)
    elif table.kind == "bars":
        body, y = _bars(table, y)
    else:
        body, y = _stacked(table, y)
    y += 14
    foot = []
    for line in _wrap(table.source, 118):
        foot.append(_text(16, y, line, size=10, fill="#555555"))
        y += 13
    height = int(y + 8)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(table.title)}" '
        f'font-family="{FONT}"><title>{escape(table.title)}</title>'
        f'<rect width="{WIDTH}" height="{height}" fill="white"/>' + "".join(head + body + foot) + "</svg>\n"
    )


def chart_csv(table: ChartTable) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.header)
    writer.writerows([csv_cell(cell) for cell in row] for row in table.rows)
    return buffer.getvalue()


def _query(request: Request) -> tuple[str | None, date | None, str]:
    """``month``, ``as_of`` and ``lang`` from the query; ValueError with the reason."""
    params = request.query_params
    month = params.get("month") or None
    as_of_text = params.get("as_of") or None
    lang = params.get("lang") or "en"
    if lang not in ("en", "ru"):
        raise ValueError("lang must be en or ru")
    try:
        chosen = parse_month(month) if month else None
    except MonthError:
        raise ValueError("month must be YYYY-MM") from None
    try:
        as_of = date.fromisoformat(as_of_text) if as_of_text else None
    except ValueError:
        raise ValueError("as_of must be YYYY-MM-DD") from None
    return chosen, as_of, lang


@router.get("/embed/{name}")
def embed(request: Request, name: str) -> Response:
    stem, _, ext = name.rpartition(".")
    if stem not in CHART_KEYS or ext not in FORMATS:
        return no_such_embed(name)
    try:
        month, as_of, lang = _query(request)
        context: WebContext = request.app.state.web
        data = context.briefing(month, as_of)
    except (ValueError, StatisticsRequestError) as exc:
        return error(400, str(exc))
    if data is None:
        return error(404, "no data yet: nothing has been crawled")
    words = words_for(lang)
    table = chart_tables(data, words)[stem]
    if ext == "csv":
        return Response(chart_csv(table), media_type="text/csv; charset=utf-8", headers=EMBED_HEADERS)
    return Response(chart_svg(table, words), media_type="image/svg+xml; charset=utf-8", headers=EMBED_HEADERS)


@router.get("/embed/{rest:path}")
def no_such_embed(rest: str) -> Response:
    """Anything else under ``/embed/`` (a nested path, a traversal): the envelope's 404, not a page."""
    known = ", ".join(f"{key}.svg" for key in CHART_KEYS)
    return error(404, f"no such chart; the charts are {known} (and .csv)")
