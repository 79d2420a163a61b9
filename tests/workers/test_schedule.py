"""The schedule: its settings read and refused, its next firings, and a one-minute schedule that fires."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.crawl.test_crawler import AS_OF
from tests.workers.conftest import Processes, scalar, wait_for
from warduty.config import ConfigError, load_settings
from warduty.jobs.schedule import schedule_view
from warduty.replica.population import Population, generate_population
from warduty.replica.server import ReplicaServer
from warduty.workers.schedule import ScheduleError, is_nth_working_day, next_firings, parse_entry


def _settings(tmp_path: Path, toml: str) -> object:
    config = tmp_path / "w.toml"
    config.write_text(toml, encoding="utf-8")
    return load_settings(config, environ={})


def test_the_schedule_table_is_read_inside_or_beside_warduty(tmp_path: Path) -> None:
    alone = _settings(tmp_path, '[schedule]\ncrawl = "06:00"\nbriefing = "3 09:00"\ncourts = "77GV0017"\n')
    assert (alone.schedule_crawl, alone.schedule_briefing, alone.schedule_courts) == (  # type: ignore[attr-defined]
        "06:00", "3 09:00", "77GV0017",
    )  # fmt: skip
    beside = _settings(tmp_path, '[warduty]\nmin_interval = 4\n[schedule]\nrecheck = "sun 03:00"\n')
    assert beside.schedule_recheck == "sun 03:00"  # type: ignore[attr-defined]
    inside = _settings(tmp_path, '[warduty]\n[warduty.schedule]\nasylum = "15 04:00"\n')
    assert inside.schedule_asylum == "15 04:00"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[schedule]\ncrawl = "25:00"\n', "schedule crawl must be 'HH:MM'"),
        ('[schedule]\nrecheck = "someday 03:00"\n', "e.g. 'sun 03:00'"),
        ('[schedule]\nbriefing = "0 09:00"\n', "schedule briefing must be 'N HH:MM'"),
        ('[schedule]\ncrawl = "cron: * * *"\n', "schedule crawl must be"),
        ('[schedule]\ncrawl = "cron: a b c d e"\n', "is not a cron line"),
        ('[schedule]\ncrwal = "06:00"\n', "unknown key 'crwal' in [schedule] (did you mean 'crawl'?)"),
        ('schedule = "daily"\n', "[schedule] must be a table"),
        ("[schedule]\ncrawl = 6\n", "must be a string"),
    ],
)
def test_a_wrong_schedule_is_refused_with_its_form(tmp_path: Path, toml: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _settings(tmp_path, toml)
    assert message in str(caught.value)


def test_an_environment_schedule_is_checked_too() -> None:
    with pytest.raises(ConfigError, match="WARDUTY_SCHEDULE_ASYLUM"):
        load_settings(environ={"WARDUTY_CONFIG": "/nonexistent.toml", "WARDUTY_SCHEDULE_ASYLUM": "32 04:00"})


def test_next_firings_are_in_moscow_time_and_follow_the_date_rules() -> None:
    now = datetime(2026, 12, 5, 18, 0, tzinfo=UTC)  # a Saturday, 21:00 in Moscow
    crawl = next_firings(parse_entry("crawl", "06:00"), now)
    assert crawl == [datetime(2026, 12, 6, 3, 0, tzinfo=UTC)]  # 06:00 MSK is 03:00 UTC
    # 01:30 MSK on a Sunday is 22:30 UTC on the Saturday before: the rule reads the Moscow date.
    assert next_firings(parse_entry("recheck", "sun 01:30"), now) == [
        datetime(2026, 12, 5, 22, 30, tzinfo=UTC)
    ]
    # The 3rd working day of January 2026 by the production calendar: the holidays end on the 11th.
    briefing = next_firings(parse_entry("briefing", "3 09:00"), datetime(2026, 1, 1, tzinfo=UTC))
    assert briefing == [datetime(2026, 1, 14, 6, 0, tzinfo=UTC)]
    assert is_nth_working_day(date(2026, 1, 14), 3) and not is_nth_working_day(date(2026, 1, 13), 3)
    # Past the calendar's years, Monday to Friday: Friday 1, Monday 4, Tuesday 5 January 2027.
    assert is_nth_working_day(date(2027, 1, 5), 3)
    # The 31st in a 30-day month is its last day.
    asylum = next_firings(parse_entry("asylum", "31 04:00"), datetime(2026, 11, 1, tzinfo=UTC), count=2)
    assert [m.date() for m in asylum] == [date(2026, 11, 30), date(2026, 12, 31)]
    assert next_firings(parse_entry("crawl", "cron: */5 * * * *"), now) == [
        datetime(2026, 12, 5, 18, 5, tzinfo=UTC)
    ]
    with pytest.raises(ScheduleError, match="no scheduled job"):
        parse_entry("nap", "06:00")


@pytest.fixture(scope="module")
def population() -> Population:
    return generate_population(scale=0.25)


@pytest.mark.postgres
def test_a_one_minute_schedule_fires_in_a_worker(
    population: Population, processes: Processes, queue_db: Engine, tmp_path: Path
) -> None:
    config = tmp_path / "schedule.toml"
    config.write_text(
        # The re-check reads every listing since 2021 (the daily crawl only the recent ones, and the
        # replica's cases end in 2024).
        '[schedule]\nrecheck = "cron: * * * * *"\nbriefing = "cron: * * * * *"\ncourts = "63GV0001"\n',
        encoding="utf-8",
    )
    processes.env["WARDUTY_CONFIG"] = str(config)
    with ReplicaServer(population, as_of=AS_OF, seed=1) as server:
        # procrastinate fires the latest minute's firing at once when a worker starts: no minute to wait.
        processes.start(
            "worker", "--sudrf-origin", server.origin, "--min-interval", "0", "--global-interval", "0",
            "--heartbeat", "1", "--stalled-after", "3", log=tmp_path / "worker.log",
        )  # fmt: skip
        # When a minute begins during the test, the every-minute jobs fire again: wait for the first
        # firing of each (not for a number of rows), and check the first crawl.
        ended = "SELECT count(*) FROM runs WHERE kind = 'crawl' AND status IN ('done', 'incomplete')"
        wait_for(lambda: scalar(queue_db, ended) >= 1, 90, "the scheduled crawl to end", every=0.5)  # type: ignore[operator]
        logged = "SELECT count(DISTINCT job) FROM schedule_log WHERE ok IS NOT NULL"
        wait_for(lambda: scalar(queue_db, logged) == 2, 60, "both scheduled jobs to be logged")
    log = (tmp_path / "worker.log").read_text(errors="replace")
    first = "SELECT status FROM runs WHERE kind = 'crawl' ORDER BY id LIMIT 1"
    assert scalar(queue_db, first) == "done", log
    assert scalar(queue_db, "SELECT count(*) FROM cases WHERE court_code = '63GV0001'") > 0  # type: ignore[operator]
    assert scalar(queue_db, "SELECT count(DISTINCT court_code) FROM cases") == 1
    outcomes = scalar(
        queue_db, "SELECT string_agg(job || ':' || ok || ':' || outcome, ' | ') FROM schedule_log"
    )
    assert "recheck:1:run " in str(outcomes) and "briefing:1:briefing " in str(outcomes), outcomes
    # What `warduty schedule` and the runs page show: the last run of each, and the next.
    settings = load_settings(config, environ={})
    views = {view.job: view for view in schedule_view(settings, queue_db)}
    assert views["recheck"].last is not None and views["recheck"].last.ok
    assert views["recheck"].next_at is not None and views["crawl"].entry is None
    shown = processes.run("schedule", "--json")
    assert shown.returncode == 0, shown.stderr
    rows = {row["job"]: row for row in json.loads(shown.stdout)}
    assert rows["recheck"]["outcome"].startswith("ok: run ") and rows["recheck"]["next run"].endswith("MSK")
    assert rows["crawl"]["when"] == "not scheduled" and rows["crawl"]["last run"] == ""
