"""``warduty asylum``: fetch, load and summarise asylum applications by Russian citizens abroad."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from sqlalchemy import Engine, make_url

from warduty.asylum import (
    AsylumDataError,
    AsylumObservation,
    MonthValue,
    annual_totals,
    load_snapshot,
    month_label,
    monthly_series,
    peak_month,
    read_payload,
    record_statement,
    top_destinations,
    year_on_year,
)
from warduty.asylum.fetch import (
    API_INTERVAL,
    API_MAX_BYTES,
)
from warduty.asylum.stats import GEO_SCOPES, shift_month
from warduty.asylum.storage import finish_run, latest_observations, start_run
from warduty.cli.app import app, console, fail, print_alert_summary, print_json, print_table, settings_from
from warduty.config import ConfigError, check_number, check_url
from warduty.jobs.asylum import AsylumFetch, AsylumFetchFailed, counts, fetch_asylum, store_results
from warduty.jobs.store import open_store
from warduty.store import DatabaseError, make_engine

asylum_app = typer.Typer(help="Asylum applications by Russian citizens abroad (Eurostat, UNHCR, UK).")
app.add_typer(asylum_app, name="asylum")

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _engine(ctx: typer.Context) -> Engine:
    try:
        return open_store(settings_from(ctx).database_url).engine
    except DatabaseError as exc:
        fail(str(exc))
        raise


def _read_engine(ctx: typer.Context) -> Engine | None:
    """The database to read, or None where no SQLite file is yet (a read creates nothing)."""
    url = settings_from(ctx).database_url
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and not Path(parsed.database).exists():
        return None
    return make_engine(url, create=False)


@asylum_app.command("fetch")
def fetch_command(
    ctx: typer.Context,
    since: str | None = typer.Option(None, help="First month YYYY-MM (default: 24 months ago)."),
    origin: str | None = typer.Option(
        None, help="Send every request to this origin (a replica or test server), e.g. http://127.0.0.1:8000."
    ),
    fmt: str = typer.Option("json", "--format", help="Eurostat format: json (JSON-stat) or csv (SDMX-CSV)."),
    unhcr: bool = typer.Option(True, help="Also fetch UNHCR annual asylum applications."),
    uk_url: str | None = typer.Option(None, help="URL of the Home Office asylum applications workbook."),
    check: bool = typer.Option(True, help="Check dataset structures and codelists before reading data."),
    interval: float = typer.Option(API_INTERVAL, help="Seconds between two requests to one API host."),
    max_bytes: int = typer.Option(API_MAX_BYTES, help="Largest response body read (decoded bytes)."),
) -> None:
    """Refresh Eurostat (monthly, annual, decisions), UNHCR and optionally UK figures; store a vintage.
    Every response is archived under <data_dir>/archive/asylum/run-<id>/."""
    today = datetime.now(UTC).date()
    start = since or shift_month(f"{today:%Y-%m}", -24)
    if not _MONTH.match(start):
        fail(f"--since must be YYYY-MM, not {start!r}")
    if fmt not in ("json", "csv"):
        fail("--format must be json or csv")
    try:
        check_number("--interval", interval)
        check_number("--max-bytes", max_bytes, positive=True)
        check_url("--origin", origin or "")
        check_url("--uk-url", uk_url or "")
    except ConfigError as exc:
        fail(str(exc))
    job = AsylumFetch(start, today, fmt, unhcr, uk_url, check, origin, interval, max_bytes)
    engine = _engine(ctx)
    try:
        done = fetch_asylum(settings_from(ctx), engine, job)
    except AsylumFetchFailed as exc:
        fail(str(exc))
        return
    report, stored = done.report, done.stored
    console.print(
        f"asylum fetch: {done.observations} observations read, "
        f"{stored.inserted} new, {stored.updated} changed, {stored.unchanged} unchanged; "
        f"{len(report.empty)} empty queries, {report.splits} too-big queries split"
    )
    print_alert_summary(done.alerts)


@asylum_app.command("load")
def load_command(
    ctx: typer.Context,
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="Saved JSON-stat, SDMX-CSV, TSV, ..."),
    dataset: str | None = typer.Option(None, help="Eurostat dataset code when the file does not name it."),
    vintage: str | None = typer.Option(
        None, help="Vintage for payloads without an update stamp (default: the file's modification time)."
    ),
) -> None:
    """Read a saved payload (JSON-stat, SDMX-CSV, TSV, UNHCR JSON, UK table) and store it as a vintage."""
    stamp = vintage or datetime.fromtimestamp(file.stat().st_mtime, UTC).replace(tzinfo=None).isoformat(
        "T", "seconds"
    )
    try:
        result = read_payload(file.read_bytes(), dataset=dataset, name=file.name, vintage=stamp)
    except AsylumDataError as exc:
        fail(f"{file}: {exc}")
        return
    engine = _engine(ctx)
    with engine.begin() as connection:
        run_id = start_run(connection, "asylum-load", {"file": str(file), "format": result.format})
        stored = store_results(connection, run_id, [result])
        finish_run(connection, run_id, "finished", statistics=counts(stored))
    console.print(
        f"{file.name}: {result.format} {result.dataset}, {len(result.observations)} observations, "
        f"vintage {result.vintage}{' (legacy names mapped)' if result.legacy else ''}; "
        f"{stored.inserted} new, {stored.updated} changed, {stored.unchanged} unchanged"
    )


@asylum_app.command("stats")
def stats_command(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    record: bool = typer.Option(False, "--record", help="Print only the record statement."),
    month: str | None = typer.Option(
        None, help="Month YYYY-MM for the record statement (default: the peak since March 2022)."
    ),
    scope: str = typer.Option("reporting", help=f"Countries summed: {', '.join(GEO_SCOPES)}."),
    applicant: str = typer.Option("FRST", help="Applicant type: FRST (first-time) or TOTAL."),
    months: int = typer.Option(24, help="How many recent months to list."),
) -> None:
    """Print the monthly series, annual totals, top destinations and the record statement."""
    if scope not in GEO_SCOPES:
        fail(f"--scope must be one of {', '.join(GEO_SCOPES)}")
    if month is not None and not _MONTH.match(month):
        fail(f"--month must be YYYY-MM, not {month!r}")
    engine = _read_engine(ctx)
    observations: list[AsylumObservation] = []
    if engine is not None:
        with engine.connect() as connection:
            observations = latest_observations(connection, source="eurostat", dataset="migr_asyappctzm")
    source = "database"
    series = monthly_series(observations, applicant=applicant, geo_scope=scope)
    if not series:
        observations, source = load_snapshot(), "shipped snapshot (derived, summed over reporting countries)"
        series = monthly_series(observations, applicant=applicant, geo_scope=scope)
    if not series:
        fail(f"no monthly {applicant} figures for scope {scope!r} in the database or the shipped snapshot")
    try:
        chosen = month or peak_month(series).period
        statement = record_statement(series, chosen)
    except ValueError as exc:
        fail(str(exc))
        return
    if record:
        print_json(statement.to_dict()) if as_json else console.print(statement.text, highlight=False)
        return
    _print_summary(series, observations, source, statement.to_dict(), as_json=as_json, months=months)


def _print_summary(
    series: list[MonthValue],
    observations: list[AsylumObservation],
    source: str,
    statement: dict[str, object],
    *,
    as_json: bool,
    months: int,
) -> None:
    changes = {c.period: c for c in year_on_year(series)}
    totals = annual_totals(series)
    last = series[-1].period
    top = top_destinations(observations, period_from=shift_month(last, -11), period_to=last)
    if as_json:
        print_json(
            {
                "source": source,
                "series": [m.to_dict() for m in series],
                "annual": [vars_of(t) for t in totals],
                "top_destinations_last_12_months": [vars_of(d) for d in top],
                "record": statement,
            }
        )
        return
    rows = [
        {
            "month": month_label(m.period),
            "applicants": f"{m.value:,}",
            "countries": m.countries or "",
            "y/y": "" if changes[m.period].change_pct is None else f"{changes[m.period].change_pct:+.1f}%",
            "incomplete": m.incomplete,
        }
        for m in series[-months:]
    ]
    print_table(rows, ("month", "applicants", "countries", "y/y", "incomplete"), title=f"Source: {source}")
    annual = [
        {"year": t.year, "applicants": f"{t.value:,}", "months": t.months, "incomplete": t.incomplete}
        for t in totals
    ]
    print_table(annual, ("year", "applicants", "months", "incomplete"), title="Annual totals")
    if top:
        destinations = [{"geo": d.geo, "applicants": f"{d.value:,}", "share": f"{d.share:.1%}"} for d in top]
        print_table(destinations, ("geo", "applicants", "share"), title="Top destinations, last 12 months")
    console.print(str(statement["text"]), highlight=False)


def vars_of(record: Any) -> dict[str, Any]:
    return {name: getattr(record, name) for name in record.__slots__}
