"""A real browser (Debian's Chromium via Playwright) against ``warduty serve`` on the crawled database."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.web.conftest import DemoDb

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = os.environ.get("WARDUTY_SCREENSHOTS")


def _require_browser() -> None:
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"{CHROMIUM} (apt-get install -y chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("the playwright package (pip install playwright)")
    if missing:
        message = "browser test needs " + " and ".join(missing)
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " under CI=true")
        pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def served(demo_db: DemoDb) -> Iterator[str]:
    _require_browser()
    port = _free_port()
    env = {**os.environ, "WARDUTY_DATA_DIR": str(demo_db.data_dir), "WARDUTY_DB": demo_db.url}
    env.pop("WARDUTY_SHOW_NAMES", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from warduty.cli import main; main()",
            "serve",
            "--port",
            str(port),
            "--rate",
            "1000",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    origin = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(origin + "/api/v1/runs", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise AssertionError("warduty serve did not start")
        yield origin
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_overview_to_case_to_archive_and_language(served: str, demo_db: DemoDb, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    shots = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            for name, viewport in (
                ("desktop", {"width": 1280, "height": 900}),
                ("phone", {"width": 390, "height": 844}),
            ):
                page = browser.new_page(viewport=viewport)  # type: ignore[arg-type]
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.goto(served + "/")
                assert page.locator("#chart-received svg a.bar-link").count() > 20
                page.screenshot(path=str(shots / f"{name}-1-overview.png"), full_page=True)
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= viewport["width"] + 1, f"{name}: page is {width}px wide"

                # Follow a chart bar to the cases behind it.
                bar = page.locator("#chart-received svg a.bar-link").last
                href = bar.get_attribute("href")
                assert href and href.startswith("/cases?group=")
                bar.click()
                page.wait_for_url("**/cases?**")
                rows = page.locator("#case-list a.case-link")
                assert rows.count() >= 1
                page.screenshot(path=str(shots / f"{name}-2-cases.png"), full_page=True)

                rows.first.click()
                page.wait_for_url("**/cases/*")
                assert "Defendant" in page.content()
                page.screenshot(path=str(shots / f"{name}-3-case.png"), full_page=True)

                page.click("#archived-link")
                page.wait_for_url("**/archived")
                content = page.content()
                assert "ДЕЛО №" in content and "Archived copy" in content
                assert not any(n in content for n in demo_db.names)
                page.screenshot(path=str(shots / f"{name}-4-archived.png"), full_page=True)

                page.goto(served + "/")
                page.click("#lang-switch")
                page.wait_for_url("**lang=ru**")
                assert page.locator("html").get_attribute("lang") == "ru"
                assert "Обзор" in page.content()
                page.goto(served + "/cases")  # the choice sticks (cookie)
                assert "Дела" in page.locator("h1").inner_text()
                page.screenshot(path=str(shots / f"{name}-5-cases-ru.png"), full_page=True)
                page.click("#lang-switch")
                page.close()
        finally:
            browser.close()
    assert [e for e in errors if "Content Security Policy" in e or "Uncaught" in e] == []
    assert len(list(shots.glob("*.png"))) >= 10
    if SCREENSHOTS:
        shutil.copy(shots / "desktop-1-overview.png", shots / "latest-overview.png")
