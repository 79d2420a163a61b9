"""What every request handler needs: the engine, settings, the pseudonymiser and a small figure cache."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine

from warduty.asylum import MonthValue, load_snapshot, monthly_series
from warduty.asylum.storage import latest_observations
from warduty.config import Settings
from warduty.web import queries
from warduty.web.pseudonym import Pseudonymiser, RedactionError, redact

T = TypeVar("T")
OVERVIEW_MONTHS = 36


@dataclass
class FigureCache:
    """Derived figures keyed by the data version: a finished or started run invalidates everything."""

    version: tuple[object, ...] | None = None
    entries: dict[object, object] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, version: tuple[object, ...], key: object, compute: Callable[[], T]) -> T:
        with self.lock:
            if version != self.version:
                self.version, self.entries = version, {}
            if key in self.entries:
                return self.entries[key]  # type: ignore[return-value]
        value = compute()
        with self.lock:
            if version == self.version:
                self.entries[key] = value
        return value


@dataclass
class WebContext:
    settings: Settings
    engine: Engine
    pseudonyms: Pseudonymiser
    cache: FigureCache = field(default_factory=FigureCache)

    @property
    def show_names(self) -> bool:
        return self.settings.show_names

    def cached(self, key: object, compute: Callable[[], T]) -> T:
        with self.engine.connect() as connection:
            version = queries.data_version(connection)
        return self.cache.get(version, key, compute)

    # -- figures -----------------------------------------------------------------------------------

    def as_of(self) -> date | None:
        def compute() -> date | None:
            with self.engine.connect() as connection:
                return queries.as_of_date(connection)

        return self.cached("as_of", compute)

    def monthly(
        self, metric: str, filters: queries.CaseFilters, since: date | None
    ) -> list[queries.MonthCount]:
        as_of = self.as_of()
        function = queries.received_by_month if metric == "received" else queries.sentences_by_month

        def compute() -> list[queries.MonthCount]:
            with self.engine.connect() as connection:
                return function(connection, filters, as_of, since)

        return self.cached(("monthly", metric, filters, since), compute)

    def regions(self, since: date | None, until: date | None) -> list[dict[str, object]]:
        def compute() -> list[dict[str, object]]:
            with self.engine.connect() as connection:
                return queries.regions(connection, since, until)

        return self.cached(("regions", since, until), compute)

    def sentence_mix(self, since: date | None, until: date | None) -> dict[str, object]:
        def compute() -> dict[str, object]:
            with self.engine.connect() as connection:
                return queries.sentence_mix(connection, since, until)

        return self.cached(("mix", since, until), compute)

    def courts(self) -> list[dict[str, Any]]:
        def compute() -> list[dict[str, Any]]:
            with self.engine.connect() as connection:
                return queries.courts_with_freshness(connection)

        return self.cached("courts", compute)

    def asylum(self, applicant: str = "FRST", scope: str = "reporting") -> tuple[list[MonthValue], str]:
        def compute() -> tuple[list[MonthValue], str]:
            with self.engine.connect() as connection:
                observations = latest_observations(connection, source="eurostat", dataset="migr_asyappctzm")
            series = monthly_series(observations, applicant=applicant, geo_scope=scope)
            if series:
                return series, "database"
            return monthly_series(load_snapshot(), applicant=applicant, geo_scope=scope), "snapshot"

        return self.cached(("asylum", applicant, scope), compute)

    def overview(self) -> queries.Overview:
        def compute() -> queries.Overview:
            as_of = self.as_of()
            since = _months_before(as_of, OVERVIEW_MONTHS) if as_of else None
            everything = queries.CaseFilters()
            received = self.monthly("received", everything, since)
            sentences = self.monthly("sentences", everything, since)
            open_months = set(queries.incomplete_months(as_of))
            complete = sorted({m.month for m in received if m.month not in open_months})
            latest_month = complete[-1] if complete else None
            latest = {
                name: {m.group: m.count for m in series if m.month == latest_month}
                for name, series in (("received", received), ("sentences", sentences))
            }
            window_start = _months_before(as_of, 12) if as_of else None
            return queries.Overview(
                as_of=as_of,
                latest_month=latest_month,
                latest=latest,
                received=received,
                sentences=sentences,
                regions=self.regions(window_start, as_of)[:10],
                sentence_mix=self.sentence_mix(window_start, as_of),
                incomplete_months=sorted(open_months),
            )

        return self.cached("overview", compute)

    # -- personal data -----------------------------------------------------------------------------

    def person_label(self, court_code: str, case_number: str, position: int, name: str | None) -> str:
        if self.show_names and name:
            return name
        return self.pseudonyms.pseudonym(court_code, case_number, position)

    def public_case(self, case: dict[str, Any]) -> dict[str, Any]:
        """The case as it may leave the server: names replaced by pseudonyms unless names are on."""
        out = dict(case)
        names: dict[str, str] = {}
        people = []
        for person in case["persons"]:
            person = dict(person)
            label = self.person_label(
                case["court_code"], case["case_number"], person["position"], person["name"]
            )
            if person["name"] and not person["hidden"]:
                names[person["name"]] = label
            person["name"] = None if person["hidden"] else label
            people.append(person)
        out["persons"] = people
        if not self.show_names and names:
            out["acts"] = [{**act, "text": _redacted_or_none(act.get("text"), names)} for act in case["acts"]]
        return out

    def archive_path(self, warc_file: str) -> Path | None:
        """The archive file a row points at, only inside the data directory."""
        root = self.settings.data_dir.resolve()
        path = Path(warc_file)
        path = (path if path.is_absolute() else root / path).resolve()
        return path if path.is_relative_to(root) else None


def _redacted_or_none(text: str | None, names: dict[str, str]) -> str | None:
    if text is None:
        return None
    try:
        return redact(text, names)
    except RedactionError:
        return None


def _months_before(day: date, months: int) -> date:
    first = day.replace(day=1)
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    return first
