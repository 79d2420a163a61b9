"""Request pacing: a per-host minimum interval, a platform-wide minimum interval, and host cooldowns.

Slots are reserved under one lock, so concurrent requests to different hosts interleave at the global
rate while each host is hit at most once per ``host_interval``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class HostStats:
    requests: int = 0
    waited: float = 0.0  # seconds spent waiting for a slot
    cooldowns: int = 0


@dataclass
class Pacer:
    host_interval: float
    global_interval: float
    clock: Callable[[], float] = time.monotonic
    _host_next: dict[str, float] = field(default_factory=dict)
    _global_next: float = 0.0
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    stats: dict[str, HostStats] = field(default_factory=dict)

    async def wait_turn(self, host: str) -> float:
        """Sleep until ``host`` may be contacted; returns the seconds waited."""
        async with self._lock:
            now = self.clock()
            slot = max(now, self._host_next.get(host, 0.0), self._global_next)
            self._host_next[host] = slot + self.host_interval
            self._global_next = slot + self.global_interval
        delay = slot - now
        if delay > 0:
            await asyncio.sleep(delay)
        entry = self.stats.setdefault(host, HostStats())
        entry.requests += 1
        entry.waited += max(delay, 0.0)
        return max(delay, 0.0)

    def cool_down(self, host: str, seconds: float) -> None:
        """Keep ``host`` resting for ``seconds`` from now (never shortens an existing rest)."""
        until = self.clock() + seconds
        self._host_next[host] = max(self._host_next.get(host, 0.0), until)
        self.stats.setdefault(host, HostStats()).cooldowns += 1

    def resting_until(self, host: str) -> float:
        return self._host_next.get(host, 0.0)
