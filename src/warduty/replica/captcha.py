"""The replica's captcha: drawn here in the style of the sudrf ones, answered by the digits drawn, valid per
region.

A court flagged with a captcha answers a search only with a solved ``captcha``/``captchaid`` pair. A pair
is bound to the seat region of the court that issued it: once answered correctly it is accepted by every
court of that region until ``ttl`` seconds (server wall time) after the first correct answer, as the live
sites accept one solved captcha for a whole region. An unsolved pair also expires ``ttl`` after issue; a
wrong answer does not spend it (the live form lets a person try the same picture again).

The picture copies the look of the real ones (100 x 30 PNG, light grey ground, five dark-cyan digits of
uneven size, each turned and shifted on its own, crossed by a handful of thin lines in random colours),
drawn with Pillow's bundled font from a seeded generator: the same seed and counter draw the same
picture, and only the server knows the answer.
"""

from __future__ import annotations

import base64
import hashlib
import io
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

DEFAULT_TTL = 6 * 3600.0
WIDTH, HEIGHT = 100, 30
DIGITS = 5
BACKGROUND = (243, 243, 243)
INK = (0, 102, 153)  # the digits' colour on every real captcha seen


@dataclass(frozen=True, slots=True)
class CaptchaImage:
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


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans, which matplotlib (a dependency) ships: a plain sans like the sites' own, with a "1"
    that is not a "7". Pillow's bundled font stands in should it be missing.

    The file is found where ``matplotlib.get_data_path()`` says (``mpl-data`` beside the package) without
    importing matplotlib, which would cost the replica's start-up a seventh of a second for a path."""
    spec = find_spec("matplotlib")
    folders = spec.submodule_search_locations if spec is not None else None
    path = Path(folders[0] if folders else ".") / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(str(path), size)
    except OSError:
        return ImageFont.load_default(size=size)


def _digit_mask(digit: str, rng: random.Random) -> Image.Image:
    """How much ink each pixel of one digit gets, at the digit's own size and turned by its own angle."""
    size = rng.randint(20, 25)
    tile = Image.new("L", (size, size + 4), 0)
    ImageDraw.Draw(tile).text(
        (tile.width / 2, tile.height / 2), digit, font=_font(size), fill=255, anchor="mm"
    )
    # Drawn as a mask and inked in one go: the strokes keep the exact ink colour with a soft edge, about
    # as many solid pixels as the sites' digits have.
    return tile.rotate(rng.uniform(-15, 15), resample=Image.Resampling.BICUBIC, expand=True)


def _random_colour(rng: random.Random) -> tuple[int, int, int]:
    return (rng.randrange(256), rng.randrange(256), rng.randrange(256))


def draw_captcha(answer: str, rng: random.Random) -> bytes:
    """A 100 x 30 PNG showing ``answer`` (digits) the way the sudrf sites draw theirs."""
    if not answer.isdigit():
        raise ValueError("a captcha shows digits only")
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    # Digits sit at uneven gaps across the picture; some touch, as "66" and "84" do on the real ones.
    step = (WIDTH - 16) / len(answer)
    x = rng.uniform(3, 9)
    for digit in answer:
        mask = _digit_mask(digit, rng)
        top = round(HEIGHT / 2 - mask.height / 2 + rng.uniform(-2.5, 2.5))
        image.paste(INK, (round(x + step / 2 - mask.width / 2), top), mask)
        x += step * rng.uniform(0.9, 1.1)
    # Then the strike-through: mostly long, nearly level lines two pixels thick, not smoothed, in any
    # colour; now and then one steep line corner to corner.
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(5, 8)):
        x0 = rng.uniform(-10, 40)
        x1 = x0 + rng.uniform(30, 110)
        y0 = rng.uniform(4, HEIGHT - 3)
        y1 = y0 + rng.uniform(-6, 6)
        draw.line((x0, y0, x1, y1), fill=_random_colour(rng), width=rng.choice((1, 2, 2)))
    if rng.random() < 0.5:
        x0 = rng.uniform(0, 40)
        draw.line((x0, HEIGHT, x0 + rng.uniform(25, 45), 0), fill=_random_colour(rng), width=1)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass(slots=True)
class _Issued:
    region: str
    image: CaptchaImage
    issued_at: float
    solved_at: float | None = None


class CaptchaBook:
    """Issues captcha ids and checks answers. Deterministic for a seed: the n-th id and picture are always
    the same. ``verdicts`` counts the answers checked, by verdict, for the replica's own measurements."""

    def __init__(
        self,
        *,
        seed: int = 0,
        ttl: float = DEFAULT_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._seed = seed
        self._ttl = ttl
        self._clock = clock
        self._issued: dict[str, _Issued] = {}
        self._counter = 0
        self.verdicts: Counter[CaptchaVerdict] = Counter()

    def issue(self, region: str) -> tuple[str, CaptchaImage]:
        """A fresh captcha id for ``region`` and the picture that answers it."""
        self._counter += 1
        digest = hashlib.blake2b(f"{self._seed}|captcha|{self._counter}".encode(), digest_size=16).digest()
        captcha_id = base64.b32encode(digest).decode("ascii").lower().rstrip("=")[:26]
        rng = random.Random(digest)
        answer = "".join(rng.choice("0123456789") for _ in range(DIGITS))
        image = CaptchaImage(answer, draw_captcha(answer, rng))
        self._issued[captcha_id] = _Issued(region, image, self._clock())
        return captcha_id, image

    def check(self, region: str, answer: str | None, captcha_id: str | None) -> CaptchaVerdict:
        verdict = self._verdict(region, answer, captcha_id)
        self.verdicts[verdict] += 1
        return verdict

    def _verdict(self, region: str, answer: str | None, captcha_id: str | None) -> CaptchaVerdict:
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

    @property
    def issued(self) -> int:
        return self._counter

    @property
    def solved(self) -> int:
        """How many issued captchas were answered right at least once."""
        return sum(1 for issued in self._issued.values() if issued.solved_at is not None)

    def answer_of(self, captcha_id: str) -> str | None:
        """The answer to an issued id: for the replica's own tests; no crawler ever sees it."""
        issued = self._issued.get(captcha_id)
        return issued.image.answer if issued is not None else None

    def answer_to(self, png: bytes) -> str | None:
        """The answer to an issued picture, as a person reading it would give it: for tests of the web
        admin's captcha form; no crawler ever sees it."""
        return next((i.image.answer for i in self._issued.values() if i.image.png == png), None)
