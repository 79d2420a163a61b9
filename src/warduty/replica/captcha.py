"""The replica's captcha: real sudrf captcha images, answered by their labels, valid per region.

A court flagged with a captcha answers a search only with a solved ``captcha``/``captchaid`` pair. A pair
is bound to the seat region of the court that issued it: once answered correctly it is accepted by every
court of that region until ``ttl`` seconds (server wall time) after the first correct answer, as the live
sites accept one solved captcha for a whole region. An unsolved pair also expires ``ttl`` after issue.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache
from importlib import resources

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DEFAULT_TTL = 6 * 3600.0


class CaptchaDataError(ValueError):
    """The packaged captcha images or labels are missing or malformed."""


@dataclass(frozen=True, slots=True)
class CaptchaImage:
    filename: str
    answer: str
    png: bytes

    @property
    def base64(self) -> str:
        return base64.b64encode(self.png).decode("ascii")


class CaptchaVerdict(Enum):
    OK = "ok"
    MISSING = "missing"  # no pair sent
    WRONG = "wrong"  # known id, wrong answer
    UNKNOWN = "unknown"  # id never issued, or issued for another region
    EXPIRED = "expired"


def parse_labels(text: str) -> dict[str, str]:
    """``labels.csv`` (filename, expected, ...) -> {filename: answer}; answers are 5 digits."""
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or not {"filename", "expected"} <= set(reader.fieldnames):
        raise CaptchaDataError("labels.csv needs the columns filename and expected")
    labels: dict[str, str] = {}
    for line, row in enumerate(reader, start=2):
        name, answer = (row.get("filename") or "").strip(), (row.get("expected") or "").strip()
        if not name.endswith(".png") or not (answer.isdigit() and len(answer) == 5):
            raise CaptchaDataError(f"labels.csv row {line}: need a .png name and a 5-digit answer")
        labels[name] = answer
    if not labels:
        raise CaptchaDataError("labels.csv lists no images")
    return labels


@cache
def load_captcha_images() -> tuple[CaptchaImage, ...]:
    """The real captcha images shipped in ``data/captcha`` with their answers."""
    folder = resources.files("warduty.replica").joinpath("data/captcha")
    labels = parse_labels(folder.joinpath("labels.csv").read_text("utf-8"))
    images = []
    for name, answer in sorted(labels.items()):
        png = folder.joinpath(name).read_bytes()
        if not png.startswith(PNG_SIGNATURE):
            raise CaptchaDataError(f"{name} is not a PNG file")
        images.append(CaptchaImage(name, answer, png))
    return tuple(images)


@dataclass(slots=True)
class _Issued:
    region: str
    image: CaptchaImage
    issued_at: float
    solved_at: float | None = None


class CaptchaBook:
    """Issues captcha ids and checks answers. Deterministic for a seed: the n-th id is always the same."""

    def __init__(
        self,
        images: Sequence[CaptchaImage] | None = None,
        *,
        seed: int = 0,
        ttl: float = DEFAULT_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._images = tuple(images) if images is not None else load_captcha_images()
        if not self._images:
            raise CaptchaDataError("no captcha images")
        self._seed = seed
        self._ttl = ttl
        self._clock = clock
        self._issued: dict[str, _Issued] = {}
        self._counter = 0

    def issue(self, region: str) -> tuple[str, CaptchaImage]:
        """A fresh captcha id for ``region`` and the image whose label answers it."""
        self._counter += 1
        digest = hashlib.blake2b(f"{self._seed}|captcha|{self._counter}".encode(), digest_size=16).digest()
        captcha_id = base64.b32encode(digest).decode("ascii").lower().rstrip("=")[:26]
        image = self._images[digest[0] % len(self._images)]
        self._issued[captcha_id] = _Issued(region, image, self._clock())
        return captcha_id, image

    def check(self, region: str, answer: str | None, captcha_id: str | None) -> CaptchaVerdict:
        if not answer or not captcha_id:
            return CaptchaVerdict.MISSING
        issued = self._issued.get(captcha_id)
        if issued is None or issued.region != region:
            return CaptchaVerdict.UNKNOWN
        now = self._clock()
        started = issued.solved_at if issued.solved_at is not None else issued.issued_at
        if now - started > self._ttl:
            return CaptchaVerdict.EXPIRED
        if answer.strip() != issued.image.answer:
            return CaptchaVerdict.WRONG
        if issued.solved_at is None:
            issued.solved_at = now
        return CaptchaVerdict.OK


class LabelledImageSolver:
    """A captcha solver for demos and tests: it knows the answers of the labelled images the replica
    serves (read by a person when they were saved), as an operator at the terminal would read them."""

    def __init__(self) -> None:
        self.answers = {
            hashlib.sha256(image.png).hexdigest(): image.answer for image in load_captcha_images()
        }
        self.asked = 0

    def solve(self, image: bytes, court: object) -> str | None:
        self.asked += 1
        return self.answers.get(hashlib.sha256(image).hexdigest())
