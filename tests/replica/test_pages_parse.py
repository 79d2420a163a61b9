"""Every replica page type reads back with the project's sudrf parsers, and every state page and fault
page is classified as what it is."""

from __future__ import annotations

from datetime import date

import pytest

from tests.replica.synthetic import CAPTCHA_A, STANDARD, VINTAGE, make_case
from warduty.courts import load_registry
from warduty.replica import pages, pages_form, pages_standard, pages_vintage
from warduty.replica.captcha import CaptchaBook
from warduty.replica.pages import case_view
from warduty.replica.server import encode_page
from warduty.sudrf import PageState, classify_page, decode_page, parse_card, parse_document, parse_listing
from warduty.sudrf.pages import parse_captcha

AS_OF = date(2024, 6, 1)
LINK = (("name", "sud_delo"), ("name_op", "r"), ("delo_id", "1540006"), ("Submit", "Найти"))


def served(text: str) -> str:
    """Through the wire format: windows-1251 bytes, decoded as a client would."""
    return decode_page(encode_page(text), "windows-1251")


def sample_views() -> list[pages.CaseView]:
    decided = make_case(
        STANDARD,
        1,
        received=date(2024, 1, 10),
        articles=(("337", "5"), ("338", "1")),
        decided=date(2024, 3, 1),
        published=date(2024, 3, 20),
        persons=2,
    )
    pending = make_case(STANDARD, 2, received=date(2024, 2, 10), articles=(("332", "2.1"),))
    return [case_view(decided, AS_OF), case_view(pending, AS_OF)]


@pytest.mark.parametrize("module", [pages_standard, pages_vintage])
def test_listing_parses_with_counter_and_rows(module: object) -> None:
    court = load_registry().by_code(STANDARD if module is pages_standard else VINTAGE)
    views = sample_views()
    html = served(module.listing_page(court, views, page=2, total=27, link_params=LINK))  # type: ignore[attr-defined]
    assert classify_page(html) is PageState.RESULTS
    listing = parse_listing(html)
    size = module.PAGE_SIZE  # type: ignore[attr-defined]
    assert (listing.total, listing.first, listing.last) == (27, size + 1, min(27, 2 * size))
    assert [row.case_number for row in listing.rows] == ["1-1/2024", "1-2/2024"]
    first, second = listing.rows
    assert first.received == date(2024, 1, 10) and first.decided == date(2024, 3, 1)
    assert first.result == "Вынесен ПРИГОВОР" and len(first.act_urls) == 1
    assert second.decided is None and second.act_urls == ()
    assert "ст.332 ч.2.1" in second.info
    assert first.case_id == str(views[0].case.site_id) and first.case_uid == views[0].case.site_uid


@pytest.mark.parametrize("module", [pages_standard, pages_vintage])
def test_card_parses(module: object) -> None:
    court = load_registry().by_code(STANDARD if module is pages_standard else VINTAGE)
    view = sample_views()[0]
    html = served(module.card_page(court, view))  # type: ignore[attr-defined]
    assert classify_page(html) is PageState.CARD
    card = parse_card(html)
    case = view.case
    assert (card.case_number, card.uid, card.received) == (case.case_number, case.uid, case.received)
    assert card.judge == case.judge and card.decided == case.decided and card.result == case.result
    assert [p.articles_raw for p in card.persons] == [p.articles_raw for p in case.persons]
    assert {ref.article for p in card.persons for ref in p.articles} == {"337", "338"}
    assert [e.name for e in card.events] == [e.name for e in case.events]
    assert len(card.acts) == 1 and card.acts[0].text is not None and "ПРИГОВОР" in card.acts[0].text


def test_pending_card_has_no_decision() -> None:
    court = load_registry().by_code(STANDARD)
    card = parse_card(served(pages_standard.card_page(court, sample_views()[1])))
    assert card.decided is None and card.result is None and card.acts == ()


def test_document_parses() -> None:
    court = load_registry().by_code(STANDARD)
    view = sample_views()[0]
    html = served(pages_standard.document_page(court, view, 0))
    assert classify_page(html) is PageState.DOCUMENT
    document = parse_document(html)
    assert "ФИО1" in document.text and "ч. 5 ст. 337" in document.text


def test_state_pages_are_classified() -> None:
    court = load_registry().by_code(CAPTCHA_A)
    image = CaptchaBook().issue(court.seat_region_ru)[1]
    captcha = served(
        pages_form.search_form_page(court, "standard", captcha_png_base64=image.base64, captcha_id="abc")
    )
    assert classify_page(captcha) is PageState.CAPTCHA
    parsed = parse_captcha(captcha)
    assert parsed.captcha_id == "abc" and parsed.image == image.png
    for engine in ("standard", "vintage"):
        wrong = served(pages_form.wrong_captcha_page(court, engine))  # type: ignore[arg-type]
        assert classify_page(wrong) is PageState.CAPTCHA
        assert parse_captcha(wrong).image is None  # no new image: the crawler has to ask for the form
    for engine in ("standard", "vintage"):
        assert classify_page(served(pages.no_data_page(court, engine))) is PageState.EMPTY  # type: ignore[arg-type]
        form = served(pages_form.search_form_page(court, engine))  # type: ignore[arg-type]
        assert classify_page(form) is PageState.SEARCH_FORM
    assert classify_page(served(pages.throttle_page(court))) is PageState.UNAVAILABLE
    assert classify_page(served(pages.empty_document_page(court))) is PageState.EMPTY_DOCUMENT
    assert classify_page(served(pages.unknown_server_page("x--y.sudrf.ru"))) is PageState.SERVER_NOT_FOUND


def test_fault_pages_are_classified() -> None:
    from warduty.replica.server import _nginx_page

    assert classify_page(_nginx_page(429).decode("ascii")) is PageState.UNAVAILABLE
    court = load_registry().by_code(STANDARD)
    listing = pages_standard.listing_page(court, sample_views(), page=1, total=2, link_params=LINK)
    misdeclared = decode_page(listing.encode("cp1251"), "utf-8")  # windows-1251 bytes labelled utf-8
    assert classify_page(misdeclared) is PageState.RESULTS
    reverse = decode_page(listing.encode("utf-8"), "windows-1251")  # utf-8 bytes labelled windows-1251
    assert classify_page(reverse) is PageState.RESULTS
