"""The database state the detectors read (:class:`~warduty.alerts.detect.AlertState`), loaded in one place."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, func, select

from warduty.alerts.detect import AlertState, AsylumNews, MetricSeries, RunState
from warduty.stats.definitions import Filters, Metric
from warduty.stats.figures import ARTICLE, SERIES_START
from warduty.stats.months import briefing_month, last_day
from warduty.stats.query import as_of_date
from warduty.stats.series import monthly_series
from warduty.store.schema import asylum_obs, courts, runs

FINISHED = ("done", "incomplete", "finished")  # a crawl (done, incomplete) or a fetch (finished) that ended
HISTORY_EXTRA = 30  # crawl runs loaded beyond the N of "unavailable N runs in a row"
METRICS: tuple[Metric, ...] = ("received", "sentences")


class UnknownRunError(LookupError):
    """No run has this id."""


def load_state(
    connection: Connection, run_id: int, unavailable_runs: int, now: datetime | None = None
) -> AlertState:
    """What the detectors need after run ``run_id``; raises :class:`UnknownRunError`."""
    row = connection.execute(select(runs).where(runs.c.id == run_id)).first()
    if row is None:
        raise UnknownRunError(f"no run {run_id}")
    run = _run_state(row)
    limit = max(unavailable_runs, 1) + HISTORY_EXTRA
    crawl_rows = connection.execute(
        select(runs)
        .where(runs.c.kind == "crawl", runs.c.status.in_(FINISHED), runs.c.id <= run_id)
        .order_by(runs.c.id.desc())
        .limit(limit + 1)
    ).all()
    names = {str(r.code): str(r.name_en) for r in connection.execute(select(courts.c.code, courts.c.name_en))}
    return AlertState(
        run=run,
        now=now or datetime.now(UTC),
        crawls=tuple(_run_state(r) for r in crawl_rows[:limit]),
        crawls_complete=len(crawl_rows) <= limit,
        court_names=names,
        series=series_state(connection),
        asylum=asylum_news(connection, run_id) if run.kind == "asylum-fetch" else (),
    )


def series_state(connection: Connection) -> tuple[MetricSeries, ...]:
    """The art. 337 series of both metrics up to the month a briefing as of the data is about; empty
    for a database without cases."""
    as_of = as_of_date(connection)
    if as_of is None:
        return ()
    month = briefing_month(as_of)
    if month < SERIES_START:
        return ()
    filters = Filters(articles=(ARTICLE,), until=min(last_day(month), as_of))
    return tuple(
        MetricSeries(metric, month, tuple(monthly_series(connection, metric, filters, SERIES_START, month)))
        for metric in METRICS
    )


def asylum_news(connection: Connection, run_id: int) -> tuple[AsylumNews, ...]:
    rows = connection.execute(
        select(asylum_obs.c.source, asylum_obs.c.dataset, func.count(), func.max(asylum_obs.c.period))
        .where(asylum_obs.c.run_id == run_id)
        .group_by(asylum_obs.c.source, asylum_obs.c.dataset)
        .order_by(asylum_obs.c.source, asylum_obs.c.dataset)
    ).all()
    return tuple(AsylumNews(str(s), str(d), int(n), str(p)) for s, d, n, p in rows)


def _run_state(row: object) -> RunState:
    mapping = row._mapping  # type: ignore[attr-defined]
    statistics = mapping["statistics"] if isinstance(mapping["statistics"], dict) else {}
    issues = mapping["issues"] if isinstance(mapping["issues"], list) else []
    return RunState(
        id=int(mapping["id"]),
        kind=str(mapping["kind"]),
        status=str(mapping["status"]),
        finished_at=mapping["finished_at"],
        statistics=statistics,
        issues=[entry for entry in issues if isinstance(entry, dict)],
    )
