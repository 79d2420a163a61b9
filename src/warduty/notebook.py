"""The Python way in for notebooks: ``db = warduty.open(url)``, then pandas DataFrames.

Each method is a thin shape over the same functions the briefings, exports and dashboard use
(:mod:`warduty.stats`, :mod:`warduty.asylum`), so a number here is the number a briefing prints. It
reads only: the database must exist, nothing is written to it. pandas is an optional extra
(``pip install 'warduty[pandas]'``); without it a method says how to get it.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, select

from warduty.asylum.stats import applications_series
from warduty.stats.definitions import MOBILISATION_START, Filters, Metric
from warduty.stats.figures import ARTICLE, SERIES_START, compute
from warduty.stats.months import last_day, month_of, parse_month
from warduty.stats.outcomes import classify_outcome
from warduty.stats.query import case_ids
from warduty.stats.regions import MoscowReading, region_ranking
from warduty.stats.series import monthly_series
from warduty.store import make_engine
from warduty.store.schema import cases, courts

if TYPE_CHECKING:
    import pandas

CASE_COLUMNS = ("id", "court_code", "court", "region", "case_number", "received", "decided", "result",
                "outcome", "card_url")  # fmt: skip


class PandasMissingError(ImportError):
    """pandas is not installed: the notebook API answers in DataFrames."""


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise PandasMissingError(
            "warduty.open(...) answers as pandas DataFrames: install pandas with "
            "pip install 'warduty[pandas]'"
        ) from None
    return pandas


def _filters(articles: str | tuple[str, ...], since: date | None, until: date | None) -> Filters:
    chosen = (articles,) if isinstance(articles, str) else tuple(articles)
    return Filters(articles=chosen, since=since, until=until)


class Database:
    """A warduty database opened for reading; every method returns a pandas DataFrame."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def series(
        self,
        article: str | tuple[str, ...] = ARTICLE,
        *,
        first: str = SERIES_START,
        last: str | None = None,
        until: date | None = None,
    ) -> pandas.DataFrame:
        """Monthly cases received and sentences from ``first`` to ``last`` (default: the month of
        ``until``, else today's): columns ``month``, ``received``, ``sentences``; months without
        records are 0. ``until`` cuts the records at a day, as a briefing's as-of date does."""
        pd = _pandas()
        last = parse_month(last) if last else month_of(until or date.today())
        filters = _filters(article, None, until)
        with self.engine.connect() as connection:
            columns = {
                metric: monthly_series(connection, metric, filters, parse_month(first), last)
                for metric in ("received", "sentences")
            }
        return pd.DataFrame(
            {
                "month": [m.month for m in columns["received"]],
                "received": [m.value for m in columns["received"]],
                "sentences": [m.value for m in columns["sentences"]],
            }
        )

    def cases(
        self,
        article: str | tuple[str, ...] = ARTICLE,
        *,
        metric: Metric = "received",
        since: date | None = None,
        until: date | None = None,
        region: str | None = None,
    ) -> pandas.DataFrame:
        """The cases behind a count (the list a briefing figure links to): received in the period, or
        with a defendant sentenced in it (``metric="sentences"``); ``region`` is the court's seat
        region (Russian or English). No defendants' names: see the exports for persons."""
        pd = _pandas()
        with self.engine.connect() as connection:
            ids = case_ids(connection, metric, _filters(article, since, until), region=region).subquery()
            statement = (
                select(cases, courts.c.name_en, courts.c.seat_region_en)
                .join(courts, courts.c.code == cases.c.court_code)
                .where(cases.c.id.in_(select(ids.c.id)))
                .order_by(cases.c.id)
            )
            rows = [
                {
                    "id": row.id,
                    "court_code": row.court_code,
                    "court": row.name_en,
                    "region": row.seat_region_en,
                    "case_number": row.case_number,
                    "received": row.received,
                    "decided": row.decided,
                    "result": row.result,
                    "outcome": classify_outcome(row.result),
                    "card_url": row.card_url,
                }
                for row in connection.execute(statement)
            ]
        frame = pd.DataFrame(rows, columns=list(CASE_COLUMNS))
        for column in ("received", "decided"):
            frame[column] = pd.to_datetime(frame[column])
        return frame

    def figures(self, month: str, as_of: date | None = None) -> pandas.DataFrame:
        """The briefing's figures for ``month`` as of ``as_of`` (default: today, or the month's end if
        earlier, as ``warduty report`` does), one row per figure as in its ``figures.json``: ``key``,
        ``value``, ``definition``, ``filters``, ``as_of``, ``cases``, ``note``; indexed by ``key``."""
        pd = _pandas()
        month = parse_month(month)
        day = as_of or min(date.today(), last_day(month))
        data = compute(self.engine, month, day)
        return pd.DataFrame([f.to_dict() for f in data.figures]).set_index("key", drop=False)

    def regions(
        self,
        article: str | tuple[str, ...] = ARTICLE,
        *,
        metric: Metric = "received",
        since: date | None = MOBILISATION_START,
        until: date | None = None,
        moscow: MoscowReading = "oblast",
    ) -> pandas.DataFrame:
        """Regions by court seat, largest first: ``rank``, ``region_ru``, ``region_en``, ``value``
        (default: cases received since mobilisation; ``moscow="city_and_oblast"`` merges the two)."""
        pd = _pandas()
        with self.engine.connect() as connection:
            ranking = region_ranking(connection, metric, _filters(article, since, until), moscow)
        return pd.DataFrame([asdict(r) for r in ranking], columns=["rank", "region_ru", "region_en", "value"])

    def asylum(self, applicant: str = "FRST", scope: str = "reporting") -> pandas.DataFrame:
        """Russians' monthly asylum applications abroad (Eurostat): ``period``, ``value``, ``countries``,
        ``incomplete``, ``source`` (``database``, else the shipped ``snapshot``). ``applicant``: FRST
        (first-time) or ASY; ``scope``: reporting, eu27 or eu27_published."""
        pd = _pandas()
        with self.engine.connect() as connection:
            series, source = applications_series(connection, applicant=applicant, geo_scope=scope)
        frame = pd.DataFrame(
            [m.to_dict() for m in series], columns=["period", "value", "countries", "incomplete"]
        )
        frame["source"] = source
        return frame


def open_database(url: str) -> Database:
    """Open an existing warduty database (an SQLAlchemy URL, e.g. ``sqlite:///data/warduty.sqlite``)
    for reading. Raises ``warduty.store.DatabaseError`` when there is none at ``url``."""
    return Database(make_engine(url, create=False))
