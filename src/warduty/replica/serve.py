"""``python -m warduty.replica.serve``: the replica server, importing only what serving needs.

:class:`~warduty.replica.process.ReplicaProcess` starts the replica this way: going through the CLI
(``warduty replica serve``) would import Typer, SQLAlchemy, aiohttp and every command first, seconds of
CPU and of start-up the replica never uses. ``warduty replica serve`` calls the same functions, so both
check their arguments, build the server and serve alike.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime

from warduty.courts import UnknownCourtError, load_registry
from warduty.replica.faults import PROFILES
from warduty.replica.population import DEFAULT_SEED, generate_population

__all__ = [
    "DEFAULT_AS_OF",
    "DEFAULT_PORT",
    "DEFAULT_SEED",
    "BadDayError",
    "ServeError",
    "banner",
    "build_server",
    "main",
    "parse_day",
    "serve",
]
from warduty.replica.server import DEFAULT_SLOW_DELAY, ReplicaServer, ReplicaServerError

DEFAULT_PORT = 8088
DEFAULT_AS_OF = "2025-06-30"


class ServeError(ValueError):
    """The replica cannot be served with these arguments; the message says why."""


class BadDayError(ServeError):
    """``--as-of`` is not a YYYY-MM-DD date."""


def parse_day(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise BadDayError(f"{text!r} is not a YYYY-MM-DD date") from None


def build_server(
    *,
    seed: int,
    as_of: str,
    faults: str,
    min_interval: float,
    scale: float,
    slow_delay: float,
    redesign_court: str | None,
) -> ReplicaServer:
    """The server of the population ``seed``/``scale`` as of ``as_of``; raises :class:`ServeError`."""
    if faults not in PROFILES:
        raise ServeError(f"unknown fault profile {faults!r}; choose one of {', '.join(PROFILES)}")
    day = parse_day(as_of)
    if redesign_court is not None:
        try:
            load_registry().by_code(redesign_court)
        except UnknownCourtError as exc:
            raise ServeError(f"cannot redesign {redesign_court!r}: {exc}") from exc
    population = generate_population(seed=seed, scale=scale)
    # The population lives as long as this process: keep its million records out of every later
    # collection, which would otherwise walk them all again while pages are served.
    gc.freeze()
    try:
        return ReplicaServer(
            population,
            as_of=day,
            faults=faults,
            seed=seed,
            min_interval=min_interval,
            slow_delay=slow_delay,
            redesign_court=redesign_court,
        )
    except ReplicaServerError as exc:
        raise ServeError(str(exc)) from exc


def banner(server: ReplicaServer, port: int) -> str:
    changed = f", court {server.redesign_court} in a changed layout" if server.redesign_court else ""
    return (
        f"replica: courts as of {server.site.as_of.isoformat()}, faults={server.profile.name}{changed}, "
        f"min interval {server.guard.min_interval} s; serving on http://127.0.0.1:{port} "
        "(stats: /__replica__/stats). Ctrl-C stops."
    )


def serve(server: ReplicaServer, port: int) -> dict[str, object]:
    """Serve on 127.0.0.1 until Ctrl-C and return the counters; OSError when the port cannot be had."""
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever("127.0.0.1", port)
    return server.stats()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m warduty.replica.serve", description=__doc__)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--as-of", default=DEFAULT_AS_OF)
    parser.add_argument("--faults", default="none")
    parser.add_argument("--min-interval", type=float, default=0.0)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--slow-delay", type=float, default=DEFAULT_SLOW_DELAY)
    parser.add_argument("--redesign-court", default=None)
    args = parser.parse_args(argv)
    try:
        server = build_server(
            seed=args.seed,
            as_of=args.as_of,
            faults=args.faults,
            min_interval=args.min_interval,
            scale=args.scale,
            slow_delay=args.slow_delay,
            redesign_court=args.redesign_court,
        )
    except ServeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(banner(server, args.port), flush=True)
    try:
        stats = serve(server, args.port)
    except OSError as exc:
        print(f"error: cannot serve on 127.0.0.1:{args.port}: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(stats, ensure_ascii=False, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
