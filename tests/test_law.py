from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from warduty.law import ArticleParseError, ArticleRef, chapter_of, group_of, parse_articles, part_info


def refs(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(r.article, r.part, r.point) for r in parse_articles(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ст.337 ч.5 УК РФ", [("337", "5", None)]),
        ("ст.337 ч.5; ст.338 ч.3 УК РФ", [("337", "5", None), ("338", "3", None)]),
        ("ст.183 ч.4; ст.290 ч.3 УК РФ", [("183", "4", None), ("290", "3", None)]),
        ("ст.173.1 ч.2 п.б УК РФ", [("173.1", "2", "б")]),
        ("ч. 2.1 ст. 337", [("337", "2.1", None)]),
        ("п. «б» ч. 2 ст. 333 УК РФ", [("333", "2", "б")]),
        ("Статья 337 Часть 5 п.а", [("337", "5", "а")]),
        ("ст. 3521 УК РФ", [("352.1", None, None)]),
        ("ч.21 ст.337", [("337", "2.1", None)]),
        ("ст.337 ч.31", [("337", "3.1", None)]),
        ("ст. 802", [("80.2", None, None)]),
        ("ст.337 ч.5\nст.338 ч.3", [("337", "5", None), ("338", "3", None)]),
        ("ст.337 ч.5 УК РФ; ст.337 ч.5 УК РФ", [("337", "5", None)]),
        ("СТ.337 Ч.3", [("337", "3", None)]),
        ("ст. 337, ч. 4", [("337", "4", None)]),
    ],
)
def test_written_forms(text: str, expected: list[tuple[str, str | None, str | None]]) -> None:
    assert refs(text) == expected


def test_acceptance_examples() -> None:
    awol, desertion = parse_articles("ст.337 ч.5; ст.338 ч.3 УК РФ")
    assert (awol.group, awol.wartime_part) == ("awol", True)
    assert (desertion.group, desertion.wartime_part) == ("desertion", True)
    (old_awol,) = parse_articles("ст.337 ч.3")
    assert not old_awol.wartime_part
    (drugs,) = parse_articles("ст.228 ч.2")
    assert drugs.group == "non_military" and drugs.chapter == 25 and not drugs.wartime_part


@pytest.mark.parametrize(
    ("article", "group"),
    [
        ("337", "awol"),
        ("338", "desertion"),
        ("332", "insubordination"),
        ("334", "violence_against_superior"),
        ("339", "malingering"),
        ("335", "other_military"),
        ("352.1", "other_military"),
        ("328", "non_military"),
        ("158", "non_military"),
    ],
)
def test_groups(article: str, group: str) -> None:
    assert group_of(article) == group


def test_catalogue_knows_the_2022_parts() -> None:
    wartime = {("332", "2.1"), ("332", "2.2"), ("334", "3"), ("337", "2.1"), ("337", "3.1"), ("337", "5")}
    for article, part in wartime:
        info = part_info(article, part)
        assert info is not None and info.wartime_part, (article, part)
    for article, part in [("337", "1"), ("337", "4"), ("338", "1"), ("332", "1")]:
        info = part_info(article, part)
        assert info is not None and not info.wartime_part
    assert not ArticleRef("352.1").wartime_part  # no mobilisation condition stated
    assert chapter_of("not a number") is None and chapter_of("999") is None


@pytest.mark.parametrize(
    "text",
    ["", "   ", "hello", "ст.337 ч.5 и ещё что-то", "ст.9999", "УК РФ", "ст.", "337", "\x00\x01"],
)
def test_unreadable_text_raises_with_the_text(text: str) -> None:
    with pytest.raises(ArticleParseError) as info:
        parse_articles(text)
    assert info.value.text == text


@given(st.text(max_size=60))
def test_any_text_either_parses_or_raises_the_typed_error(text: str) -> None:
    try:
        result = parse_articles(text)
    except ArticleParseError:
        return
    assert result and all(isinstance(r, ArticleRef) for r in result)
