from __future__ import annotations

from collections import Counter
from importlib import resources

import pytest

from warduty.courts import (
    MOSCOW_OBLAST,
    RegistryError,
    UnknownCourtError,
    dash_host,
    load_registry,
    normalize_host,
    parse_registry,
)

SHIPPED = resources.files("warduty.courts").joinpath("data/military_courts.csv").read_text("utf-8")


def test_registry_counts_match_the_portal() -> None:
    registry = load_registry()
    assert len(registry) == 116
    assert Counter(c.level for c in registry) == {
        "garrison": 104,
        "district": 9,
        "appeal": 1,
        "cassation": 1,
        "supreme": 1,
    }
    moscow_oblast = registry.select(level="garrison", region=MOSCOW_OBLAST)
    assert sorted(c.code for c in moscow_oblast) == ["77GV0003", "77GV0004", "77GV0006", "77GV0017"]


def test_lookup_by_code_and_both_host_forms() -> None:
    registry = load_registry()
    court = registry.by_code("78GV0001")
    assert court.host == "gvs.spb.sudrf.ru"
    assert court.search_host == "gvs--spb.sudrf.ru"
    assert registry.by_host("gvs.spb.sudrf.ru") is court
    assert registry.by_host("gvs--spb.sudrf.ru") is court
    assert registry.by_host("https://GVS--SPB.sudrf.ru:443/modules.php?name=sud_delo") is court
    assert court.captcha
    with pytest.raises(UnknownCourtError, match="no military court has host"):
        registry.by_host("example.org")
    with pytest.raises(UnknownCourtError):
        registry.by_code("00GV9999")


def test_region_is_the_seat_not_the_code_prefix() -> None:
    registry = load_registry()
    assert registry.by_code("39GV0005").seat_region_ru == "Город Санкт-Петербург"
    assert registry.by_code("77GV0006").seat_region_ru == MOSCOW_OBLAST


def test_engines_captcha_and_status_flags() -> None:
    registry = load_registry()
    assert len([c for c in registry if c.engine == "vintage"]) == 7
    assert len([c for c in registry if c.captcha]) == 17
    assert len([c for c in registry if c.abroad]) == 5
    new_regions = [c for c in registry if "OCCUPIED_UKRAINE_2022_NEW" in c.status_flags]
    assert len(new_regions) == 4 and not any(c.on_sudrf for c in new_regions)


@pytest.mark.parametrize(
    ("given", "dotted", "dashed"),
    [
        ("gvs--spb.sudrf.ru", "gvs.spb.sudrf.ru", "gvs--spb.sudrf.ru"),
        ("gvs.spb.sudrf.ru.", "gvs.spb.sudrf.ru", "gvs--spb.sudrf.ru"),
        ("vkas.sudrf.ru", "vkas.sudrf.ru", "vkas.sudrf.ru"),
        ("http://235gvs--msk.sudrf.ru/modules.php", "235gvs.msk.sudrf.ru", "235gvs--msk.sudrf.ru"),
    ],
)
def test_host_forms(given: str, dotted: str, dashed: str) -> None:
    assert normalize_host(given) == dotted
    assert dash_host(given) == dashed


def _mutate(line_no: int, column: str, value: str) -> str:
    lines = SHIPPED.splitlines()
    header = lines[0].split(",")
    import csv
    import io

    rows = list(csv.reader(io.StringIO(SHIPPED)))
    rows[line_no][header.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("level", "regional", "row 5 .*unknown level 'regional'"),
        ("code", "XX", "row 5 .*not of the form"),
        ("host_search", "bad host!", "row 5 .*not a well-formed host"),
        ("host_search", "other--spb.sudrf.ru", "row 5 .*does not match host"),
        ("engine", "modern", "row 5 .*unknown engine"),
        ("has_captcha", "maybe", "row 5 .*has_captcha"),
        ("status_flag", "MARS", "row 5 .*unknown status flag"),
        ("seat_subject_ru", "", "row 5 .*seat region is empty"),
    ],
)
def test_bad_rows_are_named(column: str, value: str, message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        parse_registry(_mutate(4, column, value))


def test_duplicate_code_and_structural_errors() -> None:
    lines = SHIPPED.splitlines()
    with pytest.raises(RegistryError, match="repeats row"):
        parse_registry("\n".join([*lines, lines[5]]))
    with pytest.raises(RegistryError, match="lacks column"):
        parse_registry("code,level\nX,garrison\n")
    with pytest.raises(RegistryError, match="empty"):
        parse_registry(lines[0] + "\n")
    with pytest.raises(RegistryError, match="wrong number of fields"):
        parse_registry(lines[0] + "\n" + lines[5] + ",extra\n")
