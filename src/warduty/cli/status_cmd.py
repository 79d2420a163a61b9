"""``warduty status``: the database, the newest runs, the running crawl, workers and pending alerts."""

from __future__ import annotations

from datetime import UTC, datetime

import typer
from rich.table import Table

from warduty.cli.app import app, console, fail, print_json, settings_from
from warduty.jobs.health import check_health
from warduty.store import make_engine


@app.command("status")
def status_command(
    ctx: typer.Context,
    runs: int = typer.Option(5, min=1, help="How many of the newest runs to show."),
    as_json: bool = typer.Option(False, "--json", help="Print the health as JSON (what /healthz answers)."),
) -> None:
    """Is the database reachable; the newest runs and their status; the running crawl (the crawl lock's
    holder); queue workers alive; alerts not yet delivered. Exit status 1 when the database is down."""
    settings = settings_from(ctx)
    engine = make_engine(settings.database_url, create=False)
    health = check_health(engine, settings, runs_shown=runs)
    if as_json:
        print_json(health.to_dict())
        if not health.healthy:
            raise typer.Exit(1)
        return
    where = engine.url.render_as_string(hide_password=True)
    if not health.healthy:
        fail(f"database {where} is not reachable: {health.error}")
    table = Table(title="warduty status", show_header=False)
    table.add_column("what", style="bold")
    table.add_column("state")
    table.add_row("database", f"{where} ({health.backend}): reachable")
    last = health.last_success
    table.add_row(
        "last successful run",
        f"run {last.run_id} ({last.kind}), finished {_moment(last.finished_at)}, {_age(last.age_seconds)} ago"
        if last
        else "none yet",
    )
    table.add_row(
        "running crawl",
        health.lock_holder.describe() if health.lock_holder else "none (the crawl lock is free)",
    )
    workers = health.workers
    table.add_row(
        "workers",
        f"{workers.alive} alive of {workers.registered} registered" if workers.applicable else workers.note,
    )
    table.add_row(
        "pending alerts",
        "no push channel configured" if health.pending_alerts is None else str(health.pending_alerts),
    )
    console.print(table)
    runs_table = Table(title="Newest runs")
    for column in ("id", "kind", "status", "started", "finished"):
        runs_table.add_column(column)
    for view in health.runs:
        runs_table.add_row(
            str(view.id), view.kind, view.state, _moment(view.started_at), _moment(view.finished_at)
        )
    console.print(runs_table)


def _moment(value: datetime | None) -> str:
    if value is None:
        return ""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return f"{aware.astimezone(UTC):%Y-%m-%d %H:%M:%S}"


def _age(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"
