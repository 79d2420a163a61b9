"""Reading sudrf query strings as the sites do: windows-1251, both engines, malformed input."""

from __future__ import annotations

from datetime import date

import pytest

from warduty.replica.query import (
    ArticleFilter,
    CardRequest,
    DateRange,
    DocRequest,
    QueryError,
    SearchFormRequest,
    SearchRequest,
    encode_query,
    parse_article,
    parse_date,
    parse_modules_request,
    parse_query_string,
    query_pairs,
)

STANDARD_SEARCH = (
    "name=sud_delo&srv_num=1&name_op=r&delo_id=1540006&case_type=0&new=0&delo_table=u1_case"
    "&U1_DEFENDANT__LAW_ARTICLESS=337+%F7.5&u1_case__ENTRY_DATE1D=01.03.2024&u1_case__ENTRY_DATE2D=31.03.2024"
    "&u1_case__RESULT_DATE1D=&Submit=%CD%E0%E9%F2%E8&page=2"
)


def test_windows_1251_values_and_case_insensitive_last_wins() -> None:
    params = parse_query_string(b"A=1&a=2&Submit=%CD%E0%E9%F2%E8&x=337+%F7.5")
    assert params == {"a": "2", "submit": "Найти", "x": "337 ч.5"}


def test_bytes_outside_windows_1251_are_refused() -> None:
    with pytest.raises(QueryError):
        query_pairs(b"x=%98")


def test_encode_query_round_trips() -> None:
    pairs = [("U1_DEFENDANT__LAW_ARTICLESS", "337 ч.5"), ("Submit", "Найти"), ("d", "01.03.2024")]
    encoded = encode_query(pairs)
    assert "337+%F7.5" in encoded and "%CD%E0%E9%F2%E8" in encoded
    assert query_pairs(encoded) == pairs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("337", ArticleFilter("337")),
        ("337 ч.5", ArticleFilter("337", "5")),
        ("ст.337 ч. 2.1", ArticleFilter("337", "2.1")),
        ("158 ч.3 п.а", ArticleFilter("158", "3", "а")),
        ("  ", None),
    ],
)
def test_article_filter(text: str, expected: ArticleFilter | None) -> None:
    assert parse_article(text) == expected


@pytest.mark.parametrize("text", ["abc", "337 часть", "С‡.5", "337; 338", "1234567"])
def test_bad_article_filter(text: str) -> None:
    with pytest.raises(QueryError):
        parse_article(text)


@pytest.mark.parametrize("text", ["2024-03-01", "31.02.2024", "1.3.2024", "01.03.24", "01.03.2024x"])
def test_bad_dates(text: str) -> None:
    with pytest.raises(QueryError):
        parse_date(text, "u1_case__ENTRY_DATE1D")


def test_date_range_is_inclusive() -> None:
    window = DateRange(date(2024, 3, 1), date(2024, 3, 31))
    assert window.contains(date(2024, 3, 1)) and window.contains(date(2024, 3, 31))
    assert not window.contains(date(2024, 4, 1)) and not window.contains(None)
    assert DateRange().contains(None)


def test_standard_search() -> None:
    request = parse_modules_request(query_pairs(STANDARD_SEARCH), "standard", "27GV0004")
    assert isinstance(request, SearchRequest)
    assert request.page == 2
    assert request.criteria.article == ArticleFilter("337", "5")
    assert request.criteria.received == DateRange(date(2024, 3, 1), date(2024, 3, 31))
    assert request.criteria.decided.open
    assert all(name.lower() != "page" for name, _ in request.link_params)
    assert ("U1_DEFENDANT__LAW_ARTICLESS", "337 ч.5") in request.link_params


def test_missing_submit_gives_the_form() -> None:
    query = STANDARD_SEARCH.replace("&Submit=%CD%E0%E9%F2%E8", "")
    assert parse_modules_request(query_pairs(query), "standard", "27GV0004") == SearchFormRequest("standard")


@pytest.mark.parametrize(
    "change",
    [
        ("delo_id=1540006", "delo_id=4"),
        ("new=0", "new=4"),
        ("page=2", "page=0"),
        ("page=2", "page=two"),
        ("ENTRY_DATE1D=01.03.2024", "ENTRY_DATE1D=2024-03-01"),
        ("337+%F7.5", "337+%D1%87.5"),  # «ч.» sent as UTF-8: the site reads mojibake
        ("name=sud_delo", "name=other"),
    ],
)
def test_malformed_standard_queries(change: tuple[str, str]) -> None:
    with pytest.raises(QueryError):
        parse_modules_request(query_pairs(STANDARD_SEARCH.replace(*change)), "standard", "27GV0004")


def test_vintage_search_card_and_empty_vnkod() -> None:
    query = (
        "name=sud_delo&srv_num=1&name_op=r&_deloId=1540006&case__case_type=0&_new=0&case__vnkod=63GV0001"
        "&parts__law_articless=338&case__result_date1d=01.01.2024&_page=3"
    )
    request = parse_modules_request(query_pairs(query), "vintage", "63GV0001")
    assert isinstance(request, SearchRequest)
    assert request.page == 3 and request.criteria.article == ArticleFilter("338")
    assert request.criteria.decided == DateRange(date(2024, 1, 1), None)
    empty_vnkod = query.replace("case__vnkod=63GV0001", "case__vnkod=")
    assert parse_modules_request(query_pairs(empty_vnkod), "vintage", "63GV0001") == SearchFormRequest(
        "vintage"
    )
    with pytest.raises(QueryError):
        parse_modules_request(query_pairs(query), "vintage", "63GV0007")
    card = "name=sud_delo&name_op=case&_id=17&_uid=abc&_deloId=1540006&_caseType=0&_new=0&srv_num=1"
    assert parse_modules_request(query_pairs(card), "vintage", "63GV0001") == CardRequest(
        "vintage", 17, "abc"
    )


def test_card_and_doc_requests() -> None:
    card = "name=sud_delo&srv_num=1&name_op=case&case_id=5&case_uid=u-1&delo_id=1540006"
    assert parse_modules_request(query_pairs(card), "standard", "X") == CardRequest("standard", 5, "u-1")
    doc = "name=sud_delo&srv_num=1&name_op=doc&number=77&delo_id=1540006&new=0&text_number=1"
    assert parse_modules_request(query_pairs(doc), "standard", "X") == DocRequest(77, 1)
    with pytest.raises(QueryError):
        parse_modules_request(query_pairs(card.replace("case_id=5", "case_id=x")), "standard", "X")
