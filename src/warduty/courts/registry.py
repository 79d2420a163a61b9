"""The registry of Russian military courts: which sites exist, where each court sits, which engine it runs.

The data file ``data/military_courts.csv`` ships with the package (see ``data/PROVENANCE.md``).
A court's region is the federal subject where the court *sits*: the two-digit prefix of its code is the
historical okrug and says nothing about the seat.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

Level = Literal["garrison", "district", "appeal", "cassation", "supreme"]
Engine = Literal["standard", "vintage"]

LEVELS: tuple[Level, ...] = ("garrison", "district", "appeal", "cassation", "supreme")
# Garrison courts try cases first; so do district courts for special categories.
FIRST_INSTANCE_LEVELS: tuple[Level, ...] = ("garrison", "district")
ENGINES: tuple[Engine, ...] = ("standard", "vintage")
STATUS_FLAGS = frozenset({"ABROAD_RUSSIAN_BASE", "OCCUPIED_UKRAINE_2022_NEW", "CRIMEA_OCCUPIED_2014"})
MOSCOW_OBLAST = "Московская область"
MOSCOW_CITY = "Город Москва"

_CODE_RE = re.compile(r"^(?:\d{2}(?:GV|OV|AV|KV)\d{4}|VSRF)$")
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST_RE = re.compile(rf"^{_LABEL}(?:\.{_LABEL})+$")
_REQUIRED_COLUMNS = (
    "code",
    "level",
    "name_ru",
    "name_en",
    "city_ru",
    "city_en",
    "seat_subject_ru",
    "seat_subject_en",
    "seat_subject_code",
    "circuit_en",
    "host",
    "host_search",
    "engine",
    "has_captcha",
    "status_flag",
)


class RegistryError(ValueError):
    """The court registry file is malformed; the message names the row."""


class UnknownCourtError(LookupError):
    """No court has the code or host asked for."""


@dataclass(frozen=True, slots=True)
class Court:
    """One military court as listed on the sudrf.ru portal."""

    code: str
    level: Level
    name_ru: str
    name_en: str
    city_ru: str
    city_en: str
    seat_region_ru: str
    seat_region_en: str
    seat_region_code: str
    circuit: str
    host: str | None  # dotted form, e.g. gvs.spb.sudrf.ru
    search_host: str | None  # dash form serving modules.php, e.g. gvs--spb.sudrf.ru
    engine: Engine | None  # None: not known (the crawler treats it as standard and says so)
    captcha: bool
    status_flags: frozenset[str]

    @property
    def on_sudrf(self) -> bool:
        """Whether the court has a sudrf.ru case search the crawler can query."""
        return self.search_host is not None

    @property
    def first_instance(self) -> bool:
        """Whether the court tries cases first (:data:`FIRST_INSTANCE_LEVELS`)."""
        return self.level in FIRST_INSTANCE_LEVELS

    @property
    def abroad(self) -> bool:
        return "ABROAD_RUSSIAN_BASE" in self.status_flags

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "level": self.level,
            "name_ru": self.name_ru,
            "name_en": self.name_en,
            "city_ru": self.city_ru,
            "city_en": self.city_en,
            "seat_region_ru": self.seat_region_ru,
            "seat_region_en": self.seat_region_en,
            "seat_region_code": self.seat_region_code,
            "circuit": self.circuit,
            "host": self.host,
            "search_host": self.search_host,
            "engine": self.engine,
            "captcha": self.captcha,
            "status_flags": sorted(self.status_flags),
        }


def normalize_host(host: str) -> str:
    """Canonical dotted form of a court host: ``gvs--spb.sudrf.ru`` -> ``gvs.spb.sudrf.ru``.

    Accepts a bare host, a URL, upper case, a port or a trailing dot.
    """
    text = host.strip().lower()
    if "://" in text:
        text = text.split("://", 1)[1]
    text = text.split("/", 1)[0].split(":", 1)[0].rstrip(".")
    labels = text.split(".")
    if labels and "--" in labels[0]:
        labels = labels[0].split("--", 1) + labels[1:]
    return ".".join(labels)


def dash_host(host: str) -> str:
    """The dash form used by ``modules.php``: ``gvs.spb.sudrf.ru`` -> ``gvs--spb.sudrf.ru``."""
    dotted = normalize_host(host)
    labels = dotted.split(".")
    if len(labels) == 4 and labels[-2:] == ["sudrf", "ru"]:
        return f"{labels[0]}--{labels[1]}.sudrf.ru"
    return dotted


def _parse_row(row: dict[str, str], line: int) -> Court:
    where = f"row {line} (code {row.get('code') or '?'!r})"
    code = row["code"].strip()
    if not _CODE_RE.match(code):
        raise RegistryError(f"{where}: court code {code!r} is not of the form RRTTNNNN")
    level = row["level"].strip()
    if level not in LEVELS:
        raise RegistryError(f"{where}: unknown level {level!r}; expected one of {', '.join(LEVELS)}")
    host = normalize_host(row["host"]) if row["host"].strip() else None
    search_host = row["host_search"].strip().lower() or None
    for label, value in (("host", host), ("host_search", search_host)):
        if value is not None and not _HOST_RE.match(value):
            raise RegistryError(f"{where}: {label} {value!r} is not a well-formed host name")
    if search_host is not None and host is not None and normalize_host(search_host) != host:
        raise RegistryError(f"{where}: host_search {search_host!r} does not match host {host!r}")
    engine = row["engine"].strip() or None
    if engine is not None and engine not in ENGINES:
        raise RegistryError(f"{where}: unknown engine {engine!r}; expected standard or vintage")
    captcha_text = row["has_captcha"].strip().lower()
    if captcha_text not in ("yes", "no", ""):
        raise RegistryError(f"{where}: has_captcha must be yes, no or empty, not {captcha_text!r}")
    flags = frozenset(f.strip() for f in row["status_flag"].split(";") if f.strip())
    unknown_flags = flags - STATUS_FLAGS
    if unknown_flags:
        raise RegistryError(f"{where}: unknown status flag(s) {sorted(unknown_flags)}")
    if not row["seat_subject_ru"].strip():
        raise RegistryError(f"{where}: seat region is empty")
    return Court(
        code=code,
        level=level,  # checked against LEVELS above
        name_ru=row["name_ru"].strip(),
        name_en=row["name_en"].strip(),
        city_ru=row["city_ru"].strip(),
        city_en=row["city_en"].strip(),
        seat_region_ru=row["seat_subject_ru"].strip(),
        seat_region_en=row["seat_subject_en"].strip(),
        seat_region_code=row["seat_subject_code"].strip(),
        circuit=row["circuit_en"].strip(),
        host=host,
        search_host=search_host,
        engine=engine,  # checked against ENGINES above
        captcha=captcha_text == "yes",
        status_flags=flags,
    )


def parse_registry(text: str) -> list[Court]:
    """Parse and validate registry CSV text. Raises ``RegistryError`` naming the first bad row."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in _REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise RegistryError(f"court registry lacks column(s): {', '.join(missing)}")
    courts: list[Court] = []
    seen_codes: dict[str, int] = {}
    seen_hosts: dict[str, int] = {}
    for line, row in enumerate(reader, start=2):
        if None in row or any(v is None for v in row.values()):
            raise RegistryError(f"row {line}: wrong number of fields")
        court = _parse_row(row, line)
        if court.code in seen_codes:
            raise RegistryError(f"row {line}: code {court.code} repeats row {seen_codes[court.code]}")
        seen_codes[court.code] = line
        if court.host is not None:
            if court.host in seen_hosts:
                raise RegistryError(f"row {line}: host {court.host} repeats row {seen_hosts[court.host]}")
            seen_hosts[court.host] = line
        courts.append(court)
    if not courts:
        raise RegistryError("court registry is empty")
    return courts


class CourtRegistry:
    """Lookup of courts by code and by host (either host form)."""

    def __init__(self, courts: Iterable[Court]) -> None:
        self._courts = tuple(courts)
        self._by_code = {c.code: c for c in self._courts}
        self._by_host = {c.host: c for c in self._courts if c.host}

    def __iter__(self) -> Iterator[Court]:
        return iter(self._courts)

    def __len__(self) -> int:
        return len(self._courts)

    def by_code(self, code: str) -> Court:
        try:
            return self._by_code[code.strip().upper() if code.strip() != "VSRF" else "VSRF"]
        except KeyError:
            raise UnknownCourtError(f"no military court has code {code!r}") from None

    def by_host(self, host: str) -> Court:
        try:
            return self._by_host[normalize_host(host)]
        except KeyError:
            raise UnknownCourtError(f"no military court has host {host!r}") from None

    def select(
        self,
        *,
        level: str | None = None,
        region: str | None = None,
        crawlable: bool | None = None,
    ) -> list[Court]:
        """Courts matching every given filter; region matches the Russian or English seat name."""
        result = []
        for court in self._courts:
            if level is not None and court.level != level:
                continue
            if region is not None and region.casefold() not in (
                court.seat_region_ru.casefold(),
                court.seat_region_en.casefold(),
            ):
                continue
            if crawlable is not None and court.on_sudrf != crawlable:
                continue
            result.append(court)
        return result


@cache
def load_registry() -> CourtRegistry:
    """The registry shipped with the package."""
    text = resources.files("warduty.courts").joinpath("data/military_courts.csv").read_text("utf-8")
    return CourtRegistry(parse_registry(text))
