"""Captcha answers: from an external command, from a person at the terminal, from the first of several
solvers that has one, or not at all (defer). The OCR is in ``warduty.crawl.ocr``.

Answers are reused per region while valid: the court sites accept one solved captcha for every court of
a region for some hours.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from warduty.courts import Court

_DIGITS = re.compile(r"\d{4,8}")


class CaptchaSolver(Protocol):
    def solve(self, image: bytes, court: Court, rejected: Sequence[str] = ()) -> str | None:
        """The digits in the image, or None to give up on this court for now. ``rejected``: answers to
        this same image the site has already refused (the crawler asks at most twice per captcha)."""


class FirstAnswer:
    """Asks its solvers in turn and takes the first answer: e.g. the OCR, then a person where the OCR
    finds no reading it has not given already."""

    def __init__(self, *solvers: CaptchaSolver) -> None:
        self.solvers = solvers

    def solve(self, image: bytes, court: Court, rejected: Sequence[str] = ()) -> str | None:
        for solver in self.solvers:
            answer = solver.solve(image, court, rejected)
            if answer:
                return answer
        return None


class CommandSolver:
    """Runs ``CMD <png path>`` and takes the digits it prints."""

    def __init__(self, command: str, timeout: float = 120.0) -> None:
        self.command = command
        self.timeout = timeout

    def solve(self, image: bytes, court: Court, rejected: Sequence[str] = ()) -> str | None:
        with tempfile.NamedTemporaryFile(suffix=f"-{court.code}.png", delete=False) as handle:
            handle.write(image)
            path = handle.name
        try:
            completed = subprocess.run(
                [*self.command.split(), path],
                capture_output=True,
                text=True,
                timeout=self.timeout,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        finally:
            Path(path).unlink(missing_ok=True)
        match = _DIGITS.search(completed.stdout)
        return match.group(0) if completed.returncode == 0 and match else None


class PromptSolver:
    """Saves the image where a person can open it and asks for the digits through ``ask``."""

    def __init__(self, folder: Path, ask: Callable[[Path, Court], str]) -> None:
        self.folder = folder
        self.ask = ask

    def solve(self, image: bytes, court: Court, rejected: Sequence[str] = ()) -> str | None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"captcha-{court.code}.png"
        path.write_bytes(image)
        match = _DIGITS.search(self.ask(path, court) or "")
        return match.group(0) if match else None


@dataclass
class CaptchaCache:
    """Solved (answer, captcha id) pairs per region, valid for ``ttl`` seconds."""

    ttl: float = 6 * 3600
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        self._answers: dict[str, tuple[str, str, float]] = {}

    def get(self, region: str) -> tuple[str, str] | None:
        entry = self._answers.get(region)
        if entry is None or self.clock() - entry[2] > self.ttl:
            return None
        return entry[0], entry[1]

    def put(self, region: str, answer: str, captcha_id: str) -> None:
        self._answers[region] = (answer, captcha_id, self.clock())

    def forget(self, region: str) -> None:
        self._answers.pop(region, None)
