"""``build_briefing``/``build_briefings``: the month's briefing as Markdown and HTML, ``figures.json``,
the charts and their data (CSV for newsroom chart tools)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from sqlalchemy import Engine

from warduty.privacy import redactor
from warduty.privacy.pseudonym import Pseudonymiser
from warduty.report.asylum_note import AsylumNote, asylum_note
from warduty.report.blocks import to_html, to_markdown
from warduty.report.charts import render_charts, write_chart_data
from warduty.report.text import briefing_blocks
from warduty.stats.definitions import DEFINITIONS, Filters
from warduty.stats.figures import ARTICLE, BriefingData, Figure, compute
from warduty.stats.months import first_day, last_day, parse_month
from warduty.stats.shares import PublishedVerdict, published_verdicts
from warduty.stats.wording import words_for

Lang = Literal["en", "ru"]


@dataclass(frozen=True, slots=True)
class Briefing:
    month: str
    as_of: date
    lang: str
    markdown: Path
    html: Path
    figures_json: Path
    charts: tuple[Path, ...]
    figures: tuple[Figure, ...]
    data: BriefingData
    chart_data: tuple[Path, ...] = ()  # each chart's CSV for chart tools, and charts.json

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


class BriefingNameError(ValueError):
    """The briefing would name a defendant although names are off; nothing was written."""


def _check_no_names(markdown: str, html: str, verdicts: Sequence[PublishedVerdict]) -> None:
    """The leftover check of :mod:`warduty.privacy` over the briefing, for the defendants it lists."""
    matcher = redactor({v.name: "-" for v in verdicts if v.name})
    if matcher.found(markdown) or matcher.found(html, is_html=True):
        raise BriefingNameError("the briefing still names a defendant; nothing was written")


def build_briefing(
    engine: Engine,
    month: str,
    as_of: date,
    lang: Lang,
    out_dir: Path,
    *,
    show_names: bool = False,
    pseudonyms: Pseudonymiser | None = None,
) -> Briefing:
    """Compute the figures for ``month`` as of ``as_of`` and write the briefing files into ``out_dir``.
    Defendants appear under ``pseudonyms`` (the deployment's, :meth:`Pseudonymiser.of_data_dir`, so
    they carry the names the dashboard and exports give them) unless ``show_names``."""
    (briefing,) = build_briefings(
        engine, month, as_of, {lang: out_dir}, show_names=show_names, pseudonyms=pseudonyms
    )
    return briefing


def build_briefings(
    engine: Engine,
    month: str,
    as_of: date,
    outputs: Mapping[Lang, Path],
    *,
    show_names: bool = False,
    pseudonyms: Pseudonymiser | None = None,
) -> list[Briefing]:
    """:func:`build_briefing` in several languages (``outputs``: each language's folder): the figures are
    computed once, the briefing written in each language."""
    if not show_names and pseudonyms is None:
        raise ValueError("a briefing without names needs the deployment's pseudonymiser")
    month = parse_month(month)
    data = compute(engine, month, as_of)
    note = asylum_note(engine, month)
    with engine.connect() as connection:
        verdicts = published_verdicts(
            connection, Filters(articles=(ARTICLE,), since=first_day(month), until=last_day(month)), limit=10
        )
    shown = None if show_names else pseudonyms
    return [_write(data, note, verdicts, lang, out_dir, shown) for lang, out_dir in outputs.items()]


def _write(
    data: BriefingData,
    note: AsylumNote | None,
    verdicts: Sequence[PublishedVerdict],
    lang: Lang,
    out_dir: Path,
    pseudonyms: Pseudonymiser | None,
) -> Briefing:
    """Write one language's briefing files; defendants under ``pseudonyms``, or named where it is None."""
    words = words_for(lang)
    month, as_of = data.month, data.as_of
    title, blocks = briefing_blocks(data, words, note, verdicts, pseudonyms)
    markdown_text, html_text = to_markdown(blocks), to_html(blocks, title, lang)
    if pseudonyms is not None:
        _check_no_names(markdown_text, html_text, verdicts)
    out_dir.mkdir(parents=True, exist_ok=True)
    charts = render_charts(data, words, out_dir)
    chart_data = tuple(write_chart_data(data, words, out_dir))
    markdown, html = out_dir / "briefing.md", out_dir / "briefing.html"
    markdown.write_text(markdown_text, encoding="utf-8")
    html.write_text(html_text, encoding="utf-8")
    figures_json = out_dir / "figures.json"
    document = {
        "month": month,
        "as_of": as_of.isoformat(),
        "lang": lang,
        "statement": "Counts of records published on court websites as crawled on the as-of date.",
        "definitions": DEFINITIONS,
        "figures": [f.to_dict() for f in data.figures],
        "asylum": note.to_dict() if note else None,
    }
    figures_json.write_text(json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n", "utf-8")
    paths = tuple(path for group in charts.values() for path in group)
    return Briefing(month, as_of, lang, markdown, html, figures_json, paths, data.figures, data, chart_data)
