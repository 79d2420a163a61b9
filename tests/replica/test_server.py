"""The replica over HTTP: routing by host, search filters and pagination in both engines, cards, docs,
captcha, the stats endpoint and hostile requests."""

from __future__ import annotations

import base64
import io
import re
import socket
from collections.abc import Iterator
from datetime import date

import httpx
import pytest
from PIL import Image

from tests.replica.synthetic import (
    CAPTCHA_A,
    CAPTCHA_B,
    CAPTCHA_OTHER,
    STANDARD,
    VINTAGE,
    Population,
    make_case,
    sample_population,
)
from warduty.courts import load_registry
from warduty.replica.query import encode_query
from warduty.replica.server import ReplicaServer

AS_OF = date(2025, 1, 1)
SEARCH = [
    ("name", "sud_delo"),
    ("srv_num", "1"),
    ("name_op", "r"),
    ("delo_id", "1540006"),
    ("case_type", "0"),
    ("new", "0"),
    ("delo_table", "u1_case"),
]
SUBMIT = ("Submit", "Найти")


def host_of(code: str) -> str:
    host = load_registry().by_code(code).search_host
    assert host is not None
    return host


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def population() -> Population:
    return sample_population()


@pytest.fixture(scope="module")
def server(population: Population) -> Iterator[ReplicaServer]:
    with ReplicaServer(population, as_of=AS_OF) as running:
        yield running


@pytest.fixture
def client(server: ReplicaServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.origin, follow_redirects=False) as http:
        yield http


def get(client: httpx.Client, code: str, params: list[tuple[str, str]]) -> httpx.Response:
    return client.get(f"/modules.php?{encode_query(params)}", headers={"Host": host_of(code)})


def html(response: httpx.Response) -> str:
    assert response.headers["content-type"] == "text/html; charset=windows-1251"
    return response.content.decode("cp1251")


def counter(page: str) -> tuple[int, int, int]:
    plain = re.sub(r"<[^>]+>", "", page).replace("&nbsp;", " ")
    match = re.search(
        r"найдено [—-] (\d+)\.\s+(?:На странице записи|Показаны записи) с (\d+)\s+по (\d+)", plain
    )
    assert match, "no counter on the page"
    total, first, last = (int(g) for g in match.groups())
    return total, first, last


def case_numbers(page: str) -> list[str]:
    return re.findall(r"name_op=case&amp;[^\"]*\">(1-\d+/\d{4})</a>", page)


def expected_numbers(population: Population, code: str, article: str, since: date | None = None) -> list[str]:
    cases = sorted(population.cases_for(code), key=lambda c: (c.received, c.case_number))
    return [
        c.case_number
        for c in cases
        if article in c.article_numbers and c.visible_on(AS_OF) and (since is None or c.received >= since)
    ]


def test_standard_search_filters_and_paginates_exactly(client: httpx.Client, population: Population) -> None:
    expected = expected_numbers(population, STANDARD, "158")
    assert len(expected) == 20
    first = html(get(client, STANDARD, [*SEARCH, ("U1_DEFENDANT__LAW_ARTICLESS", "158"), SUBMIT]))
    assert counter(first) == (20, 1, 20)
    assert case_numbers(first) == expected
    all_rows = [
        *SEARCH,
        ("u1_case__ENTRY_DATE1D", "01.01.2024"),
        ("u1_case__ENTRY_DATE2D", "31.12.2024"),
        SUBMIT,
    ]
    page1 = html(get(client, STANDARD, all_rows))
    assert counter(page1) == (60, 1, 25)
    assert 'title="На последнюю страницу списка"' in page1
    page3 = html(get(client, STANDARD, [*all_rows, ("page", "3")]))
    assert counter(page3) == (60, 51, 60)
    assert len(case_numbers(page3)) == 10
    assert 'title="На последнюю страницу списка"' not in page3
    beyond = html(get(client, STANDARD, [*all_rows, ("page", "4")]))
    assert "Данных по запросу не обнаружено" in beyond


def test_article_part_and_date_filters(client: httpx.Client, population: Population) -> None:
    part_5 = html(get(client, STANDARD, [*SEARCH, ("U1_DEFENDANT__LAW_ARTICLESS", "337 ч.5"), SUBMIT]))
    assert counter(part_5)[0] == 20
    part_1 = html(get(client, STANDARD, [*SEARCH, ("U1_DEFENDANT__LAW_ARTICLESS", "337 ч.1"), SUBMIT]))
    assert "Данных по запросу не обнаружено" in part_1
    since = [("u1_case__ENTRY_DATE1D", "01.06.2024"), ("U1_DEFENDANT__LAW_ARTICLESS", "338")]
    page = html(get(client, STANDARD, [*SEARCH, *since, SUBMIT]))
    assert case_numbers(page) == expected_numbers(population, STANDARD, "338", date(2024, 6, 1))
    decided = [("u1_case__RESULT_DATE1D", "01.01.2024"), ("u1_case__RESULT_DATE2D", "31.12.2024")]
    page = html(get(client, STANDARD, [*SEARCH, *decided, SUBMIT]))
    want = sorted(
        (c for c in population.cases_for(STANDARD) if c.decided and c.decided.year == 2024),
        key=lambda c: c.received,
    )
    assert counter(page)[0] == len(want)


def test_vintage_engine_search(client: httpx.Client, population: Population) -> None:
    params = [
        ("name", "sud_delo"),
        ("srv_num", "1"),
        ("name_op", "r"),
        ("_deloId", "1540006"),
        ("case__case_type", "0"),
        ("_new", "0"),
        ("case__vnkod", VINTAGE),
        ("case__entry_date1d", "01.01.2024"),
    ]
    page1 = html(get(client, VINTAGE, params))
    assert 'id="resultTable"' in page1 and 'class="lawcase-count"' in page1
    assert counter(page1) == (60, 1, 20)
    # As on the real list, the page links are drawn by the site's script from the total.
    assert "items: 60, itemsOnPage: 20" in page1
    page3 = html(get(client, VINTAGE, [*params, ("_page", "3")]))
    assert counter(page3) == (60, 41, 60)
    rows = re.findall(r'class="lawcase-number-td"><a href="([^"]+)" class="dashed open-lawcase"', page3)
    assert len(rows) == 20 and all("_id=" in href and "_uid=" in href for href in rows)
    card = html(client.get(rows[0].replace("&amp;", "&"), headers={"Host": host_of(VINTAGE)}))
    assert 'id="case_bookmarks"' in card and 'id="tab_content_DefList"' in card
    standard_params = html(get(client, VINTAGE, [*SEARCH, SUBMIT]))
    assert "Данных по запросу не обнаружено" in standard_params


def test_malformed_query_is_the_silent_empty_page(client: httpx.Client) -> None:
    for bad in (("u1_case__ENTRY_DATE1D", "2024-01-01"), ("U1_DEFENDANT__LAW_ARTICLESS", "триста")):
        response = get(client, STANDARD, [*SEARCH, bad, SUBMIT])
        assert response.status_code == 200
        assert "Данных по запросу не обнаружено" in html(response)
    raw = client.get(
        "/modules.php?name=sud_delo&name_op=r&delo_id=1540006&x=%98&Submit=1",
        headers={"Host": host_of(STANDARD)},
    )
    assert raw.status_code == 200 and "Данных по запросу не обнаружено" in html(raw)


def test_missing_submit_returns_the_search_form(client: httpx.Client) -> None:
    page = html(get(client, STANDARD, SEARCH))
    assert 'id="calform"' in page and "Всего по запросу" not in page


def test_dotted_host_redirects_and_unknown_host(client: httpx.Client) -> None:
    court = load_registry().by_code(STANDARD)
    target = f"/modules.php?{encode_query([*SEARCH, SUBMIT])}"
    response = client.get(target, headers={"Host": court.host or ""})
    assert response.status_code == 302
    assert response.headers["location"] == f"http://{court.search_host}{target}"
    unknown = client.get(target, headers={"Host": "nowhere--xyz.sudrf.ru"})
    assert unknown.status_code == 404 and "Указанный сервер СДП не найден" in html(unknown)


def test_card_shows_only_what_was_posted_by_as_of() -> None:
    decided = make_case(
        STANDARD, 1, received=date(2024, 1, 10), decided=date(2024, 3, 1), published=date(2024, 3, 20)
    )
    population = Population({STANDARD: [decided]})
    card_target = (
        f"/modules.php?name=sud_delo&srv_num=1&name_op=case&case_id={decided.site_id}"
        f"&case_uid={decided.site_uid}&delo_id=1540006"
    )
    doc_target = (
        f"/modules.php?name=sud_delo&srv_num=1&name_op=doc&number={decided.acts[0].doc_id}"
        "&delo_id=1540006&new=0&text_number=1"
    )
    headers = {"Host": host_of(STANDARD)}
    with (
        ReplicaServer(population, as_of=date(2024, 3, 2)) as early,
        httpx.Client(base_url=early.origin) as http,
    ):
        card = html(http.get(card_target, headers=headers))
        assert "ДЕЛО № 1-1/2024" in card and "01.03.2024" not in card and "СУДЕБНЫЕ АКТЫ" not in card
        assert "ПУСТОЙ ДОКУМЕНТ" in html(http.get(doc_target, headers=headers))
    with (
        ReplicaServer(population, as_of=date(2024, 4, 1)) as later,
        httpx.Client(base_url=later.origin) as http,
    ):
        card = html(http.get(card_target, headers=headers))
        assert "01.03.2024" in card and "Вынесен ПРИГОВОР" in card and "Судебный акт #1 (Приговор)" in card
        doc = html(http.get(doc_target, headers=headers))
        assert '<span class="FIO1">ФИО1</span>' in doc and "Информация по делу" in doc
        other_text = html(http.get(doc_target.replace("text_number=1", "text_number=2"), headers=headers))
        assert "ПУСТОЙ ДОКУМЕНТ" in other_text
        wrong_uid = html(http.get(card_target.replace(decided.site_uid, "nope"), headers=headers))
        assert "Данных по запросу не обнаружено" in wrong_uid
    with (
        ReplicaServer(population, as_of=date(2024, 1, 10)) as before,
        httpx.Client(base_url=before.origin) as http,
    ):
        assert "Данных по запросу не обнаружено" in html(http.get(card_target, headers=headers))


def _captcha_from(page: str, server: ReplicaServer) -> tuple[str, str]:
    """The answer (which only the server knows) and the id of the captcha on the page."""
    png = re.search(r"base64, ([A-Za-z0-9+/=]+)", page)
    captcha_id = re.search(r'name="captchaid" type="hidden" value="([^"]+)"', page)
    assert png and captcha_id, "no captcha on the page"
    data = base64.b64decode(png.group(1))
    assert data.startswith(b"\x89PNG") and Image.open(io.BytesIO(data)).size == (100, 30)
    answer = server.site.captcha.answer_of(captcha_id.group(1))
    assert answer is not None and len(answer) == 5 and answer.isdigit()
    return answer, captcha_id.group(1)


def test_captcha_flow_per_region() -> None:
    clock = Clock()
    population = sample_population()
    search = [*SEARCH, ("U1_DEFENDANT__LAW_ARTICLESS", "337"), SUBMIT]
    with (
        ReplicaServer(population, as_of=AS_OF, captcha_ttl=100.0, clock=clock) as srv,
        httpx.Client(base_url=srv.origin) as http,
    ):
        gate = html(get(http, CAPTCHA_A, search))
        assert "Всего по запросу" not in gate
        answer, captcha_id = _captcha_from(gate, srv)
        wrong = html(get(http, CAPTCHA_A, [*search, ("captcha", "00000"), ("captchaid", captcha_id)]))
        assert "Неверно указан проверочный код с картинки" in wrong
        solved = [*search, ("captcha", answer), ("captchaid", captcha_id)]
        assert counter(html(get(http, CAPTCHA_A, solved)))[0] == 20
        assert counter(html(get(http, CAPTCHA_B, solved)))[0] == 20  # same region
        assert "Всего по запросу" not in html(get(http, CAPTCHA_OTHER, solved))  # another region
        card = population.cases_for(CAPTCHA_A)[0]
        card_params = [
            ("name", "sud_delo"),
            ("name_op", "case"),
            ("case_id", str(card.site_id)),
            ("delo_id", "1540006"),
        ]
        assert "ДЕЛО № " in html(get(http, CAPTCHA_A, card_params))  # cards need no captcha
        clock.now += 101
        assert "Всего по запросу" not in html(get(http, CAPTCHA_A, solved))  # expired


def test_stats_endpoint_counts_pages(client: httpx.Client, server: ReplicaServer) -> None:
    before = server.stats()["pages"]
    assert isinstance(before, dict)
    get(client, STANDARD, [*SEARCH, SUBMIT])
    stats = client.get("/__replica__/stats").json()
    assert stats["pages"]["listing"] == before.get("listing", 0) + 1
    assert stats["profile"] == "none" and stats["politeness_violations_total"] == 0


def _raw(port: int, payload: bytes, *, close_write: bool = False) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(payload)
        if close_write:
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_hostile_requests_get_errors_not_crashes(server: ReplicaServer, client: httpx.Client) -> None:
    assert server.port is not None
    assert _raw(server.port, b"garbage\r\n\r\n").startswith(b"HTTP/1.1 400")
    assert _raw(server.port, b"GET / HTTP/1.1\r\nX: " + b"a" * 70000 + b"\r\n\r\n").startswith(
        b"HTTP/1.1 431"
    )
    assert _raw(
        server.port,
        b"POST /modules.php HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nab",
    ).startswith(b"HTTP/1.1 405")
    assert _raw(server.port, b"GET /modules.php HTTP/1.1\r\n", close_write=True) == b""  # cut short
    absolute = f"GET http://{host_of(STANDARD)}/modules.php?{encode_query([*SEARCH, SUBMIT])} HTTP/1.1\r\n"
    reply = _raw(server.port, (absolute + "Host: ignored\r\nConnection: close\r\n\r\n").encode("ascii"))
    assert reply.startswith(b"HTTP/1.1 200") and "Всего по запросу".encode("cp1251") in reply  # proxy form
    assert get(client, STANDARD, [*SEARCH, SUBMIT]).status_code == 200  # still serving


def test_keep_alive_serves_many_requests_on_one_connection(server: ReplicaServer) -> None:
    assert server.port is not None
    request = (
        f"GET /modules.php?{encode_query([*SEARCH, SUBMIT])} HTTP/1.1\r\nHost: {host_of(STANDARD)}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        for _ in range(3):
            sock.sendall(request.encode("ascii"))
            head = b""
            while b"\r\n\r\n" not in head:
                head += sock.recv(1)
            length = int(re.search(rb"Content-Length: (\d+)", head).group(1))  # type: ignore[union-attr]
            body = b""
            while len(body) < length:
                body += sock.recv(length - len(body))
            assert b"keep-alive" in head and "Всего по запросу".encode("cp1251") in body


def test_move_shows_the_same_population_on_a_later_day(population: Population) -> None:
    """``/__replica__/move?as_of=`` (the demo's second crawl): cases received after the first day appear,
    the counters start again, and a bad date is a 400 that moves nothing."""
    later = date(2030, 1, 1)
    with ReplicaServer(population, as_of=AS_OF) as running, httpx.Client(base_url=running.origin) as http:
        params = [*SEARCH, ("U1_DEFENDANT__LAW_ARTICLESS", "158"), SUBMIT]
        before = counter(html(get(http, STANDARD, params)))[0]
        for bad in ("", "as_of=2025-13-01", "as_of=<script>", "as_of=" + "9" * 5000):
            assert http.get(f"/__replica__/move?{bad}").status_code == 400
        assert http.get("/__replica__/stats").json()["as_of"] == AS_OF.isoformat()
        assert http.get(f"/__replica__/move?as_of={later.isoformat()}").json() == {"as_of": "2030-01-01"}
        stats = http.get("/__replica__/stats").json()
        assert stats["as_of"] == "2030-01-01" and stats["requests"] == 0
        after = counter(html(get(http, STANDARD, params)))[0]
    cases = [c for c in population.cases_for(STANDARD) if "158" in c.article_numbers]
    assert after == sum(c.visible_on(later) for c in cases) and before == sum(
        c.visible_on(AS_OF) for c in cases
    )
    assert after >= before
