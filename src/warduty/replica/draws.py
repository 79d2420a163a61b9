"""Integer draws the population makes by the million, giving exactly what ``random.Random`` gives.

``Random.randint`` and ``Random.choice`` reach ``getrandbits`` through ``randrange`` and ``_randbelow`` with
their argument checks, three Python calls a draw. These make the same ``getrandbits`` calls as CPython's
``Random._randbelow_with_getrandbits`` (``n.bit_length()`` bits, drawn again while the value is ``>= n``)
in one call, so a seed gives the same values and the population stays the same case by case
(``benchmarks/replica_equivalence.py`` compares every case with main's).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def below(rng: random.Random, n: int) -> int:
    """A value in ``range(n)``, ``n > 0``: what ``rng._randbelow(n)`` returns."""
    bits = n.bit_length()
    value = rng.getrandbits(bits)
    while value >= n:
        value = rng.getrandbits(bits)
    return value


def randint(rng: random.Random, low: int, high: int) -> int:
    """``rng.randint(low, high)``."""
    if high < low:
        raise ValueError(f"empty range for randint({low}, {high})")
    return low + below(rng, high - low + 1)


def choice(rng: random.Random, seq: Sequence[T]) -> T:
    """``rng.choice(seq)``."""
    if not seq:
        raise IndexError("cannot choose from an empty sequence")
    return seq[below(rng, len(seq))]
