"""The claim parser on hostile input: never a crash, a clear error or no claim."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warduty.claims.parse import MAX_CLAIMS, MAX_TEXT, ClaimTextError, parse_claims
from warduty.claims.words import VocabularyError, parse_vocabulary

AS_OF = date(2024, 4, 12)


def test_ten_kilobytes_of_digits_is_a_clear_error() -> None:
    with pytest.raises(ClaimTextError, match="longer than"):
        parse_claims("7" * 10_240, AS_OF)


def test_a_long_number_is_not_a_count() -> None:
    (claim,) = parse_claims("Courts received " + "9" * 4_000 + " AWOL cases in March.", AS_OF)
    assert claim.number is None


def test_no_number_no_claim_and_empty_text_is_an_error() -> None:
    assert parse_claims("Desertion is a crime under the Criminal Code.", AS_OF) == []
    with pytest.raises(ClaimTextError, match="empty"):
        parse_claims(" \n\t ", AS_OF)


def test_html_is_read_as_text() -> None:
    (claim,) = parse_claims(
        "<p>Courts <b>convicted</b> <script>x()</script>684 AWOL soldiers in March</p>", AS_OF
    )
    assert (claim.number, claim.articles, claim.measure) == (684, ("337",), "sentences")


def test_mixed_scripts_and_homoglyphs() -> None:
    claims = parse_claims(
        "В марте 2024 courts вынесли 684 sentences за самоволку; Мoscow (latin o) 12", AS_OF
    )
    assert claims[0].number == 684 and claims[0].articles == ("337",)


def test_years_dates_articles_and_percentages_are_not_counts() -> None:
    claims = parse_claims("On 21 September 2022 (decree No. 647) art. 337 cases rose 63% in 2022.", AS_OF)
    assert claims == []


def test_many_numbers_are_capped() -> None:
    text = "AWOL cases in March: " + ", ".join(str(n) for n in range(100, 200))
    assert len(parse_claims(text, AS_OF)) == MAX_CLAIMS


def test_a_region_form_for_a_region_without_courts_is_refused() -> None:
    empty: dict[str, list[str]] = {"en": [], "ru": []}
    period = {"since_mobilisation": empty, "first_half": empty, "second_half": empty,
              "since_start_of_year": empty, "days": []}  # fmt: skip
    document = {
        "offence": [],
        "measure": {"sentences": empty, "received": empty},
        "period": period,
        "superlative": empty,
        "asylum": {**empty, "destination": empty},
        "hedge": empty,
        "region": {"Атлантида": {"en": ["atlantis"], "ru": []}},
    }
    with pytest.raises(VocabularyError, match="Атлантида"):
        parse_vocabulary(document, {"Московская область"})


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=MAX_TEXT))
def test_any_text_gives_claims_or_a_clear_error(text: str) -> None:
    try:
        claims = parse_claims(text, AS_OF)
    except ClaimTextError:
        return
    assert len(claims) <= MAX_CLAIMS
    for claim in claims:
        assert claim.number is None or 0 <= claim.number <= 10_000_000
        assert claim.quote


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["684", "7,400", "AWOL", "desertion", "в марте", "since the mobilisation",
                                 "Подмосковье", "record", "2023", "<b>", "%", "приговоров", "дел", " ", "."]),
                max_size=40))  # fmt: skip
def test_press_like_word_salad_never_crashes(words: list[str]) -> None:
    try:
        parse_claims(" ".join(words), AS_OF)
    except ClaimTextError as exc:
        assert "empty" in str(exc)  # only markup or spaces
