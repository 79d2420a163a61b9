"""Failure modes of the court sites, as named profiles, deterministic for a seed.

Each request draws its fault from a hash of (seed, host, path+query, attempt number for that URL), so a
run is reproducible and a retry of the same URL can succeed. Independently of the profile, a host hit
faster than its minimum interval answers the throttle page «Информация временно недоступна» and the hit
is counted as a politeness violation of that host.

Profiles: ``none`` (no random faults), ``flaky`` (a few per cent of requests), ``hostile`` (many more,
and throttling windows that keep a host on the throttle page for ``throttle_window`` seconds),
``redesign`` (no random faults; one court, chosen from the seed, serves its result lists and cards in a
changed layout, see :mod:`warduty.replica.redesign`). A redesigned court can be named with any profile
(``redesign_court``), which combines the layout change with that profile's random faults.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

FaultKind = Literal[
    "server_error",  # 500/502/503/504
    "slow",  # the answer comes after ``slow_delay`` seconds, past a client's timeout
    "drop",  # the connection closes without an answer
    "truncate",  # headers promise the full length, the body stops short, the connection closes
    "rate_limit",  # 429 Too Many Requests with Retry-After
    "misencoded",  # the declared charset does not match the bytes
    "throttle_window",  # the host serves the throttle page for ``throttle_window`` seconds
]
FAULT_KINDS: tuple[FaultKind, ...] = (
    "server_error",
    "slow",
    "drop",
    "truncate",
    "rate_limit",
    "misencoded",
    "throttle_window",
)
SERVER_ERROR_STATUSES = (500, 502, 503, 504)


class UnknownProfileError(ValueError):
    """No fault profile has this name."""


@dataclass(frozen=True, slots=True)
class FaultProfile:
    name: str
    rates: Mapping[FaultKind, float]  # probability per request of each kind
    throttle_window: float = 0.0  # seconds
    retry_after: int = 60  # seconds, sent with 429
    redesign: bool = False  # one court (from the seed, unless named) serves a changed layout

    @property
    def total_rate(self) -> float:
        return sum(self.rates.values())


PROFILES: Mapping[str, FaultProfile] = MappingProxyType(
    {
        "none": FaultProfile("none", {}),
        "flaky": FaultProfile(
            "flaky",
            {
                "server_error": 0.01,
                "slow": 0.004,
                "drop": 0.005,
                "truncate": 0.005,
                "rate_limit": 0.005,
                "misencoded": 0.005,
            },
        ),
        "hostile": FaultProfile(
            "hostile",
            {
                "server_error": 0.05,
                "slow": 0.02,
                "drop": 0.03,
                "truncate": 0.03,
                "rate_limit": 0.04,
                "misencoded": 0.02,
                "throttle_window": 0.01,
            },
            throttle_window=30.0,
            retry_after=120,
        ),
        "redesign": FaultProfile("redesign", {}, redesign=True),
    }
)


def get_profile(name: str) -> FaultProfile:
    try:
        return PROFILES[name]
    except KeyError:
        raise UnknownProfileError(
            f"unknown fault profile {name!r}; choose one of {', '.join(PROFILES)}"
        ) from None


@dataclass(frozen=True, slots=True)
class Fault:
    kind: FaultKind
    draw: float  # the uniform draw in [0, 1) that chose it; picks the 5xx status or the truncation point

    @property
    def status(self) -> int:
        return SERVER_ERROR_STATUSES[int(self.draw * 1_000_003) % len(SERVER_ERROR_STATUSES)]

    @property
    def keep_fraction(self) -> float:
        """How much of the body a truncated answer sends: between 10 % and 90 %."""
        return 0.1 + 0.8 * ((self.draw * 7919) % 1.0)


def uniform_draw(seed: int, host: str, target: str, attempt: int) -> float:
    digest = hashlib.blake2b(f"{seed}|{host}|{target}|{attempt}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def pick_redesign_court(seed: int, codes: Sequence[str]) -> str:
    """The court a ``redesign`` profile changes when none is named: the same one for the same seed."""
    choices = sorted(set(codes))
    if not choices:
        raise ValueError("no court to redesign")
    return choices[int(uniform_draw(seed, "redesign", "", 0) * len(choices))]


class FaultPlan:
    """Which fault, if any, a request meets; the same inputs always give the same answer."""

    def __init__(self, profile: FaultProfile, seed: int) -> None:
        self.profile = profile
        self.seed = seed

    def decide(self, host: str, target: str, attempt: int) -> Fault | None:
        if not self.profile.rates:
            return None
        draw = uniform_draw(self.seed, host, target, attempt)
        edge = 0.0
        for kind in FAULT_KINDS:
            edge += self.profile.rates.get(kind, 0.0)
            if draw < edge:
                return Fault(kind, draw)
        return None


@dataclass
class ReplicaStats:
    """Counters the server keeps; :meth:`to_dict` is what ``/__replica__/stats`` returns."""

    requests: int = 0
    pages: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    politeness_violations: Counter[str] = field(default_factory=Counter)
    requests_by_host: Counter[str] = field(default_factory=Counter)
    malformed_queries: int = 0
    redesigned_pages: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "requests": self.requests,
            "pages": dict(sorted(self.pages.items())),
            "faults": dict(sorted(self.faults.items())),
            "politeness_violations": dict(sorted(self.politeness_violations.items())),
            "politeness_violations_total": sum(self.politeness_violations.values()),
            "requests_by_host": dict(sorted(self.requests_by_host.items())),
            "malformed_queries": self.malformed_queries,
            "redesigned_pages": self.redesigned_pages,
        }


class HostGuard:
    """Per-host minimum interval and throttling windows, on an injectable clock."""

    def __init__(self, min_interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.min_interval = min_interval
        self._clock = clock
        self._last: dict[str, float] = {}
        self._window_until: dict[str, float] = {}
        self._attempts: Counter[tuple[str, str]] = Counter()

    def too_fast(self, host: str) -> bool:
        """Record a hit on ``host``; True when it came sooner than ``min_interval`` after the last one."""
        now = self._clock()
        last = self._last.get(host)
        self._last[host] = now
        return last is not None and now - last < self.min_interval

    def open_window(self, host: str, seconds: float) -> None:
        self._window_until[host] = self._clock() + seconds

    def in_window(self, host: str) -> bool:
        until = self._window_until.get(host)
        return until is not None and self._clock() < until

    def next_attempt(self, host: str, target: str) -> int:
        """1 for the first request of this URL, 2 for its first retry, and so on."""
        key = (host, target)
        self._attempts[key] += 1
        return self._attempts[key]
