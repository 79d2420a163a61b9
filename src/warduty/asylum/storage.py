"""Asylum observations in the database, with vintages: a new release adds rows, never overwrites.

Each row carries the dataset's last-update stamp (``vintage``) and the run that read it. Reading "the
latest" picks, per cell, the row of the newest vintage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, and_, func, insert, select, update

from warduty.asylum.model import AsylumObservation
from warduty.store.schema import asylum_obs, runs
from warduty.store.upsert import UpsertResult, upsert

CELL_COLUMNS = (
    "source",
    "dataset",
    "citizen",
    "geo",
    "period",
    "applicant",
    "sex",
    "age",
    "decision",
    "unit",
)
KEY = (*CELL_COLUMNS, "vintage")


def start_run(connection: Connection, kind: str, plan: Mapping[str, Any] | None = None) -> int:
    result = connection.execute(
        insert(runs).values(kind=kind, started_at=datetime.now(UTC), status="running", plan=dict(plan or {}))
    )
    key = result.inserted_primary_key
    if key is None:
        raise RuntimeError("the database did not return the new run's id")
    return int(key[0])


def finish_run(
    connection: Connection,
    run_id: int,
    status: str,
    *,
    statistics: Mapping[str, Any] | None = None,
    issues: list[str] | None = None,
) -> None:
    connection.execute(
        update(runs)
        .where(runs.c.id == run_id)
        .values(
            finished_at=datetime.now(UTC),
            status=status,
            statistics=dict(statistics or {}),
            issues=issues or [],
        )
    )


def store_observations(
    connection: Connection, observations: Iterable[AsylumObservation], *, vintage: str, run_id: int | None
) -> UpsertResult:
    """Add the observations as vintage ``vintage``; the same vintage stored twice changes nothing."""
    if not vintage:
        raise ValueError("every stored observation needs a vintage (the dataset's last-update stamp)")
    rows = [{**o.to_dict(), "vintage": vintage} for o in observations]
    return upsert(connection, asylum_obs, rows, KEY, touch={"run_id": run_id})


def latest_observations(
    connection: Connection,
    *,
    source: str | None = None,
    dataset: str | None = None,
    citizen: str | None = None,
) -> list[AsylumObservation]:
    """One observation per cell: the one of the newest vintage."""
    filters = [
        column == value
        for column, value in (
            (asylum_obs.c.source, source),
            (asylum_obs.c.dataset, dataset),
            (asylum_obs.c.citizen, citizen),
        )
        if value is not None
    ]
    cell = [asylum_obs.c[name] for name in CELL_COLUMNS]
    newest = (
        select(*cell, func.max(asylum_obs.c.vintage).label("vintage"))
        .where(*filters)
        .group_by(*cell)
        .subquery()
    )
    joined = asylum_obs.join(
        newest,
        and_(
            *(asylum_obs.c[n] == newest.c[n] for n in CELL_COLUMNS), asylum_obs.c.vintage == newest.c.vintage
        ),
    )
    statement = select(asylum_obs).select_from(joined).order_by(*cell)
    return [_observation(row._mapping) for row in connection.execute(statement)]


def stored_vintages(connection: Connection, *, dataset: str | None = None) -> list[tuple[str, str, int]]:
    """(dataset, vintage, rows) for every stored vintage, oldest first."""
    statement = select(asylum_obs.c.dataset, asylum_obs.c.vintage, func.count()).group_by(
        asylum_obs.c.dataset, asylum_obs.c.vintage
    )
    if dataset is not None:
        statement = statement.where(asylum_obs.c.dataset == dataset)
    return [
        (d, v, int(n))
        for d, v, n in connection.execute(statement.order_by(asylum_obs.c.dataset, asylum_obs.c.vintage))
    ]


def _observation(row: RowMapping) -> AsylumObservation:
    return AsylumObservation(
        **{name: row[name] for name in CELL_COLUMNS}, value=row["value"], flag=row["flag"]
    )
