"""``warduty verdict``: files in any encoding and line ends, saved act pages, and bad input.

The acts are real (the Judgement corpus, read from ../shared/reference); the test writes them in other
encodings and line ends into a temporary folder, never into the repository.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.judgement_labels import read_tagged, strip_tags
from tests.reference import REAL_VERDICTS, page_path, require
from warduty.cli import app
from warduty.crawl.ingest import verdict_json

runner = CliRunner()


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WARDUTY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WARDUTY_CONFIG", str(tmp_path / "absent.toml"))


def _plain(name: str) -> str:
    """A dev act without its annotation tags, line ends as the court wrote them."""
    return strip_tags(read_tagged(require(REAL_VERDICTS / "dev" / name)))


def _run(*paths: Path) -> tuple[int, list[dict[str, object]]]:
    result = runner.invoke(app, ["verdict", "--json", *map(str, paths)])
    return result.exit_code, json.loads(result.stdout)


def test_json_is_what_the_crawler_stores(tmp_path: Path) -> None:
    text = _plain("papaver/1030.txt")
    path = tmp_path / "act.txt"
    path.write_text(text, encoding="utf-8")
    code, [entry] = _run(path)
    assert code == 0
    assert entry.pop("file") == str(path)
    assert entry == verdict_json(text)
    assert (entry["punishment"], entry["term_months"], entry["colony_regime"]) == (
        "imprisonment",
        24,
        "settlement",
    )


@pytest.mark.parametrize(
    ("encoding", "line_end", "bom"),
    [("cp1251", "\r\n", b""), ("utf-8", "\r", b""), ("utf-8", "\n", b"\xef\xbb\xbf"), ("cp1251", "\r", b"")],
)
def test_encodings_boms_and_line_ends_read_the_same(
    tmp_path: Path, encoding: str, line_end: str, bom: bytes
) -> None:
    text = _plain("papaver/1096.txt").lstrip("\ufeff")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    path = tmp_path / "act.txt"
    path.write_bytes(bom + line_end.join(lines).encode(encoding))
    code, [entry] = _run(path)
    assert code == 0, entry
    assert (entry["act_kind"], entry["punishment"], entry["term_months"], entry["probation_months"]) == (
        "приговор",
        "suspended",
        36,
        18,
    )


def test_saved_act_page_is_read_through_the_page_parser(tmp_path: Path) -> None:
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in _plain("papaver/76.txt").splitlines())
    page = tmp_path / "act.html"
    page.write_text(
        f'<html><body><div id="content"><div id="doccont"></div>{paragraphs}</div></body></html>',
        encoding="cp1251",
        errors="replace",
    )
    real_page = page_path("ksoyu_act_doc.html")
    code, [entry, real] = _run(page, real_page)
    assert code == 0
    assert (entry["punishment"], entry["fine_rubles"], entry["contract"]) == ("fine", 20000, True)
    assert (real["act_kind"], real["is_verdict"]) == ("определение", False)


def test_bad_files_get_an_error_and_the_others_are_still_printed(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(_plain("papaver/1030.txt"), encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \r\n")
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    truncated_page = tmp_path / "cut.html"
    truncated_page.write_text(
        '<html><body><div id="content"><div id="doccont"></div><p>ПРИГОВОР', encoding="utf-8"
    )
    missing = tmp_path / "missing.txt"
    code, entries = _run(good, empty, binary, truncated_page, missing)
    assert code == 1
    assert [e["file"] for e in entries] == [str(p) for p in (good, empty, binary, truncated_page, missing)]
    assert "error" not in entries[0] and entries[0]["punishment"] == "imprisonment"
    errors = [str(e["error"]) for e in entries[1:]]
    assert "empty" in errors[0]
    assert "binary" in errors[1]
    assert "truncated" in errors[2]
    assert "cannot read" in errors[3]


def test_text_cut_short_still_reads_what_it_holds(tmp_path: Path) -> None:
    data = _plain("papaver/1030.txt").encode("utf-8")
    cut = data[: data.index("Меру пресечения".encode()) + 1]  # inside a two-byte letter
    path = tmp_path / "cut.txt"
    path.write_bytes(cut)
    code, [entry] = _run(path)
    assert code == 0
    assert (entry["punishment"], entry["term_months"]) == ("imprisonment", 24)


def test_summary_without_json(tmp_path: Path) -> None:
    path = tmp_path / "act.txt"
    path.write_text(_plain("papaver/1658.txt"), encoding="utf-8")
    result = runner.invoke(app, ["verdict", str(path)])
    assert result.exit_code == 0
    assert "2 defendant(s)" in result.stdout
    assert "term 42 months" in result.stdout and "colony strict" in result.stdout
