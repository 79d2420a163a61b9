"""``warduty stats``: counts of cases received or sentences, by month, region, court or circuit."""

from __future__ import annotations

from datetime import date

import typer

from warduty.cli.app import app, fail, print_csv, print_json, print_table, settings_from
from warduty.stats import DIMENSIONS, Filters, count
from warduty.stats.definitions import METRICS
from warduty.store import make_engine


@app.command("stats")
def stats_command(
    ctx: typer.Context,
    article: list[str] = typer.Option(["337"], "--article", help="Article number; repeat for several."),
    metric: str = typer.Option("received", "--metric", help="received or sentences."),
    by: str = typer.Option("month", "--by", help="month, region, court, circuit, article or part_group."),
    since: str | None = typer.Option(None, "--since", help="First day counted (YYYY-MM-DD)."),
    until: str | None = typer.Option(None, "--until", help="Last day counted (YYYY-MM-DD)."),
    exclude_missing: bool = typer.Option(
        False, "--exclude-missing", help="Leave out cases no longer shown on the court site."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV."),
) -> None:
    """Count cases received or sentences under the articles, grouped by one dimension."""
    if metric not in METRICS:
        fail(f"--metric must be one of {', '.join(METRICS)}")
    if by not in DIMENSIONS:
        fail(f"--by must be one of {', '.join(DIMENSIONS)}")
    try:
        first = date.fromisoformat(since) if since else None
        last = date.fromisoformat(until) if until else None
    except ValueError as exc:
        fail(f"--since/--until: {exc}")
        return
    filters = Filters(tuple(article), since=first, until=last, include_missing=not exclude_missing)
    engine = make_engine(settings_from(ctx).database_url, create=False)
    with engine.connect() as connection:
        counts = count(connection, metric, filters, (by,))  # type: ignore[arg-type]
    if by == "month":
        counts = sorted(counts, key=lambda c: c.labels)
    rows = [{by: c.labels[0], metric: c.value} for c in counts]
    if as_json:
        print_json({"metric": metric, "by": by, "filters": filters.to_dict(), "rows": rows})
    elif as_csv:
        print_csv(rows, (by, metric))
    else:
        print_table(rows, (by, metric), title=f"{metric}, art. {'+'.join(article)}")
