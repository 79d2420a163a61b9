"""``warduty demo``: show what warduty does, end to end, on this machine."""

from __future__ import annotations

from collections import Counter

import typer

from warduty.cli.app import app, console, print_table, settings_from
from warduty.courts import load_registry
from warduty.law import parse_articles
from warduty.store import make_engine, migrate, sync_courts

_EXAMPLES = ("ст.337 ч.5 УК РФ", "ст.338 ч.3; ст.337 ч.3.1 УК РФ", "ч. 2.1 ст. 332", "ст.228 ч.2 УК РФ")


@app.command("demo")
def demo_command(ctx: typer.Context) -> None:
    """Run the demo: build the database, load the court registry, read sample article references."""
    settings = settings_from(ctx)
    registry = load_registry()
    engine = make_engine(settings.database_url)
    revision = migrate(engine)
    with engine.begin() as connection:
        sync_courts(connection, registry)
    console.print(
        f"[bold]Database[/] {engine.url.render_as_string(hide_password=True)} at revision {revision}"
    )
    levels = Counter(c.level for c in registry)
    console.print(
        f"[bold]Court registry[/]: {len(registry)} military courts "
        + ", ".join(f"{n} {level}" for level, n in levels.most_common())
        + f"; {len(registry.select(crawlable=True))} have a sudrf case search"
    )
    rows = []
    for text in _EXAMPLES:
        for ref in parse_articles(text):
            rows.append(
                {"written": text, "reference": str(ref), "group": ref.group, "wartime": ref.wartime_part}
            )
    print_table(rows, ("written", "reference", "group", "wartime"), title="Article references")
    console.print(
        "The crawler, replica court sites, statistics and briefings arrive with the next issues; "
        "see README.md."
    )
