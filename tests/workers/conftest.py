"""Worker processes on a fresh PostgreSQL database, against a replica served from the test process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import ProgrammingError

from warduty.store import make_engine


class Processes:
    """``warduty`` subprocesses of one test, with a shared environment; all stopped at the end."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.started: list[subprocess.Popen[bytes]] = []

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "warduty.cli", *args], env=self.env, capture_output=True, text=True,
            timeout=timeout,
        )  # fmt: skip

    def start(self, *args: str, log: Path | None = None) -> subprocess.Popen[bytes]:
        out = log.open("wb") if log is not None else subprocess.DEVNULL
        process = subprocess.Popen(
            [sys.executable, "-m", "warduty.cli", *args], env=self.env, stdout=out, stderr=out
        )
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.started:
            try:  # a worker stopped mid-court would finish it first: the test does not wait for that
                process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(check: Callable[[], bool], timeout: float, what: str, every: float = 0.2) -> None:
    """Poll ``check`` (a query; its tables may not exist yet, before a worker prepared the database)."""
    deadline = time.monotonic() + timeout
    while not _holds(check):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(every)


def _holds(check: Callable[[], bool]) -> bool:
    try:
        return check()
    except ProgrammingError:
        return False


def scalar(engine: Engine, sql: str, **params: object) -> object:
    with engine.connect() as connection:
        return connection.execute(text(sql), params).scalar()


@pytest.fixture
def queue_db(postgres_url: str) -> Iterator[Engine]:
    engine = make_engine(postgres_url)
    yield engine
    engine.dispose()


@pytest.fixture
def processes(postgres_url: str, tmp_path: Path) -> Iterator[Processes]:
    env = {
        **os.environ,
        "WARDUTY_DB": postgres_url,
        "WARDUTY_DATA_DIR": str(tmp_path / "data"),
        "WARDUTY_CONFIG": str(tmp_path / "none.toml"),
        "WARDUTY_TIMEOUT": "1",
        "WARDUTY_RETRIES": "4",
        "WARDUTY_COOLDOWN": "0.05",
    }
    running = Processes(env)
    yield running
    running.stop_all()
