"""CPU of writing a briefing chart as PNG and SVG, before (``bbox_inches="tight"`` for each file: an extra
layout draw each) and now (the crop measured once, at the PNG's resolution, for both), side by side in one
run, on the sentence-mix chart of the demo's May 2025 briefing in both languages.

Usage: .venv/bin/python benchmarks/charts.py [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import cast

from matplotlib.figure import Figure

from warduty.report import charts
from warduty.stats.figures import BriefingData
from warduty.stats.shares import SentenceMix
from warduty.stats.wording import words_for

MIX = SentenceMix(sentences=686, published=23, suspended=14, real=6, disciplinary_unit=1, other_punishment=2,
                  mobilised=0)  # fmt: skip
DATA = cast(BriefingData, SimpleNamespace(month="2025-05", mix=MIX))
NOW = charts._save


def save_before(figure: Figure, out_dir: Path, stem: str) -> list[Path]:
    paths = [out_dir / f"{stem}.png", out_dir / f"{stem}.svg"]
    figure.savefig(paths[0], dpi=charts.PNG_DPI, bbox_inches="tight")
    figure.savefig(paths[1], bbox_inches="tight", metadata={"Date": None})
    charts._pyplot().close(figure)
    return paths


def cpu(save: object, folder: Path) -> float:
    """CPU seconds of one chart written with ``save`` (both languages averaged)."""
    charts._save = save  # type: ignore[assignment]
    try:
        started = time.process_time()
        for lang in ("en", "ru"):
            charts.mix_chart(DATA, words_for(lang), folder)
        return (time.process_time() - started) / 2
    finally:
        charts._save = NOW


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cpu(NOW, folder)  # fonts and caches loaded before the clock
        pairs = [(cpu(save_before, folder), cpu(NOW, folder)) for _ in range(args.rounds)]  # alternating
        before, now = (statistics.median(side) for side in zip(*pairs, strict=True))
    print(f"one chart, PNG + SVG: before {1e3 * before:.1f} ms, now {1e3 * now:.1f} ms ({now / before:.2f})")


if __name__ == "__main__":
    main()
