"""``warduty db``: create or upgrade the database."""

from __future__ import annotations

import typer

from warduty.cli.app import app, console, fail, settings_from
from warduty.jobs import open_store
from warduty.store import DatabaseError, current_revision, head_revision, make_engine

db_app = typer.Typer(help="Create, upgrade and inspect the database.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("migrate")
def migrate_command(ctx: typer.Context) -> None:
    """Apply migrations (idempotent) and load the court registry."""
    settings = settings_from(ctx)
    try:
        store = open_store(settings.database_url)
    except DatabaseError as exc:
        fail(str(exc))
        return
    result = store.courts
    console.print(
        f"database at revision [bold]{store.revision}[/]; courts: {result.inserted} added, "
        f"{result.updated} updated, {result.unchanged} unchanged"
    )


@db_app.command("status")
def status_command(ctx: typer.Context) -> None:
    """Show the database URL, its schema revision and the newest revision available."""
    settings = settings_from(ctx)
    try:
        engine = make_engine(settings.database_url, create=False)
        revision = current_revision(engine)
    except DatabaseError as exc:
        fail(str(exc))
        return
    console.print(f"database: {engine.url.render_as_string(hide_password=True)}")
    console.print(f"revision: {revision or 'empty'} (newest: {head_revision()})")
