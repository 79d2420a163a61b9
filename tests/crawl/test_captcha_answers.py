"""The crawler never hammers a captcha court: at most two answers to one captcha, then the court waits for
an answer of its region (or for a person, in a later run)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest

from tests.crawl.test_crawler import _crawl, _engine
from warduty.courts import Court
from warduty.replica.captcha import CaptchaBook, CaptchaVerdict
from warduty.replica.population import Population, generate_population
from warduty.replica.server import ReplicaServer

CAPTCHA_COURT = "78GV0001"  # St Petersburg, asks for a captcha
OPTIONS = {"courts": [CAPTCHA_COURT], "since": date(2023, 1, 1), "until": date(2024, 4, 12)}


@pytest.fixture(scope="module")
def population() -> Population:
    return generate_population(scale=0.1)


class WrongSolver:
    """Answers every picture wrong, a new wrong answer each time (or the same one, if ``stubborn``)."""

    def __init__(self, book: CaptchaBook, *, stubborn: bool = False) -> None:
        self.book = book
        self.stubborn = stubborn
        self.asked = 0

    def solve(self, image: bytes, court: Court, rejected: Sequence[str] = ()) -> str | None:
        self.asked += 1
        right = self.book.answer_to(image)
        assert right is not None
        tries = 1 if self.stubborn else self.asked
        return f"{(int(right) + tries) % 100_000:05d}"


class SecondTimeSolver:
    """Like a person who mistypes: wrong the first time a picture is shown, right the second."""

    def __init__(self, book: CaptchaBook) -> None:
        self.book = book
        self.seen: list[bytes] = []
        self.told: list[tuple[str, ...]] = []

    def solve(self, image: bytes, court: Court, rejected: Sequence[str] = ()) -> str | None:
        right = self.book.answer_to(image)
        assert right is not None
        first = image not in self.seen
        self.seen.append(image)
        self.told.append(tuple(rejected))
        return f"{(int(right) + 1) % 100_000:05d}" if first else right


def test_two_wrong_answers_then_the_court_waits(population: Population, tmp_path: Path) -> None:
    with ReplicaServer(population, as_of=date(2024, 4, 12), seed=3) as server:
        book = server.site.captcha
        solver = WrongSolver(book)
        report = _crawl(_engine(tmp_path), server, tmp_path, solver=solver, **OPTIONS)
    assert solver.asked == 2  # one captcha, two answers, then no more questions in this run
    assert book.verdicts[CaptchaVerdict.WRONG] == 2 and book.solved == 0
    assert report.courts[CAPTCHA_COURT].deferred > 0 and report.deferred_courts == [CAPTCHA_COURT]


def test_the_same_wrong_answer_is_not_sent_twice(population: Population, tmp_path: Path) -> None:
    with ReplicaServer(population, as_of=date(2024, 4, 12), seed=3) as server:
        book = server.site.captcha
        solver = WrongSolver(book, stubborn=True)
        _crawl(_engine(tmp_path), server, tmp_path, solver=solver, **OPTIONS)
    assert book.verdicts[CaptchaVerdict.WRONG] == 1  # asked twice, sent once
    assert solver.asked == 2


def test_a_second_answer_to_the_same_picture_solves_it(population: Population, tmp_path: Path) -> None:
    with ReplicaServer(population, as_of=date(2024, 4, 12), seed=3) as server:
        book = server.site.captcha
        solver = SecondTimeSolver(book)
        report = _crawl(_engine(tmp_path), server, tmp_path, solver=solver, **OPTIONS)
    assert report.status == "done", report.courts
    assert book.verdicts[CaptchaVerdict.WRONG] == 1 and book.solved == 1
    assert len(solver.seen) == 2 and solver.seen[0] == solver.seen[1]  # the one picture, shown twice
    wrong = f"{(int(book.answer_to(solver.seen[0]) or 0) + 1) % 100_000:05d}"
    assert solver.told == [(), (wrong,)]  # the second time, told which answer the site refused
