"""The asylum readers go through the crawler's client: retries, rests, pacing, proxy, size cap, WARC."""

from __future__ import annotations

import asyncio
import json
import logging
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from tests.asylum.conftest import FakeServer, api_client
from tests.asylum.helpers import SYNTHETIC
from warduty.asylum import SourceError
from warduty.asylum.fetch import API_MAX_BYTES, EurostatQuery, fetch_eurostat, fetch_unhcr
from warduty.cli import app
from warduty.config import Settings
from warduty.crawl.archive import WarcArchive
from warduty.jobs.asylum import asylum_client
from warduty.store import make_engine
from warduty.store.schema import runs

JSONSTAT = (SYNTHETIC / "migr_asyappctzm_RU_SYNTHETIC.jsonstat.json").read_bytes()
UNHCR = json.loads((SYNTHETIC / "unhcr_asylum_applications_RUS_SYNTHETIC.json").read_text())
QUERY = EurostatQuery("migr_asyappctzm", "2024-10", "2024-12", geos=("DE",), applicants=("FRST",))
REAL_URL = "https://ec.europa.eu/eurostat/api/dissemination/statistics/1.0/data/migr_asyappctzm?"


def _gaps(server: FakeServer) -> list[float]:
    return [later - earlier for earlier, later in pairwise(server.times)]


def _warc_responses(path: Path) -> list[tuple[str, int, bytes]]:
    """(target URI, status, body) of every response record, read back with warcio."""
    found = []
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type == "response":
                status = int(record.http_headers.get_statuscode())
                found.append(
                    (record.rec_headers.get_header("WARC-Target-URI"), status, record.content_stream().read())
                )
    return found


async def test_503_is_retried_with_backoff_then_read(fake_server: FakeServer) -> None:
    answers = iter([(503, b"busy"), (503, b"busy"), (200, JSONSTAT)])
    fake_server.route = lambda path, query: next(answers)
    async with api_client(fake_server.origin, backoff=0.2, seed=1) as client:
        report = await fetch_eurostat(client, QUERY)
    assert len(report.results[0].observations) == 5
    gaps = _gaps(fake_server)
    # Backoff doubles from 0.2 s, with jitter between 0.5x and 1.5x.
    assert len(gaps) == 2 and gaps[0] >= 0.1 and gaps[1] >= 0.2


async def test_retry_after_is_honoured_below_the_cooldown(fake_server: FakeServer) -> None:
    answers = iter([(429, b"slow down", {"Retry-After": "1"}), (200, JSONSTAT)])
    fake_server.route = lambda path, query: next(answers)
    async with api_client(fake_server.origin) as client:
        # The API rest is 300 s; a client that ignored the short Retry-After would wait that long.
        report = await asyncio.wait_for(fetch_eurostat(client, QUERY), timeout=60)
    assert len(report.results) == 1
    assert _gaps(fake_server)[0] >= 1.0


async def test_a_huge_retry_after_is_capped_at_the_cooldown(
    fake_server: FakeServer, caplog: pytest.LogCaptureFixture
) -> None:
    answers = iter([(429, b"slow down", {"Retry-After": "999999999"}), (200, JSONSTAT)])
    fake_server.route = lambda path, query: next(answers)
    with caplog.at_level(logging.WARNING, logger="warduty.crawl.client"):
        async with api_client(fake_server.origin, cooldown=0.5) as client:
            report = await asyncio.wait_for(fetch_eurostat(client, QUERY), timeout=60)
    assert len(report.results) == 1
    assert _gaps(fake_server)[0] >= 0.5
    assert "capped at the cooldown" in caplog.text


async def test_still_rate_limited_after_the_rests_is_a_source_error(fake_server: FakeServer) -> None:
    fake_server.route = lambda path, query: (429, b"slow down", {"Retry-After": "0"})
    async with api_client(fake_server.origin, min_cooldown=0.0, max_cooldowns=2) as client:
        with pytest.raises(SourceError, match="rate limited"):
            await fetch_eurostat(client, QUERY)
    assert len(fake_server.requests) == 3


async def test_requests_to_one_host_are_paced(fake_server: FakeServer) -> None:
    pages = {str(n): {**UNHCR, "maxPages": 3, "items": UNHCR["items"][n - 1 : n]} for n in (1, 2, 3)}
    fake_server.route = lambda path, query: (200, json.dumps(pages[query["page"][0]]).encode())
    async with api_client(fake_server.origin, host_interval=0.4) as client:
        result = await fetch_unhcr(client, year_from=2023, year_to=2023)
    assert len(result.observations) == 3
    gaps = _gaps(fake_server)
    assert len(gaps) == 2 and min(gaps) >= 0.4, gaps


async def test_every_response_is_archived_with_the_real_url(fake_server: FakeServer, tmp_path: Path) -> None:
    answers = iter([(503, b"busy"), (200, JSONSTAT)])
    fake_server.route = lambda path, query: next(answers)
    archive = WarcArchive(tmp_path / "archive" / "asylum", 7, relative_to=tmp_path)
    async with api_client(fake_server.origin, archive=archive) as client:
        await fetch_eurostat(client, QUERY)
    archive.close()
    records = _warc_responses(tmp_path / "archive" / "asylum" / "run-7" / "other.warc.gz")
    assert [(status, body) for _, status, body in records] == [(503, b"busy"), (200, JSONSTAT)]
    assert all(url.startswith(REAL_URL) and "citizen=RU" in url for url, _, _ in records)
    # The connection went to the test server, which was told the real host.
    assert {host for _, host in fake_server.seen} == {"ec.europa.eu"}


async def test_the_proxy_setting_carries_the_requests(fake_server: FakeServer) -> None:
    settings = Settings(proxy=fake_server.origin, global_interval=0.0)
    client = asylum_client(settings, None, origin=None, interval=0, max_bytes=API_MAX_BYTES)
    assert client.options.proxy == fake_server.origin and client.options.origin is None
    fake_server.route = lambda path, query: (200, JSONSTAT)
    base = "http://eurostat.test/eurostat/api/dissemination/"  # .test never resolves: only the proxy answers
    async with client:
        report = await fetch_eurostat(client, QUERY, base=base)
    assert len(report.results) == 1
    line, host = fake_server.seen[0]
    assert line.startswith(f"GET {base}statistics/1.0/data/migr_asyappctzm?") and host == "eurostat.test"


async def test_size_cap_and_unreachable_host_are_source_errors(fake_server: FakeServer) -> None:
    fake_server.route = lambda path, query: (200, JSONSTAT)
    async with api_client(fake_server.origin, max_bytes=100) as client:
        with pytest.raises(SourceError, match="more than 100 bytes; raise --max-bytes"):
            await fetch_eurostat(client, QUERY)
    closed = fake_server.origin
    fake_server.httpd.shutdown()
    fake_server.httpd.server_close()
    async with api_client(closed, retries=1) as client:
        with pytest.raises(SourceError, match=r"cannot reach .*\(after 2 attempt"):
            await fetch_eurostat(client, QUERY)


def test_cli_fetch_archives_every_answer_and_keeps_a_failed_run(
    fake_server: FakeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WARDUTY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("WARDUTY_RETRIES", "1")
    monkeypatch.chdir(tmp_path)
    fake_server.route = lambda path, query: (500, b"down")
    command = ["asylum", "fetch", "--since", "2024-10", "--origin", fake_server.origin, "--no-check"]
    result = CliRunner().invoke(app, [*command, "--interval", "0"])
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert "answered HTTP 500 2 times" in output and "Traceback" not in output
    with make_engine(f"sqlite:///{tmp_path / 'warduty.sqlite'}").connect() as connection:
        run = connection.execute(select(runs)).one()
    assert run.kind == "asylum-fetch" and run.status == "failed" and "HTTP 500" in run.issues[0]
    records = _warc_responses(tmp_path / "archive" / "asylum" / f"run-{run.id}" / "other.warc.gz")
    assert [status for _, status, _ in records] == [500, 500]
    assert all(url.startswith(REAL_URL) for url, _, _ in records)

    for bad, message in (("--interval", "-1"), ("--max-bytes", "0"), ("--uk-url", "not-a-url")):
        result = CliRunner().invoke(app, [*command, bad, message])
        assert result.exit_code == 1 and bad in result.output, result.output


def test_cli_fetch_with_an_unwritable_archive_is_a_one_line_error(
    fake_server: FakeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WARDUTY_DATA_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "archive").write_text("a file where the archive folder should be")
    command = ["asylum", "fetch", "--origin", fake_server.origin, "--no-check", "--interval", "0"]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 1 and "cannot write the archive" in result.output
    assert "Traceback" not in result.output and not fake_server.requests
    with make_engine(f"sqlite:///{tmp_path / 'warduty.sqlite'}").connect() as connection:
        assert connection.execute(select(runs.c.status)).scalar_one() == "failed"
