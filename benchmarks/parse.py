"""Cards parsed per second on one core: ``warduty.sudrf.parse_card`` beside a BeautifulSoup (html.parser)
extraction of the same fields (heading, ДЕЛО fields, events, persons, act texts), in the same run.

Usage: .venv/bin/python benchmarks/parse.py [--rounds N]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from warduty.sudrf import decode_page, parse_card

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
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
