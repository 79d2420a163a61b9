"""Captchas read by OCR: ddddocr (the optional extra ``warduty[ocr]``), a captcha reader whose model ships
inside its package, so nothing is downloaded.

The sudrf captchas are five digits. ddddocr's model reads thousands of characters; here its output is
restricted to digits step by step (the best of "nothing" and the ten digits at each position of its
reading, then the usual collapse of repeats), so a digit that looks a little like a letter still counts
as the likeliest digit instead of dropping out. Only a five-digit reading is an answer.

Asked again about a picture whose first answer the site refused, the solver gives its next likeliest
reading: the first with its least sure position changed to its runner-up. ddddocr and onnxruntime take
a while to import, so they are imported on the first captcha, not with this module.
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import logging
import math
import threading
import warnings
from collections.abc import Sequence
from typing import Any

from PIL import Image

from warduty.courts import Court

log = logging.getLogger(__name__)

ANSWER_DIGITS = 5
MAX_PIXELS = 200_000  # a captcha is 100 x 30; a far larger picture is not one and is not read
MAX_BYTES = 1_000_000
_DIGITS = "0123456789"
_TINY = 1e-12


class OcrUnavailable(RuntimeError):
    """The ``ocr`` extra (ddddocr) is not installed."""


def ocr_available() -> bool:
    """Is ddddocr installed? (checked without importing it)"""
    return importlib.util.find_spec("ddddocr") is not None


class OcrSolver:
    """A :class:`~warduty.crawl.captcha.CaptchaSolver` that reads the digits itself.

    Safe to share between threads: one reading at a time (the model object keeps state between calls)."""

    def __init__(self) -> None:
        if not ocr_available():
            raise OcrUnavailable("reading captchas needs the ocr extra: pip install 'warduty[ocr]' (ddddocr)")
        self._model: Any = None
        self._digit_columns: list[int] = []
        self._lock = threading.Lock()
        self.read = 0  # pictures read, for the benchmarks

    def solve(self, image: bytes, court: Court, rejected: Sequence[str] = ()) -> str | None:
        """The likeliest reading the site has not refused yet, or None."""
        for reading in self.readings(image):
            if reading not in rejected:
                return reading
        log.info("captcha for %s: no %sfive-digit reading", court.code, "other " if rejected else "")
        return None

    def readings(self, image: bytes) -> list[str]:
        """The five-digit readings of a captcha picture, likeliest first (at most two); [] when the bytes
        are not a picture, are far too large for a captcha, or hold no five digits."""
        picture = _picture(image)
        if picture is None:
            return []
        try:
            with self._lock:
                model = self._loaded()
                result = model.classification(picture, probability=True)
                columns = self._digit_columns
                self.read += 1
            steps = _digit_steps(result, columns)
        except Exception as exc:  # the model's own errors: this picture is not read, the crawl goes on
            log.warning("the OCR could not read a captcha picture: %s", exc)
            return []
        return _candidates(steps)

    def _loaded(self) -> Any:
        """The model, loaded on first use (ddddocr and onnxruntime take a while to import)."""
        if self._model is None:
            try:
                ddddocr = importlib.import_module("ddddocr")
            except ImportError as exc:
                raise OcrUnavailable(f"the ocr extra is installed but does not import: {exc}") from exc
            self._model = ddddocr.DdddOcr(show_ad=False)
            charset = list(self._model.get_charset())
            self._digit_columns = [charset.index(digit) for digit in _DIGITS]
        return self._model


def _picture(image: bytes) -> Image.Image | None:
    """The bytes as an RGB picture, or None when they are not one a captcha could be."""
    if not image or len(image) > MAX_BYTES:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(image))
            if picture.width * picture.height > MAX_PIXELS:
                return None
            picture.load()
            return picture.convert("RGB")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        return None


def _digit_steps(result: Any, digit_columns: list[int]) -> list[list[float]]:
    """Per step of the reading, the probabilities of "nothing" (column 0) and of each digit."""
    import numpy as np  # here: every command imports this module, few read a captcha

    probabilities = np.asarray(result["probabilities"], dtype=np.float32)
    probabilities = probabilities.reshape(-1, probabilities.shape[-1])
    chosen = probabilities[:, [0, *digit_columns]]
    return [[float(p) for p in row] for row in chosen]


def _collapse(path: list[int]) -> str:
    """A path of class numbers (0 nothing, 1-10 the digits) as text: repeats merge, "nothing" splits."""
    text = []
    previous = 0
    for cls in path:
        if cls != previous and cls != 0:
            text.append(_DIGITS[cls - 1])
        previous = cls
    return "".join(text)


def _candidates(steps: list[list[float]]) -> list[str]:
    """The likeliest five-digit readings, at most two: the best path, then paths with one step changed to
    its runner-up, the change that costs the path the least probability first."""
    if not steps:
        return []
    best = [max(range(len(row)), key=row.__getitem__) for row in steps]
    changes = []
    for position, row in enumerate(steps):
        runner_up = max((c for c in range(len(row)) if c != best[position]), key=row.__getitem__)
        cost = math.log(max(row[best[position]], _TINY)) - math.log(max(row[runner_up], _TINY))
        changes.append((cost, position, runner_up))
    paths = [best]
    for _, position, runner_up in sorted(changes):
        changed = list(best)
        changed[position] = runner_up
        paths.append(changed)
    found: list[str] = []
    for path in paths:
        text = _collapse(path)
        if len(text) == ANSWER_DIGITS and text not in found:
            found.append(text)
            if len(found) == 2:
                break
    return found
