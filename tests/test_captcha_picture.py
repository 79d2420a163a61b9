"""Captcha images drawn in the terminal for the person answering them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from rich.console import Console

from warduty.cli import crawl_cmd
from warduty.cli.captcha_picture import UPPER_HALF, CaptchaPictureError, captcha_picture
from warduty.courts import Court, load_registry
from warduty.replica.captcha import CaptchaBook

CAPTCHA = CaptchaBook(seed=3).issue("Санкт-Петербург")[1]  # drawn by the replica like the sites' own


def _rendered(picture: object, width: int = 200) -> str:
    console = Console(width=width, color_system="truecolor", force_terminal=True, record=True)
    console.print(picture)
    return console.export_text(styles=True)


def test_a_captcha_becomes_half_block_rows_in_its_colours() -> None:
    image = CAPTCHA
    picture = captcha_picture(image.png)
    rows = picture.plain.splitlines()
    assert len(rows) == 15 and all(row == UPPER_HALF * 100 for row in rows)  # 100 x 30 pixels
    original = Image.open(io.BytesIO(image.png)).convert("RGB")
    r, g, b = original.getpixel((0, 0))  # type: ignore[misc]
    assert f"38;2;{r};{g};{b}" in _rendered(picture)  # the top-left pixel's colour, in truecolor


def test_a_wide_image_is_scaled_down_to_the_columns() -> None:
    rows = captcha_picture(CAPTCHA.png, columns=40).plain.splitlines()
    assert {len(row) for row in rows} == {40} and len(rows) == 6  # 40 x 12 pixels


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x89PNG\r\n\x1a\n",
        CAPTCHA.png[:120],
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


def test_the_interactive_prompt_draws_the_captcha_with_the_bars_paused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    image = CAPTCHA
    path = tmp_path / "captcha-78GV0001.png"
    path.write_bytes(image.png)
    terminal = Console(file=io.StringIO(), force_terminal=True, width=120, record=True)
    monkeypatch.setattr(crawl_cmd, "err_console", terminal)
    monkeypatch.setattr(crawl_cmd.typer, "prompt", lambda *_a, **_k: image.answer)
    events: list[str] = []

    class Bars:
        def stop(self) -> None:
            events.append("stop")

        def start(self) -> None:
            events.append("start")

    def ask(where: Path, court: Court) -> str:
        events.append("ask")
        return crawl_cmd._ask(where, court)

    court = load_registry().by_code("78GV0001")
    assert crawl_cmd._pausing(Bars(), ask)(path, court) == image.answer  # type: ignore[arg-type]
    assert events == ["stop", "ask", "start"]
    shown = terminal.export_text()
    assert str(path) in shown and UPPER_HALF * 100 in shown
    path.write_bytes(b"<html>not an image</html>")  # still asked, with the path to open
    assert crawl_cmd._ask(path, court) == image.answer
    assert "cannot draw it here" in terminal.export_text()
