"""The "Check a claim" page in a real browser (Debian's Chromium via Playwright) against ``warduty serve``:
type a sentence, read the verdicts, follow a case-list link, switch to Russian."""

from __future__ import annotations

from pathlib import Path

from tests.web.browser import SCREENSHOTS, chromium

SENTENCE = (
    "Since the mobilisation, garrison courts in Samara Oblast received 40 AWOL cases; "
    "in March 2024 military courts convicted a record 10 deserters. "
    "Asylum applications by Russians have reached an all-time high."
)


def test_check_a_claim_in_the_browser(served: str, tmp_path: Path) -> None:
    shots = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.goto(served + "/")
        page.get_by_role("link", name="Check a claim").click()
        page.wait_for_url("**/check**")
        page.fill("#claim-text", SENTENCE)
        page.click("#check-button")
        page.wait_for_selector("section.answer")
        answers = page.locator("section.answer")
        assert answers.count() == 3
        verdicts = answers.locator(".verdict").all_inner_texts()
        assert all(v in ("matches", "matches under another label", "close (within 5%)", "does not match",
                         "cannot be checked") for v in verdicts), verdicts  # fmt: skip
        assert verdicts[2] == "does not match"  # the asylum all-time high
        assert "since the mobilisation" in answers.first.inner_text()  # not the March of the next clause
        assert "May 2013" in answers.nth(2).inner_text()
        page.screenshot(path=str(shots / "check-1-en.png"), full_page=True)
        link = answers.first.locator("a.cases-link").first
        said = int(link.inner_text().split(": ")[1])
        link.click()
        page.wait_for_url("**/cases?**")
        assert page.locator("#case-list a.case-link").count() == min(said, 50)
        page.go_back()
        page.click("#lang-switch")
        page.wait_for_selector("section.answer")
        assert page.locator("h1").inner_text() == "Проверить утверждение"
        assert "не совпадает" in page.locator("section.answer .verdict").all_inner_texts()
        page.screenshot(path=str(shots / "check-2-ru.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(shots / "check-3-phone.png"), full_page=True)
    # A page's own requests all succeed (the browser's favicon probe is not one: it logs a bare 404).
    assert [e for e in errors if "Content Security Policy" in e or "Uncaught" in e or "http" in e] == []
