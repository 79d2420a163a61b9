"""Fault profiles: deterministic for a seed, every kind observable on the wire, politeness counted."""

from __future__ import annotations

import re
import socket
import time
from collections import Counter
from datetime import date
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from typer.testing import CliRunner

from tests.reference import REAL_PAGES, read_page, real_page_names, require
from tests.replica.synthetic import STANDARD, VINTAGE, sample_population
from warduty.cli import app
from warduty.courts import load_registry
from warduty.replica.faults import PROFILES, FaultPlan, HostGuard, UnknownProfileError, get_profile
from warduty.replica.process import ReplicaProcess
from warduty.replica.redesign import redesign_page
from warduty.replica.server import ReplicaServer, ReplicaServerError
from warduty.sudrf.card import parse_card
from warduty.sudrf.encoding import charset_of, decode_page
from warduty.sudrf.errors import PageFormatError
from warduty.sudrf.listing import parse_listing
from warduty.sudrf.pages import PageState, classify_page
from warduty.sudrf.urls import Search, search_url

HOST = load_registry().by_code(STANDARD).search_host or ""
SEARCH = "name=sud_delo&srv_num=1&name_op=r&delo_id=1540006&case_type=0&new=0&Submit=%CD%E0%E9%F2%E8"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_unknown_profile_is_a_clear_error() -> None:
    with pytest.raises(UnknownProfileError, match="flaky"):
        get_profile("chaos")


def test_plan_is_deterministic_and_retries_can_succeed() -> None:
    plan = FaultPlan(PROFILES["hostile"], seed=7)
    targets = [f"/modules.php?page={n}" for n in range(2000)]
    first = [plan.decide(HOST, t, 1) for t in targets]
    assert first == [FaultPlan(PROFILES["hostile"], seed=7).decide(HOST, t, 1) for t in targets]
    assert first != [FaultPlan(PROFILES["hostile"], seed=8).decide(HOST, t, 1) for t in targets]
    kinds = Counter(f.kind for f in first if f is not None)
    assert set(kinds) == set(PROFILES["hostile"].rates)
    share = sum(kinds.values()) / len(targets)
    assert 0.15 < share < 0.30  # hostile: about 24 %
    failed = [t for t, f in zip(targets, first, strict=True) if f is not None]
    assert any(plan.decide(HOST, t, 2) is None for t in failed)
    flaky = FaultPlan(PROFILES["flaky"], seed=7)
    assert 0.01 < sum(flaky.decide(HOST, t, 1) is not None for t in targets) / len(targets) < 0.07
    assert all(FaultPlan(PROFILES["none"], seed=7).decide(HOST, t, 1) is None for t in targets)


def test_host_guard_min_interval_and_windows() -> None:
    clock = Clock()
    guard = HostGuard(min_interval=2.0, clock=clock)
    assert not guard.too_fast("a")
    clock.now = 1.0
    assert guard.too_fast("a") and not guard.too_fast("b")
    clock.now = 3.5
    assert not guard.too_fast("a")
    guard.open_window("a", 10)
    clock.now = 13.0
    assert guard.in_window("a") and not guard.in_window("b")
    clock.now = 13.6
    assert not guard.in_window("a")
    assert [guard.next_attempt("a", "/x") for _ in range(3)] == [1, 2, 3]


def test_politeness_violations_get_the_throttle_page_and_are_counted() -> None:
    clock = Clock()
    server = ReplicaServer(sample_population(), as_of=date(2025, 1, 1), min_interval=3.0, clock=clock)
    with server, httpx.Client(base_url=server.origin, headers={"Host": HOST}) as http:
        assert "Всего по запросу" in http.get(f"/modules.php?{SEARCH}").content.decode("cp1251")
        clock.now = 1.0
        throttled = http.get(f"/modules.php?{SEARCH}")
        assert throttled.status_code == 200
        assert "Информация временно недоступна" in throttled.content.decode("cp1251")
        clock.now = 4.5
        assert "Всего по запросу" in http.get(f"/modules.php?{SEARCH}").content.decode("cp1251")
        assert server.politeness_violations() == {HOST: 1}
        assert http.get("/__replica__/stats").json()["politeness_violations"] == {HOST: 1}


def _exchange(port: int, target: str) -> tuple[bytes, bytes]:
    """(head, body) read until the server closes; an empty head is a dropped connection."""
    request = f"GET {target} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode("ascii")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return head, body


def test_hostile_profile_shows_every_fault_on_the_wire() -> None:
    server = ReplicaServer(
        sample_population(),
        as_of=date(2025, 1, 1),
        faults="hostile",
        seed=3,
        slow_delay=0.2,
        throttle_window=0.0,
    )
    seen: Counter[str] = Counter()
    with server:
        assert server.port is not None
        for n in range(300):
            head, body = _exchange(server.port, f"/modules.php?{SEARCH}&u1_case__ENTRY_DATE2D=&x={n}")
            if not head:
                seen["drop"] += 1
                continue
            status = int(head.split(b" ")[1])
            length = int(re.search(rb"Content-Length: (\d+)", head).group(1))  # type: ignore[union-attr]
            if status >= 500:
                seen["server_error"] += 1
            elif status == 429:
                assert b"Retry-After: 120" in head
                seen["rate_limit"] += 1
            elif len(body) < length:
                seen["truncate"] += 1
            elif b"charset=utf-8" in head:
                assert "Всего по запросу".encode("cp1251") in body
                seen["misencoded"] += 1
            elif "Всего по запросу".encode() in body:
                seen["misencoded"] += 1
            elif "Информация временно недоступна".encode("cp1251") in body:
                seen["throttle"] += 1
            else:
                assert "Всего по запросу".encode("cp1251") in body
                seen["ok"] += 1
        stats = server.stats()
    faults = stats["faults"]
    assert isinstance(faults, dict)
    for kind in ("drop", "server_error", "rate_limit", "truncate", "misencoded"):
        assert seen[kind] == faults.get(kind, 0) > 0, kind
    assert faults.get("slow", 0) > 0 and seen["throttle"] == faults.get("throttle_window", 0)
    assert seen["ok"] > 150


def test_slow_replies_outlast_a_client_timeout() -> None:
    server = ReplicaServer(
        sample_population(), as_of=date(2025, 1, 1), faults="hostile", seed=3, slow_delay=1.0
    )
    plan = server.plan
    targets = (f"/modules.php?{SEARCH}&x={n}" for n in range(5000))
    slow_target = next(
        t
        for t in targets
        if (f := plan.decide(HOST, t, 1)) is not None and f.kind == "slow" and plan.decide(HOST, t, 2) is None
    )
    with server, httpx.Client(base_url=server.origin, headers={"Host": HOST}, timeout=0.3) as http:
        with pytest.raises(httpx.ReadTimeout):
            http.get(slow_target)
        retry = http.get(slow_target)  # the second attempt draws again, and this one passes
        assert retry.status_code == 200 and "Всего по запросу" in retry.content.decode("cp1251")


# -- the redesign profile -------------------------------------------------------------------------------


def _fetch(http: httpx.Client, url: str) -> str:
    """GET a real court URL through the replica (Host header names the court) and decode the page."""
    split = urlsplit(url)
    response = http.get(f"{split.path}?{split.query}", headers={"Host": split.netloc})
    assert response.status_code == 200, url
    return decode_page(response.content, charset_of(response.headers.get("content-type")))


def _pages(http: httpx.Client, code: str) -> tuple[str, str, str]:
    """(result list, its first card, an empty result list) of a court of the sample population."""
    court = load_registry().by_code(code)
    found = _fetch(http, search_url(court, Search("", date(2024, 1, 1), date(2024, 12, 31))))
    link = re.search(r"""href=["']([^"']*name_op=case[^"']*)["']""", found)
    card = ""
    if link is not None:
        card = _fetch(http, urljoin(search_url(court, Search("")), link.group(1).replace("&amp;", "&")))
    empty = _fetch(http, search_url(court, Search("337", date(2019, 1, 1), date(2019, 12, 31))))
    return found, card, empty


def test_redesign_serves_one_court_that_the_parsers_refuse_and_leaves_the_others_alone() -> None:
    server = ReplicaServer(
        sample_population(), as_of=date(2025, 1, 1), faults="redesign", redesign_court=VINTAGE
    )
    with server, httpx.Client(base_url=server.origin) as http:
        listing, card, empty = _pages(http, VINTAGE)
        plain_listing, plain_card, plain_empty = _pages(http, STANDARD)
        stats = server.stats()
    assert classify_page(plain_listing) is PageState.RESULTS and parse_listing(plain_listing).rows
    assert classify_page(plain_card) is PageState.CARD and parse_card(plain_card).case_number
    assert classify_page(plain_empty) is PageState.EMPTY
    # A person still sees a court page with the cases on it; the parsers say they do not understand it.
    assert "ДЕЛО" in card.upper() and "Найдено дел по запросу" in listing
    assert classify_page(listing) is PageState.UNKNOWN
    assert classify_page(card) is PageState.UNKNOWN
    assert classify_page(empty) is PageState.UNKNOWN
    with pytest.raises(PageFormatError):
        parse_listing(listing)
    with pytest.raises(PageFormatError):
        parse_card(card)
    assert stats["redesign_court"] == VINTAGE and stats["redesigned_pages"] == 3
    assert stats["faults"] == {}


def test_redesign_transform_breaks_both_engines_whatever_their_markup() -> None:
    """The transform applied to the pages the replica renders for both engines, without the profile."""
    server = ReplicaServer(sample_population(), as_of=date(2025, 1, 1))
    with server, httpx.Client(base_url=server.origin) as http:
        for code in (STANDARD, VINTAGE):
            listing, card, empty = (redesign_page(page) for page in _pages(http, code))
            assert classify_page(listing) not in (PageState.RESULTS, PageState.EMPTY), code
            assert classify_page(card) is not PageState.CARD, code
            assert classify_page(empty) not in (PageState.RESULTS, PageState.EMPTY), code
            for page, parse in ((listing, parse_listing), (card, parse_card)):
                with pytest.raises(PageFormatError):
                    parse(page)


def test_redesigned_court_comes_from_the_seed_or_the_option() -> None:
    population = sample_population()
    chosen = {
        ReplicaServer(population, as_of=date(2025, 1, 1), faults="redesign", seed=s).redesign_court
        for s in range(8)
    }
    assert len(chosen) > 1 and None not in chosen
    again = ReplicaServer(population, as_of=date(2025, 1, 1), faults="redesign", seed=3).redesign_court
    assert (
        again == ReplicaServer(population, as_of=date(2025, 1, 1), faults="redesign", seed=3).redesign_court
    )
    level = {c.code: c.level for c in load_registry()}
    assert all(level[code] in ("garrison", "district") for code in chosen if code)
    assert ReplicaServer(population, as_of=date(2025, 1, 1)).redesign_court is None
    # Named, it combines with any profile's random faults.
    flaky = ReplicaServer(population, as_of=date(2025, 1, 1), faults="flaky", redesign_court=STANDARD)
    assert flaky.redesign_court == STANDARD and flaky.profile.rates
    with pytest.raises(ReplicaServerError, match="00GV9999"):
        ReplicaServer(population, as_of=date(2025, 1, 1), faults="redesign", redesign_court="00GV9999")


@pytest.mark.parametrize(
    "page",
    [
        "",
        "no markup at all",
        "\x00\xff\ufffd" * 1000,
        '<div id="tablcont',  # unterminated quote
        '<table id=\'resultTable\' class="a" data-id="tablcont" aria-class=casenumber>',
        "<li ID=tab1 CLASS=sel><a>ДВИЖЕНИЕ ДЕЛА</a></li>",
        '<div class="' + "x " * 200_000 + 'casenumber">',
        "<" * 100_000 + 'id="' * 50_000,
        "id=" + "tablcont" * 50_000,
    ],
)
def test_redesign_transform_takes_hostile_input(page: str) -> None:
    started = time.monotonic()
    changed = redesign_page(page)
    assert time.monotonic() - started < 2.0
    assert redesign_page(changed) == changed  # idempotent
    assert classify_page(changed) is not PageState.RESULTS


def test_redesign_transform_renames_only_what_the_parsers_read() -> None:
    page = (
        '<table id=\'resultTable\' data-id="tablcont" class="law-case-table"><li ID=tab1 class=sel>'
        "<div class='casenumber  title'>"
    )
    assert redesign_page(page) == (
        '<table id=\'result-table\' data-id="tablcont" class="law-case-table"><li ID=tab-1 class=sel>'
        "<div class='case-number  title'>"
    )
    assert (
        redesign_page("Всего по запросу найдено — 3; ДВИЖЕНИЕ ДЕЛА") == "Найдено дел по запросу — 3; ХОД ДЕЛА"
    )


def test_replica_serve_exposes_the_redesign_profile() -> None:
    with ReplicaProcess(
        date(2024, 4, 12), scale=0.02, faults="redesign", redesign_court=VINTAGE
    ).start() as replica:
        stats = replica.stats()
    assert stats["profile"] == "redesign" and stats["redesign_court"] == VINTAGE
    refused = CliRunner().invoke(app, ["replica", "serve", "--scale", "0.02", "--redesign-court", "00GV9999"])
    assert refused.exit_code == 1 and "cannot redesign '00GV9999'" in refused.output


def test_redesign_transform_makes_every_real_list_and_card_unreadable() -> None:
    """Real court pages (from ../shared/reference): what the parsers read as a result list, an empty
    result or a card, they no longer read after the transform; captcha, throttle and act pages keep
    what they are."""
    require(REAL_PAGES)
    seen: Counter[PageState] = Counter()
    for name in real_page_names():
        page = read_page(name)
        before, after = classify_page(page), classify_page(redesign_page(page))
        seen[before] += 1
        if before in (PageState.RESULTS, PageState.EMPTY, PageState.CARD):
            assert after is PageState.UNKNOWN, name
        else:
            assert after is before, name
    assert seen[PageState.RESULTS] and seen[PageState.CARD] and seen[PageState.EMPTY], seen
