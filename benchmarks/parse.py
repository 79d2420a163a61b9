"""Cards parsed per second on one core: ``warduty.sudrf.parse_card`` beside a BeautifulSoup (html.parser)
extraction of the same fields (heading, ДЕЛО fields, events, persons, act texts), in the same run.

``--against CHECKOUT`` measures instead the CPU per page of this checkout's parsers and of another
checkout's (e.g. a worktree of main), side by side in one run: on the real pages (cards, listings, and
the verdicts read from their acts) and on a replica corpus (one unpaced crawl of the replica at
``--scale``, read back from its archive: cards, listings, and the verdicts read from the cards' acts).
Each checkout is measured in its own process (``PYTHONPATH``), the two alternating; medians are printed.

Usage: .venv/bin/python benchmarks/parse.py [--rounds N]
       .venv/bin/python benchmarks/parse.py --against /work/wt-base [--scale 0.05] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from bs4 import BeautifulSoup, Tag

from warduty.sudrf import decode_page, parse_card

T = TypeVar("T")
# The real pages are other people's documents: they stay in ../shared, beside the project, not in its git.
PAGES = Path(__file__).resolve().parent.parent.parent / "shared" / "reference" / "pages"
CARDS = [
    "leninsky_ufa_criminal.html",
    "zavolgskiy_card.html",
    "blag_card.html",
    "samara_kas_appeal_card.html",
    "ksoy_cassation.html",
    "ksoyu_case_card.html",
    "ksoyu_card_kas.html",
    "ksoyu_card_koap.html",
    "kirov_koap.html",
    "sgs_1inst.html",
    "vsrk_appeal.html",
]


def _rows(table: Tag) -> list[list[str]]:
    return [
        [cell.get_text("\n", strip=True) for cell in row.find_all(["td", "th"])]
        for row in table.find_all("tr")
    ]


def soup_card(html: str) -> dict[str, object]:
    """The baseline: the same fields with BeautifulSoup's pure-Python parser."""
    soup = BeautifulSoup(html, "html.parser")
    heading = soup.select_one("div.casenumber") or soup.select_one("div.case-num")
    tabs: list[tuple[str, Tag]] = []
    for item in soup.select("ul.tabs > li, #case_bookmarks li"):
        ident = str(item.get("id") or "")
        body = None
        if ident.startswith("tab") and ident[3:].isdigit():
            body = soup.select_one(f"div#cont{ident[3:]}")
        elif ident.startswith("tab_id_"):
            body = soup.select_one(f"div#tab_content_{ident[7:]}")
        if body is not None:
            tabs.append((item.get_text(" ", strip=True).upper(), body))
    result: dict[str, object] = {"number": heading.get_text(" ", strip=True) if heading else None}
    for label, body in tabs:
        table = body.find("table")
        if label in ("ДЕЛО", "ПРОИЗВОДСТВО", "ЖАЛОБА") and table is not None:
            result["fields"] = [row for row in _rows(table) if len(row) == 2]
        elif label in ("ДВИЖЕНИЕ ДЕЛА", "СЛУШАНИЯ") and table is not None:
            result["events"] = _rows(table)
        elif label.startswith(("ЛИЦА", "СТОРОНЫ", "УЧАСТНИКИ")) and table is not None:
            result["persons"] = _rows(table)
        elif label.startswith("СУДЕБН"):
            result.setdefault("acts", []).append(body.get_text("\n", strip=True))  # type: ignore[union-attr]
    return result


def _rate(function: Callable[[str], object], pages: list[str], rounds: int) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        for page in pages:
            function(page)
    return rounds * len(pages) / (time.perf_counter() - started)


def replica_corpus(scale: float, path: Path) -> int:
    """Crawl the replica once, unpaced, and pickle every archived response (url, content type, body)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from crawl import AS_OF, crawl
    from warduty.crawl.archive import iter_run
    from warduty.replica.process import ReplicaProcess

    replica = ReplicaProcess(AS_OF, scale=scale, min_interval=0.0).start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            crawl(replica.origin, None, 0.0, 0.0, Path(tmp))
            (run,) = sorted((Path(tmp) / "archive").glob("run-*"))
            responses = [(r.url, r.content_type, r.body) for r in iter_run(run)]
    finally:
        replica.stop()
    path.write_bytes(pickle.dumps(responses))
    return len(responses)


def _cpu_ms(function: Callable[[T], object], items: list[T], rounds: int) -> float:
    """Milliseconds of CPU per item of ``function`` over ``items``, the best of ``rounds`` passes."""
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for item in items:
            function(item)
        best = min(best, time.process_time() - started)
    return 1000 * best / max(1, len(items))


def page_costs(corpus: Path, rounds: int) -> dict[str, float]:
    """CPU per page of the parsers importable here, on the real pages and on the replica corpus; pages are
    decoded and classified before the clock starts (the crawler knows what it asked for)."""
    from warduty.sudrf import PageState, classify_page, extract_verdict, parse_document, parse_listing
    from warduty.sudrf.encoding import charset_of

    real = [(decode_page(path.read_bytes()), None) for path in sorted(PAGES.glob("*.html"))]
    replica = [
        (decode_page(body, charset_of(content_type)), url)
        for url, content_type, body in pickle.loads(corpus.read_bytes())
    ]
    costs: dict[str, float] = {}
    for source, pages in (("real", real), ("replica", replica)):
        by_state: dict[PageState, list[tuple[str, str | None]]] = {}
        for html, url in pages:
            by_state.setdefault(classify_page(html), []).append((html, url))
        cards = [html for html, _ in by_state.get(PageState.CARD, [])]
        listings = by_state.get(PageState.RESULTS, [])
        acts = [act.text for html in cards for act in parse_card(html).acts if act.text]
        acts += [parse_document(html).text for html, _ in by_state.get(PageState.DOCUMENT, [])]
        costs[f"{source} cards ({len(cards)})"] = _cpu_ms(parse_card, cards, rounds)
        read_listing = lambda page: parse_listing(*page)  # noqa: E731
        costs[f"{source} listings ({len(listings)})"] = _cpu_ms(read_listing, listings, rounds)
        costs[f"{source} verdicts of act texts ({len(acts)})"] = _cpu_ms(
            lambda text: extract_verdict(text).to_dict(), acts, rounds
        )
    return costs


def _measured(src: Path, corpus: Path, rounds: int) -> dict[str, float]:
    """``page_costs`` in a process that imports warduty from ``src``."""
    command = [sys.executable, __file__, "--costs", str(corpus), "--rounds", str(rounds)]
    environment = {**os.environ, "PYTHONPATH": str(src)}
    output = subprocess.run(command, env=environment, check=True, capture_output=True, text=True).stdout
    costs: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return costs


def side_by_side(args: argparse.Namespace) -> None:
    here = Path(__file__).resolve().parent.parent / "src"
    there = Path(args.against).resolve() / "src"
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "replica.pickle"
        count = replica_corpus(args.scale, corpus)
        old: list[dict[str, float]] = []
        new: list[dict[str, float]] = []
        for _ in range(args.repeats):
            old.append(_measured(there, corpus, args.rounds))
            new.append(_measured(here, corpus, args.rounds))
    print(
        f"CPU per page (ms), best of {args.rounds} passes, median of {args.repeats} processes each; "
        f"replica: {count} responses at scale {args.scale}"
    )
    print(f"| pages | old ({args.against}) | new (this checkout) | new / old |")
    print("|---|---|---|---|")
    for key in old[0]:
        before = statistics.median(run[key] for run in old)
        after = statistics.median(run[key] for run in new)
        print(f"| {key} | {before:.3f} | {after:.3f} | {after / before:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--against", help="another checkout, measured side by side with this one")
    parser.add_argument("--scale", type=float, default=0.05, help="replica population scale (--against)")
    parser.add_argument("--repeats", type=int, default=3, help="processes per checkout (--against)")
    parser.add_argument("--costs", help=argparse.SUPPRESS)  # a child of --against: the replica corpus
    args = parser.parse_args()
    if args.costs:
        print(json.dumps(page_costs(Path(args.costs), args.rounds)))
        return
    if args.against:
        side_by_side(args)
        return
    missing = [name for name in CARDS if not (PAGES / name).is_file()]
    if missing:
        sys.exit(f"{', '.join(missing)} not in {PAGES}: this benchmark reads the real pages of ../shared")
    pages = [decode_page((PAGES / name).read_bytes()) for name in CARDS]
    for page in pages:  # both must read every card before they are timed
        parse_card(page)
        soup_card(page)
    ours = _rate(parse_card, pages, args.rounds)
    baseline = _rate(soup_card, pages, max(1, args.rounds // 5))
    size = sum(len(page.encode("utf-8")) for page in pages) / len(pages) / 1024
    print(f"{len(pages)} real cards, mean {size:.0f} KiB, one process")
    print(f"warduty.sudrf.parse_card (selectolax/lexbor): {ours:8.1f} cards/s")
    print(f"BeautifulSoup html.parser, same fields:       {baseline:8.1f} cards/s")
    print(f"ratio: {ours / baseline:.1f}x")


if __name__ == "__main__":
    main()
