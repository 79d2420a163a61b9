"""The layers' rules, read from the source: nothing below the CLI imports it, and the crawler is put
together in one place (``warduty.jobs``), whoever runs a crawl."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "warduty"


def _imports(path: Path) -> list[str]:
    """Every module ``path`` imports, anywhere in it (a function-level import counts too)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.level:  # a relative import, resolved against the module's package
                parts = path.relative_to(PACKAGE.parent).with_suffix("").parts[: -node.level]
                names.append(".".join([*parts, node.module]))
            else:
                names.append(node.module)
    return names


def test_nothing_outside_the_cli_imports_it() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if PACKAGE / "cli" not in path.parents
        for name in _imports(path)
        if name == "warduty.cli" or name.startswith("warduty.cli.")
    ]
    assert offenders == []


def test_the_rule_sees_imports_inside_functions(tmp_path: Path) -> None:
    # web/admin.py once imported the CLI's client mapping inside a method; such an import counts.
    module = tmp_path / "admin.py"
    module.write_text("def run():\n    from warduty.cli.crawl_cmd import client_options\n", encoding="utf-8")
    assert _imports(module) == ["warduty.cli.crawl_cmd"]


def _crawler_calls(path: Path) -> int:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return sum(
        1
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == "Crawler")
            or (isinstance(node.func, ast.Attribute) and node.func.attr == "Crawler")
        )
    )


def test_the_crawler_is_constructed_in_one_place() -> None:
    sources = [
        *(ROOT / "src").rglob("*.py"),
        *(ROOT / "tests").rglob("*.py"),
        *(ROOT / "benchmarks").rglob("*.py"),
    ]
    calls = {str(path.relative_to(ROOT)): n for path in sorted(sources) if (n := _crawler_calls(path))}
    # The one exception: the crawl benchmark measures an older checkout side by side, and a checkout from
    # before the application layer has no warduty.jobs to build its crawler with.
    assert calls == {"src/warduty/jobs/crawl.py": 1, "benchmarks/crawl.py": 1}
    assert "except ImportError:  # an older checkout" in (ROOT / "benchmarks" / "crawl.py").read_text("utf-8")
