r"""CPU of telling what a fetched page is (``classify_page`` with the page the crawler asked for), and of its
captcha test alone, before (the case-blind regex over the whole page) and now (the regex only where the
page spells «captcha» in ASCII letters, any case), side by side in one run: on the real sudrf pages in
``../shared/reference/pages`` whole (110-380 KB) and cut to their first 28,000 characters (the size of a
replica's listing page). Then the act print view's test (``pages._document_ids``) before (the case-blind
``\bid`` pattern over the whole page) and now (searched from «=»), on every real page and on the real
print view alone.

Usage: .venv/bin/python benchmarks/page_states.py [--rounds N]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from warduty.sudrf import pages
from warduty.sudrf.encoding import decode_page
from warduty.sudrf.pages import PageState, classify_page

PAGES = Path(__file__).resolve().parent.parent.parent / "shared" / "reference" / "pages"


def card_or_captcha_before(html: str) -> bool:
    """``pages._card_or_captcha`` as it was: the regex ran on every page without a card's markers."""
    return "casenumber" in html or "case-num" in html or pages._CAPTCHA_INPUT.search(html) is not None


def cpu_per_call(function: Callable[[str], object], texts: list[str], rounds: int) -> float:
    """Median over ``rounds`` of the CPU seconds of one call, averaged over ``texts``."""
    samples = []
    for _ in range(rounds):
        started = time.process_time()
        for text in texts:
            function(text)
        samples.append((time.process_time() - started) / len(texts))
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not PAGES.is_dir():
        sys.exit(f"{PAGES} is absent: the real pages live beside the project, in ../shared")
    whole = [decode_page(path.read_bytes()) for path in sorted(PAGES.glob("*.html"))]
    # Pages without a card's markers: the ones whose captcha test runs the regex (listings, acts, errors).
    whole = [html for html in whole if "casenumber" not in html and "case-num" not in html]
    for label, texts in (
        ("real pages, whole", whole),
        ("real pages, first 28,000 characters", [h[:28000] for h in whole]),
    ):
        before = cpu_per_call(card_or_captcha_before, texts, args.rounds)
        now = cpu_per_call(pages._card_or_captcha, texts, args.rounds)
        classify = cpu_per_call(lambda html: classify_page(html, PageState.RESULTS), texts, args.rounds)
        assert [card_or_captcha_before(h) for h in texts] == [pages._card_or_captcha(h) for h in texts]
        print(
            f"{label} ({len(texts)} without card markers): captcha test {1e3 * before:.3f} -> "
            f"{1e3 * now:.3f} ms ({now / before:.2f}); classify_page(..., RESULTS) now "
            f"{1e3 * classify:.3f} ms"
        )
    print_view_test(args.rounds)


def document_ids_before(html: str) -> bool:
    r"""``pages._document_ids`` as it was: a case-blind pattern from ``\bid``, tried at every position."""
    found = re.findall(r"""\bid\s*=\s*["']?(doccont|content)["'\s>]""", html, re.IGNORECASE)
    return {name.lower() for name in found} == {"doccont", "content"}


def print_view_test(rounds: int) -> None:
    every = {path.name: decode_page(path.read_bytes()) for path in sorted(PAGES.glob("*.html"))}
    for label, texts in (
        ("every real page", list(every.values())),
        ("the real print view", [every["ksoyu_act_doc.html"]]),
    ):
        assert [document_ids_before(h) for h in texts] == [pages._document_ids(h) for h in texts]
        before = cpu_per_call(document_ids_before, texts, rounds)
        now = cpu_per_call(pages._document_ids, texts, rounds)
        print(f"print view test, {label}: {1e3 * before:.3f} -> {1e3 * now:.3f} ms ({now / before:.2f})")


if __name__ == "__main__":
    main()
