"""The vintage engine's result list: the real one-row page, our multi-row page built from its markup,
the counter forms, short rows and a missing counter.

The real page (samara_kas_appeal_uid_results.html) is read from ../shared; our synthetic page copies its
markup with invented cases (see tests/fixtures/pages/PROVENANCE.md).
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from tests.reference import read_page

from warduty.sudrf import Engine, PageFormatError, PageState, classify_page, parse_listing, parse_page

REAL = "samara_kas_appeal_uid_results.html"
MANY = "synthetic_vintage_listing.html"
_COUNTER = re.compile(r'<div class="lawcase-count">.*?</div>', re.DOTALL)
_BODY_ROW = re.compile(r"<tr onmouseout=.*?</tr>", re.DOTALL)


def _with_counter(html: str, counter_html: str) -> str:
    replaced, count = _COUNTER.subn(f'<div class="lawcase-count">{counter_html}</div>', html, count=1)
    assert count == 1
    return replaced


def _body_rows(html: str) -> list[str]:
    table = html[html.index('<div id="resultTable">') : html.index('<div id="resultMob"')]
    return _BODY_ROW.findall(table)


def test_real_vintage_list_is_results_and_reads_its_row() -> None:
    html = read_page(REAL)
    assert classify_page(html) is PageState.RESULTS
    listing = parse_listing(html, base_url="http://127.0.0.1:8080/modules.php")
    assert (listing.engine, listing.total, listing.first, listing.last) == (Engine.VINTAGE, 1, 1, 1)
    assert listing.warnings == ()
    (row,) = listing.rows
    assert (row.case_number, row.case_number_raw) == ("33а-647/2026", "33а-647/2026 (33а-11786/2025;)")
    assert (row.case_id, row.case_uid) == ("45090185", "70f25bb3-b647-4795-a592-61e457a42ea7")
    assert row.card_url.startswith(
        "http://127.0.0.1:8080/modules.php?name=sud_delo&name_op=case&_id=45090185"
    )
    assert (row.received, row.decided, row.legal_force) == (date(2025, 11, 10), date(2026, 1, 13), None)
    assert (row.judge, row.result) == ("Пудовкина Е. С.", "РЕШЕНИЕ оставлено БЕЗ ИЗМЕНЕНИЯ")
    assert row.info.startswith("КАТЕГОРИЯ: 3.025 - Гл. 22 КАС РФ")
    assert row.info.count("\n") == 3  # four <br>-separated lines: category, claimant, defendant, persons
    assert len(row.act_urls) == 1 and "&_doc=1&" in row.act_urls[0]


def test_many_rows_on_a_later_page() -> None:
    listing = parse_listing(read_page(MANY))
    assert (listing.engine, listing.total, listing.first, listing.last) == (Engine.VINTAGE, 45, 41, 45)
    assert listing.warnings == ()
    # The mobile duplicate of every row (div#resultMob) is not read a second time.
    assert [row.case_number for row in listing.rows] == [f"1-{n}/2024" for n in range(41, 46)]
    assert [len(row.act_urls) for row in listing.rows] == [2, 0, 1, 0, 1]
    assert listing.rows[3].case_uid is None and listing.rows[3].case_id == "4410044"
    assert listing.rows[1].decided is None and listing.rows[1].result is None
    assert listing.rows[2].case_number_raw == "1-43/2024 (1-7/2024;)"


@pytest.mark.parametrize(
    "counter",
    [
        pytest.param(
            "Всего по запросу найдено - <b>45</b>.&nbsp; <span>На странице записи с <b>41</b> по <b>45</b>."
            "</span>",
            id="hyphen-bold-as-served",
        ),
        pytest.param(
            "Всего по запросу найдено — <b>45</b>. <span>На странице записи с <b>41</b> по <b>45</b>.</span>",
            id="em-dash-bold",
        ),
        pytest.param(
            "Всего по запросу найдено &mdash; <b>45</b>. На странице записи с 41 по 45.", id="mdash-entity"
        ),
        pytest.param(
            "Всего по запросу найдено -<b>45</b>.<span>На странице записи с<b>41</b>по<b>45</b>.</span>",
            id="no-spaces",
        ),
        pytest.param("Всего по запросу найдено - 45. На странице записи с 41 по 45.", id="hyphen-plain"),
        pytest.param(
            "\n\t\tВсего по запросу найдено&nbsp;-&nbsp;<b>45</b>.\n\t\t<span>На странице записи с <b>41</b>"
            " по <b>45</b>.</span>",
            id="nbsp-and-new-lines",
        ),
    ],
)
def test_counter_forms(counter: str) -> None:
    listing = parse_listing(_with_counter(read_page(MANY), counter))
    assert (listing.total, listing.first, listing.last, len(listing.rows)) == (45, 41, 45, 5)
    assert listing.warnings == ()


def test_counter_without_page_range_is_warned() -> None:
    listing = parse_listing(_with_counter(read_page(MANY), "Всего по запросу найдено - <b>45</b>."))
    assert (listing.total, listing.first, listing.last) == (45, None, None)
    assert any("no page range" in warning for warning in listing.warnings)


def test_zero_rows() -> None:
    html = read_page(MANY)
    for row in _body_rows(html):
        html = html.replace(row, "", 1)
    html = _with_counter(html, "Всего по запросу найдено - <b>0</b>.")
    assert classify_page(html) is PageState.RESULTS
    listing = parse_listing(html)
    assert (listing.total, listing.rows) == (0, ())


def test_row_cut_short_is_skipped_with_a_warning() -> None:
    html = read_page(MANY)
    row = _body_rows(html)[1]
    short = row.replace('<td class="text-center vert-align">16.02.2024</td>', "", 1)
    assert short != row
    listing = parse_listing(html.replace(row, short, 1))
    assert [r.case_number for r in listing.rows] == ["1-41/2024", "1-43/2024", "1-44/2024", "1-45/2024"]
    assert any("row 2 has 7 cells, header has 8; skipped" in warning for warning in listing.warnings)
    assert any("promises 5" in warning for warning in listing.warnings)


def test_row_without_card_link_is_skipped_with_a_warning() -> None:
    html = read_page(MANY)
    row = _body_rows(html)[0]
    unlinked = re.sub(
        r'<td class="lawcase-number-td"><a [^>]*>(.*?)</a>', r'<td class="lawcase-number-td">\1', row
    )
    listing = parse_listing(html.replace(row, unlinked, 1))
    assert len(listing.rows) == 4
    assert any("row 1 has no card link" in warning for warning in listing.warnings)


def test_extra_row_against_the_counter_is_warned() -> None:
    html = read_page(MANY)
    row = _body_rows(html)[0]
    listing = parse_listing(html.replace(row, row + row, 1))
    assert len(listing.rows) == 6
    assert any("6 rows parsed but the page range 41–45 promises 5" in w for w in listing.warnings)


def test_unknown_column_is_warned() -> None:
    html = read_page(MANY)
    html = html.replace('<td class="text-center">Судья</td>', '<td class="text-center">Новая колонка</td>', 1)
    listing = parse_listing(html)
    assert any("НОВАЯ КОЛОНКА" in warning for warning in listing.warnings)
    assert all(row.judge is None for row in listing.rows)


@pytest.mark.parametrize("name", [REAL, MANY])
def test_missing_counter_raises(name: str) -> None:
    html = _COUNTER.sub("", read_page(name), count=1)
    with pytest.raises(PageFormatError, match="counter"):
        parse_listing(html)
    assert classify_page(html) is not PageState.RESULTS


def test_counter_without_a_number_raises() -> None:
    html = _with_counter(read_page(REAL), "Всего по запросу найдено - <b></b>.")
    with pytest.raises(PageFormatError, match="counter"):
        parse_listing(html)


def test_header_without_case_number_is_not_a_result_list() -> None:
    html = read_page(REAL).replace(">Номер дела</td>", ">Дело</td>", 1)
    assert classify_page(html) is not PageState.RESULTS
    with pytest.raises(PageFormatError, match="no result table"):
        parse_listing(html)


def test_mobile_cards_alone_are_not_a_result_list() -> None:
    html = read_page(REAL)
    start = html.index('<div id="resultTable">')
    end = html.index('<div id="resultMob"')
    html = html[:start] + html[end:]
    assert classify_page(html) is not PageState.RESULTS


def test_invented_table_id_form_is_not_read() -> None:
    # The earlier replica served table#resultTable with a plain counter; no real page has that form.
    html = read_page(MANY).replace(
        '<div id="resultTable">\n\t\t<table class="law-case-table line-hover">',
        '<div>\n\t\t<table id="resultTable">',
        1,
    )
    assert 'table id="resultTable"' in html
    assert classify_page(html) is not PageState.RESULTS
    with pytest.raises(PageFormatError, match="no result table"):
        parse_listing(html)


def test_truncated_vintage_list_is_never_results() -> None:
    html = read_page(REAL)
    cut = html[: html.index("</tbody>")]
    with pytest.raises(PageFormatError, match="truncated"):
        parse_listing(cut)
    outcome = None
    try:
        outcome = parse_page(cut).state
    except PageFormatError:
        outcome = None
    assert outcome is not PageState.RESULTS
