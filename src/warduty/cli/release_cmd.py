"""``warduty release``: the versioned open dataset (a Frictionless Data Package of CSV and Parquet)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from warduty.cli.app import app, console, fail, settings_from
from warduty.jobs import release
from warduty.jobs.store import require_database
from warduty.privacy.pseudonym import pseudonymiser
from warduty.report.export import ExportError
from warduty.report.release import ReleaseError, check_release_folder


@app.command("release")
def release_command(
    ctx: typer.Context,
    out: Path = typer.Option(..., "--out", help="A new or empty folder for the release."),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Day the data describe (YYYY-MM-DD), the release's version; default: today."
    ),
) -> None:
    """Write a citable open dataset: datapackage.json, README.md, and every table as CSV and Parquet.

    Defendants are always pseudonymised. Check it with `frictionless validate OUT/datapackage.json`.
    """
    settings = settings_from(ctx)
    try:
        day = date.fromisoformat(as_of) if as_of else date.today()
        check_release_folder(out)
    except ValueError as exc:
        fail(f"--as-of: {exc}" if not isinstance(exc, ReleaseError) else str(exc))
        return
    require_database(settings.database_url)  # before the pseudonym secret is made in the data directory
    try:
        made = release(settings.database_url, out, day, pseudonyms=pseudonymiser(settings))
    except (ExportError, ReleaseError) as exc:
        fail(str(exc))
        return
    console.print(f"[bold]Release[/] {made.version} (data as of {made.as_of}) in {made.folder}")
    console.print(f"[bold]Data package[/] {made.datapackage}")
    console.print(f"[bold]Data digest[/] {made.data_digest}")
