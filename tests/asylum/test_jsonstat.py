from __future__ import annotations

import json

import pytest

from tests.asylum.helpers import SYNTHETIC, payload
from warduty.asylum import PayloadError, SourceError, StructureChangedError
from warduty.asylum.eurostat import read_jsonstat
from warduty.asylum.jsonstat import decode_jsonstat

HICP = "eurostat_jsonstat_prc_hicp_manr_EA_recorded.json"
APPS = SYNTHETIC / "migr_asyappctzm_RU_SYNTHETIC.jsonstat.json"
DECISIONS = SYNTHETIC / "migr_asydcfstq_RU_SYNTHETIC.jsonstat.json"


def test_any_eurostat_dataset_decodes_to_its_cells() -> None:
    cube = decode_jsonstat(payload(HICP).read_bytes())
    assert cube.ids == ("freq", "unit", "coicop", "geo", "time")
    assert cube.updated == "2026-02-06T23:00:00+0100"
    cells = [(cube.coordinates(c)["time"], c.value, c.flag) for c in cube.cells]
    assert cells == [("2025-10", 2.1, ""), ("2025-11", 2.1, ""), ("2025-12", 2.0, "")]
    assert cube.labels["geo"]["EA"].startswith("Euro area")


def test_sparse_asylum_cube_keeps_flags_and_leaves_absent_cells_out() -> None:
    result = read_jsonstat(APPS.read_bytes())
    assert result.dataset == "migr_asyappctzm" and result.vintage == "2025-01-16T23:00:00"
    cells = {(o.geo, o.period): (o.value, o.flag) for o in result.observations}
    assert cells == {
        ("DE", "2024-10"): (100.0, ""),
        ("DE", "2024-11"): (105.0, ""),
        ("DE", "2024-12"): (95.0, "p"),
        ("EU27_2020", "2024-10"): (1000.0, ""),
        ("EU27_2020", "2024-11"): (1010.0, ""),
    }
    assert {(o.citizen, o.applicant, o.sex, o.age, o.unit) for o in result.observations} == {
        ("RU", "FRST", "T", "TOTAL", "PER")
    }


def test_array_form_with_missing_and_confidential_cells() -> None:
    result = read_jsonstat(DECISIONS.read_bytes())
    cells = {(o.geo, o.decision): (o.value, o.flag) for o in result.observations}
    # row-major: decision (2) x geo (3); missing is None with its flag, never zero
    assert cells == {
        ("DE", "TOTAL"): (400.0, ""),
        ("FR", "TOTAL"): (100.0, ""),
        ("EU27_2020", "TOTAL"): (300.0, ""),
        ("DE", "TOTAL_POS"): (60.0, "p"),
        ("FR", "TOTAL_POS"): (None, ":"),
        ("EU27_2020", "TOTAL_POS"): (None, "c"),
    }
    assert {o.period for o in result.observations} == {"2024-Q4"}


def test_sparse_and_array_forms_agree() -> None:
    document = json.loads(APPS.read_text())
    total = 6
    document["value"] = [document["value"].get(str(i)) for i in range(total)]
    document["status"] = [document["status"].get(str(i)) for i in range(total)]
    assert (
        read_jsonstat(json.dumps(document).encode()).observations
        == read_jsonstat(APPS.read_bytes()).observations
    )


def test_legacy_dimension_codes_and_months_are_mapped() -> None:
    document = json.loads(APPS.read_text())
    document["id"][4] = "asyl_app"
    document["dimension"]["asyl_app"] = {"category": {"index": {"NASY_APP": 0}}}
    del document["dimension"]["applicant"]
    document["dimension"]["time"]["category"]["index"] = {"2024M10": 0, "2024M11": 1, "2024M12": 2}
    result = read_jsonstat(json.dumps(document).encode())
    assert result.legacy
    assert {(o.applicant, o.period) for o in result.observations if o.geo == "DE"} == {
        ("FRST", "2024-10"),
        ("FRST", "2024-11"),
        ("FRST", "2024-12"),
    }


def test_truncated_json_is_a_clear_error() -> None:
    data = APPS.read_bytes()
    with pytest.raises(PayloadError, match="not valid JSON"):
        read_jsonstat(data[: len(data) // 2])


def test_wrong_dimension_order_is_refused() -> None:
    document = json.loads(APPS.read_text())
    document["id"][5], document["id"][6] = document["id"][6], document["id"][5]  # age <-> geo
    document["size"][5], document["size"][6] = document["size"][6], document["size"][5]
    with pytest.raises(StructureChangedError, match="dimension order changed"):
        read_jsonstat(json.dumps(document).encode())


def test_sizes_that_do_not_match_the_categories_are_refused() -> None:
    document = json.loads(APPS.read_text())
    document["size"][6] = 1  # geo has two categories
    with pytest.raises(PayloadError, match="'size' says 1"):
        read_jsonstat(json.dumps(document).encode())


def test_value_index_outside_the_cube_is_refused() -> None:
    document = json.loads(APPS.read_text())
    document["value"]["6"] = 7
    with pytest.raises(PayloadError, match="outside the cube"):
        read_jsonstat(json.dumps(document).encode())


@pytest.mark.parametrize(
    ("mutation", "message"),
    [
        (lambda d: d.update(value={"0": "100"}), "not a number"),
        (lambda d: d.update(value={"0": True}), "not a number"),
        (lambda d: d.update(value=[1, 2]), "2 entries for 6 cells"),
        (lambda d: d.pop("dimension"), "'dimension'"),
        (lambda d: d.update(id="geo"), "'id'"),
        (
            lambda d: d["dimension"]["applicant"]["category"].update(index={"SUBS": 0}),
            "unknown applicant code",
        ),
        (lambda d: d["extension"].update(id="PRC_HICP_MANR"), "not an asylum dataset"),
    ],
)
def test_hostile_or_changed_documents(mutation: object, message: str) -> None:
    document = json.loads(APPS.read_text())
    mutation(document)  # type: ignore[operator]
    with pytest.raises((PayloadError, StructureChangedError), match=message):
        read_jsonstat(json.dumps(document).encode())


def test_mis_encoded_and_deeply_nested_input() -> None:
    with pytest.raises(PayloadError, match="not UTF-8"):
        read_jsonstat(APPS.read_text().replace("Russia", "Россия").encode("cp1251"))
    with pytest.raises(PayloadError):
        read_jsonstat(b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(PayloadError, match="empty"):
        read_jsonstat(b"  ")


def test_error_object_and_soap_fault_are_source_errors() -> None:
    error = b'{"error":[{"status":400,"id":"BAD_REQUEST","label":"Invalid filter geo=XX"}]}'
    with pytest.raises(SourceError, match="Invalid filter") as caught:
        read_jsonstat(error)
    assert caught.value.status == 400
    with pytest.raises(SourceError, match="150"):
        read_jsonstat(payload("eurostat_sdmx_soap_fault_invalid_dimension.xml").read_bytes())
