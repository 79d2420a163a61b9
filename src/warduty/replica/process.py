"""Run the replica in its own process on a free loopback port (the demo and benchmarks use this).

A separate process keeps the replica's page rendering off the crawler's interpreter, so both cores work.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import date
from types import TracebackType


class ReplicaStartError(RuntimeError):
    """The replica process did not come up."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class ReplicaProcess:
    as_of: date
    scale: float = 1.0
    seed: int = 20240412
    faults: str = "none"
    min_interval: float = 0.0
    startup_timeout: float = 120.0
    redesign_court: str | None = None  # serve this court in a changed layout (see replica.redesign)

    def __post_init__(self) -> None:
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None

    def launch(self) -> ReplicaProcess:
        """Start the process without waiting for it (building the population takes seconds).

        It runs ``warduty.replica.serve`` (what ``warduty replica serve`` runs, without the CLI's imports)."""
        command = [
            sys.executable, "-m", "warduty.replica.serve", "--port", str(self.port),
            "--scale", str(self.scale), "--seed", str(self.seed), "--as-of", self.as_of.isoformat(),
            "--faults", self.faults, "--min-interval", str(self.min_interval),
        ]  # fmt: skip
        if self.redesign_court:
            command += ["--redesign-court", self.redesign_court]
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        return self

    def wait_ready(self) -> ReplicaProcess:
        """Wait until the replica answers; raises :class:`ReplicaStartError` if it died or is too slow."""
        if self._process is None:
            self.launch()
        assert self._process is not None
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                error = self._process.stderr.read().decode(errors="replace") if self._process.stderr else ""
                raise ReplicaStartError(f"the replica exited: {error[-2000:]}")
            try:
                self.stats()
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise ReplicaStartError(
            f"the replica did not answer on {self.origin} in {self.startup_timeout:.0f} s"
        )

    def start(self) -> ReplicaProcess:
        return self.launch().wait_ready()

    def stats(self) -> dict[str, object]:
        with urllib.request.urlopen(f"{self.origin}/__replica__/stats", timeout=5) as response:
            data: dict[str, object] = json.loads(response.read())
        return data

    @property
    def pid(self) -> int | None:
        """The replica's process id, once launched."""
        return self._process.pid if self._process is not None else None

    def move_to(self, as_of: date) -> None:
        """Show the sites as they stand on ``as_of``: one population serves both of the demo's crawls."""
        query = urllib.parse.urlencode({"as_of": as_of.isoformat()})
        with urllib.request.urlopen(f"{self.origin}/__replica__/move?{query}", timeout=30) as response:
            json.loads(response.read())
        self.as_of = as_of

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def __enter__(self) -> ReplicaProcess:
        return self.wait_ready() if self._process is not None else self.start()

    def __exit__(
        self, _type: type[BaseException] | None, _value: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.stop()
