"""CPU of the replica, old code beside new in one run: start-up, population build, pages served.

Run: .venv/bin/python benchmarks/replica_cpu.py --base ../wt-replica-base/src [--rounds 3] [--every 4]

``--base`` is the ``src`` folder of the code to compare with (a worktree of main). Each round runs, for the
base and for this checkout alternately, one fresh interpreter that (1) imports what the replica process
imports (the old one: the whole CLI, ``warduty.cli``; the new one: the module ``ReplicaProcess`` starts),
(2) builds the population (seed 20240412, scale 1.0) and the server as the replica process does, and
(3) serves a crawl's mix of requests through ``ReplicaServer.respond`` (no sockets): for every
``--every``-th court, the search of each watched article in each year window (all pages), every card
those lists link and every document the cards link, with the captcha courts' form and answers; first as
of 2024-04-12, then moved to 2025-06-30 as the demo moves it. CPU is ``time.process_time`` of that
interpreter; serving CPU counts only the ``respond`` calls. Each round also starts the checkout's replica
process (``ReplicaProcess``, scale 1.0, as the demo does) and reports the wall time until it answers and
the CPU the process has used by then (from /proc).

``crawl_mix`` is also what ``replica_equivalence.py`` replays to compare page bytes.
"""

from __future__ import annotations

import argparse
import html
import importlib
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SEED = 20240412
AS_OF = (date(2024, 4, 12), date(2025, 6, 30))
WATCHED = ("337", "332", "338", "334", "339")
SRC = Path(__file__).resolve().parent.parent / "src"
_TOTAL = re.compile(r"Всего по запросу найдено [—-] (?:<b>)?(\d+)")
_LINK = re.compile(r'href="(/modules\.php\?[^"]*name_op=(?:case|doc)[^"]*)"')
_CAPTCHA_ID = re.compile(r'name="captchaid"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="captchaid"')
_PAGE_SIZE = {"standard": 25, "vintage": 20}

# respond(host, target) -> (status, head bytes, body bytes)
Respond = Callable[[str, bytes], tuple[int, bytes, bytes]]


def _search_target(court: Any, article: str, start: date, end: date, page: int) -> bytes:
    from warduty.sudrf.urls import Search, search_url

    search = Search(article=article, received_from=start, received_to=end, page=page)
    split = urlsplit(search_url(court, search))
    return f"{split.path}?{split.query}".encode("ascii")


def crawl_mix(
    respond: Respond, courts: list[Any], as_of: date, answer_of: Callable[[str], str | None]
) -> Iterator[tuple[str, bytes, int, bytes, bytes]]:
    """Replay a crawl of ``courts`` as of ``as_of``: yields (host, target, status, head, body) per request."""
    for court in courts:
        host = court.search_host
        engine = court.engine or "standard"
        captcha = b""
        if court.captcha:
            form = b"/modules.php?name=sud_delo&name_op=sf&delo_id=1540006"
            status, head, body = respond(host, form)
            yield host, form, status, head, body
            found = _CAPTCHA_ID.search(body.decode("cp1251"))
            captcha_id = (found.group(1) or found.group(2)) if found else ""
            answer = answer_of(captcha_id) or ""
            wrong = b"/modules.php?name=sud_delo&srv_num=1&name_op=r&delo_id=1540006&new=0&Submit=1"
            for extra in (b"", f"&captcha=0000&captchaid={captcha_id}".encode()):
                status, head, body = respond(host, wrong + extra)
                yield host, wrong + extra, status, head, body
            captcha = f"&captcha={answer}&captchaid={captcha_id}".encode()
        cards: dict[bytes, None] = {}
        for article in WATCHED:
            for year in range(2021, as_of.year + 1):
                start, end = date(year, 1, 1), min(as_of, date(year, 12, 31))
                page, last = 1, 1
                while page <= last:
                    target = _search_target(court, article, start, end, page) + captcha
                    status, head, body = respond(host, target)
                    yield host, target, status, head, body
                    text = body.decode("cp1251", errors="replace")
                    total = _TOTAL.search(text)
                    if total and page == 1:
                        last = -(-int(total.group(1)) // _PAGE_SIZE[engine])
                    for link in _LINK.findall(text):
                        cards[html.unescape(link).encode("latin-1")] = None
                    page += 1
        docs: dict[bytes, None] = {}
        for card in cards:
            status, head, body = respond(host, card)
            yield host, card, status, head, body
            for link in _LINK.findall(body.decode("cp1251", errors="replace")):
                if "name_op=doc" in link:
                    docs[html.unescape(link).encode("latin-1")] = None
        for doc in docs:
            status, head, body = respond(host, doc)
            yield host, doc, status, head, body


def chosen_courts(every: int) -> list[Any]:
    from warduty.courts import load_registry

    return [c for c in load_registry() if c.search_host and c.first_instance][::every]


def _server_respond(server: Any) -> Respond:
    def respond(host: str, target: bytes) -> tuple[int, bytes, bytes]:
        reply = server.respond(host, target)
        return reply.status, reply.head(True), reply.body

    return respond


def _build_server() -> Any:
    """The server as the replica process builds it: through ``replica.serve`` where that exists."""
    try:
        from warduty.replica.serve import build_server
    except ModuleNotFoundError:  # main before it: the CLI built it so
        from warduty.replica.population import generate_population
        from warduty.replica.server import ReplicaServer

        return ReplicaServer(generate_population(SEED, 1.0), as_of=AS_OF[0], seed=SEED)
    return build_server(
        seed=SEED, as_of=AS_OF[0].isoformat(), faults="none", min_interval=0.0, scale=1.0,
        slow_delay=65.0, redesign_court=None,
    )  # fmt: skip


def worker(every: int, start_module: str) -> dict[str, float]:
    """One measurement in this interpreter (started fresh by :func:`main`)."""
    started = time.process_time()
    importlib.import_module(start_module)
    imported = time.process_time() - started
    started = time.process_time()
    server = _build_server()
    built = time.process_time() - started
    courts = chosen_courts(every)
    spent, pages = 0.0, 0

    def timed(host: str, target: bytes) -> tuple[int, bytes, bytes]:
        nonlocal spent
        before = time.process_time()
        reply = server.respond(host, target)
        head = reply.head(True)
        spent += time.process_time() - before
        return reply.status, head, reply.body

    for as_of in AS_OF:
        server.move_to(as_of)
        pages += sum(1 for _ in crawl_mix(timed, courts, as_of, server.site.captcha.answer_of))
    return {"import": imported, "population": built, "serve": spent, "pages": pages}


def startup_worker() -> dict[str, float]:
    """Start this checkout's replica process as the demo does; wall time until it answers, its CPU then."""
    from warduty.replica.process import ReplicaProcess

    started = time.perf_counter()
    replica = ReplicaProcess(AS_OF[0]).start()
    wall = time.perf_counter() - started
    fields = Path(f"/proc/{replica.pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    replica.stop()
    return {"ready_wall": wall, "ready_cpu": cpu}


def _run_worker(src: Path, every: int, start_module: str) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = [sys.executable, __file__, "--worker", "--every", str(every), "--start-module", start_module]
    startup = subprocess.run(
        [sys.executable, __file__, "--startup-worker"], env=env, check=True, capture_output=True
    )
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result | json.loads(startup.stdout.decode().strip().splitlines()[-1])


def _start_module(src: Path) -> str:
    """What ``ReplicaProcess`` runs in that checkout: the whole CLI, or the replica's own entry point."""
    process = (src / "warduty" / "replica" / "process.py").read_text("utf-8")
    found = re.search(r'"-m", "([\w.]+)"', process)
    return found.group(1) if found else "warduty.cli"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", type=Path, help="src folder of the code to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--every", type=int, default=4, help="serve every n-th first-instance court")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--start-module", default="warduty.cli", help=argparse.SUPPRESS)
    parser.add_argument("--startup-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.every, args.start_module)))
        return
    if args.startup_worker:
        print(json.dumps(startup_worker()))
        return
    if args.base is None:
        parser.error("--base SRC is required (the src folder of a worktree of main)")
    runs: dict[str, list[dict[str, float]]] = {"old": [], "new": []}
    for round_number in range(1, args.rounds + 1):
        for label, src in (("old", args.base.resolve()), ("new", SRC)):
            result = _run_worker(src, args.every, _start_module(src))
            runs[label].append(result)
            print(
                f"round {round_number} {label}: import {result['import']:.2f} s, population "
                f"{result['population']:.2f} s, serving {result['serve']:.2f} s "
                f"for {result['pages']:.0f} pages; replica process ready in {result['ready_wall']:.1f} s "
                f"(its CPU {result['ready_cpu']:.1f} s)",
                flush=True,
            )
    print(f"\nmedians of {args.rounds} rounds (CPU seconds; serving per page in ms):")
    print(f"{'':<22}{'old':>9}{'new':>9}{'new/old':>9}")
    rows = (
        ("import", "start-up imports"),
        ("population", "population build"),
        ("ready_cpu", "process ready, CPU"),
        ("ready_wall", "process ready, wall"),
    )
    for key, label in rows:
        old, new = (statistics.median(r[key] for r in runs[side]) for side in ("old", "new"))
        print(f"{label:<22}{old:>9.2f}{new:>9.2f}{new / old:>9.2f}")
    old, new = (
        statistics.median(r["serve"] / r["pages"] * 1000 for r in runs[side]) for side in ("old", "new")
    )
    print(f"{'serving, ms per page':<22}{old:>9.3f}{new:>9.3f}{new / old:>9.2f}")
    print(f"pages per round: {runs['new'][0]['pages']:.0f} (old {runs['old'][0]['pages']:.0f})")


if __name__ == "__main__":
    main()
