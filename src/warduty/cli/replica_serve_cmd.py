"""``warduty replica serve``: run the offline court websites on 127.0.0.1."""

from __future__ import annotations

import importlib
from datetime import date, datetime
from typing import cast

import typer

from warduty.cli.app import app, console, fail, print_json
from warduty.courts import UnknownCourtError, load_registry
from warduty.replica.faults import PROFILES
from warduty.replica.server import DEFAULT_SLOW_DELAY, ReplicaServer, ReplicaServerError


def _replica_app() -> typer.Typer:
    """The ``warduty replica`` sub-app from ``replica_cmd``; a stand-in until that module lands."""
    try:
        module = importlib.import_module("warduty.cli.replica_cmd")
    except ModuleNotFoundError as missing:
        if missing.name != "warduty.cli.replica_cmd":
            raise
        stand_in = typer.Typer(
            name="replica", help="The offline replica of the court websites.", no_args_is_help=True
        )
        app.add_typer(stand_in, name="replica")
        return stand_in
    return cast(typer.Typer, module.replica_app)


replica_app = _replica_app()


def _parse_day(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a YYYY-MM-DD date") from None


@replica_app.command("serve")
def serve_command(
    port: int = typer.Option(8088, help="Port on 127.0.0.1 (0 picks a free one)."),
    seed: int = typer.Option(20240412, help="Seed of the population and of the faults."),
    as_of: str = typer.Option("2025-06-30", "--as-of", help="The day the sites show (YYYY-MM-DD)."),
    faults: str = typer.Option("none", help=f"Fault profile: {', '.join(PROFILES)}."),
    min_interval: float = typer.Option(
        0.0, "--min-interval", help="Seconds a client must leave between two requests to one court host."
    ),
    scale: float = typer.Option(1.0, help="Population size relative to the calibrated one."),
    slow_delay: float = typer.Option(DEFAULT_SLOW_DELAY, "--slow-delay", help="Seconds a slow reply waits."),
    redesign_court: str | None = typer.Option(
        None,
        "--redesign-court",
        help="Serve this court's result lists and cards in a changed layout (with any profile; "
        "--faults redesign picks one from the seed when none is named).",
    ),
) -> None:
    """Serve every military court site (both engines, captcha, faults) on 127.0.0.1.

    Point the crawler at the printed origin (WARDUTY_SUDRF_ORIGIN); it sends the real court host in the
    Host header. GET /__replica__/stats returns the counters; Ctrl-C stops and prints them.
    """
    if faults not in PROFILES:
        fail(f"unknown fault profile {faults!r}; choose one of {', '.join(PROFILES)}")
    day = _parse_day(as_of)
    if redesign_court is not None:
        try:
            load_registry().by_code(redesign_court)
        except UnknownCourtError as exc:
            fail(f"cannot redesign {redesign_court!r}: {exc}")
    try:
        population_module = importlib.import_module("warduty.replica.population")
    except ModuleNotFoundError:
        fail("the population generator (warduty.replica.population) is not installed in this build")
        return
    population = population_module.generate_population(seed=seed, scale=scale)
    try:
        server = ReplicaServer(
            population,
            as_of=day,
            faults=faults,
            seed=seed,
            min_interval=min_interval,
            slow_delay=slow_delay,
            redesign_court=redesign_court,
        )
    except ReplicaServerError as exc:
        fail(str(exc))
        return
    changed = f", court {server.redesign_court} in a changed layout" if server.redesign_court else ""
    console.print(
        f"replica: courts as of {day.isoformat()}, faults={faults}{changed}, min interval {min_interval} s; "
        f"serving on http://127.0.0.1:{port} (stats: /__replica__/stats). Ctrl-C stops."
    )
    try:
        server.serve_forever("127.0.0.1", port)
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        fail(f"cannot serve on 127.0.0.1:{port}: {exc}")
    print_json(server.stats())
