"""Request pacing: a per-host minimum interval, a platform-wide minimum interval, and host cooldowns.

A request may go when its host's interval and the global interval have both passed. The host interval is
counted from the later of the previous request's real send time and the arrival of its answer, so a busy
event loop on either side can never squeeze two requests to one host closer than the interval.
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
        started = self.clock()
        while True:
            async with self._lock:
                now = self.clock()
                slot = max(self._host_next.get(host, 0.0), self._global_next)
                if slot <= now:
                    self._host_next[host] = now + self.host_interval
                    self._global_next = now + self.global_interval
                    entry = self.stats.setdefault(host, HostStats())
                    entry.requests += 1
                    entry.waited += now - started
                    return now - started
            await asyncio.sleep(slot - now)

    def mark_sent(self, host: str) -> None:
        """The request really leaves now: count both intervals from this moment if it came late."""
        now = self.clock()
        self._host_next[host] = max(self._host_next.get(host, 0.0), now + self.host_interval)
        self._global_next = max(self._global_next, now + self.global_interval)

    def mark_done(self, host: str) -> None:
        """The answer has arrived: the host's next request waits a full interval from now.

        Counting from the end of the previous answer as well as from its start keeps requests to one host
        at least an interval apart however late either side's event loop handled them.
        """
        self._host_next[host] = max(self._host_next.get(host, 0.0), self.clock() + self.host_interval)

    def cool_down(self, host: str, seconds: float) -> None:
        """Keep ``host`` resting for ``seconds`` from now (never shortens an existing rest)."""
        until = self.clock() + seconds
        self._host_next[host] = max(self._host_next.get(host, 0.0), until)
        self.stats.setdefault(host, HostStats()).cooldowns += 1

    def resting_until(self, host: str) -> float:
        return self._host_next.get(host, 0.0)
