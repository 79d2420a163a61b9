"""Generate ``docs/cli.md`` from the command tree, so the reference never drifts from ``--help``.

Run ``python -m warduty.cli.docgen docs/cli.md``; ``tests/test_docs.py`` fails when the file is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer.main

from warduty.cli import app
from warduty.config import settings_table

HEADER = (
    "# Command-line reference\n\n"
    "Generated from the commands' own help by `make docs` (`python -m warduty.cli.docgen docs/cli.md`);\n"
    "do not edit by hand.\n"
)


def _option_row(param: Any) -> str:
    names = ", ".join(f"`{n}`" for n in [*param.opts, *param.secondary_opts])
    help_text = getattr(param, "help", None) or ""
    default = param.default
    shown = ""
    if default not in (None, False, (), []) and not callable(default):
        shown = f" (default: `{default}`)"
    escaped = help_text.replace("|", "\\|")
    return f"| {names} | {escaped}{shown} |"


def _render(command: Any, path: list[str]) -> list[str]:
    name = " ".join(path)
    lines = [f"\n## `{name}`\n"]
    if command.help:
        lines.append(command.help.strip() + "\n")
    ctx = command.context_class(command, info_name=name)
    lines.append(f"```\n{name} {' '.join(command.collect_usage_pieces(ctx))}\n```\n")
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    options = [p for p in command.params if p.param_type_name == "option" and not p.hidden]
    if arguments:
        lines.append("| argument | help |\n|---|---|")
        for argument in arguments:
            help_text = getattr(argument, "help", None) or ""
            lines.append(f"| `{argument.name.upper() if argument.name else ''}` | {help_text} |")
        lines.append("")
    if options:
        lines.append("| option | help |\n|---|---|")
        lines.extend(_option_row(option) for option in options)
        lines.append("")
    if hasattr(command, "commands"):
        for sub_name in sorted(command.commands):
            lines.extend(_render(command.commands[sub_name], [*path, sub_name]))
    return lines


SETTINGS_INTRO = """## Settings

Every command reads these from defaults, then the TOML file (`--config FILE`, `WARDUTY_CONFIG`, else
`./warduty.toml` if present; at top level or under a `[warduty]` table), then environment variables.
An unknown key in the file or a value of the wrong type stops the command with a one-line error that
names the key and the file.

"""


def render() -> str:
    root = typer.main.get_command(app)
    commands = "\n".join(_render(root, ["warduty"]))
    return HEADER + commands + "\n\n" + SETTINGS_INTRO + "\n".join(settings_table()) + "\n"


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    text = render()
    if args:
        Path(args[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
