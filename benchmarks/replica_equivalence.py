"""Is the replica the same as another checkout's? Digests of every case and of the pages a crawl gets.

Run: .venv/bin/python benchmarks/replica_equivalence.py --base ../wt-replica-base/src [--every 1]

For this checkout and for ``--base`` (the ``src`` folder of a worktree of main) it runs one interpreter
each that writes a digest file: a SHA-256 of every case of the population (seed 20240412, scale 1.0: all
fields, persons, events, acts with their texts, in a canonical JSON), of every act's HTML in each of its
three layouts, of what each court site shows of every case as of 2024-04-12 and 2025-06-30
(``case_view``), and of every reply (status line, headers, body bytes) to the requests of
``replica_cpu.crawl_mix`` for every ``--every``-th court on both days (listings of each watched article
and year window, all pages; cards; documents; captcha forms, wrong and right answers), plus odd requests
(dotted host, unknown host, malformed queries, a card with a wrong uid, an empty document, a page past
the last). Then it compares the two files line by line. With ``--http`` it compares instead the replies
(status, body and the main headers) that two replica processes (``ReplicaProcess``, scale 0.05, each
checkout's own start-up path) send over loopback HTTP to the same crawl, moved from the first day to
the second as the demo moves it; captcha courts get their form and the wrong answers only.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from replica_cpu import AS_OF, SEED, SRC, chosen_courts, crawl_mix

KINDS = ("case", "act", "view", "page", "odd", "http")
_ODD = (
    b"/modules.php?name=sud_delo&srv_num=1&name_op=case&case_id=1&case_uid=x&delo_id=1540006",
    b"/modules.php?name=sud_delo&srv_num=1&name_op=doc&number=1&delo_id=1540006&new=0&text_number=2",
    b"/modules.php?name=sud_delo&srv_num=1&name_op=r&delo_id=1540006&U1_DEFENDANT__LAW_ARTICLESS=x&Submit=1",
    b"/modules.php?name=sud_delo&srv_num=1&name_op=r&delo_id=1540006&U1_DEFENDANT__LAW_ARTICLESS=337&Submit=1"
    b"&page=999",
    b"/modules.php?name=sud_delo&srv_num=1&name_op=r&_deloId=1540006&case__vnkod=X&parts__law_articless=337",
    b"/modules.php?name=sud_delo&name_op=sf&delo_id=1540006",
    b"/modules.php?name=other",
    b"/index.php",
    b"/modules.php?name=sud_delo&name_op=r&delo_id=1540006&Submit=1&u1_case__ENTRY_DATE1D=%98",
)


def _plain(value: Any) -> Any:
    """A JSON-able form of a record, its dataclass fields read by name."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = [f.name for f in dataclasses.fields(value)]
        if type(value).__name__ == "ReplicaAct":  # main's holds a text field; later ones a lazy source
            names = ["doc_id", "kind", "act_date", "published", "text"]
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    if isinstance(value, (frozenset, set)):
        return sorted(_plain(item) for item in value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _digest(value: Any) -> str:
    text = json.dumps(_plain(value), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def dump(path: Path, every: int) -> None:
    from warduty.replica.pages import ACT_LAYOUTS, act_body, case_view
    from warduty.replica.population import generate_population
    from warduty.replica.server import ReplicaServer

    population = generate_population(SEED, 1.0)
    with path.open("w", encoding="utf-8") as out:
        for case in population.all_cases():
            out.write(f"case {case.court_code} {case.case_number} {_digest(case)}\n")
            for act in case.acts:  # every act in every layout, served or not
                bodies = "".join(act_body(act, layout) for layout in ACT_LAYOUTS)
                html = hashlib.sha256(bodies.encode()).hexdigest()
                out.write(f"act {case.court_code} {act.doc_id} {html}\n")
            for as_of in AS_OF:
                view = _digest(case_view(case, as_of))
                out.write(f"view {as_of} {case.court_code} {case.case_number} {view}\n")
        server = ReplicaServer(population, as_of=AS_OF[0], seed=SEED)

        def respond(host: str, target: bytes) -> tuple[int, bytes, bytes]:
            reply = server.respond(host, target)
            return reply.status, reply.head(True), reply.body

        courts = chosen_courts(every)
        for as_of in AS_OF:
            server.move_to(as_of)
            replies = crawl_mix(respond, courts, as_of, server.site.captcha.answer_of)
            for host, target, status, head, body in replies:
                digest = hashlib.sha256(head + body).hexdigest()
                out.write(f"page {as_of} {host} {target.decode('latin-1')} {status} {digest}\n")
            for court in courts[:20]:
                for host in (court.search_host, court.host or "x.sudrf.ru", "nowhere.sudrf.ru"):
                    for target in _ODD:
                        status, head, body = respond(host, target)
                        digest = hashlib.sha256(head + body).hexdigest()
                        out.write(f"odd {as_of} {host} {target.decode('latin-1')} {status} {digest}\n")


def dump_http(path: Path, every: int) -> None:
    """The same crawl over loopback HTTP from a replica process (scale 0.05), as the demo starts one."""
    import http.client

    from warduty.replica.process import ReplicaProcess

    with ReplicaProcess(AS_OF[0], scale=0.05) as replica, path.open("w", encoding="utf-8") as out:
        connection = http.client.HTTPConnection("127.0.0.1", replica.port, timeout=30)

        def respond(host: str, target: bytes) -> tuple[int, bytes, bytes]:
            connection.request("GET", target.decode("latin-1"), headers={"Host": host})
            response = connection.getresponse()
            body = response.read()
            names = ("Content-Type", "Content-Length", "Location", "Connection")
            head = "".join(f"{name}: {response.getheader(name)}\n" for name in names).encode("latin-1")
            return response.status, head, body

        courts = chosen_courts(every)
        for as_of in AS_OF:
            replica.move_to(as_of)
            for host, target, status, head, body in crawl_mix(respond, courts, as_of, lambda _id: None):
                digest = hashlib.sha256(head + body).hexdigest()
                out.write(f"http {as_of} {host} {target.decode('latin-1')} {status} {digest}\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", type=Path, help="src folder of the code to compare with")
    parser.add_argument("--every", type=int, default=1, help="replay every n-th first-instance court")
    parser.add_argument(
        "--http", action="store_true", help="compare replies over HTTP from replica processes (scale 0.05)"
    )
    parser.add_argument("--dump", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dump is not None:
        (dump_http if args.http else dump)(args.dump, args.every)
        return
    if args.base is None:
        parser.error("--base SRC is required (the src folder of a worktree of main)")
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for label, src in (("old", args.base.resolve()), ("new", SRC)):
            files[label] = Path(folder) / f"{label}.txt"
            env = {**os.environ, "PYTHONPATH": str(src)}
            command = [sys.executable, __file__, "--dump", str(files[label]), "--every", str(args.every)]
            command += ["--http"] if args.http else []
            subprocess.run(command, env=env, check=True)
        old = files["old"].read_text("utf-8").splitlines()
        new = files["new"].read_text("utf-8").splitlines()
    kinds = {k: sum(1 for line in new if line.startswith(f"{k} ")) for k in KINDS}
    differ = [(a, b) for a, b in zip(old, new, strict=False) if a != b]
    print(f"lines: old {len(old)}, new {len(new)}; " + ", ".join(f"{k} {v}" for k, v in kinds.items()))
    for a, b in differ[:10]:
        print(f"- {a}\n+ {b}")
    same = not differ and len(old) == len(new)
    print("IDENTICAL" if same else f"DIFFERENT: {len(differ)} lines differ")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
