from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.asylum.conftest import FakeServer, api_client
from tests.asylum.helpers import SYNTHETIC, payload
from warduty.asylum import ExtractionTooBigError, SourceError, StructureChangedError
from warduty.asylum.codes import DATASET_DIMENSIONS
from warduty.asylum.fetch import (
    EUROSTAT_BASE,
    UNHCR_BASE,
    EurostatQuery,
    check_eurostat_structure,
    fetch_eurostat,
    fetch_unhcr,
    split_window,
)
from warduty.cli import app
from warduty.crawl.archive import iter_responses

JSONSTAT = (SYNTHETIC / "migr_asyappctzm_RU_SYNTHETIC.jsonstat.json").read_bytes()
CSV = (SYNTHETIC / "migr_asyappctzm_RU_SYNTHETIC.sdmx.csv").read_bytes()
STRUCTURE = (SYNTHETIC / "migr_asyappctzm_structure_SYNTHETIC.xml").read_bytes()
TOO_BIG = b'{"error":[{"status":413,"id":"EXTRACTION_TOO_BIG","label":"Extraction too big"}]}'
QUERY = EurostatQuery("migr_asyappctzm", "2024-10", "2024-12", geos=("DE", "EU27_2020"), applicants=("FRST",))


def _empty_cube(dataset: str) -> bytes:
    ids = [*DATASET_DIMENSIONS[dataset], "time"]
    dimension = {d: {"category": {"index": {}}} for d in ids}
    document = {
        "class": "dataset",
        "id": ids,
        "size": [0] * len(ids),
        "dimension": dimension,
        "value": {},
        "extension": {"id": dataset.upper()},
    }
    return json.dumps(document).encode()


def _months(query: dict[str, list[str]]) -> tuple[str, str]:
    return query["sinceTimePeriod"][0], query["untilTimePeriod"][0]


def test_window_split() -> None:
    assert split_window("2024-01", "2024-12") == (("2024-01", "2024-06"), ("2024-07", "2024-12"))
    assert split_window("2023-Q1", "2024-Q4") == (("2023-Q1", "2023-Q4"), ("2024-Q1", "2024-Q4"))
    assert split_window("2024-03", "2024-03") is None


async def test_jsonstat_query_with_413_split_and_empty_half(fake_server: FakeServer) -> None:
    def route(path: str, query: dict[str, list[str]]) -> tuple[int, bytes]:
        if _months(query) == ("2024-10", "2024-12"):
            return 413, TOO_BIG
        if _months(query) == ("2024-10", "2024-11"):
            return 200, JSONSTAT
        return 200, json.dumps({**json.loads(JSONSTAT), "value": {}, "status": {}}).encode()

    fake_server.route = route
    async with api_client(fake_server.origin) as client:
        report = await fetch_eurostat(client, QUERY)
    assert report.splits == 1 and report.empty == ["migr_asyappctzm 2024-12..2024-12"]
    assert len(report.results) == 1 and len(report.results[0].observations) == 5
    path, query = fake_server.requests[0]
    assert path == "/eurostat/api/dissemination/statistics/1.0/data/migr_asyappctzm"
    assert (
        query["geo"] == ["DE", "EU27_2020"] and query["applicant"] == ["FRST"] and query["citizen"] == ["RU"]
    )


async def test_413_on_a_single_period_is_an_error(fake_server: FakeServer) -> None:
    fake_server.route = lambda path, query: (413, TOO_BIG)
    async with api_client(fake_server.origin) as client:
        with pytest.raises(ExtractionTooBigError, match="one period"):
            await fetch_eurostat(client, QUERY.window("2024-12", "2024-12"))


async def test_sdmx_csv_path_header_only_fault_and_5xx(fake_server: FakeServer) -> None:
    answers = iter([(503, b"busy"), (200, CSV)])
    fake_server.route = lambda path, query: next(answers)
    async with api_client(fake_server.origin) as client:
        report = await fetch_eurostat(client, QUERY, fmt="csv")
        assert len(report.results[0].observations) == 6
        assert fake_server.requests[-1][0].endswith(
            "/sdmx/2.1/data/migr_asyappctzm/M.PER.RU.T.FRST.TOTAL.DE+EU27_2020"
        )
        header_only = payload("eurostat_sdmxcsv_empty_result_header_only.csv").read_bytes()
        fake_server.route = lambda path, query: (200, header_only)
        assert (await fetch_eurostat(client, QUERY, fmt="csv")).empty
        fault = payload("eurostat_sdmx_soap_fault_invalid_dimension.xml").read_bytes()
        fake_server.route = lambda path, query: (400, fault)
        with pytest.raises(SourceError, match="150"):
            await fetch_eurostat(client, QUERY, fmt="csv")
        fake_server.route = lambda path, query: (500, b"oops")
        with pytest.raises(SourceError, match="HTTP 500 5 times"):
            await fetch_eurostat(client, QUERY)


async def test_structure_check_fails_loudly_on_a_changed_codelist(fake_server: FakeServer) -> None:
    fake_server.route = lambda path, query: (200, STRUCTURE)
    async with api_client(fake_server.origin) as client:
        await check_eurostat_structure(client, QUERY)
        fake_server.route = lambda path, query: (200, STRUCTURE.replace(b'"FRST"', b'"FIRST"'))
        with pytest.raises(StructureChangedError, match="'FRST' is no longer"):
            await check_eurostat_structure(client, QUERY)
        fake_server.route = lambda path, query: (200, STRUCTURE.replace(b'id="applicant"', b'id="asyl_type"'))
        with pytest.raises(StructureChangedError, match="asyl_type"):
            await check_eurostat_structure(client, QUERY)
    legacy = STRUCTURE.replace(b'id="applicant"', b'id="asyl_app"').replace(b'"FRST"', b'"NASY_APP"')
    fake_server.route = lambda path, query: (200, legacy)
    async with api_client(fake_server.origin) as client:
        await check_eurostat_structure(client, QUERY)  # old names are recognised and mapped


async def test_unhcr_pages(fake_server: FakeServer) -> None:
    page = json.loads((SYNTHETIC / "unhcr_asylum_applications_RUS_SYNTHETIC.json").read_text())
    pages = {
        "1": {**page, "maxPages": 2, "items": page["items"][:2]},
        "2": {**page, "maxPages": 2, "items": page["items"][2:]},
    }
    fake_server.route = lambda path, query: (200, json.dumps(pages[query["page"][0]]).encode())
    async with api_client(fake_server.origin) as client:
        result = await fetch_unhcr(client, year_from=2023, year_to=2023)
    assert [o.geo for o in result.observations] == ["DEU", "FRA", "USA"]
    assert fake_server.requests[0][1]["coo"] == ["RUS"] and fake_server.requests[0][1]["cf_type"] == ["ISO"]


def test_cli_fetch_load_and_stats(
    fake_server: FakeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WARDUTY_DATA_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(app, ["asylum", "stats", "--record"])
    assert result.exit_code == 0, result.output
    assert "2,080 in January 2023: the highest month since September 2016" in " ".join(result.output.split())

    unhcr = (SYNTHETIC / "unhcr_asylum_applications_RUS_SYNTHETIC.json").read_bytes()

    def route(path: str, query: dict[str, list[str]]) -> tuple[int, bytes]:
        if "datastructure" in path:
            return 200, STRUCTURE
        if "asylum-applications" in path:
            return 200, unhcr
        if path.endswith("migr_asyappctzm"):
            return 200, JSONSTAT
        return 200, _empty_cube(path.rsplit("/", 1)[-1])

    fake_server.route = route
    result = runner.invoke(
        app,
        [
            "asylum",
            "fetch",
            "--since",
            "2024-10",
            "--origin",
            fake_server.origin,
            "--no-check",
            "--interval",
            "0",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "8 observations read, 8 new" in " ".join(result.output.split())
    assert all(path.startswith(("/eurostat/", "/population/")) for path, _ in fake_server.requests)
    # Every answer is in the run's WARC file under the real API URL (the test server is only the origin).
    (warc,) = (tmp_path / "archive" / "asylum").glob("run-*/other.warc.gz")
    archived = [response.url for response in iter_responses(warc)]
    assert len(archived) == len(fake_server.requests) == 4
    assert archived[0].startswith(f"{EUROSTAT_BASE}statistics/1.0/data/migr_asyappctzm?format=JSON")
    assert archived[-1].startswith(f"{UNHCR_BASE}asylum-applications/?yearFrom=2024")

    result = runner.invoke(app, ["asylum", "stats", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["source"] == "database"
    assert [(m["period"], m["value"]) for m in summary["series"]] == [
        ("2024-10", 100),
        ("2024-11", 105),
        ("2024-12", 95),
    ]

    csv_file = tmp_path / "migr_asyappctzm.sdmx.csv"
    csv_file.write_bytes(CSV)
    result = runner.invoke(app, ["asylum", "load", str(csv_file)])
    assert result.exit_code == 0, result.output
    assert "6 observations, vintage 2025-01-16T23:00:00" in " ".join(result.output.split())
    broken = tmp_path / "broken.json"
    broken.write_bytes(JSONSTAT[:300])
    result = runner.invoke(app, ["asylum", "load", str(broken)])
    assert result.exit_code == 1 and "not valid JSON" in " ".join(result.output.split())
