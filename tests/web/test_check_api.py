"""``POST /api/v1/check`` and the "Check a claim" page on the crawled demo database: answers in the JSON
envelope whose case lists hold as many cases as they say; hostile input gets a 4xx, never a 5xx."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.test_figure_cases import _listed

SENTENCE = (
    "Since the mobilisation, garrison courts in Samara Oblast received 40 AWOL cases; in March 2024 "
    "military courts convicted a record 10 deserters."
)


def test_check_answers_with_definitions_and_case_lists(client: TestClient) -> None:
    response = client.post("/api/v1/check", json={"text": SENTENCE})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ok"] is True and body["meta"]["tolerance"] == 0.05
    answers = body["data"]["answers"]
    assert body["data"]["as_of"] == "2024-04-12" and len(answers) == 2
    for answer in answers:
        assert answer["verdict"] in body["meta"]["verdicts"]
        figure = answer["figure"]
        assert figure["definition"] in ("region", "sentences") and figure["definition_text"]["en"]
        assert figure["cases_url"], answer
        assert _listed(client, figure["cases_url"]) == figure["cases"], figure
    region = answers[0]["claim"]
    assert region["region"] == "Самарская область" and region["measure"] == "received"
    assert answers[1]["claim"]["articles"] == ["338"] and answers[1]["claim"]["superlative"] == "record"


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        ({"text": "7" * 10_240}, 400, "text"),  # 10 KB of digits: longer than a check reads
        ({"text": ""}, 400, "text"),
        ({"text": "   "}, 400, "empty"),
        ({}, 400, "text"),
        ({"text": 684}, 400, "text"),
        ({"text": "684 AWOL sentences in March", "as_of": "1900-01-01"}, 400, "as_of"),
        ({"text": "684 AWOL sentences in March", "as_of": "not a date"}, 400, "as_of"),
    ],
)
def test_bad_requests_get_a_clear_error(
    client: TestClient, payload: dict[str, object], status: int, message: str
) -> None:
    response = client.post("/api/v1/check", json=payload)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and message in body["error"]["message"]


def test_a_one_megabyte_body_is_refused(client: TestClient) -> None:
    response = client.post(
        "/api/v1/check",
        content=b'{"text": "' + b"1" * 1_048_576 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["ok"] is False


def test_broken_json_and_wrong_encoding(client: TestClient) -> None:
    for content in (
        b'{"text": "684 AWOL',
        b"{'text': 'x'}",
        '{"text": "в марте 684"}'.encode("cp1251"),
    ):
        response = client.post("/api/v1/check", content=content, headers={"content-type": "application/json"})
        assert response.status_code == 400, (content, response.text)
        assert response.json()["ok"] is False


@pytest.mark.parametrize(
    "text",
    [
        "No number here, only desertion.",
        "<script>alert(1)</script><b>684</b> AWOL <i>sentences</i> in March",
        "В марте 2024 courts вынесли 684 sentences за самоволку 🙂 \u202e\u0000",
        "9" * 4_000,
        "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 AWOL cases in March",
    ],
)
def test_hostile_text_gets_an_answer(client: TestClient, text: str) -> None:
    response = client.post("/api/v1/check", json={"text": text})
    assert response.status_code == 200, response.text
    assert response.json()["ok"] is True


def test_check_page_in_both_languages(client: TestClient) -> None:
    empty = client.get("/check")
    assert empty.status_code == 200 and 'name="text"' in empty.text
    for lang, verdict, nav in (
        ("en", "cannot be checked", "Check a claim"),
        ("ru", "проверить нельзя", "Проверить"),
    ):
        page = client.get(
            "/check", params={"text": "In March, 5 AWOL cases", "lang": lang, "as_of": "2024-04-12"}
        )
        assert page.status_code == 200 and nav in page.text
        assert "/cases?counted=" in page.text or verdict in page.text
    hostile = client.get("/check", params={"text": "<script>alert(1)</script> 684 AWOL sentences in March"})
    assert hostile.status_code == 200 and "<script>alert(1)</script>" not in hostile.text
    too_long = client.get("/check", params={"text": "7" * 10_240})
    assert too_long.status_code == 400
