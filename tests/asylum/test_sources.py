from __future__ import annotations

import json

import pytest

from tests.asylum.helpers import SYNTHETIC, make_xlsx, payload
from warduty.asylum import NoDataError, PayloadError, StructureChangedError, read_payload
from warduty.asylum.ukho import read_ukho
from warduty.asylum.unhcr import read_unhcr

HEADER = [
    "Year",
    "Quarter",
    "Nationality",
    "Region",
    "Age",
    "Sex",
    "Applicant type",
    "UASC",
    "Location of application",
    "Applications",
]
UK_ROWS: list[list[str | int]] = [
    ["Asylum applications (title row)"],
    HEADER,
    [2024, "Q1", "Russia", "Europe Other", "18-29", "Male", "Main applicant", "Non-UASC", "In country", 10],
    [2024, "Q1", "Russia", "Europe Other", "18-29", "Male", "Main applicant", "Non-UASC", "Port", 5],
    [2024, "Q1", "Russia", "Europe Other", "Under 18", "Female", "Dependant", "Non-UASC", "In country", 3],
    [2024, "Q2", "Russia", "Europe Other", "70+", "Male", "Main applicant", "Non-UASC", "In country", 1],
    [2024, "Q1", "Ukraine", "Europe Other", "18-29", "Male", "Main applicant", "Non-UASC", "In country", 99],
]


def test_unhcr_asylum_applications_by_iso3_country_of_asylum() -> None:
    result = read_unhcr(
        (SYNTHETIC / "unhcr_asylum_applications_RUS_SYNTHETIC.json").read_bytes(), "2026-01-01"
    )
    cells = {(o.citizen, o.geo, o.period, o.unit): (o.value, o.flag) for o in result.observations}
    assert cells == {
        ("RUS", "DEU", "2023", "PER"): (7700.0, ""),
        ("RUS", "FRA", "2023", "PER"): (3400.0, ""),
        ("RUS", "USA", "2023", "CASE"): (None, ":"),  # "-" is missing, not zero; the US counts cases
    }
    assert {o.applicant for o in result.observations} == {"N/G/FI"}


def test_real_unhcr_population_responses_are_refused_with_the_reason() -> None:
    responses = json.loads(payload("unhcr_population_v1_responses.json").read_text())
    for request, body in responses.items():
        match = "population endpoint" if "items" in body else "no 'items'"
        with pytest.raises(PayloadError, match=match):
            read_unhcr(json.dumps(body).encode())
        assert request.startswith("GET https://api.unhcr.org/")


def test_uk_workbook_filtered_to_russia_and_summed_over_location() -> None:
    result = read_payload(make_xlsx(UK_ROWS), vintage="2026-02-26T00:00:00")
    assert result.source == "ukho" and result.vintage == "2026-02-26T00:00:00"
    cells = {(o.period, o.applicant, o.sex, o.age): o.value for o in result.observations}
    assert cells == {
        ("2024-Q1", "MAIN", "M", "Y18-29"): 15.0,
        ("2024-Q1", "DEP", "F", "Y_LT18"): 3.0,
        ("2024-Q2", "MAIN", "M", "Y_GE70"): 1.0,
    }
    assert {(o.citizen, o.geo) for o in result.observations} == {("RU", "UK")}


def test_uk_csv_reads_like_the_workbook() -> None:
    text = "\n".join(",".join(str(c) for c in row) for row in UK_ROWS[1:])
    assert read_ukho(text.encode()).observations == read_ukho(make_xlsx(UK_ROWS)).observations


def test_uk_table_changes_and_damage_are_clear() -> None:
    with pytest.raises(StructureChangedError, match="no sheet"):
        read_ukho(make_xlsx(UK_ROWS, sheet="Data - Asy_D02"))
    with pytest.raises(StructureChangedError, match="lacks column"):
        read_ukho(make_xlsx([[c for c in HEADER if c != "Sex"]]))
    with pytest.raises(NoDataError, match="Russia"):
        read_ukho(make_xlsx([HEADER, UK_ROWS[-1]]))
    with pytest.raises(PayloadError, match="zip"):
        read_ukho(make_xlsx(UK_ROWS)[:200])
    renamed = [*UK_ROWS[:2], [2024, "Q1", "Russia", "", "18-29", "Male", "Principal", "", "", 1]]
    with pytest.raises(StructureChangedError, match="applicant type"):
        read_ukho(make_xlsx(renamed))
