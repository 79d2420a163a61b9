"""``warduty replica serve``: run the offline court websites on 127.0.0.1 (the work: ``replica.serve``)."""

from __future__ import annotations

import importlib
from typing import cast

import typer

from warduty.cli.app import app, console, fail, print_json
from warduty.replica.faults import PROFILES
from warduty.replica.serve import (
    DEFAULT_AS_OF,
    DEFAULT_PORT,
    DEFAULT_SEED,
    BadDayError,
    ServeError,
    banner,
    build_server,
    serve,
)
from warduty.replica.server import DEFAULT_SLOW_DELAY


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


@replica_app.command("serve")
def serve_command(
    port: int = typer.Option(DEFAULT_PORT, help="Port on 127.0.0.1 (0 picks a free one)."),
    seed: int = typer.Option(DEFAULT_SEED, help="Seed of the population and of the faults."),
    as_of: str = typer.Option(DEFAULT_AS_OF, "--as-of", help="The day the sites show (YYYY-MM-DD)."),
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
    try:
        server = build_server(
            seed=seed,
            as_of=as_of,
            faults=faults,
            min_interval=min_interval,
            scale=scale,
            slow_delay=slow_delay,
            redesign_court=redesign_court,
        )
    except BadDayError as exc:
        raise typer.BadParameter(str(exc)) from None
    except ServeError as exc:
        fail(str(exc))
        return
    console.print(banner(server, port))
    try:
        stats = serve(server, port)
    except OSError as exc:
        fail(f"cannot serve on 127.0.0.1:{port}: {exc}")
        return
    print_json(stats)
