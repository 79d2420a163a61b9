"""The Typer application, its global options, and output helpers shared by the commands."""

from __future__ import annotations

import csv
import io
import json
import logging
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape
from rich.table import Table
from sqlalchemy.exc import DBAPIError

from warduty.config import ConfigError, Settings, load_settings
from warduty.crawl.archive import ArchiveError
from warduty.crawl.client import FetchError
from warduty.jobs.alerts import AlertReport
from warduty.replica.process import ReplicaStartError
from warduty.store import DatabaseError, describe_error
from warduty.sudrf.errors import PageFormatError

# Errors a person can act on: each becomes one line on stderr and exit status 1, never a traceback.
# Anything else is a bug and keeps its traceback.
KNOWN_ERRORS: tuple[type[Exception], ...] = (
    ConfigError,
    DatabaseError,
    ArchiveError,
    FetchError,
    PageFormatError,
    ReplicaStartError,
)


class _ErrorBoundary(typer.core.TyperGroup):
    """The root command: turns the known errors of any subcommand into a one-line message."""

    def invoke(self, ctx: Any) -> Any:  # typer's own (vendored) click Context
        try:
            return super().invoke(ctx)
        except KNOWN_ERRORS as exc:
            fail(str(exc))
        except DBAPIError as exc:
            fail(describe_error(exc))
        except OSError as exc:  # a file or folder that cannot be read or written, a full disk
            where = f"{exc.filename}: " if exc.filename else ""
            fail(f"{where}{exc.strerror or exc}")


app = typer.Typer(
    name="warduty",
    cls=_ErrorBoundary,
    help="Count prosecutions of Russian soldiers who leave the war, from military-court websites.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)


@app.callback()
def _global_options(
    ctx: typer.Context,
    config: Path | None = typer.Option(
        None, "--config", help="TOML settings file (default: ./warduty.toml if present)."
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress details to stderr."),
) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(console=err_console, show_path=False)],
    )
    try:
        ctx.obj = load_settings(config)
    except ConfigError as exc:
        fail(str(exc))


def settings_from(ctx: typer.Context) -> Settings:
    root = ctx.find_root()
    obj = root.obj
    if not isinstance(obj, Settings):
        obj = load_settings()
        root.obj = obj
    return obj


def fail(message: str, code: int = 1) -> None:
    """Print an error for a person and stop."""
    # soft_wrap: one line whatever the terminal width, so scripts and logs see the whole cause.
    first = (message.strip().splitlines() or [""])[0]
    err_console.print(f"[bold red]error:[/] {escape(first)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def print_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in columns})
    sys.stdout.write(buffer.getvalue())


def print_table(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], title: str | None = None) -> None:
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
    console.print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple | set | frozenset):
        return ";".join(str(v) for v in value)
    return str(value)


def print_alert_summary(report: AlertReport) -> None:
    """After a crawl or an asylum fetch: the alerts it raised, and what of their sending failed. A failure
    here does not fail the command (the run itself went through); undelivered alerts stay pending."""
    if report.error:
        err_console.print(f"[yellow]alerts:[/] {report.error}", highlight=False, soft_wrap=True)
    if report.new:
        titles = "; ".join(alert.title for alert in report.new[:3])
        more = f" and {len(report.new) - 3} more" if len(report.new) > 3 else ""
        console.print(
            f"{len(report.new)} new alert(s): {titles}{more} (warduty alerts lists them)",
            highlight=False,
            soft_wrap=True,
        )
    else:
        console.print("no new alerts", highlight=False)
    failed = report.failed
    if failed:
        err_console.print(
            f"[yellow]{len(failed)} of {len(report.deliveries)} alert deliveries failed[/]; they stay "
            "pending (warduty alerts --send retries them)",
            highlight=False,
            soft_wrap=True,
        )


def main() -> None:
    app()
