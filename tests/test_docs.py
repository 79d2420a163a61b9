"""The CLI reference in docs/cli.md is generated from --help and must not go stale."""

from __future__ import annotations

from pathlib import Path

import typer.main

from warduty.cli import app
from warduty.cli.docgen import render

DOCS = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def test_cli_reference_is_current() -> None:
    assert DOCS.read_text(encoding="utf-8") == render(), "docs/cli.md is stale: run `make docs`"


def test_every_command_and_option_has_help() -> None:
    def walk(command: object, path: str) -> None:
        assert getattr(command, "help", None), f"{path} has no help text"
        for param in getattr(command, "params", []):
            if param.param_type_name == "option":
                assert param.help, f"{path} {param.opts} has no help"
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(typer.main.get_command(app), "warduty")
