"""Captcha images drawn in the terminal for the person answering them."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from rich.console import Console

from warduty.crawl.captcha_picture import UPPER_HALF, CaptchaPictureError, captcha_picture
from warduty.replica.captcha import load_captcha_images


def _rendered(picture: object, width: int = 200) -> str:
    console = Console(width=width, color_system="truecolor", force_terminal=True, record=True)
    console.print(picture)
    return console.export_text(styles=True)


def test_a_real_captcha_becomes_half_block_rows_in_its_colours() -> None:
    image = load_captcha_images()[0]
    picture = captcha_picture(image.png)
    rows = picture.plain.splitlines()
    assert len(rows) == 15 and all(row == UPPER_HALF * 100 for row in rows)  # 100 x 30 pixels
    original = Image.open(io.BytesIO(image.png)).convert("RGB")
    r, g, b = original.getpixel((0, 0))  # type: ignore[misc]
    assert f"38;2;{r};{g};{b}" in _rendered(picture)  # the top-left pixel's colour, in truecolor


def test_a_wide_image_is_scaled_down_to_the_columns() -> None:
    rows = captcha_picture(load_captcha_images()[0].png, columns=40).plain.splitlines()
    assert {len(row) for row in rows} == {40} and len(rows) == 6  # 40 x 12 pixels


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x89PNG\r\n\x1a\n",
        load_captcha_images()[0].png[:120],
        b"<html>captcha</html>",
        bytes(range(256)),
    ],
    ids=["empty", "signature only", "truncated", "html", "noise"],
)
def test_broken_images_give_a_clear_error(data: bytes) -> None:
    with pytest.raises(CaptchaPictureError, match="not a readable image"):
        captcha_picture(data)


def test_a_huge_image_is_refused_before_decoding() -> None:
    buffer = io.BytesIO()
    Image.new("L", (4000, 4000)).save(buffer, format="PNG")
    with pytest.raises(CaptchaPictureError, match="is not a captcha"):
        captcha_picture(buffer.getvalue())
