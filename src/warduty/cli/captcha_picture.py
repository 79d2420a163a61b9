"""A captcha image drawn in the terminal, so the person answering need not open a file.

Each character cell shows two pixel rows: the upper half block «▀» in the colour of the upper pixel on a
background of the lower one. Rich lowers the colours to what the terminal supports.
"""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError
from rich.color import Color
from rich.style import Style
from rich.text import Text

UPPER_HALF = "▀"
MAX_PIXELS = 1_000_000  # a captcha is about 100 x 30; anything far larger is not one


class CaptchaPictureError(ValueError):
    """The bytes are not an image that can be drawn."""


def captcha_picture(png: bytes, *, columns: int = 100) -> Text:
    """The image as rows of half blocks, at most ``columns`` wide (scaled down, never up)."""
    try:
        image: Image.Image = Image.open(io.BytesIO(png))
        if image.width * image.height > MAX_PIXELS:
            raise CaptchaPictureError(f"image of {image.width} x {image.height} pixels is not a captcha")
        image = image.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise CaptchaPictureError(f"not a readable image: {exc}") from exc
    if columns < 1:
        raise ValueError("columns must be positive")
    if image.width > columns:
        height = max(1, round(image.height * columns / image.width))
        image = image.resize((columns, height), Image.Resampling.LANCZOS)
    data = image.tobytes()  # RGB, row after row
    width, height = image.width, image.height

    def colour(x: int, y: int) -> Color:
        at = 3 * (min(y, height - 1) * width + x)
        return Color.from_rgb(data[at], data[at + 1], data[at + 2])

    picture = Text()
    for top in range(0, height, 2):
        for x in range(width):
            picture.append(UPPER_HALF, Style(color=colour(x, top), bgcolor=colour(x, top + 1)))
        picture.append("\n")
    return picture
