"""The replica's own captchas: drawn like the sites' (100 x 30 PNG, five digits), deterministic for a
seed, answered per region within their time to live."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image

from warduty.replica.captcha import BACKGROUND, INK, CaptchaBook, CaptchaVerdict, draw_captcha

SPB, HABAROVSK = "Санкт-Петербург", "Хабаровский край"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_pictures_look_like_the_sites_and_repeat_for_a_seed() -> None:
    first = [CaptchaBook(seed=5).issue(SPB) for _ in range(1)] + [CaptchaBook(seed=5).issue(SPB)]
    assert first[0] == first[1]  # same seed, same n-th id and picture
    book = CaptchaBook(seed=5)
    issued = [book.issue(SPB) for _ in range(30)]
    assert len({captcha_id for captcha_id, _ in issued}) == 30
    assert len({image.png for _, image in issued}) == 30
    answers = [image.answer for _, image in issued]
    assert all(len(a) == 5 and a.isdigit() for a in answers)
    assert len(set("".join(answers))) == 10  # every digit turns up
    for _, image in issued[:5]:
        picture = Image.open(io.BytesIO(image.png))
        assert picture.format == "PNG" and picture.size == (100, 30)
        colours = dict((c, n) for n, c in picture.convert("RGB").getcolors(3000) or [])
        assert colours[BACKGROUND] > 1500  # mostly the light ground
        assert colours.get(INK, 0) > 60  # digits in the sites' dark cyan
    assert CaptchaBook(seed=6).issue(SPB)[0] != issued[0][0]


def test_only_digits_are_drawn() -> None:
    with pytest.raises(ValueError, match="digits only"):
        draw_captcha("12a45", random.Random(1))


def test_verdicts_per_region_and_time_to_live() -> None:
    clock = Clock()
    book = CaptchaBook(seed=1, ttl=100.0, clock=clock)
    captcha_id, image = book.issue(SPB)
    assert book.answer_of(captcha_id) == image.answer and book.answer_of("nope") is None
    wrong = "0" * 5 if image.answer != "00000" else "11111"
    assert book.check(SPB, None, captcha_id) is CaptchaVerdict.MISSING
    assert book.check(SPB, image.answer, "nope") is CaptchaVerdict.UNKNOWN
    assert book.check(HABAROVSK, image.answer, captcha_id) is CaptchaVerdict.UNKNOWN  # another region
    assert book.check(SPB, wrong, captcha_id) is CaptchaVerdict.WRONG
    assert book.solved == 0
    clock.now += 60
    assert book.check(SPB, f" {image.answer} ", captcha_id) is CaptchaVerdict.OK  # a wrong try spent nothing
    assert book.solved == 1 and book.issued == 1
    clock.now += 90  # 150 s after issue, 90 s after the first right answer: still valid
    assert book.check(SPB, image.answer, captcha_id) is CaptchaVerdict.OK
    clock.now += 11
    assert book.check(SPB, image.answer, captcha_id) is CaptchaVerdict.EXPIRED
    unsolved, _ = book.issue(SPB)
    clock.now += 101
    assert book.check(SPB, "12345", unsolved) is CaptchaVerdict.EXPIRED
    assert book.verdicts[CaptchaVerdict.OK] == 2 and book.verdicts[CaptchaVerdict.WRONG] == 1
