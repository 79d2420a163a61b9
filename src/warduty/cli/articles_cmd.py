"""``warduty articles``: read article references and classify them."""

from __future__ import annotations

import typer

from warduty.cli.app import app, fail, print_json
from warduty.law import ArticleParseError, parse_articles


@app.command("articles")
def articles_command(
    text: str = typer.Argument(..., help='References as written, e.g. "ст.337 ч.5; ст.338 ч.3 УК РФ".'),
) -> None:
    """Parse Criminal Code references and print them as JSON with chapter, group and wartime flag."""
    try:
        refs = parse_articles(text)
    except ArticleParseError as exc:
        fail(str(exc))
        return
    print_json([ref.to_dict() for ref in refs])
