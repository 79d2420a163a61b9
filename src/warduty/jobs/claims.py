"""Check a sentence from the news against a database: the claims it makes and an answer for each.

The CLI (``warduty check``) and the web (``POST /api/v1/check``, the "Check a claim" page) call this.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, Engine, func, select

from warduty.asylum import AsylumObservation, load_snapshot, monthly_series
from warduty.asylum.snapshot import SNAPSHOT_FILE
from warduty.asylum.storage import latest_observations
from warduty.claims.check import Answer, AsylumSeries, check_claims
from warduty.claims.parse import parse_claims
from warduty.stats.query import as_of_date
from warduty.store import make_engine
from warduty.store.schema import asylum_obs

DATASET = "migr_asyappctzm"


@dataclass(frozen=True, slots=True)
class CheckResult:
    text: str
    as_of: date | None  # None: an empty database (nothing to check against)
    answers: tuple[Answer, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "claims": len(self.answers),
            "answers": [a.to_dict() for a in self.answers],
        }


def asylum_series(connection: Connection) -> AsylumSeries:
    """First-time applicants summed over reporting countries: the database's newest vintage, else the
    shipped snapshot (as ``warduty asylum stats`` and the dashboard read it)."""
    observations: list[AsylumObservation] = latest_observations(
        connection, source="eurostat", dataset=DATASET
    )
    series = monthly_series(observations)
    if series:
        newest = select(func.max(asylum_obs.c.vintage)).where(
            asylum_obs.c.source == "eurostat", asylum_obs.c.dataset == DATASET
        )
        return AsylumSeries(series, "database", connection.execute(newest).scalar())
    # The snapshot's stamp: the commit its provenance names (data/PROVENANCE.md).
    return AsylumSeries(monthly_series(load_snapshot()), "shipped snapshot", SNAPSHOT_FILE)


def check_with(engine: Engine, text: str, as_of: date | None = None) -> CheckResult:
    """Check ``text`` against ``engine``'s database as of ``as_of`` (default: the data's as-of date).
    Raises ``ClaimTextError`` for an empty or over-long text."""
    with engine.connect() as connection:
        day = as_of or as_of_date(connection)
        if day is None:
            parse_claims(text, date.today())  # still report a text that cannot be read
            return CheckResult(text, None, ())
        claims = parse_claims(text, day)
        asylum = asylum_series(connection) if any(c.topic == "asylum" for c in claims) else None
        answers = tuple(check_claims(connection, claims, day, asylum))
    return CheckResult(text, day, answers)


def check_text(database_url: str, text: str, as_of: date | None = None) -> CheckResult:
    """:func:`check_with` on the existing database at ``database_url``."""
    engine = make_engine(database_url, create=False)
    try:
        return check_with(engine, text, as_of)
    finally:
        engine.dispose()
