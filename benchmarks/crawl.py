"""Crawl makespan against its physical bound, and against a sequential crawl with the same pacing.

The replica runs in its own process (so it does not share the crawler's interpreter), on loopback, with
scaled-down intervals. The bound is max(largest court's requests x host interval, all requests x global
interval): no polite crawler can finish sooner. Run:

    .venv/bin/python benchmarks/crawl.py [--scale 0.1] [--host-interval 0.05] [--global-interval 0.004]

``--cpu`` measures instead the crawler's CPU per page (its whole process: event loop, writer and archive
threads) and the CPU of reading the same pages alone, re-read from the run's WARC archive (each body
decoded to text and given to its page's own parser: listing, card, or document with the verdict reader;
classified before the clock starts, as the crawler knows from its task which parser a page needs), and
their ratio. ``--against DIR`` runs the same measurement, in the same script run, on
another checkout (e.g. ``git worktree add /tmp/base-perf <sha>``) and prints the ratios new/old:

    .venv/bin/python benchmarks/crawl.py --cpu [--scale 0.05] [--against /tmp/base-perf] [--rounds 3]

``--cpu --paced`` crawls at ``--host-interval``/``--global-interval`` instead of as fast as it can: the
demo's crawls are paced (0.05 s and 0.003 s), so their pages arrive one by one, not in bursts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from warduty.courts import load_registry
from warduty.crawl.client import ClientOptions
from warduty.crawl.crawler import Crawler, CrawlOptions, ProgressEvent
from warduty.replica.process import ReplicaProcess
from warduty.store import make_engine

AS_OF = date(2024, 4, 12)


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


def crawl(
    origin: str, courts: list[str] | None, host: float, global_: float, folder: Path
) -> tuple[float, list[float], float]:
    """(wall seconds, RSS samples, CPU seconds of this process) of the crawl alone (not the migration)."""
    engine = make_engine(f"sqlite:///{folder / 'w.sqlite'}")
    registry = load_registry()
    samples: list[float] = []
    pages = [0]

    def sample(_event: ProgressEvent) -> None:
        pages[0] += 1
        if pages[0] % 500 == 0:
            samples.append(rss_mb())

    options = ClientOptions(
        host_interval=host, global_interval=global_, origin=origin, timeout=10, cooldown=2
    )
    crawler = _prepared_crawler(engine, registry, options, folder, sample)
    started = time.perf_counter()
    cpu = time.process_time()
    report = asyncio.run(crawler.run(CrawlOptions(courts=courts, since=date(2021, 1, 1), until=AS_OF)))
    cpu = time.process_time() - cpu
    elapsed = time.perf_counter() - started
    assert report.status == "done", report.status
    return elapsed, samples, cpu


def _prepared_crawler(
    engine: Any, registry: Any, options: ClientOptions, folder: Path, sample: Callable[[ProgressEvent], None]
) -> Crawler:
    """Migrate the store and build the crawler: through this checkout's application layer, or by hand for
    an older checkout measured side by side."""
    try:
        from warduty.jobs import default_solver, new_crawler, prepare_store
    except ImportError:  # an older checkout (--against): no application layer or OCR, captchas looked up
        from warduty.replica.captcha import LabelledImageSolver  # type: ignore[attr-defined]
        from warduty.store import migrate, sync_courts

        migrate(engine)
        with engine.begin() as connection:
            sync_courts(connection, registry)
        return Crawler(engine, registry, options, folder, solver=LabelledImageSolver(), on_progress=sample)
    prepare_store(engine, registry)
    solver = default_solver()
    return new_crawler(engine, options, folder, registry=registry, solver=solver, on_progress=sample)


def parse_only(archive: Path) -> tuple[int, float]:
    """(pages, CPU seconds) of reading every archived response of a run the way the crawler reads it: the
    body decoded to text, then its page's own parser (the verdict reader on act texts included)."""
    from warduty.crawl.archive import iter_run
    from warduty.sudrf.card import parse_card
    from warduty.sudrf.document import parse_document
    from warduty.sudrf.encoding import charset_of, decode_page
    from warduty.sudrf.listing import parse_listing
    from warduty.sudrf.pages import PageState, classify_page
    from warduty.sudrf.verdict import extract_verdict

    # Read from the archive and classified before the clock starts: which parser a page needs is known
    # to the crawler from its task (a card task's page is recognised by a marker, not a classification).
    pages = []
    for response in iter_run(archive):
        charset = charset_of(response.content_type)
        pages.append(
            (classify_page(decode_page(response.body, charset)), response.body, charset, response.url)
        )
    started = time.process_time()
    for state, body, charset, url in pages:
        html = decode_page(body, charset)
        if state is PageState.RESULTS:
            parse_listing(html, base_url=url)
        elif state is PageState.CARD:
            for act in parse_card(html).acts:
                if act.text:
                    extract_verdict(act.text).to_dict()
        elif state is PageState.DOCUMENT:
            extract_verdict(parse_document(html).text).to_dict()
    return len(pages), time.process_time() - started


def cpu_run(
    replica: ReplicaProcess, folder: Path, host: float = 0.0, global_: float = 0.0
) -> dict[str, float]:
    """One crawl, then parse-only. Unpaced by default (the crawler's CPU is the limit); with intervals, paced
    as the demo is, where pages arrive one by one and every page's transaction costs."""
    serving = replica_cpu(replica)
    wall, _, crawler_cpu = crawl(replica.origin, None, host, global_, folder)
    serving = replica_cpu(replica) - serving
    (run,) = sorted((folder / "archive").glob("run-*"))
    pages, parse_cpu = parse_only(run)
    return {
        "pages": pages,
        "wall": wall,
        "crawler_ms": 1000 * crawler_cpu / pages,
        "parse_ms": 1000 * parse_cpu / pages,
        "replica_ms": 1000 * serving / pages,
    }


def replica_cpu(replica: ReplicaProcess) -> float:
    """User and system CPU seconds the replica's process has used so far (from /proc)."""
    pid = getattr(replica, "pid", None) or replica._process.pid  # type: ignore[union-attr]  # older checkouts
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_main(args: argparse.Namespace) -> None:
    """Print crawler CPU per page, parse-only CPU per page and their ratio (JSON with ``--json``)."""
    host, global_ = (args.host_interval, args.global_interval) if args.paced else (0.0, 0.0)
    replica = ReplicaProcess(AS_OF, scale=args.scale, min_interval=host * 0.8).start()
    try:
        results = []
        for _ in range(args.rounds):
            with tempfile.TemporaryDirectory() as tmp:
                results.append(cpu_run(replica, Path(tmp), host, global_))
    finally:
        replica.stop()
    median = {key: statistics.median(r[key] for r in results) for key in results[0]}
    if args.json:
        print(json.dumps(median))
        return
    _print_cpu("this checkout", median)


def _print_cpu(label: str, result: dict[str, float]) -> None:
    print(
        f"{label}: {result['pages']:.0f} pages, wall {result['wall']:.1f} s; crawler CPU "
        f"{result['crawler_ms']:.2f} ms/page, parse only {result['parse_ms']:.2f} ms/page, "
        f"replica serving {result.get('replica_ms', float('nan')):.2f} ms/page, "
        f"ratio {result['crawler_ms'] / result['parse_ms']:.2f}x"
    )


def _child(src: Path, args: argparse.Namespace) -> dict[str, float]:
    """This script's ``--cpu`` measurement with the package taken from ``src``."""
    command = [sys.executable, __file__, "--cpu", "--json", "--scale", str(args.scale), "--rounds", "1"]
    if args.paced:
        command += ["--paced", "--host-interval", str(args.host_interval)]
        command += ["--global-interval", str(args.global_interval)]
    environment = {**os.environ, "PYTHONPATH": str(src)}
    output = subprocess.run(command, env=environment, check=True, capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


def side_by_side(args: argparse.Namespace) -> None:
    """The same measurement on this checkout and on ``--against``, alternating, medians compared."""
    here = Path(__file__).resolve().parent.parent / "src"
    there = Path(args.against).resolve() / "src"
    new: list[dict[str, float]] = []
    old: list[dict[str, float]] = []
    for _ in range(args.rounds):
        old.append(_child(there, args))
        new.append(_child(here, args))
    medians = [{key: statistics.median(r[key] for r in runs) for key in runs[0]} for runs in (old, new)]
    _print_cpu(f"old ({args.against})", medians[0])
    _print_cpu("new (this checkout)", medians[1])
    for key, label in (("crawler_ms", "crawler CPU per page"), ("wall", "wall time")):
        print(f"new/old {label}: {medians[1][key] / medians[0][key]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, help="population scale (default 0.1; 0.05 with --cpu)")
    parser.add_argument("--host-interval", type=float, default=0.05)
    parser.add_argument("--global-interval", type=float, default=0.004)
    parser.add_argument("--sequential-courts", type=int, default=12, help="courts in the sequential run")
    parser.add_argument("--cpu", action="store_true", help="crawler CPU per page against parse-only CPU")
    parser.add_argument(
        "--paced",
        action="store_true",
        help="with --cpu: crawl at --host-interval/--global-interval (demo: 0.05/0.003)",
    )
    parser.add_argument("--against", help="a checkout of older code to measure side by side (with --cpu)")
    parser.add_argument("--rounds", type=int, default=3, help="crawls per measurement (--cpu; median)")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cpu:
        args.scale = args.scale or 0.05
        side_by_side(args) if args.against else cpu_main(args)
        return
    args.scale = args.scale or 0.1
    # The replica's guard sits a little below the crawler's interval: arrival times jitter on loopback.
    replica = ReplicaProcess(AS_OF, scale=args.scale, min_interval=args.host_interval * 0.8).start()
    origin = replica.origin
    try:
        with tempfile.TemporaryDirectory() as tmp:
            elapsed, samples, _ = crawl(origin, None, args.host_interval, args.global_interval, Path(tmp))
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
                seconds, _, _ = crawl(origin, [code], args.host_interval, args.global_interval, Path(tmp))
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
