"""Mangled pages: the only allowed outcomes are a record, a state, or PageFormatError; never a crash.

A card cut short must never come back as a record without saying so.
"""

from __future__ import annotations

import functools
import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.reference import read_page

from warduty.sudrf import PageFormatError, PageState, decode_page, parse_card, parse_listing, parse_page

SAMPLE_NAMES = {
    "standard_card": "leninsky_ufa_criminal.html",
    "vintage_card": "synthetic_vintage_criminal_card.html",
    "listing": "ksoyu_listing_acts.html",
    "civil_card": "zavolgskiy_card.html",
    "vintage_listing": "samara_kas_appeal_uid_results.html",
    "vintage_listing_rows": "synthetic_vintage_listing.html",
    "cassation_card": "ksoyu_card_criminal.html",
}


@functools.cache
def sample(key: str) -> str:
    return read_page(SAMPLE_NAMES[key])


@pytest.fixture
def card() -> str:
    return sample("standard_card")


@pytest.fixture
def vintage_card() -> str:
    return sample("vintage_card")


@pytest.fixture
def listing() -> str:
    return sample("listing")


def _outcome(html: str) -> str:
    try:
        page = parse_page(html)
    except PageFormatError as exc:
        assert exc.reason
        return "error"
    return page.state.value


@pytest.mark.parametrize("key", SAMPLE_NAMES)
def test_truncation_at_many_offsets_never_yields_a_silent_record(key: str) -> None:
    source = sample(key)
    step = max(1, len(source) // 60)
    for offset in range(0, len(source) - 10, step):
        outcome = _outcome(source[:offset])
        assert outcome not in ("card", "results"), f"cut at {offset} still parsed as {outcome}"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(where=st.floats(min_value=0, max_value=1), length=st.integers(min_value=1, max_value=5000))
def test_deleting_a_slice_gives_record_state_or_error(where: float, length: int) -> None:
    card = sample("standard_card")
    offset = int(where * (len(card) - 1))
    _outcome(card[:offset] + card[offset + length :])


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=2000))
def test_random_bytes_decode_and_classify(data: bytes) -> None:
    _outcome(decode_page(data))


@pytest.mark.parametrize("key", SAMPLE_NAMES)
def test_reencoding_roundtrip_gives_the_same_record(key: str) -> None:
    source = sample(key)
    expected = parse_page(source)
    for data in (source.encode("utf-8"), source.encode("cp1251", errors="replace")):
        for declared in (None, "utf-8", "windows-1251", "koi8-r"):
            again = parse_page(decode_page(data, declared))
            assert again.state == expected.state
            if expected.card is not None:
                assert again.card is not None
                assert again.card.persons == expected.card.persons
                assert again.card.events == expected.card.events
            if expected.listing is not None:
                assert again.listing is not None
                assert again.listing.rows == expected.listing.rows
                assert again.listing.total == expected.listing.total


@pytest.mark.parametrize(
    "key", ["standard_card", "cassation_card", "vintage_listing", "vintage_listing_rows"]
)
def test_utf8_page_read_as_cp1251_is_not_a_silent_record(key: str) -> None:
    mojibake = sample(key).encode("utf-8").decode("cp1251", errors="replace")
    assert _outcome(mojibake) in ("unknown", "error")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(where=st.floats(min_value=0, max_value=1), length=st.integers(min_value=1, max_value=3000))
def test_deleting_a_slice_of_a_vintage_list_gives_record_state_or_error(where: float, length: int) -> None:
    page = sample("vintage_listing_rows")
    offset = int(where * (len(page) - 1))
    mutated = page[:offset] + page[offset + length :]
    try:
        parsed = parse_page(mutated)
    except PageFormatError as exc:
        assert exc.reason
        return
    if parsed.listing is not None:
        # Whatever survives is a row the page really holds, and a lost row is reported.
        original = {row.case_number: row for row in parse_listing(page).rows}
        for row in parsed.listing.rows:
            assert row.case_number in original
        if len(parsed.listing.rows) < len(original):
            assert parsed.listing.warnings


def test_vintage_list_rows_in_another_order_are_all_read() -> None:
    page = sample("vintage_listing_rows")
    rows = re.findall(r"<tr onmouseout=.*?</tr>", page, re.DOTALL)
    assert len(rows) == 5
    shuffled = rows[:]
    random.Random(3).shuffle(shuffled)
    mutated = page
    for original, replacement in zip(rows, shuffled, strict=True):
        mutated = mutated.replace(original, "\0" + replacement, 1)
    listing = parse_listing(mutated.replace("\0", ""))
    assert sorted(row.case_number for row in listing.rows) == sorted(
        r.case_number for r in parse_listing(page).rows
    )
    assert listing.warnings == ()


@pytest.mark.parametrize("key", SAMPLE_NAMES)
def test_tag_stripped_page_is_not_a_record(key: str) -> None:
    source = sample(key)
    stripped = re.sub(r"<[^>]*>", " ", source)
    assert _outcome(stripped) not in ("card", "results")


def test_shuffled_event_rows_keep_every_event(card: str) -> None:
    body = re.search(r'(<div id="cont2".*?</table>)', card, re.DOTALL)
    assert body is not None
    rows = re.findall(r"<tr><td>.*?</tr>", body.group(1))
    assert len(rows) == 5
    shuffled = rows[:]
    random.Random(7).shuffle(shuffled)
    mutated = body.group(1)
    for original, replacement in zip(rows, shuffled, strict=True):
        mutated = mutated.replace(original, "\0" + replacement, 1)
    shuffled_card = parse_card(card.replace(body.group(1), mutated.replace("\0", "")))
    original_card = parse_card(card)
    assert sorted(e.name for e in shuffled_card.events) == sorted(e.name for e in original_card.events)


def test_person_row_cut_mid_row_is_warned_not_silent(card: str) -> None:
    cut = card.replace("<td>ст.173.1 ч.2 п.б УК РФ</td>", "", 1)
    card = parse_card(cut)
    assert card.persons == ()
    assert any("ЛИЦА" in warning and "skipped" in warning for warning in card.warnings)


def test_dropped_tab_label_raises(card: str) -> None:
    dropped = re.sub(r'<li id="tab3".*?</li>', "", card, count=1, flags=re.DOTALL)
    with pytest.raises(PageFormatError, match="declares 6 tabs"):
        parse_card(dropped)


def test_dropped_tab_body_raises_naming_it(card: str) -> None:
    dropped = card.replace('id="cont3"', 'id="gone3"', 1)
    with pytest.raises(PageFormatError, match="ЛИЦА"):
        parse_card(dropped)


def test_criminal_card_without_persons_tab_raises(vintage_card: str) -> None:
    without = re.sub(r'<li id="tab_id_DefList">.*?</li>', "", vintage_card, count=1, flags=re.DOTALL)
    with pytest.raises(PageFormatError, match="ЛИЦА"):
        parse_card(without)


def test_unknown_tab_and_field_become_warnings(card: str) -> None:
    renamed = card.replace("&nbsp;ИСПОЛНИТЕЛЬНЫЕ ЛИСТЫ&nbsp;", "&nbsp;НОВАЯ ВКЛАДКА&nbsp;", 1)
    renamed = renamed.replace("<b>Признак рассмотрения дела</b>", "<b>Новое поле</b>", 1)
    card = parse_card(renamed)
    assert any("НОВАЯ ВКЛАДКА" in warning for warning in card.warnings)
    assert any("Новое поле" in warning for warning in card.warnings)
    assert card.uid == "03RS0003-01-2026-003803-62"


def test_events_header_missing_raises(card: str) -> None:
    broken = card.replace("<b>Наименование события</b>", "<b>Событие?</b>", 1)
    with pytest.raises(PageFormatError, match="ДВИЖЕНИЕ ДЕЛА"):
        parse_card(broken)


def test_deleted_listing_row_is_reported_against_the_counter(listing: str) -> None:
    rows = re.findall(r'<tr valign="top".*?</tr>', listing, re.DOTALL)
    assert len(rows) == 25
    parsed = parse_listing(listing.replace(rows[3], "", 1))
    assert len(parsed.rows) == 24
    assert any("promises 25" in warning for warning in parsed.warnings)


def test_listing_without_counter_raises(listing: str) -> None:
    with pytest.raises(PageFormatError, match="counter"):
        parse_listing(listing.replace("Всего по запросу найдено", "Всего найдено записей"))


def test_listing_with_row_missing_a_cell_warns_and_skips(listing: str) -> None:
    rows = re.findall(r'<tr valign="top".*?</tr>', listing, re.DOTALL)
    damaged = re.sub(r"<td>\s*Попова Елена Викторовна\s*</td>", "", rows[0], count=1)
    parsed = parse_listing(listing.replace(rows[0], damaged, 1))
    assert len(parsed.rows) == 24
    assert any("skipped" in warning for warning in parsed.warnings)


@pytest.mark.parametrize(
    "hostile",
    [
        "",
        "   ",
        "<html>",
        "\x00\x01\x02",
        "<" * 5000,
        "<table id=tablcont>" * 200,
        "<div id=resultTable><table class=law-case-table>" * 300
        + "Всего по запросу найдено - <b>9</b></html>",
        '<div class="lawcase-count">Всего по запросу найдено - <b>' + "9" * 5000 + "</b></div></html>",
        "<div id=resultTable><table class=law-case-table><thead><tr><td>Номер дела" * 50 + "</html>",
    ],
)
def test_hostile_input_is_a_state(hostile: str) -> None:
    assert parse_page(hostile).state in (PageState.UNKNOWN,) or _outcome(hostile) == "error"


def test_skipped_tab_is_said_only_when_it_holds_rows(card: str) -> None:
    parsed = parse_card(card)
    assert any("'ИСПОЛНИТЕЛЬНЫЕ ЛИСТЫ' not read (1 row skipped)" in w for w in parsed.unread)
    assert not any("ИСПОЛНИТЕЛЬНЫЕ ЛИСТЫ" in w for w in parsed.warnings)  # known: not an alarm
    body = re.search(r'<div id="cont5".*?</table>', card, re.DOTALL)
    assert body is not None
    rows = re.findall(r"<tr><td>.*?</tr>", body.group(0), re.DOTALL)
    assert len(rows) == 1
    emptied = card.replace(body.group(0), body.group(0).replace(rows[0], "", 1), 1)
    assert not any("ИСПОЛНИТЕЛЬНЫЕ ЛИСТЫ" in note for note in parse_card(emptied).unread)


def test_unread_person_column_is_said_only_with_a_value() -> None:
    page = sample("cassation_card")
    unread = parse_card(page).unread
    assert any("'ОСНОВАНИЯ ОТМЕНЫ (ИЗМЕНЕНИЯ) РЕШЕНИЯ' not read (a value in 1 row)" in w for w in unread)
    assert not any("МАТЕРИАЛ" in note for note in unread)  # the column is there, empty
    cleared = re.sub(r"<td>Существенные нарушения[^<]*<br>[^<]*</td>", "<td></td>", page, count=1)
    assert cleared != page
    assert not any("ОСНОВАНИЯ ОТМЕНЫ" in note for note in parse_card(cleared).unread)
    renamed = page.replace("<b>Основания отмены (изменения) решения</b>", "<b>Новая графа</b>", 1)
    assert any("unknown column 'НОВАЯ ГРАФА'" in warning for warning in parse_card(renamed).warnings)
