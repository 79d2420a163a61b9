"""``warduty worker``: take crawl jobs (and the schedule's jobs) from the PostgreSQL queue."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import typer

from warduty.cli.app import app, err_console, settings_from
from warduty.config import check_number, check_url


@app.command("worker")
def worker_command(
    ctx: typer.Context,
    proxy: str | None = typer.Option(
        None, help="This worker's egress: HTTP(S) or SOCKS proxy URL (default: the proxy setting)."
    ),
    global_interval: float | None = typer.Option(
        None, help="Seconds between any two requests of this worker (its own platform-wide interval)."
    ),
    min_interval: float | None = typer.Option(None, help="Seconds between requests to one court host."),
    concurrency: int = typer.Option(
        8,
        min=1,
        help="Courts at once; they share this worker's platform-wide interval, which about "
        "min_interval / global_interval courts keep busy.",
    ),
    queues: str = typer.Option("", help="Comma-separated queues to take jobs from (default: all)."),
    sudrf_origin: str | None = typer.Option(
        None, help="Connect here instead of the court hosts (e.g. the replica); stored URLs stay real."
    ),
    heartbeat: float = typer.Option(10.0, help="Seconds between two heartbeats of this worker."),
    stalled_after: float = typer.Option(
        30.0,
        help="A worker silent this long is taken for dead and its jobs are queued again (keep it above "
        "--heartbeat on every worker).",
    ),
    until_empty: bool = typer.Option(
        False, "--until-empty", help="Stop when no job is left instead of waiting for more."
    ),
    no_schedule: bool = typer.Option(
        False, "--no-schedule", help="Do not fire the schedule's jobs from this worker."
    ),
) -> None:
    """Run a crawl worker on PostgreSQL: court jobs of `warduty crawl --queue` and the schedule's jobs.

    Start one per machine or egress; at most one worker talks to a court host at a time.

    Ctrl-C or SIGTERM stops it after its running jobs; a killed worker's jobs go to the others."""
    # procrastinate and psycopg load here, not for every command: they cost half a second of start-up.
    from warduty.jobs.queue import WorkerOptions, run_worker, worker_name
    from warduty.jobs.schedule import schedule_entries

    settings = settings_from(ctx)
    for name, value in (
        ("--global-interval", global_interval),
        ("--min-interval", min_interval),
        ("--heartbeat", heartbeat),
        ("--stalled-after", stalled_after),
    ):
        if value is not None:
            check_number(name, value)
    if stalled_after <= heartbeat:
        raise typer.BadParameter("--stalled-after must be longer than --heartbeat")
    if proxy is not None:
        check_url("--proxy", proxy, ("http", "https", "socks5", "socks5h"))
    if sudrf_origin is not None:
        check_url("--sudrf-origin", sudrf_origin)
    settings = replace(
        settings,
        proxy=settings.proxy if proxy is None else proxy,
        global_interval=settings.global_interval if global_interval is None else global_interval,
        min_interval=settings.min_interval if min_interval is None else min_interval,
        sudrf_origin=settings.sudrf_origin if sudrf_origin is None else sudrf_origin,
    )
    options = WorkerOptions(
        concurrency=concurrency,
        queues=tuple(q.strip() for q in queues.split(",") if q.strip()),
        heartbeat=heartbeat,
        stalled_after=stalled_after,
        wait=not until_empty,
        schedule=not no_schedule,
    )
    scheduled = [entry.job for entry in schedule_entries(settings)] if options.schedule else []
    err_console.print(
        f"worker {worker_name(settings)}: {concurrency} job(s) at once, one request every "
        f"{settings.global_interval:g}s at most; schedule: {', '.join(scheduled) or 'none'}",
        highlight=False,
    )
    asyncio.run(run_worker(settings, options))
