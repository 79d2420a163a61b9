"""``warduty serve``: the dashboard and JSON API."""

from __future__ import annotations

from dataclasses import replace

import typer

from warduty.cli.app import app, console, fail, settings_from
from warduty.config import ConfigError, check_number
from warduty.store import DatabaseError, make_engine, migrate


@app.command("serve")
def serve_command(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=0, max=65535, help="Port to listen on (0 picks a free one)."),
    db: str | None = typer.Option(None, "--db", help="Database URL (default: the configured one)."),
    rate: float = typer.Option(20.0, help="Requests a second allowed per client, on average."),
    forwarded_allow_ips: str | None = typer.Option(
        None,
        "--forwarded-allow-ips",
        help="Proxies (comma-separated addresses or networks, * for any) whose X-Forwarded-For and "
        "X-Forwarded-Proto are believed; default: the forwarded_allow_ips setting, empty: none.",
    ),
) -> None:
    """Serve the dashboard and the JSON API (/api/v1, OpenAPI at /api/v1/openapi.json)."""
    import uvicorn

    from warduty.web import create_app

    settings = settings_from(ctx)
    check_number("--rate", rate, positive=True)
    if db:
        settings = replace(settings, db=db)
    if forwarded_allow_ips is not None:
        settings = replace(settings, forwarded_allow_ips=forwarded_allow_ips)
    try:
        # A mistyped path is an error, not a new empty database served as if it were the data.
        engine = make_engine(settings.database_url, create=False)
        migrate(engine)
    except DatabaseError as exc:
        fail(str(exc))
        return
    try:
        application = create_app(settings, engine=engine, rate=rate, burst=max(rate * 3, 1.0))
    except ConfigError as exc:
        fail(str(exc))
        return
    names = "names SHOWN" if settings.show_names else "defendants pseudonymised"
    admin = "admin enabled" if settings.admin_token else "admin disabled (no token)"
    console.print(f"warduty on http://{host}:{port}/ ({names}; {admin})")
    # The application decides whom to believe (warduty.web.security.RealClient); uvicorn's own proxy
    # handling, which by default believes 127.0.0.1, is off.
    uvicorn.run(
        application, host=host, port=port, log_level="warning", server_header=False,
        proxy_headers=False, forwarded_allow_ips="",
    )  # fmt: skip
