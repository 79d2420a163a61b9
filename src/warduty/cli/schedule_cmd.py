"""``warduty schedule``: the periodic jobs of the settings, with the next and the last run of each."""

from __future__ import annotations

from datetime import datetime

import typer

from warduty.cli.app import app, console, err_console, print_json, print_table, settings_from
from warduty.store import make_engine
from warduty.workers.schedule import JOBS, MOSCOW

EXAMPLE = "\n".join(
    ["[schedule]  # Moscow time; `cron: <5 fields>` is a cron line in UTC"]
    + [f'{job} = "{example}"  # {what}' for job, (what, _form, example) in JOBS.items()]
    + ['courts = ""  # court codes the scheduled crawls visit (empty: all)']
)


@app.command("schedule")
def schedule_command(
    ctx: typer.Context,
    example: bool = typer.Option(
        False, "--example", help="Print a `schedule` table to paste into the TOML file."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Show the schedule (the TOML file's `schedule` table): each job's time, next and last run.

    The workers (`warduty worker`) fire the jobs: to change them, edit the file and restart the workers."""
    # procrastinate and psycopg load here, not for every command: they cost half a second of start-up.
    from warduty.jobs.queue import QueueError, conninfo
    from warduty.jobs.schedule import schedule_view

    if example:
        console.print(EXAMPLE, markup=False, highlight=False)
        return
    settings = settings_from(ctx)
    try:
        conninfo(settings.database_url)
        engine = make_engine(settings.database_url, create=False)
    except QueueError as exc:
        err_console.print(str(exc), markup=False, highlight=False)
        engine = None
    rows = [
        {
            "job": view.job,
            "what": view.what,
            "when": view.entry.describe().split(": ", 1)[1] if view.entry else "not scheduled",
            "next run": _moment(view.next_at),
            "last run": _moment(view.last.started_at) if view.last else "",
            "outcome": ("" if view.last.ok is None else "ok: " if view.last.ok else "failed: ")
            + (view.last.outcome or "running")
            if view.last
            else "",
        }
        for view in schedule_view(settings, engine)
    ]
    if as_json:
        print_json(rows)
        return
    print_table(rows, ("job", "what", "when", "next run", "last run", "outcome"), title="Schedule")
    if not any(view.entry for view in schedule_view(settings, None)):
        console.print("Nothing is scheduled: see `warduty schedule --example`.", highlight=False)


def _moment(value: datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.astimezone(MOSCOW):%Y-%m-%d %H:%M} MSK"
