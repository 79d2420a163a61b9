"""``warduty courts``: list the military-court registry."""

from __future__ import annotations

import typer

from warduty.cli.app import app, fail, print_csv, print_json, print_table
from warduty.courts import LEVELS, load_registry

_TABLE_COLUMNS = ("code", "level", "name_en", "seat_region_en", "search_host", "engine", "captcha")


@app.command("courts")
def courts_command(
    level: str | None = typer.Option(None, help=f"Only courts of this level: {', '.join(LEVELS)}."),
    region: str | None = typer.Option(
        None,
        help='Only courts seated in this federal subject, in Russian or English ("Московская область").',
    ),
    crawlable: bool = typer.Option(False, "--crawlable", help="Only courts with a sudrf case search."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV."),
) -> None:
    """List the military courts: code, level, seat region, host, engine, captcha."""
    if level is not None and level not in LEVELS:
        fail(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")
    courts = load_registry().select(level=level, region=region, crawlable=True if crawlable else None)
    rows = [c.to_dict() for c in courts]
    if as_json:
        print_json(rows)
    elif as_csv:
        print_csv(rows, list(rows[0]) if rows else list(_TABLE_COLUMNS))
    else:
        print_table(rows, _TABLE_COLUMNS, title=f"{len(rows)} military courts")
