"""Page states, decoding, captcha extraction, the listing counter forms and the CLI."""

from __future__ import annotations

import base64
import json
from datetime import date
from pathlib import Path

import pytest
from tests.reference import page_path
from typer.testing import CliRunner

from warduty.cli import app
from warduty.sudrf import PageState, classify_page, decode_page, parse_captcha, parse_listing

SHELL = "<html><body><div id='content'>{}</div></body></html>"


def _page(name: str) -> str:
    return decode_page(page_path(name).read_bytes())


@pytest.mark.parametrize(
    ("name", "state"),
    [
        ("leninsky_ufa_criminal.html", PageState.CARD),
        ("zavolgskiy_card.html", PageState.CARD),
        ("ksoyu_listing_acts.html", PageState.RESULTS),
        ("samara_kas_appeal_uid_results.html", PageState.RESULTS),
        ("synthetic_vintage_listing.html", PageState.RESULTS),
        ("ksoyu_listing_bad_new.html", PageState.EMPTY),
        ("ksoyu_listing_captcha_gate.html", PageState.CAPTCHA),
        ("sudrf_captcha_form.html", PageState.CAPTCHA),
        ("ksoyu_temporarily_unavailable.html", PageState.UNAVAILABLE),
        ("ksoyu_act_doc.html", PageState.DOCUMENT),
    ],
)
def test_real_pages_are_classified(name: str, state: PageState) -> None:
    assert classify_page(_page(name)) is state


@pytest.mark.parametrize(
    ("body", "state"),
    [
        ("Этот запрос заблокирован по соображениям безопасности (G). Ваш ip", PageState.BLOCKED),
        ("Данный запрос некорректен, просьба изменить параметры запроса (B)", PageState.BLOCKED),
        ("Указанный сервер СДП не найден.", PageState.SERVER_NOT_FOUND),
        ("Данный модуль неактивен", PageState.MODULE_OFF),
        ("НЕВЕРНЫЙ ФОРМАТ ЗАПРОСА!", PageState.BAD_QUERY),
        ("Время жизни сессии закончилось", PageState.CAPTCHA),
        ("Warning: pg_connect(): Unable to connect", PageState.UNAVAILABLE),
        ("<h1>429 Too Many Requests</h1>", PageState.UNAVAILABLE),
        ("ПУСТОЙ ДОКУМЕНТ", PageState.EMPTY_DOCUMENT),
        ("Ничего не найдено", PageState.EMPTY),
        ("<form><input name='u1_case__CASE_NUMBERSS'></form>", PageState.SEARCH_FORM),
        ("<p>just a page</p>", PageState.UNKNOWN),
    ],
)
def test_state_markers(body: str, state: PageState) -> None:
    assert classify_page(SHELL.format(body)) is state


def test_decode_trusts_bytes_over_declared_charset() -> None:
    text = "Всего по запросу найдено — 3"
    assert decode_page(text.encode("cp1251"), "utf-8") == text
    assert decode_page(text.encode("utf-8"), "windows-1251") == text
    assert decode_page(b"\xef\xbb\xbf" + text.encode("utf-8")) == text


def test_raw_cp1251_captcha_form_yields_id_and_png() -> None:
    raw = page_path("sudrf_captcha_form.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    captcha = parse_captcha(decode_page(raw, "utf-8"))
    assert captcha.captcha_id == "v3ruvq66jtumpc886v4g0fp6o7"
    assert captcha.image is not None and captcha.image.startswith(b"\x89PNG\r\n\x1a\n")


def test_captcha_with_broken_base64_keeps_the_id() -> None:
    html = "<input name='captchaid' type='hidden' value='abc123'><img src='data:image/png;base64,@@@'>"
    captcha = parse_captcha(html)
    assert captcha.captcha_id == "abc123"
    assert captcha.image is None
    good = base64.b64encode(b"\x89PNG-bytes").decode()
    assert parse_captcha(f"<img src='data: image/png;base64, {good}'>").image == b"\x89PNG-bytes"


@pytest.mark.parametrize("dash", ["—", "–", "-", "&mdash;", "&ndash;", "&nbsp;—&nbsp;"])
def test_counter_accepts_any_dash(dash: str) -> None:
    html = _page("synthetic_standard_criminal_listing.html").replace("&ndash;", dash, 1)
    listing = parse_listing(html)
    assert (listing.total, listing.first, listing.last) == (28, 26, 28)


def test_listing_rows_and_absolute_links() -> None:
    listing = parse_listing(_page("synthetic_vintage_listing.html"), base_url="http://127.0.0.1:8080/x/")
    first = listing.rows[0]
    assert first.card_url.startswith(
        "http://127.0.0.1:8080/modules.php?name=sud_delo&name_op=case&_id=4410041"
    )
    assert (first.case_id, first.received, first.legal_force) == (
        "4410041",
        date(2024, 2, 15),
        date(2024, 4, 20),
    )
    assert [url.rsplit("_doc=", 1)[1][0] for url in first.act_urls] == ["1", "2"]
    assert first.act_urls[0].startswith("http://127.0.0.1:8080/modules.php?")
    assert listing.rows[2].result == "Уголовное дело ПРЕКРАЩЕНО\nПрочие основания"
    assert listing.rows[2].case_number_raw == "1-43/2024 (1-7/2024;)"


def test_cli_parse_prints_card_json() -> None:
    result = CliRunner().invoke(app, ["parse", str(page_path("leninsky_ufa_criminal.html")), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["kind"] == "card"
    assert data["persons"][0]["articles"] == [{"article": "173.1", "part": "2", "point": "б"}]
    assert data["received"] == "2026-04-22"


def test_cli_parse_reports_format_errors(tmp_path: Path) -> None:
    cut = tmp_path / "cut.html"
    text = page_path("leninsky_ufa_criminal.html").read_text(encoding="utf-8")
    cut.write_bytes(text[: text.index('id="cont3"') + 300].encode("utf-8"))
    result = CliRunner().invoke(app, ["parse", str(cut), "--json"])
    assert result.exit_code == 1
    assert "truncated" in result.output


def test_cli_parse_state(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["parse", str(page_path("ksoyu_listing_bad_new.html")), "--json"])
    assert json.loads(result.stdout) == {"kind": "state", "state": "empty"}
