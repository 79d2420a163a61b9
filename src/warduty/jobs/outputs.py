"""What warduty publishes from a database: the month's briefing, the data exports and the release."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

from warduty.privacy.pseudonym import Pseudonymiser
from warduty.report import Briefing, build_briefings
from warduty.report.briefing import Lang
from warduty.report.export import Format, export_database, export_tables
from warduty.report.release import Release, check_release_folder, write_release
from warduty.store import make_engine


def write_briefing(
    database_url: str,
    month: str,
    as_of: date,
    lang: Lang,
    out_dir: Path,
    *,
    show_names: bool = False,
    pseudonyms: Pseudonymiser | None = None,
) -> Briefing:
    """Write the briefing for ``month`` as of ``as_of`` into ``out_dir`` from an existing database."""
    (briefing,) = write_briefings(
        database_url, month, as_of, {lang: out_dir}, show_names=show_names, pseudonyms=pseudonyms
    )
    return briefing


def write_briefings(
    database_url: str,
    month: str,
    as_of: date,
    outputs: Mapping[Lang, Path],
    *,
    show_names: bool = False,
    pseudonyms: Pseudonymiser | None = None,
) -> list[Briefing]:
    """:func:`write_briefing` in each language of ``outputs`` (language -> folder); the figures are
    computed once."""
    engine = make_engine(database_url, create=False)  # a briefing of no database is an error, not empty
    try:
        return build_briefings(engine, month, as_of, outputs, show_names=show_names, pseudonyms=pseudonyms)
    finally:
        engine.dispose()


def export(
    database_url: str,
    out_dir: Path,
    fmt: Format,
    *,
    show_names: bool = False,
    pseudonyms: Pseudonymiser | None = None,
) -> list[Path]:
    """Export the records and monthly series of an existing database into ``out_dir``."""
    engine = make_engine(database_url, create=False)
    try:
        return export_database(engine, out_dir, fmt, show_names=show_names, pseudonyms=pseudonyms)
    finally:
        engine.dispose()


def release(database_url: str, out_dir: Path, as_of: date, *, pseudonyms: Pseudonymiser) -> Release:
    """Write the versioned open dataset of an existing database as of ``as_of`` into the new or empty
    folder ``out_dir``: always pseudonymised (a published release never names defendants); the series
    and rankings count up to ``as_of``."""
    check_release_folder(out_dir)  # before the work: a refused release costs nothing
    engine = make_engine(database_url, create=False)
    try:
        tables = export_tables(engine, pseudonyms=pseudonyms, until=as_of)
    finally:
        engine.dispose()
    return write_release(tables, out_dir, as_of)
