"""Court registry: the military courts, their hosts, seats, engines and captcha flags."""

from warduty.courts.registry import (
    LEVELS,
    MOSCOW_CITY,
    MOSCOW_OBLAST,
    Court,
    CourtRegistry,
    RegistryError,
    UnknownCourtError,
    dash_host,
    load_registry,
    normalize_host,
    parse_registry,
)

__all__ = [
    "LEVELS",
    "MOSCOW_CITY",
    "MOSCOW_OBLAST",
    "Court",
    "CourtRegistry",
    "RegistryError",
    "UnknownCourtError",
    "dash_host",
    "load_registry",
    "normalize_host",
    "parse_registry",
]
