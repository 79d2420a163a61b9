"""``warduty replica``: the offline court-site replica (population, calibration, ground truth)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from warduty.cli.app import app, console, fail, print_json, print_table, settings_from
from warduty.replica.calibrate import CalibrationError
from warduty.replica.population import DEFAULT_SEED, Population, PopulationError, generate_population

replica_app = typer.Typer(
    help="The offline replica of the military courts' websites.", no_args_is_help=True, add_completion=False
)
app.add_typer(replica_app, name="replica")

_SEED_HELP = "Seed of the synthetic population (same seed, same population)."
_SCALE_HELP = "Multiply case counts by this (0.05 for a quick look); targets are scaled alike."
_FIT_COLUMNS = ("id", "as_of", "target", "generated", "difference", "tolerance", "rank", "next", "ok")


def _population(seed: int, scale: float) -> Population:
    try:
        return generate_population(seed, scale)
    except (PopulationError, CalibrationError) as exc:
        fail(str(exc))
        raise typer.Exit(1) from exc


@replica_app.command("fit")
def fit_command(
    seed: int = typer.Option(DEFAULT_SEED, help=_SEED_HELP),
    scale: float = typer.Option(1.0, help=_SCALE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ranks: bool = typer.Option(True, "--ranks/--no-ranks", help="Also check the months and regions ranked."),
) -> None:
    """Print each published target, its as_of date, the generated value and the difference."""
    from warduty.replica.fit import fit_report

    population = _population(seed, scale)
    rows = [row.to_dict() for row in fit_report(population, ranks=ranks)]
    if as_json:
        print_json(rows)
    else:
        print_table(rows, _FIT_COLUMNS, title=f"Calibration of seed {seed} at scale {scale}")
        misses = sum(not row["ok"] for row in rows)
        console.print(
            f"{len(rows) - misses} of {len(rows)} targets met" + (f", {misses} missed" if misses else "")
        )
    if any(not row["ok"] for row in rows):
        raise typer.Exit(1)


@replica_app.command("truth")
def truth_command(
    as_of: str = typer.Option(..., "--as-of", help="Day the sites are looked at (YYYY-MM-DD)."),
    out: Path = typer.Option(..., "--out", help="Folder for cases/persons/events/acts .csv and .parquet."),
    seed: int = typer.Option(DEFAULT_SEED, help=_SEED_HELP),
    scale: float = typer.Option(1.0, help=_SCALE_HELP),
) -> None:
    """Write what the replica's sites show on a day: cases, persons, events and acts."""
    from warduty.replica.truth import write_truth

    try:
        day = date.fromisoformat(as_of)
    except ValueError:
        fail(f"--as-of must be a date like 2024-04-12, not {as_of!r}")
        return
    if out.exists() and not out.is_dir():
        fail(f"--out {out} exists and is not a folder")
    population = _population(seed, scale)
    counts = write_truth(population, day, out)
    print_table(
        [
            {"table": name, "rows": count, "files": f"{name}.csv, {name}.parquet"}
            for name, count in counts.items()
        ],
        ("table", "rows", "files"),
        title=f"Ground truth as of {day.isoformat()} in {out}",
    )


@replica_app.command("verify")
def verify_command(
    ctx: typer.Context,
    as_of: str = typer.Option(..., "--as-of", help="The day the crawled replica showed (YYYY-MM-DD)."),
    since: str = typer.Option("2021-01-01", help="First receipt date the crawl searched."),
    until: str | None = typer.Option(None, help="Last receipt date the crawl searched (default: --as-of)."),
    articles: str = typer.Option("332,334,337,338,339", help="Articles the crawl searched."),
    seed: int = typer.Option(DEFAULT_SEED, help="Seed of the replica population."),
    scale: float = typer.Option(1.0, help="Scale of the replica population."),
    db: str | None = typer.Option(None, help="Crawled database URL (default: the configured one)."),
    courts: str = typer.Option("all", help="Comma-separated court codes the crawl covered, or 'all'."),
) -> None:
    """Compare a database crawled from the replica with the replica's ground truth, missing_since included
    (a case the replica serves must not be marked missing; a stored case it removed must be)."""
    from warduty.replica.verify import crawled, differences, expected, removed
    from warduty.store import make_engine

    day = _parse_day(as_of)
    population = _population(seed, scale)
    chosen = None if courts == "all" else {c.strip() for c in courts.split(",") if c.strip()}
    scope = (
        [case for case in population.all_cases() if chosen is None or case.court_code in chosen],
        day,
        tuple(a.strip() for a in articles.split(",") if a.strip()),
        _parse_day(since),
        _parse_day(until) if until else day,
    )
    want, gone = expected(*scope), removed(*scope)
    got = crawled(make_engine(db or settings_from(ctx).database_url, create=False))
    problems = differences(want, got, limit=20, gone=gone)
    if problems:
        for line in problems:
            console.print(line, highlight=False)
        fail(f"the database differs from the replica's ground truth ({len(want)} cases expected)")
    held = sum(1 for key in gone if key in got)
    console.print(
        f"the database equals the replica's ground truth: {len(want)} cases, none of them marked missing, "
        f"{held} removed cases marked missing, no extra rows",
        highlight=False,
    )


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"not a date (YYYY-MM-DD): {text!r}")
        raise
