from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Engine, func, select

from tests.asylum.helpers import SYNTHETIC
from warduty.asylum.eurostat import read_csv, read_jsonstat
from warduty.asylum.storage import latest_observations, start_run, store_observations, stored_vintages
from warduty.store import migrate
from warduty.store.schema import asylum_obs


def test_vintages_add_rows_and_latest_picks_the_newest(engine: Engine) -> None:
    migrate(engine)
    first = read_csv((SYNTHETIC / "migr_asyappctzm_RU_SYNTHETIC.sdmx.csv").read_bytes())
    same_release = read_jsonstat((SYNTHETIC / "migr_asyappctzm_RU_SYNTHETIC.jsonstat.json").read_bytes())
    assert first.vintage == same_release.vintage
    with engine.begin() as connection:
        run = start_run(connection, "test")
        stored = store_observations(connection, first.observations, vintage=first.vintage or "", run_id=run)
        again = store_observations(
            connection, same_release.observations, vintage=same_release.vintage or "", run_id=run
        )
    assert (stored.inserted, again.inserted, again.updated, again.unchanged) == (6, 0, 0, 5)
    revised = [
        replace(o, value=96.0, flag="") if (o.geo, o.period) == ("DE", "2024-12") else o
        for o in first.observations
    ]
    with engine.begin() as connection:
        later = start_run(connection, "test")
        result = store_observations(connection, revised, vintage="2025-02-14T23:00:00", run_id=later)
        total = connection.execute(select(func.count()).select_from(asylum_obs)).scalar_one()
        latest = {
            (o.geo, o.period): (o.value, o.flag)
            for o in latest_observations(connection, dataset="migr_asyappctzm")
        }
        vintages = stored_vintages(connection)
        old = connection.execute(
            select(asylum_obs.c.value, asylum_obs.c.flag).where(
                asylum_obs.c.geo == "DE",
                asylum_obs.c.period == "2024-12",
                asylum_obs.c.vintage == first.vintage,
            )
        ).one()
    assert result.inserted == 6 and total == 12  # the revision is kept beside the first release
    assert latest[("DE", "2024-12")] == (96.0, "")
    assert latest[("EU27_2020", "2024-12")] == (None, ":")
    assert tuple(old) == (95.0, "p")
    assert vintages == [
        ("migr_asyappctzm", "2025-01-16T23:00:00", 6),
        ("migr_asyappctzm", "2025-02-14T23:00:00", 6),
    ]
