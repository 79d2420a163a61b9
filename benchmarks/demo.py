"""The demo's wall and CPU time (all its processes), this checkout beside another, in one run.

Each round runs ``warduty demo`` once with this checkout's package and once with the other checkout's
(``PYTHONPATH=DIR/src``), alternating, each into its own empty data folder, and measures its wall time and
the user+sys CPU of the demo process and every process it started and waited for (the replicas, the
briefing process), from ``os.wait4``. Run:

    git worktree add --detach /tmp/base <sha>
    .venv/bin/python benchmarks/demo.py --against /tmp/base [--rounds 1]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def demo_run(src: Path) -> dict[str, float]:
    """Wall seconds and CPU seconds (all processes) of one ``warduty demo`` with the package from ``src``."""
    with tempfile.TemporaryDirectory(prefix="warduty-demo-bench-") as tmp:
        environment = {
            **os.environ,
            "PYTHONPATH": str(src),
            "WARDUTY_DATA_DIR": str(Path(tmp) / "data"),
        }
        command = [sys.executable, "-m", "warduty.cli", "demo", "--quiet", "--out", str(Path(tmp) / "out")]
        started = time.perf_counter()
        process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        output = process.stdout.read().decode("utf-8", "replace") if process.stdout else ""
        if status != 0:
            raise SystemExit(f"demo with {src} failed ({status}):\n{output[-3000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", required=True, help="a checkout of older code (a git worktree)")
    parser.add_argument("--rounds", type=int, default=1, help="demos per checkout (median)")
    args = parser.parse_args()
    there = Path(args.against).resolve() / "src"
    runs: dict[str, list[dict[str, float]]] = {"old": [], "new": []}
    for round_ in range(args.rounds):
        for label, src in (("old", there), ("new", HERE / "src")):
            result = demo_run(src)
            runs[label].append(result)
            print(
                f"round {round_ + 1} {label}: wall {result['wall']:.1f} s, CPU {result['cpu']:.1f} s",
                flush=True,
            )
    medians = {label: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for label, rs in runs.items()}
    load = os.getloadavg()[0]
    print(f"old ({args.against}): wall {medians['old']['wall']:.1f} s, CPU {medians['old']['cpu']:.1f} s")
    print(f"new (this checkout): wall {medians['new']['wall']:.1f} s, CPU {medians['new']['cpu']:.1f} s")
    print(
        f"new/old: wall {medians['new']['wall'] / medians['old']['wall']:.2f}, "
        f"CPU {medians['new']['cpu'] / medians['old']['cpu']:.2f} (load average at the end {load:.1f})"
    )


if __name__ == "__main__":
    main()
