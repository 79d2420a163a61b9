"""A small database crawled from the replica (names included, as courts publish them) for the web tests."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from tests.web.browser import require_browser
from warduty.config import Settings
from warduty.crawl.client import ClientOptions
from warduty.crawl.crawler import CrawlOptions
from warduty.crawl.ocr import OcrSolver
from warduty.jobs import new_crawler, prepare_store
from warduty.replica.population import Population, generate_population
from warduty.replica.process import free_port
from warduty.replica.server import ReplicaServer
from warduty.store import make_engine
from warduty.store.schema import persons
from warduty.web import create_app

# Standard engine, vintage engine, and a captcha court.
COURTS = ["77GV0017", "63GV0001", "78GV0001"]
AS_OF = date(2024, 4, 12)
TOKEN = "test-admin-token-0123456789"


@dataclass(frozen=True)
class DemoDb:
    data_dir: Path
    url: str
    names: tuple[str, ...]

    def settings(self, **overrides: Any) -> Settings:
        return replace(Settings(data_dir=self.data_dir, db=self.url, admin_token=TOKEN), **overrides)


@pytest.fixture(scope="session")
def population() -> Population:
    return generate_population(scale=0.25)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory, population: Population) -> DemoDb:
    data = tmp_path_factory.mktemp("webdemo")
    url = f"sqlite:///{data / 'warduty.sqlite'}"
    engine = crawl_replica(url, data, population)
    names = _names(engine)
    engine.dispose()
    assert len(names) > 50
    return DemoDb(data, url, names)


def crawl_replica(url: str, data: Path, population: Population) -> Engine:
    """Crawl :data:`COURTS` from a replica of ``population`` into the database at ``url``."""
    engine = make_engine(url)
    prepare_store(engine)
    with ReplicaServer(population, as_of=AS_OF, seed=1) as server:
        client = ClientOptions(host_interval=0.0, global_interval=0.0, origin=server.origin)
        crawler = new_crawler(engine, client, data, solver=OcrSolver())
        report = asyncio.run(
            crawler.run(CrawlOptions(courts=COURTS, since=date(2022, 1, 1), until=AS_OF, retry_pause=0.01))
        )
    assert report.status == "done"
    return engine


def _names(engine: Engine) -> tuple[str, ...]:
    with engine.connect() as connection:
        rows = connection.execute(select(persons.c.name).where(persons.c.hidden.is_(False)))
        return tuple(sorted({r.name for r in rows if r.name}))


def make_client(app: FastAPI) -> TestClient:
    return TestClient(app, raise_server_exceptions=False)


ORIGIN = "http://testserver"  # the TestClient's base URL: the server's own origin in these tests


def sign_in(client: TestClient) -> str:
    """Sign in through the login form as a browser on the admin page would; the session's CSRF token.
    The client keeps the session cookie and from now on sends the server's own Origin."""
    client.headers["origin"] = ORIGIN
    assert client.post("/admin/login", data={"token": TOKEN}, follow_redirects=False).status_code == 303
    match = re.search(r'name="csrf" value="([^"]+)"', client.get("/admin").text)
    assert match, "the admin page has no CSRF field"
    return match.group(1)


@pytest.fixture(scope="session")
def app(demo_db: DemoDb) -> FastAPI:
    return create_app(demo_db.settings(), rate=10_000, burst=10_000)


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return make_client(app)


@contextmanager
def serving(demo_db: DemoDb, *args: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """``warduty serve`` on the demo database in a process of its own (uvicorn, as deployed); its origin."""
    port = free_port()
    environment = {**os.environ, "WARDUTY_DATA_DIR": str(demo_db.data_dir), "WARDUTY_DB": demo_db.url}
    environment.pop("WARDUTY_SHOW_NAMES", None)
    environment.update(env or {})
    command = [
        sys.executable,
        "-c",
        "from warduty.cli import main; main()",
        "serve",
        "--port",
        str(port),
        *args,
    ]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    origin = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(origin + "/static/style.css", timeout=1)  # not rate-limited
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise AssertionError("warduty serve did not start")
        yield origin
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def served(demo_db: DemoDb) -> Iterator[str]:
    require_browser()
    with serving(demo_db, "--rate", "1000") as origin:
        yield origin
