"""``warduty verdict``: read judicial acts from files and print their facts (the crawler stores the same)."""

from __future__ import annotations

from pathlib import Path

import typer

from warduty.cli.app import app, console, err_console, print_json
from warduty.sudrf.act_file import ActFileResult, read_act_file


@app.command("verdict")
def verdict_command(
    files: list[Path] = typer.Argument(
        ...,
        help="Act texts: plain text (UTF-8 or windows-1251, with or without BOM, CR/CRLF/LF line ends) "
        "or a saved act page (HTML).",
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Print a JSON array, one object per file (an 'error' field where it failed)."
    ),
) -> None:
    """Read each act and print its facts: act kind, the final sentence (punishment, term, probation,
    colony, fine), service and absence, and each defendant's own facts and conviction articles.

    Facts are those of the final sentence (after ст. 69/70 combinations); a fact the text does not
    settle is null. With several defendants the top-level facts are null and each defendant's are
    listed. Exits 1 if any file could not be read (the others are still printed).
    """
    results = [read_act_file(path) for path in files]
    if as_json:
        print_json([result.to_dict() for result in results])
    else:
        for result in results:
            _print_summary(result)
    if any(result.error for result in results):
        raise typer.Exit(1)


def _print_summary(result: ActFileResult) -> None:
    if result.facts is None:
        err_console.print(f"[bold red]{result.file}:[/] {result.error}", highlight=False, soft_wrap=True)
        return
    facts = result.facts
    parts = [facts.act_kind or "act of unknown kind"]
    if facts.is_verdict:
        sentence = {
            "punishment": facts.punishment,
            "term (months)": facts.term_months,
            "probation (months)": facts.probation_months,
            "colony": facts.colony_regime,
            "fine (roubles)": facts.fine_rubles,
            "released by amnesty": "yes" if facts.amnesty else None,
        }
        parts += [f"{label} {value}" for label, value in sentence.items() if value is not None]
        service = [name for name in ("mobilised", "contract", "conscript") if getattr(facts, name)]
        parts += service
        parts.append(f"{len(facts.defendants)} defendant(s)")
    console.print(f"[bold]{result.file}:[/] " + "; ".join(parts), highlight=False, soft_wrap=True)
    if len(facts.defendants) > 1:
        for defendant in facts.defendants:
            articles = ", ".join(str(article) for article in defendant.articles) or "articles not read"
            detail = [defendant.punishment or "punishment not read", articles]
            if defendant.term_months is not None:
                detail.append(f"term {defendant.term_months} months")
            if defendant.colony_regime:
                detail.append(f"colony {defendant.colony_regime}")
            console.print(f"  {defendant.name}: " + "; ".join(detail), highlight=False, soft_wrap=True)
