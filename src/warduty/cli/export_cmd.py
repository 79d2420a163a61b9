"""``warduty export``: the records, monthly series and rankings as CSV, typed Parquet or one SQLite file."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import typer

from warduty.cli.app import app, console, fail, settings_from
from warduty.jobs import export
from warduty.jobs.store import require_database
from warduty.privacy.pseudonym import pseudonymiser
from warduty.report.export import FORMATS, ExportError, Format


@app.command("export")
def export_command(
    ctx: typer.Context,
    fmt: str = typer.Option("csv", "--format", help="csv, parquet or sqlite (Datasette-ready)."),
    out: Path | None = typer.Option(None, "--out", help="Folder for the files (default: DATA_DIR/export)."),
    names: bool = typer.Option(False, "--names", help="Export defendants' names instead of pseudonyms."),
) -> None:
    """Export courts, cases, defendants, articles, events, acts, the monthly series and the regional
    ranking (see docs/datasets.md for each column)."""
    settings = settings_from(ctx)
    if fmt not in FORMATS:
        fail(f"--format must be one of {', '.join(FORMATS)}")
    folder = out or settings.data_dir / "export"
    require_database(settings.database_url)  # before the pseudonym secret is made in the data directory
    try:
        paths = export(
            settings.database_url,
            folder,
            cast(Format, fmt),
            show_names=names or settings.show_names,
            pseudonyms=pseudonymiser(settings),
        )
    except ExportError as exc:
        fail(str(exc))
        return
    for path in paths:
        console.print(str(path))
