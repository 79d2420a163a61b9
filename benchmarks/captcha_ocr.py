"""The OCR captcha solver, measured: digits right on the real sudrf captchas and on the replica's drawn
ones, answers sent per solved captcha in a crawl of the replica's captcha courts, CPU per picture.

The ten real captchas and their answers are read from ``../shared/reference/captcha/`` (third-party
images, never in the repository; ``WARDUTY_REFERENCE`` points elsewhere, as for the tests; that part is
skipped, with a note, where the folder is absent). Run:

    .venv/bin/python benchmarks/captcha_ocr.py [--replica 1000] [--crawls 3] [--scale 0.05]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from warduty.courts import load_registry
from warduty.crawl.client import ClientOptions
from warduty.crawl.crawler import CrawlOptions
from warduty.crawl.ocr import OcrSolver
from warduty.jobs import new_crawler, prepare_store
from warduty.replica.captcha import CaptchaBook, CaptchaVerdict
from warduty.replica.population import generate_population
from warduty.replica.server import ReplicaServer
from warduty.store import make_engine

REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference"
REAL = Path(os.environ.get("WARDUTY_REFERENCE", REFERENCE)) / "captcha"
AS_OF = date(2024, 4, 12)
COURT = load_registry().by_code("78GV0001")


def read_all(solver: OcrSolver, pictures: list[tuple[bytes, str]]) -> tuple[int, int, list[float]]:
    """(right at the first answer, right within two answers, CPU seconds per picture)."""
    first = second = 0
    cpu: list[float] = []
    for png, answer in pictures:
        started = time.process_time()
        readings = solver.readings(png)
        cpu.append(time.process_time() - started)
        first += readings[:1] == [answer]
        second += answer in readings[:2]
    return first, second, cpu


def line(name: str, pictures: int, first: int, second: int, cpu: list[float]) -> str:
    return (
        f"{name}: {pictures} pictures; first answer right {first} ({first / pictures:.1%}); right within "
        f"two answers {second} ({second / pictures:.1%}); CPU per picture median "
        f"{statistics.median(cpu) * 1000:.0f} ms, mean {statistics.fmean(cpu) * 1000:.0f} ms"
    )


def crawl_captcha_courts(seed: int, scale: float, solver: OcrSolver) -> dict[str, int]:
    """Crawl every captcha court of a replica; the replica counts the answers it got."""
    registry = load_registry()
    courts = [c.code for c in registry if c.captcha and c.search_host]
    with (
        tempfile.TemporaryDirectory() as folder,
        ReplicaServer(generate_population(scale=scale), as_of=AS_OF, seed=seed) as server,
    ):
        engine = make_engine(f"sqlite:///{Path(folder) / 'w.sqlite'}")
        prepare_store(engine, registry)
        client = ClientOptions(host_interval=0.0, global_interval=0.0, origin=server.origin)
        crawler = new_crawler(engine, client, Path(folder), registry=registry, solver=solver)
        options = CrawlOptions(courts=courts, since=date(2023, 1, 1), until=AS_OF)
        report = asyncio.run(crawler.run(options))
        engine.dispose()
        book = server.site.captcha
        return {
            "courts": len(courts),
            "regions": len({registry.by_code(c).seat_region_ru for c in courts}),
            "issued": book.issued,
            "solved": book.solved,
            "wrong": book.verdicts[CaptchaVerdict.WRONG],
            "deferred_courts": len(report.deferred_courts),
            "done": int(report.status == "done"),
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--replica", type=int, default=1000, help="drawn captchas to read")
    parser.add_argument("--crawls", type=int, default=3, help="crawls of the captcha courts (seeds 1..N)")
    parser.add_argument("--scale", type=float, default=0.05, help="replica population scale for the crawls")
    args = parser.parse_args()

    solver = OcrSolver()
    started_cpu, started_wall = time.process_time(), time.perf_counter()
    solver.readings(CaptchaBook(seed=0).issue("x")[1].png)  # loads the model
    print(
        f"model load and first picture: CPU {time.process_time() - started_cpu:.2f} s, "
        f"wall {time.perf_counter() - started_wall:.2f} s"
    )

    if (REAL / "labels.csv").exists():
        with (REAL / "labels.csv").open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        real = [((REAL / r["filename"]).read_bytes(), r["expected"]) for r in rows]
        print(line("real sudrf captchas", len(real), *read_all(solver, real)))
    else:
        print(f"real sudrf captchas: skipped, {REAL} is absent (third-party images, not in the repository)")

    book = CaptchaBook(seed=2026)
    drawn = [(image.png, image.answer) for image in (book.issue("x")[1] for _ in range(args.replica))]
    print(line("replica captchas (seed 2026)", len(drawn), *read_all(solver, drawn)))

    totals = {"issued": 0, "solved": 0, "wrong": 0, "deferred_courts": 0, "done": 0}
    for seed in range(1, args.crawls + 1):
        result = crawl_captcha_courts(seed, args.scale, solver)
        print(f"crawl seed {seed}: {result}")
        for key in totals:
            totals[key] += result[key]
    answers = totals["wrong"] + totals["solved"]
    print(
        f"crawls: {args.crawls}; captchas solved {totals['solved']}; answers sent {answers} "
        f"({totals['wrong']} wrong); answers per solved captcha "
        f"{answers / max(totals['solved'], 1):.3f}; courts left waiting {totals['deferred_courts']}; "
        f"crawls done {totals['done']}/{args.crawls}"
    )


if __name__ == "__main__":
    main()
