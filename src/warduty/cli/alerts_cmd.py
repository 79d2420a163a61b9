"""``warduty alerts``: the newest alerts; send the pending ones; send a test alert."""

from __future__ import annotations

from datetime import UTC

import typer

from warduty.cli.app import app, console, err_console, fail, print_json, print_table, settings_from
from warduty.config import ConfigError
from warduty.jobs.alerts import Delivery, after_run, channel_names, recent_alerts, send_pending, send_test
from warduty.store import make_engine, require_writable

NO_CHANNEL = "no alert channel is configured (alert_webhook_url, alert_smtp_host); the feed needs none"


@app.command("alerts")
def alerts_command(
    ctx: typer.Context,
    limit: int = typer.Option(20, min=1, help="How many of the newest alerts to list."),
    as_json: bool = typer.Option(False, "--json", help="Print the alerts as JSON."),
    send: bool = typer.Option(
        False, "--send", help="Send the alerts a configured channel has not delivered."
    ),
    test: bool = typer.Option(False, "--test", help="Send a test alert through every configured channel."),
    run: int | None = typer.Option(
        None, "--run", min=1, help="Detect the alerts of this run (as after it ended), then send."
    ),
) -> None:
    """List the newest alerts (record months, courts unavailable, pages not understood, counter
    mismatches, new asylum data). Channels (webhook, e-mail) are set in the settings; see docs/alerts.md."""
    settings = settings_from(ctx)
    try:
        names = channel_names(settings)
    except ConfigError as exc:
        fail(str(exc))
        return
    if test:
        if not names:
            fail(NO_CHANNEL)
        _report(send_test(settings), "test alert")
        return
    if run is not None or send:
        engine = make_engine(settings.database_url, create=False)
        require_writable(engine)
        if run is not None:
            report = after_run(settings, engine, run)
            if report.error:
                fail(report.error)
            console.print(f"run {run}: {len(report.new)} new alert(s)", highlight=False)
            _report(report.deliveries, "delivery")
        else:
            if not names:
                fail(
                    "no alert channel is configured (alert_webhook_url, alert_smtp_host); the feed needs none"
                )
            _report(send_pending(settings, engine), "delivery")
        return
    engine = make_engine(settings.database_url, create=False)
    alerts = recent_alerts(engine, limit)
    if as_json:
        print_json([alert.to_dict(settings.alert_base_url) for alert in alerts])
        return
    rows = [
        {
            "time": f"{a.created_at.astimezone(UTC):%Y-%m-%d %H:%M}",
            "kind": a.kind,
            "title": a.title,
            "run": a.run_id,
            "link": a.link,
        }
        for a in alerts
    ]
    print_table(rows, ("time", "kind", "title", "run", "link"), title="Alerts, newest first")
    console.print(f"channels: {', '.join(names) or 'none (the feed /feed.xml only)'}", highlight=False)


def _report(deliveries: list[Delivery], what: str) -> None:
    if not deliveries:
        console.print("nothing to send", highlight=False)
        return
    failed = [d for d in deliveries if d.error is not None]
    for d in deliveries:
        line = f"{d.channel}: {d.alert_id}: " + ("sent" if d.error is None else f"failed: {d.error}")
        (err_console if d.error else console).print(line, highlight=False, soft_wrap=True)
    if failed:
        fail(f"{len(failed)} of {len(deliveries)} {what}(s) failed; they stay pending and are retried")
