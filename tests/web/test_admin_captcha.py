"""The admin page's crawl reads captchas by OCR first and asks the person only where the OCR has no
reading (issue 14: captcha courts without a person)."""

from __future__ import annotations

import random
import threading
from collections.abc import Sequence

import pytest

from warduty.courts import Court, load_registry
from warduty.crawl.captcha import FirstAnswer
from warduty.crawl.ocr import ocr_available
from warduty.replica.captcha import draw_captcha
from warduty.web.admin import AdminState
from warduty.web.sessions import SessionStore

COURT = next(court for court in load_registry() if court.captcha)


class _Says:
    def __init__(self, answer: str | None) -> None:
        self.answer = answer
        self.asked: list[tuple[str, ...]] = []

    def solve(self, image: bytes, court: Court, rejected: Sequence[str] = ()) -> str | None:
        self.asked.append(tuple(rejected))
        return self.answer


def test_the_first_solver_with_an_answer_answers() -> None:
    blank, knows, never = _Says(None), _Says("12345"), _Says("99999")
    assert FirstAnswer(blank, knows, never).solve(b"png", COURT, ("11111",)) == "12345"
    assert blank.asked == knows.asked == [("11111",)]  # what the site refused reaches each of them
    assert never.asked == []
    assert FirstAnswer(blank, _Says("")).solve(b"png", COURT) is None  # an empty answer is none


@pytest.mark.skipif(not ocr_available(), reason="the ocr extra (ddddocr) is not installed")
def test_the_admin_crawl_reads_captchas_without_the_person() -> None:
    state = AdminState(SessionStore(lifetime=60, idle=60))
    picture = draw_captcha("40718", random.Random(3))
    assert state.crawl_solver.solve(picture, COURT) == "40718"
    assert state.solver.asked == 0


@pytest.mark.skipif(not ocr_available(), reason="the ocr extra (ddddocr) is not installed")
def test_a_picture_the_ocr_cannot_read_goes_to_the_person() -> None:
    state = AdminState(SessionStore(lifetime=60, idle=60))
    state.solver.wait_seconds = 10
    answers: list[str | None] = []
    asking = threading.Thread(target=lambda: answers.append(state.crawl_solver.solve(b"not a png", COURT)))
    asking.start()
    for _ in range(200):  # until the page shows the picture
        if state.solver.pending() is not None:
            break
        threading.Event().wait(0.02)
    assert state.solver.answer("31337")
    asking.join(timeout=10)
    assert answers == ["31337"] and state.solver.asked == 1
