"""The crawler tells classify_page which page it asked for; the text-marker shortcut must never change
the answer the tree gives, on real pages and on every page the replica serves."""

from __future__ import annotations

import asyncio
import re
from datetime import date
from pathlib import Path

import pytest

from tests.reference import real_page_names, real_page_path
from warduty.courts import load_registry
from warduty.crawl.archive import iter_run
from warduty.crawl.client import ClientOptions
from warduty.crawl.crawler import CrawlOptions
from warduty.jobs import new_crawler
from warduty.replica.population import generate_population
from warduty.replica.server import ReplicaServer
from warduty.store import make_engine, migrate, sync_courts
from warduty.sudrf import pages
from warduty.sudrf.encoding import charset_of, decode_page
from warduty.sudrf.pages import PageState, classify_page

AS_OF = date(2024, 4, 12)
PAGES = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "pages").glob("*.htm*"))


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_likely_state_agrees_with_the_tree(path: Path) -> None:
    html = decode_page(path.read_bytes())
    plain = classify_page(html)
    for likely in (PageState.RESULTS, PageState.DOCUMENT, PageState.CARD):
        assert classify_page(html, likely) is plain


def test_a_page_with_the_counter_and_no_table_is_not_taken_for_results() -> None:
    html = (
        "<html><body><p>Всего по запросу найдено — 0</p><p>Данных по запросу не обнаружено</p></body></html>"
    )
    assert classify_page(html, PageState.RESULTS) is PageState.EMPTY


def test_document_markers_settle_a_print_view() -> None:
    html = '<html><body><div id="doccont" align="right"></div><div id="content">ПРИГОВОР</div></body></html>'
    assert classify_page(html, PageState.DOCUMENT) is PageState.DOCUMENT is classify_page(html)
    assert classify_page("<html><body><p>doccont content</p></body></html>", PageState.DOCUMENT) is not (
        PageState.DOCUMENT
    )


def test_every_page_of_a_replica_crawl_is_classified_alike(tmp_path: Path) -> None:
    """Listings, cards, acts and empty results of both engines, as the crawler received them."""
    engine = make_engine(f"sqlite:///{tmp_path / 'w.sqlite'}")
    migrate(engine)
    registry = load_registry()
    with engine.begin() as connection:
        sync_courts(connection, registry)
    courts = ["77GV0017", *[c.code for c in registry.select(crawlable=True) if c.engine != "standard"][:1]]
    with ReplicaServer(generate_population(scale=0.1), as_of=AS_OF) as server:
        client = ClientOptions(host_interval=0.0, global_interval=0.0, origin=server.origin)
        crawler = new_crawler(engine, client, tmp_path, registry=registry)
        options = CrawlOptions(courts=courts, since=date(2023, 1, 1), until=AS_OF, retry_pause=0.01)
        report = asyncio.run(crawler.run(options))
    assert report.status == "done"
    seen: set[PageState] = set()
    for response in iter_run(tmp_path / "archive" / f"run-{report.run_id}"):
        html = decode_page(response.body, charset_of(response.content_type))
        plain = classify_page(html)
        seen.add(plain)
        for likely in (PageState.RESULTS, PageState.DOCUMENT):
            assert classify_page(html, likely) is plain, response.url
    assert {PageState.RESULTS, PageState.CARD} <= seen  # act print views: the synthetic test above


def test_the_captcha_guard_sees_every_spelling_the_regex_matches() -> None:
    """The ASCII guard in front of the case-blind captcha regex turns nothing away that the regex finds:
    no character but an ASCII letter matches c, a, p, t or h blind to case."""
    every_character = "".join(map(chr, range(0x110000)))
    for letter in "capth":
        matches = re.findall(letter, every_character, re.IGNORECASE)
        assert sorted(matches) == [letter.upper(), letter], letter
    form = '<form><img src="x"><INPUT Name = "CaPtChAiD" value="7"></form>'
    assert pages._names_ascii(form, b"captcha") and pages._CAPTCHA_INPUT.search(form)
    for page in (form, f"<p>Суд — {form}</p>", f"<p>\udcff{form}</p>"):  # Cyrillic, a lone surrogate
        assert pages._card_or_captcha(page)
    # The Cyrillic «саptcha» (с and а are Cyrillic) is not the word, and neither the guard nor the regex
    # takes it for one.
    lookalike = '<input name="саptchaid">'
    assert not pages._names_ascii(lookalike, b"captcha") and not pages._CAPTCHA_INPUT.search(lookalike)
    assert classify_page(form, PageState.RESULTS) is PageState.CAPTCHA


# The print view's test as it was: the pattern `_document_ids` must answer exactly as, now searched from «=».
_DOCUMENT_IDS_BEFORE = re.compile(r"""\bid\s*=\s*["']?(doccont|content)["'\s>]""", re.IGNORECASE)


def _document_ids_before(html: str) -> bool:
    return {name.lower() for name in _DOCUMENT_IDS_BEFORE.findall(html)} == {"doccont", "content"}


def test_the_print_views_ids_are_found_as_the_whole_page_pattern_found_them() -> None:
    """Random texts of the pieces where the two could part: case, İ and ı (the pattern's case-blind «i»),
    a word character before «id», blanks of every kind (NBSP, line separators), quotes, near-misses."""
    import random

    choices = [
        ["", " ", "<div ", "x", "ж", "_", "-", "\u00a0", "="],  # before the name
        ["id", "ID", "iD", "İd", "ıd", "ід", "i d", ""],  # the name, «ід» Cyrillic
        ["", " ", "  ", "\u00a0", "\n\t", "\u2028"],  # blanks
        ["=", "==", "", "=="],
        ["", " ", "\u00a0", "\n"],
        ["", '"', "'", "''"],
        ["doccont", "DocCont", "DOCCONT", "content", "Content", "contents", "doccon"],
        ['"', "'", " ", ">", "", "x", "\u00a0", "\n"],  # after the value
    ]
    generator = random.Random(17)
    answers = []
    for _ in range(20_000):
        fragments = [
            "".join(generator.choice(part) for part in choices) for _ in range(generator.randint(1, 4))
        ]
        text = "".join(generator.choice(["", " ", "<p>", "ж"]) + fragment for fragment in fragments)
        answer = pages._document_ids(text)
        assert answer is _document_ids_before(text), repr(text)
        answers.append(answer)
    assert 50 < sum(answers) < len(answers) - 50  # both answers were put to the test


@pytest.mark.parametrize("name", real_page_names() or ["(real pages absent)"])
def test_the_print_views_ids_on_real_pages(name: str) -> None:
    html = decode_page(real_page_path(name).read_bytes())
    assert pages._document_ids(html) is _document_ids_before(html)
    assert pages._document_ids(html) is (name == "ksoyu_act_doc.html")
