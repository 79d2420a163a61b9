"""The OCR captcha solver: real sudrf captchas, the replica's drawn ones, broken and hostile pictures, the
second reading, and a missing extra."""

from __future__ import annotations

import csv
import io
import struct
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from tests.reference import REFERENCE, require
from warduty.courts import load_registry
from warduty.crawl import ocr
from warduty.crawl.ocr import OcrSolver, OcrUnavailable
from warduty.replica.captcha import CaptchaBook

COURT = load_registry().by_code("78GV0001")


@pytest.fixture(scope="module")
def solver() -> OcrSolver:
    return OcrSolver()


def test_reads_every_real_captcha(solver: OcrSolver) -> None:
    folder = require(REFERENCE / "captcha")
    labels = list(csv.DictReader((folder / "labels.csv").open(encoding="utf-8")))
    assert len(labels) == 10
    for row in labels:
        png = (folder / row["filename"]).read_bytes()
        assert solver.readings(png)[:1] == [row["expected"]], row["filename"]


def test_reads_at_least_95_percent_of_the_replicas_captchas(solver: OcrSolver) -> None:
    book = CaptchaBook(seed=2026)
    pictures = [book.issue("Санкт-Петербург")[1] for _ in range(200)]
    first = sum(solver.solve(p.png, COURT) == p.answer for p in pictures)
    assert first >= 190, f"{first} of 200 read at the first answer"


def test_asked_again_it_gives_its_next_reading_then_none(solver: OcrSolver) -> None:
    picture = CaptchaBook(seed=4).issue("Санкт-Петербург")[1]
    readings = solver.readings(picture.png)
    assert len(readings) == 2 and readings[0] != readings[1]
    assert all(len(r) == 5 and r.isdigit() for r in readings)
    assert solver.solve(picture.png, COURT) == readings[0]
    assert solver.solve(picture.png, COURT, rejected=readings[:1]) == readings[1]
    assert solver.solve(picture.png, COURT, rejected=readings) is None


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG header that claims a huge picture and carries almost no data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def _png(picture: Image.Image) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x89PNG\r\n\x1a\n",
        CaptchaBook(seed=1).issue("x")[1].png[:150],
        b"<html>captcha</html>",
        bytes(range(256)) * 4,
        _png_claiming(60_000, 60_000),
        _png(Image.new("RGB", (2000, 2000), (243, 243, 243))),
        b"\x00" * 2_000_000,
        _png(Image.new("RGB", (100, 30), (243, 243, 243))),  # a blank picture: no digits to read
    ],
    ids=[
        "empty",
        "signature only",
        "truncated",
        "html",
        "noise",
        "bomb header",
        "huge",
        "too many bytes",
        "blank",
    ],
)
def test_broken_pictures_give_none_never_an_exception(solver: OcrSolver, data: bytes) -> None:
    assert solver.solve(data, COURT) is None


def test_a_failing_model_gives_none() -> None:
    failing = OcrSolver()

    class Broken:
        def classification(self, *_args: object, **_kwargs: object) -> object:
            raise RuntimeError("onnxruntime: bad input")

    failing._model = Broken()
    assert failing.solve(CaptchaBook(seed=1).issue("x")[1].png, COURT) is None


def test_without_the_extra_it_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr.importlib.util, "find_spec", lambda name: None)
    assert not ocr.ocr_available()
    with pytest.raises(OcrUnavailable, match=r"pip install 'warduty\[ocr\]'"):
        OcrSolver()


@given(
    st.lists(
        st.lists(st.floats(min_value=0.0, max_value=1.0, allow_nan=False), min_size=11, max_size=11),
        max_size=40,
    )
)
def test_any_model_output_gives_at_most_two_distinct_five_digit_readings(steps: list[list[float]]) -> None:
    readings = ocr._candidates(steps)
    assert len(readings) <= 2 and len(set(readings)) == len(readings)
    assert all(len(r) == 5 and r.isdigit() for r in readings)


def test_repeats_merge_and_nothing_splits_them() -> None:
    one, nothing = 2, 0  # class 2 is the digit "1"
    assert ocr._collapse([one, one, nothing, one, 10, 10, nothing, 0]) == "119"
