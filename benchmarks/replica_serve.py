"""Pages per second the replica serves on loopback, beside the pages per second it renders without HTTP.

Run: .venv/bin/python benchmarks/replica_serve.py [--scale 1.0] [--count 2000]

For the court with the most cases it builds listing (art. 337, every page), card and document URLs,
renders each set directly (ReplicaSite.answer + windows-1251 encoding) and then fetches the same URLs
over HTTP with one keep-alive httpx client, and prints both rates and their ratio. Only 127.0.0.1 is used.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import date

import httpx

from warduty.courts import load_registry
from warduty.replica.population import generate_population
from warduty.replica.query import encode_query
from warduty.replica.server import ReplicaServer, encode_page

AS_OF = date(2025, 6, 30)


def timed(label: str, targets: list[str], run: Callable[[str], int]) -> float:
    started = time.perf_counter()
    size = sum(run(target) for target in targets)
    elapsed = time.perf_counter() - started
    rate = len(targets) / elapsed
    average = size / len(targets)
    print(f"  {label:<26} {len(targets):>5} pages {elapsed:6.2f} s {rate:8.0f} pages/s {average:7.0f} B/page")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--count", type=int, default=2000, help="pages per kind")
    args = parser.parse_args()
    started = time.perf_counter()
    population = generate_population(scale=args.scale)
    print(f"population: {len(population)} cases, generated in {time.perf_counter() - started:.1f} s")
    server = ReplicaServer(population, as_of=AS_OF)
    courts = [
        c
        for c in load_registry()
        if c.search_host and not c.captcha and (c.engine or "standard") == "standard"
    ]
    court = max(courts, key=lambda c: len(population.cases_for(c.code)))
    host = court.search_host or ""
    site = server.site.site(court)
    print(f"court: {court.code} {host}, {len(site.views)} visible cases as of {AS_OF}")
    search = [
        ("name", "sud_delo"),
        ("srv_num", "1"),
        ("name_op", "r"),
        ("delo_id", "1540006"),
        ("case_type", "0"),
        ("new", "0"),
        ("delo_table", "u1_case"),
        ("U1_DEFENDANT__LAW_ARTICLESS", "337"),
        ("Submit", "Найти"),
    ]
    total = len([v for v in site.views if "337" in v.case.article_numbers])
    listing = [
        f"/modules.php?{encode_query([*search, ('page', str(p))])}" for p in range(1, -(-total // 25) + 1)
    ]
    listing = (listing * (args.count // max(1, len(listing)) + 1))[: args.count]
    cards = [
        f"/modules.php?name=sud_delo&srv_num=1&name_op=case&case_id={v.case.site_id}&case_uid={v.case.site_uid}"
        "&delo_id=1540006"
        for v in site.views
    ][: args.count]
    docs = [
        f"/modules.php?name=sud_delo&srv_num=1&name_op=doc&number={a.doc_id}&delo_id=1540006&new=0&text_number=1"
        for v in site.views
        for a in v.acts
    ][: args.count]

    def render(target: str) -> int:
        path, _, query = target.partition("?")
        page = server.site.answer(host, path, query.encode("ascii"))
        assert page.status == 200 and page.kind in ("listing", "card", "document"), page.kind
        return len(encode_page(page.body))

    with server, httpx.Client(base_url=server.origin, headers={"Host": host}) as http:

        def fetch(target: str) -> int:
            response = http.get(target)
            assert response.status_code == 200
            return len(response.content)

        fetch(listing[0])  # warm the search cache, as render() did not run yet either
        print("side by side (same URLs, same process):")
        for kind, targets in (("listing", listing), ("card", cards), ("document", docs)):
            raw = timed(f"{kind}: render only", targets, render)
            served = timed(f"{kind}: HTTP keep-alive", targets, fetch)
            print(f"  {kind}: HTTP / render = {served / raw:.2f}")


if __name__ == "__main__":
    main()
