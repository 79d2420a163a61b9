"""``/embed/<chart>.svg`` and ``.csv``: the briefing's charts at stable URLs, with the briefing's numbers
and the source line in the image; errors in the envelope; rendered by Chromium on another page."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient

from tests.web.browser import SCREENSHOTS, chromium
from tests.web.conftest import AS_OF, DemoDb
from warduty.stats.chart_data import CHART_KEYS, chart_tables
from warduty.stats.figures import compute
from warduty.stats.wording import words_for
from warduty.store import make_engine

BRIEFING = "month=2024-03&as_of=2024-04-12"
SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    root = ElementTree.fromstring(svg)
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


@pytest.fixture(scope="module")
def tables(demo_db: DemoDb) -> dict[str, dict[str, object]]:
    engine = make_engine(demo_db.url, create=False)
    try:
        data = compute(engine, "2024-03", AS_OF)
    finally:
        engine.dispose()
    return {lang: dict(chart_tables(data, words_for(lang))) for lang in ("en", "ru")}


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("chart", CHART_KEYS)
def test_svg_has_title_source_and_the_briefing_numbers(
    client: TestClient, tables: dict[str, dict[str, object]], chart: str, lang: str
) -> None:
    response = client.get(f"/embed/{chart}.svg?{BRIEFING}&lang={lang}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.headers["cross-origin-resource-policy"] == "cross-origin"
    table = tables[lang][chart]
    texts = _texts(response.text)  # parses as XML: a standalone SVG
    assert texts[-1] == table.source and "2024" in texts[-1]  # type: ignore[attr-defined]
    assert table.title.startswith(texts[0])  # type: ignore[attr-defined]
    if chart == "regions":
        for region, value in table.rows:  # type: ignore[attr-defined]
            assert region in texts and str(value) in texts


def test_csv_is_the_chart_table(client: TestClient, tables: dict[str, dict[str, object]]) -> None:
    for chart in CHART_KEYS:
        response = client.get(f"/embed/{chart}.csv?{BRIEFING}")
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.text)))
        table = tables["en"][chart]
        assert tuple(rows[0]) == table.header  # type: ignore[attr-defined]
        expected = [["" if c is None else str(c) for c in row] for row in table.rows]  # type: ignore[attr-defined]
        assert rows[1:] == expected


def test_monthly_csv_layout_for_chart_tools(client: TestClient, tables: dict[str, dict[str, object]]) -> None:
    import pandas as pd

    frame = pd.read_csv(io.StringIO(client.get(f"/embed/monthly.csv?{BRIEFING}").text))
    assert frame.columns[0] == "Month" and frame.iloc[0, 0] == "2021-01" and frame.iloc[-1, 0] == "2024-03"
    assert frame["Sentences (art. 337)"].dtype == "int64"
    monthly = tables["en"]["monthly"]
    assert frame["Sentences (art. 337)"].tolist() == [r[2] for r in monthly.rows]  # type: ignore[attr-defined]
    # Only the months still being posted carry a nowcast.
    nowcast = frame.columns[6]
    assert frame[nowcast].notna().sum() >= 1 and frame[nowcast].iloc[:-6].isna().all()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/embed/nope.svg", 404),
        ("/embed/monthly.png", 404),
        ("/embed/monthly", 404),
        ("/embed/..%2F..%2Fetc%2Fpasswd.svg", 404),
        ("/embed/monthly.svg?month=2024-13", 400),
        ("/embed/monthly.svg?month=%00", 400),
        ("/embed/monthly.svg?as_of=yesterday", 400),
        ("/embed/monthly.svg?as_of=1900-01-01", 400),
        ("/embed/monthly.svg?month=2024-05&as_of=2024-04-12", 400),
        ("/embed/monthly.svg?lang=de", 400),
        ("/embed/regions.csv?month=" + "9" * 5000, 400),
    ],
)
def test_bad_requests_answer_in_the_envelope(client: TestClient, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status, response.text[:200]
    body = response.json()
    assert body["ok"] is False and body["error"]["status"] == status and body["error"]["message"]


def test_default_briefing_is_the_newest_ended_month(client: TestClient) -> None:
    default = client.get("/embed/monthly.csv")
    assert default.status_code == 200
    assert default.text == client.get(f"/embed/monthly.csv?{BRIEFING}").text  # data as of 2024-04-12


def test_embeds_render_in_chromium_on_another_page(served: str, tmp_path: Path) -> None:
    shots = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    images = "".join(
        f'<img id="{chart}" src="{served}/embed/{chart}.svg?{BRIEFING.replace("&", "&amp;")}" '
        'style="display:block;margin:8px">'
        for chart in CHART_KEYS
    )
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 800, "height": 900})
        page.set_content(f"<!DOCTYPE html><html><body>{images}</body></html>")  # a newsroom's page
        page.wait_for_load_state("networkidle")
        for chart in CHART_KEYS:
            size = page.eval_on_selector(f"#{chart}", "i => [i.complete, i.naturalWidth, i.naturalHeight]")
            assert size[0] and size[1] == 760 and size[2] > 100, (chart, size)
        page.screenshot(path=str(shots / "embeds.png"), full_page=True)
        page.goto(f"{served}/embed/monthly.svg?{BRIEFING}")  # opened on its own: the text is there
        assert "Counts of records published on court websites" in page.content()
    assert (shots / "embeds.png").stat().st_size > 10_000
    if os.environ.get("WARDUTY_SCREENSHOTS"):
        print(f"screenshot: {shots / 'embeds.png'}")
