from __future__ import annotations

import gzip
import json

import pytest

from tests.asylum.helpers import REAL_PAYLOADS, SYNTHETIC, payload, require
from warduty.asylum import NoDataError, PayloadError, SourceError, StructureChangedError, read_payload
from warduty.asylum.eurostat import read_csv, read_csv_json, read_jsonstat, read_tsv_payload
from warduty.asylum.load import detect_format
from warduty.asylum.sdmxcsv import read_sdmx_csv
from warduty.asylum.tsv import read_tsv

CSV = SYNTHETIC / "migr_asyappctzm_RU_SYNTHETIC.sdmx.csv"
TSV = SYNTHETIC / "migr_asyappctzm_RU_SYNTHETIC.tsv"


def _cells(result: object) -> dict[tuple[str, str], tuple[float | None, str]]:
    return {(o.geo, o.period): (o.value, o.flag) for o in result.observations}  # type: ignore[attr-defined]


def test_one_release_in_three_formats_gives_the_same_cells() -> None:
    from_csv = read_csv(CSV.read_bytes())
    from_tsv = read_tsv_payload(TSV.read_bytes(), "migr_asyappctzm")
    from_gz = read_tsv_payload(
        (SYNTHETIC / "migr_asyappctzm_RU_SYNTHETIC.tsv.gz").read_bytes(), "migr_asyappctzm"
    )
    from_json = read_jsonstat((SYNTHETIC / "migr_asyappctzm_RU_SYNTHETIC.jsonstat.json").read_bytes())
    assert _cells(from_csv) == _cells(from_tsv) == _cells(from_gz)
    assert _cells(from_csv)[("EU27_2020", "2024-12")] == (None, ":")  # missing, never zero
    # JSON-stat leaves the absent cell out; every cell it has agrees
    assert _cells(from_json).items() <= _cells(from_csv).items()
    assert from_csv.vintage == from_json.vintage == "2025-01-16T23:00:00"


def test_tsv_quirks_trailing_spaces_crlf_and_flags() -> None:
    raw = TSV.read_bytes()
    assert b"\r\n" in raw and b" \t" in raw
    text = raw.decode().replace("1010 \t", "1010 e\t").replace("100 \t", ": c\t", 1)
    table = read_tsv(text.encode())
    cells = {(r.codes[-1], r.period): (r.value, r.flag) for r in table.rows}
    assert cells[("DE", "2024-10")] == (None, "c")
    assert cells[("EU27_2020", "2024-11")] == (1010.0, "e")
    assert cells[("DE", "2024-12")] == (95.0, "p")
    assert table.dimensions == ("freq", "unit", "citizen", "sex", "applicant", "age", "geo")


def test_legacy_bulk_tsv_is_mapped() -> None:
    result = read_payload(
        payload("eurostat_legacy_bulk_migr_asyappctza_2017_excerpt.tsv").read_bytes(),
        name="eurostat_legacy_bulk_migr_asyappctza_2017_excerpt.tsv",
    )
    assert result.legacy and result.dataset == "migr_asyappctza"
    assert len(result.observations) == 4 * 9
    assert {o.applicant for o in result.observations} == {"TOTAL"}  # ASY_APP
    assert {o.period for o in result.observations} == {str(y) for y in range(2008, 2017)}
    assert all(o.value == 0.0 and o.flag == "" for o in result.observations)  # real zeros stay zeros


def test_rows_as_json_with_boolean_artefact_fail_clearly_and_map_once_repaired() -> None:
    path = payload("eurostat_migr_asyappctzm_sdmxcsv_rows_2022_asJSON.json")
    with pytest.raises(PayloadError, match="boolean True, not a code"):
        read_payload(path.read_bytes())
    rows = json.loads(path.read_text())
    for row in rows:
        row["sex"] = "T"
    result = read_csv_json(json.dumps(rows).encode())
    assert result.legacy and result.vintage == "2022-11-11T23:00:00"
    assert [(o.citizen, o.applicant, o.period, o.value) for o in result.observations] == [
        ("UA", "TOTAL", "2021-12", 0.0),
        ("UA", "TOTAL", "2022-01", 0.0),
    ]


def test_other_eurostat_csv_fixtures_parse_but_are_not_asylum_data() -> None:
    for name, cells in [
        ("eurostat_sdmxcsv_namq_10_gdp_fixture.csv", [("2026-Q1", 105150.1, ""), ("2026-Q2", 105159.0, "")]),
        (
            "eurostat_sdmxcsv_prc_hicp_minr_monthly_flag_e_fixture.csv",
            [("2026-07", 102.59, ""), ("2026-08", 103.15, ""), ("2026-09", 103.81, "e")],
        ),
    ]:
        data = payload(name).read_bytes()
        table = read_sdmx_csv(data)
        assert [(r.period, r.value, r.flag) for r in table.rows] == cells
        with pytest.raises(StructureChangedError, match="not an asylum dataset"):
            read_payload(data)


def test_header_only_csv_soap_fault_and_truncated_csv() -> None:
    with pytest.raises(NoDataError, match="header and no rows"):
        read_payload(payload("eurostat_sdmxcsv_empty_result_header_only.csv").read_bytes())
    with pytest.raises(SourceError, match="INVALID_QUERY_DIMENSION_VALUE"):
        read_payload(payload("eurostat_sdmx_soap_fault_invalid_dimension.xml").read_bytes())
    data = CSV.read_bytes()
    with pytest.raises(PayloadError, match="truncated"):
        read_csv(data[: data.rindex(b",2024-12") + 4])


def test_wrong_column_order_in_csv_is_a_structure_change() -> None:
    lines = CSV.read_text().splitlines()
    swapped = [",".join(_swap(line.split(","), 6, 8)) for line in lines]  # sex <-> age
    with pytest.raises(StructureChangedError, match="order changed"):
        read_csv("\n".join(swapped).encode())


def _swap(fields: list[str], a: int, b: int) -> list[str]:
    fields[a], fields[b] = fields[b], fields[a]
    return fields


def test_bad_cells_and_broken_compression() -> None:
    with pytest.raises(PayloadError, match="cannot read cell"):
        read_tsv(TSV.read_bytes().replace(b"105 ", b"1o5 "))
    with pytest.raises(PayloadError, match="fields"):
        read_tsv(TSV.read_bytes().replace(b"\t105 ", b""))
    packed = gzip.compress(TSV.read_bytes())
    with pytest.raises(PayloadError, match="gzip"):
        read_tsv(packed[:-12])
    with pytest.raises(PayloadError, match="not a finite number"):
        read_csv(CSV.read_bytes().replace(b",105,", b",1e999,"))
    with pytest.raises(PayloadError, match="not a number"):
        read_csv(CSV.read_bytes().replace(b",105,", b",n/a,"))
    with pytest.raises(PayloadError, match="unrecognised"):
        detect_format(b"hello world")
    with pytest.raises(PayloadError, match="not UTF-8"):
        read_csv(b"DATAFLOW,TIME_PERIOD,OBS_VALUE\n\xff\xfe,2024-01,3\n")


def test_every_example_payload_is_recognised() -> None:
    expected = {
        "eurostat_jsonstat_prc_hicp_manr_EA_recorded.json": "json-stat",
        "eurostat_legacy_bulk_migr_asyappctza_2017_excerpt.tsv": "tsv",
        "eurostat_migr_asyappctzm_sdmxcsv_rows_2022_asJSON.json": "sdmx-csv-json",
        "eurostat_sdmx_soap_fault_invalid_dimension.xml": "soap-fault",
        "eurostat_sdmxcsv_empty_result_header_only.csv": "sdmx-csv",
        "eurostat_sdmxcsv_namq_10_gdp_fixture.csv": "sdmx-csv",
        "eurostat_sdmxcsv_prc_hicp_minr_monthly_flag_e_fixture.csv": "sdmx-csv",
        "ru_first_time_monthly_sum34_derived_horrrt.json": "derived-json",
        "unhcr_population_v1_responses.json": "unhcr-json",
    }
    found = {
        p.name: detect_format(p.read_bytes())
        for p in require(REAL_PAYLOADS).iterdir()
        if p.is_file() and p.suffix != ".md"
    }
    assert found == expected
    with pytest.raises(PayloadError, match="SDMX-ML"):
        read_payload((SYNTHETIC / "migr_asyappctzm_RU_SYNTHETIC.sdmxml_generic.xml").read_bytes())
