"""``warduty check``: check a sentence from the news against the database."""

from __future__ import annotations

from datetime import date

import typer

from warduty.claims.check import VERDICT_WORDS
from warduty.claims.parse import ClaimTextError
from warduty.cli.app import app, console, fail, print_json, settings_from
from warduty.jobs.claims import check_text
from warduty.stats.months import Lang
from warduty.store import DatabaseError


@app.command("check")
def check_command(
    ctx: typer.Context,
    text: str = typer.Argument(..., help="A sentence or paragraph in English or Russian, in quotes."),
    lang: str = typer.Option("en", "--lang", help="Language of the answer: en or ru."),
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        help="The data's date (YYYY-MM-DD) for 'in March', 'since ...'; default: the last crawl's.",
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Print the parsed claims beside the verdicts as JSON."
    ),
) -> None:
    """Find each quantitative claim in TEXT and check it against the court records (and the asylum series):
    the figure it states, the nearest figure if its labels are off, and a verdict with the definition, the
    case count and the case list (a path on the dashboard, `warduty serve`)."""
    if lang not in ("en", "ru"):
        fail("--lang must be en or ru")
    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        fail(f"--as-of must be a date YYYY-MM-DD, not {as_of!r}")
        return
    try:
        result = check_text(settings_from(ctx).database_url, text, day)
    except (ClaimTextError, DatabaseError) as exc:
        fail(str(exc))
        return
    if as_json:
        print_json(result.to_dict())
        return
    if result.as_of is None:
        fail("the database holds no court records yet: run `warduty crawl` first")
    if not result.answers:
        console.print("No quantitative claim found (a number, or a superlative such as 'record').")
        return
    language: Lang = "ru" if lang == "ru" else "en"
    console.print(f"Data as of {result.as_of}", highlight=False)
    for position, answer in enumerate(result.answers, start=1):
        console.print(
            f"\n[bold]{position}. «{answer.claim.quote}»[/]: {VERDICT_WORDS[answer.verdict][language]}",
            highlight=False,
            soft_wrap=True,
        )
        say(f"   {answer.reason[language]}")
        if (
            answer.superlative
            and answer.claim.superlative
            and answer.superlative[language] not in answer.reason[language]
        ):
            say(f"   «{answer.claim.superlative}»: {answer.superlative[language]}")
        data = answer.to_dict()
        for name in ("figure", "nearest"):
            figure = data[name]
            if not isinstance(figure, dict):
                continue
            label = figure["label"][language] if isinstance(figure.get("label"), dict) else figure["key"]
            asylum = figure["definition"] == "asylum"
            counted = "" if asylum else f" ({'дел' if language == 'ru' else 'cases'}: {figure['cases']})"
            say(f"   {name}: {label}: {figure['value']}{counted}")
            say(f"      {figure['definition_text'].get(language, '')}")
            if figure["cases_url"]:
                say(f"      cases: {figure['cases_url']}")
        if answer.source:
            say(f"   asylum series: {answer.source.get('series')}, vintage {answer.source.get('vintage')}")


def say(text: str) -> None:
    console.print(text, highlight=False, markup=False, soft_wrap=True)
