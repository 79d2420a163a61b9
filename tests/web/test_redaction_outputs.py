"""An act text, a card and a listing that name a defendant in declined forms: every output shows 0 forms
of the name (CSV, Parquet and SQLite exports, the API, dashboard pages, archived card and listing pages,
``warduty parse``), unless names are asked for. Issue 16, findings 3 and 4."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, insert, select, update
from typer.testing import CliRunner

from tests.privacy.test_redact import FIRST_M, PATRONYMIC_M, SURNAMES_M, visible_forms
from tests.reference import page_path
from tests.web.conftest import TOKEN, DemoDb, make_client
from warduty.cli import app as cli
from warduty.config import Settings
from warduty.crawl.archive import WarcArchive
from warduty.crawl.client import Exchange
from warduty.privacy.pseudonym import Pseudonymiser
from warduty.report.export import ExportError, export_database
from warduty.store import make_engine
from warduty.store.schema import acts, cases, events, fetches, persons
from warduty.web import create_app

PSEUDONYMS = Pseudonymiser(b"a test secret of the deployment, 32+ bytes")

NAME = "Воробьёв Денис Викторович"
FORMS = SURNAMES_M["Воробьёв"] + FIRST_M["Денис"][1:] + PATRONYMIC_M["Викторович"]
OTHERS = ("Петров", "Петрову", "Смирнов")  # other cases' defendants on the listing page
ACT = (
    "ПРИГОВОР\nИменем Российской Федерации\nрассмотрев уголовное дело в отношении Воробьёва Дениса "
    "Викторовича, родившегося ..., обвиняемого в совершении преступления, предусмотренного ч.5 ст.337 "
    "УК РФ,\n"
    "УСТАНОВИЛ:\nВоробьёв Д.В. самовольно оставил часть. Подсудимый ВОРОБЬЕВ вину признал.\n"
    "ПРИГОВОРИЛ:\nпризнать Воробьёва\u00a0Д.\u200bВ. виновным и назначить Воробьёву Денису Викторовичу "
    "наказание; контроль за Д.В.Воробьёвым возложить на ..."
)
CARD_EXTRA = (
    "<p>Приговор в отношении Воро<b>бьёва</b>&nbsp;Дениса Викто&shy;ровича; осуждённому Воробьёву Д.&#160;В. "
    "назначено ...; с Д. В. Воробьёвым</p>"
)


def _seed(demo_db: DemoDb, data: Path) -> tuple[str, int, int]:
    """A copy of the demo database in which case A's defendant is «Воробьёв Денис Викторович», named in
    declined forms in its act, events and archived card; case B's archived page is a listing."""
    data.mkdir(parents=True, exist_ok=True)
    path = data / "warduty.sqlite"
    with sqlite3.connect(demo_db.data_dir / "warduty.sqlite") as source, sqlite3.connect(path) as target:
        source.backup(target)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    card = page_path("synthetic_vintage_criminal_card.html").read_text(encoding="utf-8")
    card = card.replace("Иванов Петр Сергеевич", NAME).replace("</body>", CARD_EXTRA + "</body>")
    listing = page_path("synthetic_standard_criminal_listing.html").read_text(encoding="utf-8")
    listing = listing.replace("ЖУКОВ Б.Б. - ст.337", "ВОРОБЬЁВ Д.В. - ст.337").replace(
        "</body>", "<p>ПЕТРОВ И.И., Петрову И.И.</p></body>"
    )
    assert "ВОРОБЬЁВ" in listing
    archive = WarcArchive(data / "archive", run_id=99)
    now = datetime(2024, 4, 12, tzinfo=UTC)
    refs = [
        archive.write(Exchange(f"https://x.sudrf.ru/{kind}", (), 200, (("Content-Type", "text/html"),),
                               body.encode("utf-8"), now, "77GV0017"))
        for kind, body in (("card", card), ("listing", listing))
    ]  # fmt: skip
    archive.close()
    with engine.begin() as connection:
        case_a, case_b = connection.execute(select(cases.c.id).order_by(cases.c.id).limit(2)).scalars()
        run = connection.execute(select(fetches.c.run_id).limit(1)).scalar_one()
        for case_id, ref in zip((case_a, case_b), refs, strict=True):
            fetch = connection.execute(
                insert(fetches).values(run_id=run, court_code="77GV0017", url="https://x.sudrf.ru/p",
                                       fetched_at=now, warc_file=ref.file, warc_offset=ref.offset)
                .returning(fetches.c.id)
            ).scalar_one()  # fmt: skip
            connection.execute(update(cases).where(cases.c.id == case_id).values(fetch_id=fetch))
        connection.execute(
            update(persons).where(persons.c.case_id == case_a, persons.c.position == 1).values(name=NAME)
        )
        connection.execute(
            update(cases).where(cases.c.id == case_a).values(category="Дело Воробьёва Д.В. (ст. 337)")
        )
        connection.execute(
            update(events).where(events.c.case_id == case_a).values(basis="ходатайство Воробьёва Д.В.")
        )
        verdict = {"defendants": [{"name": "Воробьёва Д.В."}]}
        connection.execute(
            insert(acts).values(case_id=case_a, position=99, kind="Приговор", text=ACT, verdict=verdict)
        )
    engine.dispose()
    return url, case_a, case_b


@pytest.fixture(scope="module")
def seeded(demo_db: DemoDb, tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, int, int]:
    data = tmp_path_factory.mktemp("redaction")
    url, case_a, case_b = _seed(demo_db, data)
    return Settings(data_dir=data, db=url, admin_token=TOKEN), case_a, case_b  # type: ignore[call-arg]


def _engine(settings: Settings) -> Engine:
    return make_engine(settings.database_url)


def test_exports_hold_no_form_of_the_name(seeded: tuple[Settings, int, int], tmp_path: Path) -> None:
    settings, _, _ = seeded
    engine = _engine(settings)
    export_database(engine, tmp_path / "csv", "csv", pseudonyms=PSEUDONYMS)
    export_database(engine, tmp_path / "pq", "parquet", pseudonyms=PSEUDONYMS)
    export_database(engine, tmp_path / "db", "sqlite", pseudonyms=PSEUDONYMS)
    texts = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "csv").glob("*.csv")}
    texts |= {
        p.name: json.dumps(pq.read_table(p).to_pylist(), ensure_ascii=False, default=str)
        for p in (tmp_path / "pq").glob("*.parquet")
    }
    with sqlite3.connect(tmp_path / "db" / "warduty.sqlite") as db:
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            rows = db.execute(f'SELECT * FROM "{table}"').fetchall()
            texts[f"sqlite:{table}"] = json.dumps(rows, ensure_ascii=False, default=str)
    for name, text in texts.items():
        assert visible_forms(text, FORMS) == [], name
    acts_csv = list(csv.DictReader((tmp_path / "csv" / "acts.csv").open(encoding="utf-8")))
    act = next(r for r in acts_csv if r["position"] == "99")
    assert "D-" in act["text"] and "самовольно оставил часть" in act["text"]  # redacted, still readable
    named = export_database(engine, tmp_path / "named", "csv", show_names=True)
    assert visible_forms(next(p for p in named if p.name == "acts.csv").read_text(encoding="utf-8"), FORMS)
    engine.dispose()


def test_an_export_that_would_leak_is_refused_and_writes_nothing(
    seeded: tuple[Settings, int, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, _, _ = seeded
    # A pseudonym that spells the name: the leftover check must catch it and stop the export.
    monkeypatch.setattr(Pseudonymiser, "pseudonym", lambda *args: "Воробьёв")
    engine = _engine(settings)
    with pytest.raises(ExportError, match="still names a defendant"):
        export_database(engine, tmp_path / "out", "csv", pseudonyms=PSEUDONYMS)
    assert not (tmp_path / "out").exists()
    engine.dispose()
    result = CliRunner().invoke(
        cli, ["export", "--out", str(tmp_path / "cli")],
        env={"WARDUTY_DB": settings.database_url, "WARDUTY_DATA_DIR": str(settings.data_dir)},
    )  # fmt: skip
    assert result.exit_code == 1 and "still names a defendant" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "cli").exists()


def test_api_pages_and_archived_pages_hold_no_form_of_the_name(seeded: tuple[Settings, int, int]) -> None:
    settings, case_a, case_b = seeded
    client: TestClient = make_client(create_app(settings, rate=10_000, burst=10_000, warm=False))
    api = client.get(f"/api/v1/cases/{case_a}")
    assert api.status_code == 200
    body = json.dumps(api.json(), ensure_ascii=False)
    assert visible_forms(body, FORMS) == [] and "самовольно оставил часть" in body
    for url in (f"/cases/{case_a}", f"/cases/{case_a}/archived", f"/cases/{case_b}/archived"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert visible_forms(response.text, FORMS) == [], url
    listing = client.get(f"/cases/{case_b}/archived").text
    assert visible_forms(listing, OTHERS) == []  # the other cases' defendants on the listing page
    assert "ст.337 ч.5 УК РФ" in listing  # the rest of the page stays
    card = client.get(f"/cases/{case_a}/archived").text
    assert len(re.findall(r"D-[A-Z2-7]{10}", card)) >= 4
    shown = make_client(create_app(replace(settings, show_names=True), warm=False))
    assert visible_forms(shown.get(f"/cases/{case_a}/archived").text, FORMS)


def test_parse_output_holds_no_form_of_the_name(tmp_path: Path) -> None:
    card = page_path("synthetic_vintage_criminal_card.html").read_text(encoding="utf-8")
    page = tmp_path / "card.html"
    page.write_text(card.replace("Иванов Петр Сергеевич", NAME).replace("</body>", CARD_EXTRA + "</body>"))
    for extra in ([], ["--json"]):
        result = CliRunner().invoke(cli, ["parse", str(page), *extra])
        assert result.exit_code == 0, result.output
        assert visible_forms(result.stdout, FORMS) == []
    parties = json.loads(CliRunner().invoke(cli, ["parse", str(page), "--json"]).stdout)["parties"]
    assert parties[-1]["name"] == "Военная прокуратура Самарского гарнизона"  # no over-redaction
    named = CliRunner().invoke(cli, ["parse", str(page), "--json", "--names"])
    assert json.loads(named.stdout)["persons"][0]["name"] == NAME
    listing = page_path("synthetic_standard_criminal_listing.html")
    result = CliRunner().invoke(cli, ["parse", str(listing), "--json"])
    assert result.exit_code == 0 and visible_forms(result.stdout, OTHERS) == []


def test_the_api_refuses_a_case_whose_text_would_still_name(
    seeded: tuple[Settings, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, case_a, _ = seeded
    # A pseudonym that declines the name: the leftover check fires and the API answers 503, not the text.
    monkeypatch.setattr("warduty.privacy.pseudonym.Pseudonymiser.pseudonym", lambda *args: "Воробьёву")
    client = make_client(create_app(settings, rate=10_000, burst=10_000, warm=False))
    for url in (f"/api/v1/cases/{case_a}", f"/cases/{case_a}", f"/cases/{case_a}/archived"):
        response = client.get(url)
        assert response.status_code == 503, url
        assert visible_forms(response.text, FORMS) == [], url
