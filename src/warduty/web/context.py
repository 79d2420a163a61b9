"""What every request handler needs: the engine, settings, the pseudonymiser and a small figure cache."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext, suppress
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine

from warduty.asylum import MonthValue
from warduty.asylum.stats import applications_series
from warduty.config import Settings
from warduty.crawl.archive import locate
from warduty.jobs.claims import CheckResult, check_with
from warduty.privacy import RedactionError, redact_values
from warduty.privacy.pseudonym import Pseudonymiser
from warduty.stats import LagDistribution, Metric, MoscowReading, RegionCount
from warduty.stats.figures import BriefingData, lag_distributions, since_mobilisation
from warduty.web import queries, statistics
from warduty.web.envelope import ApiError
from warduty.web.security import CLIENT, CostLimit
from warduty.web.statistics import Overview, SeriesPoint, SeriesQuery

T = TypeVar("T")
CACHE_LIMIT = 256  # entries for parameters a client chose; the warmed figures are kept apart


@dataclass
class FigureCache:
    """Derived figures keyed by the data version: a finished or started run invalidates everything.

    One computation per key at a time: a request that needs a figure being computed (by the warm-up
    thread or another request) waits for it instead of running the same queries again. Entries for
    client-chosen parameters are bounded (least recently used go first); pinned ones (what the
    warm-up computes) are not. While ``serve_stale`` is on (a warm-up thread is running and will compute
    the new version's figures), a ``stale_ok`` request for a pinned figure not yet computed for the new
    data version gets the previous version's instead of waiting. ``guard`` is entered only by the one
    request that computes (the cost limit): the ones that wait for its result cost nothing.
    """

    limit: int = CACHE_LIMIT
    version: tuple[object, ...] | None = None
    pinned: dict[object, object] = field(default_factory=dict)
    previous: dict[object, object] = field(default_factory=dict)  # pinned figures of earlier versions
    serve_stale: bool = False
    entries: OrderedDict[object, object] = field(default_factory=OrderedDict)
    pending: dict[tuple[object, object], threading.Event] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(
        self,
        version: tuple[object, ...],
        key: object,
        compute: Callable[[], T],
        *,
        pin: bool = False,
        stale_ok: bool = False,
        guard: Callable[[], AbstractContextManager[object]] = nullcontext,
    ) -> T:
        while True:
            with self.lock:
                if version != self.version:
                    self.previous = {**self.previous, **self.pinned}
                    self.version, self.pinned, self.entries = version, {}, OrderedDict()
                if key in self.pinned:
                    return self.pinned[key]  # type: ignore[return-value]
                if stale_ok and self.serve_stale and key in self.previous:
                    return self.previous[key]  # type: ignore[return-value]
                if key in self.entries:
                    self.entries.move_to_end(key)
                    return self.entries[key]  # type: ignore[return-value]
                running = self.pending.get((version, key))
                if running is None:
                    running = self.pending[(version, key)] = threading.Event()
                    break
            running.wait()  # computed by someone else: look again (or compute, if that failed)
        try:
            with guard():
                value = compute()
            with self.lock:
                if version == self.version:
                    self._store(key, value, pin)
            return value
        finally:
            with self.lock:
                self.pending.pop((version, key), None)
            running.set()

    def _store(self, key: object, value: object, pin: bool) -> None:
        if pin:
            self.pinned[key] = value
            return
        self.entries[key] = value
        while len(self.entries) > self.limit:
            self.entries.popitem(last=False)


@dataclass
class WebContext:
    settings: Settings
    engine: Engine
    pseudonyms: Pseudonymiser
    cache: FigureCache = field(default_factory=FigureCache)
    cost: CostLimit | None = None  # per-client limit on figures computed for a request
    data_changed: Callable[[], None] = field(default=lambda: None)  # set by the warm-up thread

    @property
    def show_names(self) -> bool:
        return self.settings.show_names

    def version(self) -> tuple[object, ...]:
        with self.engine.connect() as connection:
            return queries.data_version(connection)

    def cached(
        self, key: object, compute: Callable[[], T], *, pin: bool = False, stale_ok: bool = False
    ) -> T:
        cost = self.cost

        def guard() -> AbstractContextManager[object]:
            return cost.slot(CLIENT.get()) if cost is not None else nullcontext()

        return self.cache.get(self.version(), key, compute, pin=pin, stale_ok=stale_ok, guard=guard)

    # -- figures (all from warduty.stats, see warduty.web.statistics) ---------------

    def as_of(self) -> date | None:
        def compute() -> date | None:
            with self.engine.connect() as connection:
                return queries.as_of_date(connection)

        return self.cached("as_of", compute, pin=True)

    def lag_distributions(
        self, metric: Metric, articles: tuple[str, ...], as_of: date
    ) -> list[LagDistribution]:
        def compute() -> list[LagDistribution]:
            with self.engine.connect() as connection:
                return lag_distributions(connection, metric, articles, as_of)

        return self.cached(("lags", metric, articles, as_of), compute, pin=True)

    def series(self, query: SeriesQuery, *, pin: bool = False) -> list[SeriesPoint]:
        """Monthly series; ``query.as_of`` None means the data's as-of date."""
        if query.as_of is None:
            query = replace(query, as_of=self.as_of())
        as_of = query.as_of

        def compute() -> list[SeriesPoint]:
            if as_of is None:
                return []
            lags = {
                label: self.lag_distributions(query.metric, articles, as_of)
                for label, articles in query.labels().items()
            }
            with self.engine.connect() as connection:
                return statistics.series_points(connection, query, lags)

        return self.cached(("series", query), compute, pin=pin)

    def regions(
        self,
        metric: Metric,
        articles: tuple[str, ...],
        since: date | None,
        until: date | None,
        moscow: MoscowReading,
        *,
        pin: bool = False,
    ) -> list[RegionCount]:
        def compute() -> list[RegionCount]:
            with self.engine.connect() as connection:
                return statistics.regions(connection, metric, articles, since, until, moscow)

        return self.cached(("regions", metric, articles, since, until, moscow), compute, pin=pin)

    def courts(self, *, stale_ok: bool = True) -> list[dict[str, Any]]:
        def compute() -> list[dict[str, Any]]:
            with self.engine.connect() as connection:
                return queries.courts_with_freshness(connection)

        return self.cached("courts", compute, pin=True, stale_ok=stale_ok)

    def courts_of_region(self, region: str) -> tuple[str, ...]:
        return tuple(c["code"] for c in self.courts() if region in (c["region_en"], c["region_ru"]))

    def asylum(self, applicant: str = "FRST", scope: str = "reporting") -> tuple[list[MonthValue], str]:
        def compute() -> tuple[list[MonthValue], str]:
            with self.engine.connect() as connection:
                return applications_series(connection, applicant=applicant, geo_scope=scope)

        return self.cached(
            ("asylum", applicant, scope), compute, pin=(applicant, scope) == ("FRST", "reporting")
        )

    def check(self, text: str, as_of: date | None = None) -> CheckResult:
        """``warduty check`` on this database (``warduty.jobs.claims``), cached per data version. Raises
        ``ClaimTextError`` for an empty or over-long text."""
        return self.cached(("check", text, as_of), lambda: check_with(self.engine, text, as_of))

    def overview(self, *, stale_ok: bool = True) -> Overview:
        """What the overview shows. ``stale_ok``: while the warm-up thread computes the figures of new
        data, answer with the previous data's (the answer's ``as_of`` says which)."""

        def compute() -> Overview:
            as_of = self.as_of()
            if as_of is None:
                return Overview(None, None)
            month = statistics.briefing_month(as_of)
            received = self.series(SeriesQuery("received", as_of=as_of), pin=True)
            sentences = self.series(SeriesQuery("sentences", as_of=as_of), pin=True)
            window = since_mobilisation(as_of)
            with self.engine.connect() as connection:
                mix = statistics.month_sentence_mix(connection, month)
            return Overview(
                as_of=as_of,
                month=month,
                received=received,
                sentences=sentences,
                records=[
                    *statistics.records_of(received, "received", month),
                    *statistics.records_of(sentences, "sentences", month),
                ],
                regions_oblast=self.regions(
                    "received", window.articles, window.since, as_of, "oblast", pin=True
                ),
                regions_city_and_oblast=self.regions(
                    "received", window.articles, window.since, as_of, "city_and_oblast", pin=True
                ),
                sentence_mix=mix,
            )

        return self.cached("overview", compute, pin=True, stale_ok=stale_ok)

    def briefing(
        self, month: str | None, as_of: date | None, *, stale_ok: bool = True
    ) -> BriefingData | None:
        """The briefing's figures for ``month`` as of ``as_of`` (defaults: the overview's); None without
        data. Raises ``StatisticsRequestError`` for a request the briefing cannot answer."""
        as_of = as_of or self.as_of()
        if as_of is None:
            return None
        month = month or statistics.briefing_month(as_of)
        statistics.check_briefing_request(month, as_of)
        default = as_of == self.as_of() and month == statistics.briefing_month(as_of)
        return self.cached(
            ("briefing", month, as_of),
            lambda: statistics.briefing_data(self.engine, month, as_of),
            pin=default,
            stale_ok=stale_ok and default,
        )

    def warm(self) -> None:
        """Compute what the overview, the default API answers and the default briefing need, for the
        current data (never answered from an earlier version)."""
        self.overview(stale_ok=False)
        self.courts(stale_ok=False)
        self.asylum()
        # Data older than the briefing's series have no default briefing to warm.
        with suppress(statistics.StatisticsRequestError):
            self.briefing(None, None, stale_ok=False)

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
            # Every free text of the case (acts, their verdict facts, events, card fields) is redacted;
            # a text in which a name is still found after that is refused, never served.
            try:
                out = redact_values(out, names)
            except RedactionError:
                raise ApiError(503, "this case cannot be shown without its defendants' names") from None
        return out

    def archive_path(self, warc_file: str) -> Path | None:
        """The archive file a row points at, only inside the data directory or the SQLite database's
        folder (the crawl's data directory when the database sits in it, as in the demo)."""
        database = self.engine.url.database if self.engine.url.get_backend_name() == "sqlite" else None
        also = [Path(database).parent] if database and database != ":memory:" else []
        return locate(warc_file, self.settings.data_dir, inside=True, also=also)
