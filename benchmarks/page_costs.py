"""Two costs the crawler pays on every page besides its parser, the way before issue 17's last change and
now, side by side in one run, on the real sudrf pages in ``../shared/reference/pages``:

- the archive's gzip member of the page (stdlib zlib at level 4 before; ISA-L now), with its size;
- the nesting-depth scan before the tree is built (each tag's name lower-cased and tested before; now
  each spelling's step learnt once, ``warduty.sudrf.markup.nesting_depth``).

Usage: .venv/bin/python benchmarks/page_costs.py [--rounds N]
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from isal import igzip, isal_zlib

from warduty.sudrf import decode_page
from warduty.sudrf.markup import _NOT_NESTING, nesting_depth

PAGES = Path(__file__).resolve().parent.parent.parent / "shared" / "reference" / "pages"
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")


def depth_before(html: str, limit: int = 256) -> int:
    """The scan as it was: a match object per tag, its name lower-cased and looked up."""
    depth = deepest = 0
    for match in _TAG.finditer(html):
        close, name = match.groups()
        if name.lower() in _NOT_NESTING:
            continue
        if close:
            depth = max(0, depth - 1)
            continue
        depth += 1
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                break
    return deepest


def cpu_per_page(work: Callable[[], object], pages: int, rounds: int) -> float:
    """Milliseconds of CPU per page, the best of ``rounds`` passes."""
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return 1000 * best / pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    files = sorted(PAGES.glob("*.html"))
    if not files:
        sys.exit(f"no pages in {PAGES}: this benchmark reads the real pages of ../shared/reference")
    bodies = [path.read_bytes() for path in files]
    texts = [decode_page(body, None) for body in bodies]
    assert [depth_before(t) for t in texts] == [nesting_depth(t) for t in texts]
    n = len(files)
    zlib4 = cpu_per_page(lambda: [gzip.compress(b, compresslevel=4) for b in bodies], n, args.rounds)
    isal = cpu_per_page(
        lambda: [igzip.compress(b, compresslevel=isal_zlib.ISAL_DEFAULT_COMPRESSION) for b in bodies],
        n,
        args.rounds,
    )
    size4 = sum(len(gzip.compress(b, compresslevel=4)) for b in bodies)
    size_isal = sum(len(igzip.compress(b, compresslevel=isal_zlib.ISAL_DEFAULT_COMPRESSION)) for b in bodies)
    before = cpu_per_page(lambda: [depth_before(t) for t in texts], n, args.rounds)
    now = cpu_per_page(lambda: [nesting_depth(t) for t in texts], n, args.rounds)
    kb = sum(map(len, bodies)) / n / 1024
    print(f"{n} real pages, {kb:.0f} KB on average, best of {args.rounds} rounds (CPU time)")
    print("| cost per page | before | now | now / before |")
    print("|---|---|---|---|")
    print(f"| gzip member (zlib 4 → ISA-L) | {zlib4:.3f} ms | {isal:.3f} ms | {isal / zlib4:.2f} |")
    print(
        f"| its size | {size4 / n / 1024:.1f} KB | {size_isal / n / 1024:.1f} KB | {size_isal / size4:.2f} |"
    )
    print(f"| nesting-depth scan | {before:.3f} ms | {now:.3f} ms | {now / before:.2f} |")


if __name__ == "__main__":
    main()
