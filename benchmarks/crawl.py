"""Crawl makespan against its physical bound, and against a sequential crawl with the same pacing.

The replica runs in its own process (so it does not share the crawler's interpreter), on loopback, with
scaled-down intervals. The bound is max(largest court's requests x host interval, all requests x global
interval): no polite crawler can finish sooner. Run:

    .venv/bin/python benchmarks/crawl.py [--scale 0.1] [--host-interval 0.05] [--global-interval 0.004]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

from warduty.courts import load_registry
from warduty.crawl.client import ClientOptions
from warduty.crawl.crawler import CrawlOptions, ProgressEvent
from warduty.jobs import new_crawler, prepare_store
from warduty.replica.captcha import LabelledImageSolver
from warduty.replica.process import ReplicaProcess
from warduty.store import make_engine

AS_OF = date(2024, 4, 12)


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


def crawl(
    origin: str, courts: list[str] | None, host: float, global_: float, folder: Path
) -> tuple[float, list[float]]:
    engine = make_engine(f"sqlite:///{folder / 'w.sqlite'}")
    registry = load_registry()
    prepare_store(engine, registry)
    samples: list[float] = []
    pages = [0]

    def sample(_event: ProgressEvent) -> None:
        pages[0] += 1
        if pages[0] % 500 == 0:
            samples.append(rss_mb())

    options = ClientOptions(
        host_interval=host, global_interval=global_, origin=origin, timeout=10, cooldown=2
    )
    crawler = new_crawler(
        engine, options, folder, registry=registry, solver=LabelledImageSolver(), on_progress=sample
    )
    started = time.perf_counter()
    report = asyncio.run(crawler.run(CrawlOptions(courts=courts, since=date(2021, 1, 1), until=AS_OF)))
    elapsed = time.perf_counter() - started
    assert report.status == "done", report.status
    return elapsed, samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--host-interval", type=float, default=0.05)
    parser.add_argument("--global-interval", type=float, default=0.004)
    parser.add_argument("--sequential-courts", type=int, default=12, help="courts in the sequential run")
    args = parser.parse_args()
    # The replica's guard sits a little below the crawler's interval: arrival times jitter on loopback.
    replica = ReplicaProcess(AS_OF, scale=args.scale, min_interval=args.host_interval * 0.8).start()
    origin = replica.origin
    try:
        with tempfile.TemporaryDirectory() as tmp:
            elapsed, samples = crawl(origin, None, args.host_interval, args.global_interval, Path(tmp))
            stats = replica.stats()
        by_host: dict[str, int] = stats["requests_by_host"]  # type: ignore[assignment]
        total = sum(by_host.values())
        largest = max(by_host.values())
        bound = max(largest * args.host_interval, total * args.global_interval)
        # Sequential: the same pacing, one court after another, on the largest courts.
        chosen = sorted(by_host, key=by_host.get, reverse=True)[: args.sequential_courts]  # type: ignore[arg-type]
        codes = [load_registry().by_host(host).code for host in chosen]
        seq_requests = sum(by_host[h] for h in chosen)
        seq_elapsed = 0.0
        for code in codes:
            with tempfile.TemporaryDirectory() as tmp:
                seconds, _ = crawl(origin, [code], args.host_interval, args.global_interval, Path(tmp))
                seq_elapsed += seconds
        concurrent_share = elapsed * seq_requests / total  # the concurrent crawl's time for those requests
        print(f"requests: {total} over {len(by_host)} hosts; largest host {largest}")
        print(f"politeness violations reported by the replica: {stats['politeness_violations_total']}")
        print(f"makespan {elapsed:.1f} s; bound {bound:.1f} s; ratio {elapsed / bound:.2f}x")
        print(
            f"sequential crawl of the {len(codes)} largest courts ({seq_requests} requests): "
            f"{seq_elapsed:.1f} s, vs {concurrent_share:.1f} s pro rata in the concurrent crawl: "
            f"{seq_elapsed / concurrent_share:.1f}x"
        )
        print(f"RSS samples every 500 pages (MiB): {[round(s) for s in samples]}")
        print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    finally:
        replica.stop()


if __name__ == "__main__":
    main()
