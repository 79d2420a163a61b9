"""A real browser (Debian's Chromium via Playwright) against ``warduty serve`` on the crawled database."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.web.browser import SCREENSHOTS, chromium, require_browser
from tests.web.conftest import TOKEN, DemoDb, serving


def test_overview_to_case_to_archive_and_language(served: str, demo_db: DemoDb, tmp_path: Path) -> None:
    shots = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    with chromium() as browser:
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
    assert [e for e in errors if "Content Security Policy" in e or "Uncaught" in e] == []
    assert len(list(shots.glob("*.png"))) >= 10
    if SCREENSHOTS:
        shutil.copy(shots / "desktop-1-overview.png", shots / "latest-overview.png")


def test_admin_forms_in_a_real_browser(demo_db: DemoDb) -> None:
    """Sign in, post a form and sign out with Chromium: its Origin and the hidden CSRF field pass the
    checks (the site-wide Referrer-Policy no-referrer would make a browser send ``Origin: null``)."""
    require_browser()
    env = {"WARDUTY_ADMIN_TOKEN": TOKEN}
    with serving(demo_db, "--rate", "1000", env=env) as origin, chromium() as browser:
        page = browser.new_page()
        posted: list[dict[str, str]] = []
        page.on("request", lambda r: posted.append(r.headers) if r.method == "POST" else None)
        page.goto(origin + "/admin")
        page.fill("input[name=token]", TOKEN)
        page.click("button[type=submit]")
        page.wait_for_selector("#logout")
        assert TOKEN not in page.url and "/admin" in page.url
        # The crawl form with a court no registry has: through both checks to the court check (400).
        page.fill("input[name=courts]", "99ZZ0000")
        with page.expect_navigation():
            page.click("form[action='/admin/crawl'] button")
        text = page.content()
        assert "99ZZ0000" in text and "CSRF" not in text and "cross-origin" not in text, text[:500]
        page.goto(origin + "/admin")
        with page.expect_navigation():
            page.click("#logout button")
        assert page.locator("input[name=token]").count() == 1  # signed out: the login form
        assert page.goto(origin + "/api/v1/admin/crawls/current").status == 401  # type: ignore[union-attr]
        assert posted and all(h.get("origin") == origin for h in posted), posted
