"""What warduty publishes from a database: the month's briefing and the data exports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from warduty.privacy.pseudonym import Pseudonymiser
from warduty.report import Briefing, build_briefing
from warduty.report.briefing import Lang
from warduty.report.export import Format, export_database
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
    engine = make_engine(database_url, create=False)  # a briefing of no database is an error, not empty
    try:
        return build_briefing(
            engine, month, as_of, lang, out_dir, show_names=show_names, pseudonyms=pseudonyms
        )
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
