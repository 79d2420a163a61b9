"""Codes, periods and stamps of the asylum sources, and the dataset structures this package knows.

Eurostat renamed the applicant-type dimension: the retired ``asyl_app`` (``ASY_APP`` all applicants,
``NASY_APP`` first-time) is now ``applicant`` (``TOTAL``, ``FRST``). Old payloads are mapped, not refused.
"""

from __future__ import annotations

import re
from datetime import datetime

from warduty.asylum.errors import PayloadError, StructureChangedError

# Key order of the SDMX series key (and of JSON-stat ``id`` before ``time``) per dataset.
DATASET_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "migr_asyappctzm": ("freq", "unit", "citizen", "sex", "applicant", "age", "geo"),
    "migr_asyappctza": ("freq", "unit", "citizen", "sex", "applicant", "age", "geo"),
    "migr_asydcfstq": ("freq", "unit", "citizen", "sex", "age", "decision", "geo"),
    "migr_asydcfsta": ("freq", "unit", "citizen", "sex", "age", "decision", "geo"),
}
DATASET_FREQ = {"migr_asyappctzm": "M", "migr_asyappctza": "A", "migr_asydcfstq": "Q", "migr_asydcfsta": "A"}

LEGACY_DIMENSIONS = {"asyl_app": "applicant"}
LEGACY_APPLICANT_CODES = {"ASY_APP": "TOTAL", "NASY_APP": "FRST"}
# Applicant types we know the meaning of. The subsequent-applicant code is not confirmed from a live
# codelist (one third-party document says SBSQ); an unknown code stops the read instead of being guessed.
KNOWN_APPLICANT_CODES = frozenset({"TOTAL", "FRST", "SBSQ"})

_EU27 = "AT BE BG HR CY CZ DK EE FI FR DE EL HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
EU27_MEMBERS = frozenset(_EU27.split(" "))
# Two-letter codes that are still aggregates; every longer code (EU27_2020, EU28, EA20, EFTA, TOTAL,
# EXT_EU27_2020, ...) is an aggregate too.
_TWO_LETTER_AGGREGATES = frozenset({"EA", "EU"})
# Citizenship codes that are not one country.
NON_COUNTRY_CITIZENS = frozenset({"TOTAL", "STLS", "UNK", "RNC"})


def is_aggregate_geo(geo: str) -> bool:
    """True for groups of countries; they are never summed together with their members."""
    return not (len(geo) == 2 and geo.isalpha() and geo.isupper()) or geo in _TWO_LETTER_AGGREGATES


def is_country_citizen(citizen: str) -> bool:
    return citizen not in NON_COUNTRY_CITIZENS and not is_aggregate_geo(citizen)


_MONTH = re.compile(r"^(\d{4})(?:-|M)(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})(?:-| )?Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def normalise_period(raw: str) -> str:
    """``2024-03`` and legacy ``2024M03`` -> ``2024-03``; ``2024Q1``/``2024 Q1`` -> ``2024-Q1``; ``2024``."""
    text = raw.strip()
    if match := _MONTH.match(text):
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise PayloadError(f"period {raw!r} has no month {month}")
        return f"{match.group(1)}-{month:02d}"
    if match := _QUARTER.match(text):
        return f"{match.group(1)}-Q{match.group(2)}"
    if _YEAR.match(text):
        return text
    raise PayloadError(f"unrecognised time period {raw!r} (expected 2024-03, 2024M03, 2024-Q1 or 2024)")


def is_legacy_period(raw: str) -> bool:
    return bool(re.match(r"^\d{4}M\d{2}$", raw.strip()))


_STAMP_FORMATS = ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S", "%d/%m/%y %H:%M:%S", "%Y-%m-%d")


def normalise_stamp(raw: str) -> str:
    """A dataset's last-update stamp as ``YYYY-MM-DDTHH:MM:SS`` in the publisher's own local time.

    JSON-stat says ``2025-01-16T23:00:00+0100`` and SDMX-CSV ``16/01/25 23:00:00`` for the same update;
    both become ``2025-01-16T23:00:00`` so one release read in two formats is one vintage.
    """
    text = raw.strip()
    for fmt in _STAMP_FORMATS:
        try:
            stamp = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return stamp.replace(tzinfo=None).isoformat(timespec="seconds")
    raise PayloadError(f"unrecognised update stamp {raw!r}")


def map_legacy_dimension(name: str) -> str:
    return LEGACY_DIMENSIONS.get(name, name)


def map_applicant_code(code: str) -> str:
    mapped = LEGACY_APPLICANT_CODES.get(code, code)
    if mapped not in KNOWN_APPLICANT_CODES:
        raise StructureChangedError(
            f"unknown applicant code {code!r}: the codelist changed; check it and extend "
            "KNOWN_APPLICANT_CODES in warduty.asylum.codes"
        )
    return mapped


def check_dimensions(dataset: str, found: list[str], *, legacy: bool) -> None:
    """Fail loudly when a dataset's dimensions (after legacy renames) differ from the known structure.

    Current payloads must also keep the SDMX key order; legacy bulk files had their own order.
    """
    expected = DATASET_DIMENSIONS.get(dataset)
    if expected is None:
        raise StructureChangedError(
            f"dataset {dataset!r} is not an asylum dataset this package reads "
            f"(known: {', '.join(sorted(DATASET_DIMENSIONS))})"
        )
    mapped = [map_legacy_dimension(d) for d in found]
    required = set(expected) - ({"freq"} if legacy else set())
    missing = sorted(required - set(mapped))
    extra = sorted(set(mapped) - set(expected))
    if missing or extra:
        raise StructureChangedError(
            f"{dataset}: dimensions changed: missing {missing or 'none'}, unexpected {extra or 'none'} "
            f"(expected {', '.join(expected)})"
        )
    if not legacy and tuple(mapped) != expected:
        raise StructureChangedError(
            f"{dataset}: dimension order changed: got {', '.join(mapped)}, expected {', '.join(expected)}"
        )
