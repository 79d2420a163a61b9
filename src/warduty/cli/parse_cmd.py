"""``warduty parse``: read a saved court page, detect its kind and print what it holds."""

from __future__ import annotations

import secrets
from pathlib import Path

import typer

from warduty.cli.app import app, console, fail, print_json
from warduty.privacy import RedactionError, redact_values
from warduty.privacy.pages import names_on_page
from warduty.privacy.pseudonym import Pseudonymiser
from warduty.sudrf import PageFormatError, PageState, ParsedPage, decode_page, page_to_dict, parse_page
from warduty.sudrf.markup import check_depth

# Bytes no saved web page holds: NUL and the C0 controls other than tab, line feed, form feed and return.
_BINARY = bytes(b for b in range(32) if b not in b"\t\n\f\r")


def _pseudonymised(page: ParsedPage, result: dict[str, object]) -> dict[str, object]:
    """``result`` with every form of every name the page gives replaced by a pseudonym."""
    # A page from a file belongs to no store: a one-off secret, so its pseudonyms link to nothing.
    pseudonyms = Pseudonymiser(secrets.token_bytes(32))
    aliases = {p.name: pseudonyms.pseudonym("", p.case_number or "", p.position) for p in names_on_page(page)}
    redacted: dict[str, object] = redact_values(result, aliases)
    return redacted


@app.command("parse")
def parse_command(
    file: Path = typer.Argument(..., help="A saved sudrf page (any encoding; the bytes decide)."),
    as_json: bool = typer.Option(
        False, "--json", help="Print the full JSON object (the default prints a summary)."
    ),
    base_url: str | None = typer.Option(
        None, "--base-url", help="Make listing links absolute against this URL."
    ),
    names: bool = typer.Option(
        False, "--names", help="Print defendants' names as the page gives them (default: pseudonyms)."
    ),
) -> None:
    """Detect the page kind (card, listing, act text or a state) and print its fields as JSON."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror or exc}")
        return
    if not data.strip():
        fail(f"{file} is empty: not a court page")
        return
    if _looks_binary(data):
        fail(f"{file} is a binary file, not a court page")
        return
    html = decode_page(data)
    try:
        page = parse_page(html, base_url)
        if page.state is PageState.UNKNOWN:
            check_depth(html)  # the classifier says «unknown» for it; here the reason is named
    except PageFormatError as exc:
        fail(f"{file}: page format error: {exc.reason}")
        return
    result = page_to_dict(page)
    if not names:
        try:
            result = _pseudonymised(page, result)
        except RedactionError:
            fail(f"{file}: a defendant's name survived redaction; nothing printed (--names prints names)")
            return
    if as_json:
        print_json(result)
        return
    summary = {key: value for key, value in result.items() if not isinstance(value, list | dict)}
    for key, value in result.items():
        if isinstance(value, list):
            summary[key] = f"{len(value)} item(s)"
    if isinstance(result.get("text"), str):
        summary["text"] = f"{len(str(result['text']))} characters"
    console.print_json(data=summary)


def _looks_binary(data: bytes) -> bool:
    """Control bytes in more than 1% of the first 8 KiB (a page in any encoding has next to none)."""
    head = data[:8192]
    return sum(head.count(byte) for byte in _BINARY) > len(head) // 100
