"""Costly input: oversized, endless and compressed-bomb responses stop at the size cap; deeply nested
markup is refused quickly; a page too large becomes a page issue and the crawl goes on."""

from __future__ import annotations

import asyncio
import gzip
import re
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.crawl.scripted_server import Reply, ScriptedServer
from tests.reference import read_page
from warduty.courts import load_registry
from warduty.crawl.archive import WarcArchive, read_response
from warduty.crawl.client import ArchiveRef, ClientOptions, HttpClient
from warduty.crawl.crawler import CrawlOptions
from warduty.crawl.issues import NEEDS_ATTENTION
from warduty.jobs import new_crawler
from warduty.replica.population import generate_population
from warduty.replica.server import ReplicaServer
from warduty.store import make_engine, migrate, sync_courts
from warduty.sudrf import (
    PageFormatError,
    PageState,
    classify_page,
    markup,
    parse_card,
    parse_document,
    parse_listing,
)
from warduty.sudrf.markup import MAX_DEPTH, SCAN_ABOVE, html_tree, nesting_depth

COURT_URL = "https://gvs--spb.sudrf.ru/modules.php?name=sud_delo&name_op=r"
PATH = "/modules.php?name=sud_delo&name_op=r"


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as running:
        yield running


def _options(origin: str, **overrides: object) -> ClientOptions:
    values: dict[str, object] = {
        "host_interval": 0.0,
        "global_interval": 0.0,
        "timeout": 5.0,
        "origin": origin,
    }
    values.update(overrides)
    return ClientOptions(**values)  # type: ignore[arg-type]


async def test_a_body_past_the_cap_is_cut_and_flagged(server: ScriptedServer, tmp_path: Path) -> None:
    server.script(PATH, Reply(body=b"<html>" + b"x" * 3_000_000 + b"</html>"))
    archive = WarcArchive(tmp_path, 1, relative_to=tmp_path)
    async with HttpClient(_options(server.origin, max_bytes=100_000), archive=archive) as client:
        result = await client.get(COURT_URL)
    archive.close()
    assert result.too_large and not result.ok and result.status == 200
    assert len(result.content) == 100_000
    assert result.archive is not None  # kept, as every response is, so it can be looked at
    record = read_response(ArchiveRef(str(tmp_path / result.archive.file), result.archive.offset))
    assert len(record.body) == 100_000


async def test_a_compressed_bomb_is_not_inflated_whole(server: ScriptedServer) -> None:
    bomb = gzip.compress(b"0" * 200_000_000, compresslevel=9)  # 200 MB in about 200 KB
    server.script(PATH, Reply(body=bomb, headers={"Content-Encoding": "gzip"}))
    started = time.monotonic()
    async with HttpClient(_options(server.origin, max_bytes=1_000_000)) as client:
        result = await client.get(COURT_URL)
    assert result.too_large and len(result.content) == 1_000_000
    assert time.monotonic() - started < 10


class _EndlessServer:
    """Answers every connection with a chunked body that never ends; counts the bytes it got out."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.sent = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        connection, _ = self.socket.accept()
        connection.recv(65536)
        connection.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"%x\r\n%s\r\n" % (65536, b"<div>" * (65536 // 5) + b"x")
        try:
            while True:
                connection.sendall(chunk)
                self.sent += 65536
        except OSError:
            connection.close()

    def __enter__(self) -> _EndlessServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.socket.close()


async def test_an_endless_body_stops_at_the_cap() -> None:
    with _EndlessServer() as endless:
        async with HttpClient(_options(f"http://127.0.0.1:{endless.port}", max_bytes=2_000_000)) as client:
            result = await asyncio.wait_for(client.get(COURT_URL), timeout=30)
        time.sleep(0.2)
        assert result.too_large and len(result.content) == 2_000_000
        assert endless.sent < 20_000_000  # what the kernel buffers, not the whole stream


def _deep(levels: int) -> str:
    return "<html><body>" + "<div>" * levels + "x" + "</div>" * levels + "</body></html>"


def test_deep_nesting_is_refused_at_once() -> None:
    html = _deep(200_000)  # 2.2 MB; lexbor took over 120 s on it
    started = time.monotonic()
    assert classify_page(html) is PageState.UNKNOWN
    for parse in (parse_card, parse_listing, parse_document):
        with pytest.raises(PageFormatError, match="nest more than"):
            parse(html)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("tag", ["div", "footer", "section", "figure"])
def test_a_page_too_small_for_the_scan_parses_quickly_however_deep(tag: str) -> None:
    # The worst such page: every one of its SCAN_ABOVE '<' opens an element that nests (about 5 ms).
    html = f"<{tag} class=x>y" * SCAN_ABOVE
    assert nesting_depth(html) > MAX_DEPTH
    started = time.process_time()
    html_tree(html)
    assert time.process_time() - started < 0.1
    with pytest.raises(PageFormatError, match="nest more than"):
        html_tree(html + "<b>")  # one '<' more: scanned, and refused


def test_court_pages_stay_far_below_the_depth_cap() -> None:
    for name in ("ksoyu_case_card.html", "sgs_card.html", "ksoyu_listing_bad_new.html", "ksoyu_act_doc.html"):
        depth = nesting_depth(read_page(name))
        assert 5 < depth <= 32, (name, depth)
    assert nesting_depth(_deep(100)) == 102  # with html and body
    assert nesting_depth(_deep(10 * MAX_DEPTH)) == MAX_DEPTH + 1  # counting stops past the cap
    assert nesting_depth("<p>" * 10_000 + "<br>" * 10_000 + "<td>" * 10_000) == 0  # closed by the builder


def _depth_by_the_rule(html: str) -> int:
    """The depth rule spelt out tag by tag, as the module describes it (the scan learns spellings)."""
    depth = deepest = 0
    for close, name in re.findall(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)", html):
        if name.lower() in markup._NOT_NESTING:
            continue
        depth = max(0, depth - 1) if close else depth + 1
        deepest = max(deepest, depth)
    return deepest


_PIECES = [
    "<div>",
    "</div>",
    "<DIV class=x>",
    "</Div>",
    "<p>",
    "</P>",
    "<td>",
    "<br/>",
    "< div>",
    "<ul>",
    "</ul>",
]


@given(st.lists(st.sampled_from([*_PIECES, "text", "<", ">", "</>"]), max_size=80))
def test_the_depth_scan_follows_the_rule_whatever_the_spelling(pieces: list[str]) -> None:
    html = "".join(pieces)
    assert nesting_depth(html, limit=10**9) == _depth_by_the_rule(html)


def test_many_tag_spellings_do_not_grow_the_scan_without_bound() -> None:
    html = "".join(f"<x{n}>" for n in range(3 * markup._MAX_SPELLINGS))
    assert nesting_depth(html, limit=10**9) == 3 * markup._MAX_SPELLINGS
    assert len(markup._STEPS) <= markup._MAX_SPELLINGS


def test_a_page_too_large_is_an_issue_and_the_crawl_goes_on(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'w.sqlite'}")
    migrate(engine)
    with engine.begin() as connection:
        sync_courts(connection, load_registry())
    with ReplicaServer(generate_population(scale=0.25), as_of=date(2024, 4, 12), seed=1) as replica:
        # Replica listings are 25-47 KB and cards 30-68 KB: a 50 KB cap refuses some cards, not all.
        client = _options(replica.origin, max_bytes=50_000)
        crawler = new_crawler(engine, client, tmp_path)
        options = CrawlOptions(courts=["77GV0017"], since=date(2023, 1, 1), until=date(2024, 4, 12))
        report = asyncio.run(crawler.run(options))
    large = [issue for issue in report.issues if "larger than 50000 bytes" in " ".join(issue.problems)]
    assert large and all(issue.outcome == "failed" and issue.archive is not None for issue in large)
    court = report.courts["77GV0017"]
    assert court.status == NEEDS_ATTENTION and court.reasons["page larger than 50000 bytes"] == len(large)
    assert court.cards > 0  # the other pages were read and stored
