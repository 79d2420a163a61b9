"""WARC paths: stored relative to the data directory, found from any working directory, old paths too;
an offset that is not the start of a record is a 404, not a 500."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update

from warduty.config import Settings
from warduty.courts import load_registry
from warduty.crawl.archive import ArchiveError, locate, read_response
from warduty.crawl.client import ArchiveRef, ClientOptions
from warduty.crawl.crawler import CrawlOptions
from warduty.crawl.reparse import reparse
from warduty.jobs import new_crawler
from warduty.replica.population import generate_population
from warduty.replica.server import ReplicaServer
from warduty.store import make_engine, migrate, sync_courts
from warduty.store.schema import cases, fetches
from warduty.web import create_app

COURT = "77GV0017"
AS_OF = date(2024, 4, 12)


def _engine(url: str) -> Engine:
    engine = make_engine(url)
    migrate(engine)
    with engine.begin() as connection:
        sync_courts(connection, load_registry())
    return engine


DEMO = Path("data/demo/as-of-2024-04-12")  # the demo's layout: database and archive in one folder


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A crawl run from working directory A with the relative data directory B = ``data/demo/...`` and
    its database in B, as ``warduty demo`` does. Returns (A/B, database URL)."""
    a = tmp_path_factory.mktemp("cwd-a")
    url = f"sqlite:///{a / DEMO / 'warduty.sqlite'}"
    engine = _engine(url)
    with (
        pytest.MonkeyPatch.context() as patch,
        ReplicaServer(generate_population(scale=0.1), as_of=AS_OF) as server,
    ):
        patch.chdir(a)
        client = ClientOptions(host_interval=0.0, global_interval=0.0, origin=server.origin)
        crawler = new_crawler(engine, client, DEMO)
        report = asyncio.run(
            crawler.run(CrawlOptions(courts=[COURT], since=date(2023, 7, 1), until=AS_OF, retry_pause=0.01))
        )
    assert report.status == "done" and report.fetched > 0
    engine.dispose()
    return a / DEMO, url


def _case_with_page(engine: Engine) -> tuple[int, int, str, int]:
    with engine.connect() as connection:
        row = connection.execute(
            select(cases.c.id, fetches.c.id.label("fetch"), fetches.c.warc_file, fetches.c.warc_offset)
            .join(fetches, fetches.c.id == cases.c.fetch_id)
            .limit(1)
        ).one()
    return row.id, row.fetch, row.warc_file, row.warc_offset


def test_paths_are_relative_to_the_data_dir_and_load_from_elsewhere(
    crawled: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, url = crawled
    engine = make_engine(url)
    with engine.connect() as connection:
        stored = {r.warc_file for r in connection.execute(select(fetches.c.warc_file))}
    assert stored and all(f.startswith(f"archive/run-1/{COURT}") for f in stored), stored
    case_id, fetch_id, warc_file, _ = _case_with_page(engine)
    monkeypatch.chdir(tmp_path)  # working directory C
    client = TestClient(
        create_app(Settings(data_dir=data, db=url), warm=False), raise_server_exceptions=False
    )
    assert client.get(f"/cases/{case_id}/archived").status_code == 200
    # Rows written before this change: relative to the crawl's working directory, or absolute.
    for old in (f"{DEMO}/{warc_file}", str(data / warc_file)):
        with engine.begin() as connection:
            connection.execute(update(fetches).where(fetches.c.id == fetch_id).values(warc_file=old))
        assert locate(old, data) == (data / warc_file).resolve()
        assert client.get(f"/cases/{case_id}/archived").status_code == 200, old
    with engine.begin() as connection:
        connection.execute(update(fetches).where(fetches.c.id == fetch_id).values(warc_file=warc_file))
    # reparse from C into a new database records the same relative paths.
    rebuilt = _engine(f"sqlite:///{tmp_path / 'rebuilt.sqlite'}")
    replay = reparse(rebuilt, load_registry(), data / "archive", data)
    assert sum(replay.used.values()) > 0
    with rebuilt.connect() as connection:
        again = {r.warc_file for r in connection.execute(select(fetches.c.warc_file))}
    assert again == stored


def test_the_documented_demo_setup_shows_archived_pages(
    crawled: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``warduty serve --db sqlite:///data/demo/.../warduty.sqlite`` from the demo's working directory,
    with the default data directory ``data``: archived pages load (they were 404s)."""
    a = crawled[0].parents[2]
    monkeypatch.chdir(a)
    relative = f"sqlite:///{DEMO / 'warduty.sqlite'}"
    case_id = _case_with_page(make_engine(relative))[0]
    app = create_app(Settings(data_dir=Path("data"), db=relative), warm=False)
    client = TestClient(app, raise_server_exceptions=False)
    assert client.get(f"/cases/{case_id}/archived").status_code == 200


def test_an_offset_inside_a_gzip_member_is_a_404(crawled: tuple[Path, str], tmp_path: Path) -> None:
    data, url = crawled
    # A copy of the database, so the other test's rows stay as the crawl wrote them.
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(Path(url.removeprefix("sqlite:///")).read_bytes())
    engine = make_engine(f"sqlite:///{copy}")
    case_id, fetch_id, warc_file, offset = _case_with_page(engine)
    with pytest.raises(ArchiveError):
        read_response(ArchiveRef(str(data / warc_file), offset + 7))
    client = TestClient(
        create_app(Settings(data_dir=data, db=f"sqlite:///{copy}"), warm=False), raise_server_exceptions=False
    )
    for bad in (offset + 7, offset + 1, -5, 10**9):
        with engine.begin() as connection:
            connection.execute(update(fetches).where(fetches.c.id == fetch_id).values(warc_offset=bad))
        response = client.get(f"/cases/{case_id}/archived")
        assert response.status_code == 404, (bad, response.status_code)
