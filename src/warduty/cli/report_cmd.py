"""``warduty report``: the month's briefing (Markdown, HTML, figures.json, charts)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import cast

import typer

from warduty.cli.app import app, console, fail, settings_from
from warduty.jobs import write_briefing
from warduty.jobs.store import require_database
from warduty.privacy.pseudonym import pseudonymiser
from warduty.report.briefing import Lang
from warduty.stats.months import MonthError, last_day, parse_month


@app.command("report")
def report_command(
    ctx: typer.Context,
    month: str = typer.Option(..., "--month", help="The month to brief on (YYYY-MM)."),
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        help="Day the data describe (YYYY-MM-DD); default: today, or the month's end if earlier.",
    ),
    lang: str = typer.Option("en", "--lang", help="en or ru."),
    out: Path | None = typer.Option(
        None, "--out", help="Folder for the files (default: DATA_DIR/briefings/MONTH-LANG)."
    ),
    names: bool = typer.Option(False, "--names", help="Show defendants' names instead of pseudonyms."),
) -> None:
    """Write the briefing for a month: briefing.md, briefing.html, figures.json and charts."""
    settings = settings_from(ctx)
    if lang not in ("en", "ru"):
        fail("--lang must be en or ru")
    try:
        month = parse_month(month)
        day = date.fromisoformat(as_of) if as_of else min(date.today(), last_day(month))
    except (MonthError, ValueError) as exc:
        fail(str(exc))
        return
    folder = out or settings.data_dir / "briefings" / f"{month}-{lang}"
    require_database(settings.database_url)  # before the pseudonym secret is made in the data directory
    try:
        briefing = write_briefing(
            settings.database_url,
            month,
            day,
            cast(Lang, lang),
            folder,
            show_names=names or settings.show_names,
            pseudonyms=pseudonymiser(settings),
        )
    except ValueError as exc:
        fail(str(exc))
        return
    console.print(f"[bold]Briefing[/] {briefing.markdown}")
    console.print(f"[bold]HTML[/] {briefing.html}")
    console.print(f"[bold]Figures[/] {briefing.figures_json} ({len(briefing.figures)} numbers)")
    console.print(f"[bold]Charts[/] {', '.join(p.name for p in briefing.charts)}")
