"""The schedule's jobs: procrastinate periodic tasks the workers run, and the schedule as people see it.

Each scheduled job in the settings (``[schedule]`` in the TOML file) is one periodic task of the queue;
every worker registers them, and procrastinate defers each firing once whichever workers run. A firing
whose date rule says "not today" (say, the briefing on a day that is not the Nth working day) does
nothing; one that works writes a line in ``schedule_log``, which gives the last run of each job.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial

from procrastinate import App, JobContext
from sqlalchemy import Engine

from warduty.asylum.stats import shift_month
from warduty.config import SCHEDULE_PREFIX, Settings
from warduty.crawl.crawler import CrawlOptions
from warduty.jobs.asylum import AsylumFetch, fetch_asylum
from warduty.jobs.outputs import write_briefings
from warduty.jobs.queue import CRAWL_QUEUE, _runtime, defer_courts, plan_queued_run
from warduty.privacy.pseudonym import pseudonymiser
from warduty.report.briefing import Lang
from warduty.workers.progress import LoggedRun, last_runs, log_end, log_start
from warduty.workers.schedule import JOBS, Entry, moscow_day, next_firings, parse_entry

log = logging.getLogger(__name__)

SCHEDULE_TASK = "warduty.scheduled"
FULL_SINCE = date(2021, 1, 1)  # the re-check reads every listing from here
LANGS: tuple[Lang, ...] = ("en", "ru")


@dataclass(frozen=True, slots=True)
class ScheduledJob:
    """A scheduled job as ``warduty schedule`` and the runs page show it."""

    job: str
    entry: Entry | None  # None: not scheduled
    next_at: datetime | None
    last: LoggedRun | None

    @property
    def what(self) -> str:
        return JOBS[self.job][0]


def schedule_entries(settings: Settings) -> list[Entry]:
    """The scheduled jobs of the settings (the settings checked their forms when loaded)."""
    entries = []
    for job in JOBS:
        text = str(getattr(settings, SCHEDULE_PREFIX + job))
        if text.strip():
            entries.append(parse_entry(job, text))
    return entries


def register_schedule(app: App, settings: Settings, *, periodic: bool = True) -> list[Entry]:
    """Register the schedule's task on ``app`` (a worker's) and, with ``periodic``, the settings'
    scheduled jobs as its periodic firings; returns those."""
    task = app.task(name=SCHEDULE_TASK, queue=CRAWL_QUEUE, pass_context=True)(scheduled)
    entries = schedule_entries(settings) if periodic else []
    for entry in entries:
        app.periodic(
            cron=entry.cron,
            periodic_id=entry.job,
            task_kwargs={"job": entry.job},
            queueing_lock=f"schedule:{entry.job}",  # a slow run is not joined by the next firing
        )(task)
    return entries


def schedule_view(
    settings: Settings, engine: Engine | None, now: datetime | None = None
) -> list[ScheduledJob]:
    """Every job the schedule knows: its setting, its next firing that works, its last logged run."""
    moment = now or datetime.now(UTC)
    logged = last_runs(engine) if engine is not None else {}
    entries = {entry.job: entry for entry in schedule_entries(settings)}
    views = []
    for job in JOBS:
        entry = entries.get(job)
        upcoming = next_firings(entry, moment) if entry is not None else []
        views.append(ScheduledJob(job, entry, upcoming[0] if upcoming else None, logged.get(job)))
    return views


async def scheduled(context: JobContext, timestamp: int, job: str) -> None:
    """One firing of a scheduled job (``timestamp``: when it was due, from procrastinate)."""
    runtime = _runtime(context)
    settings, engine = runtime.settings, runtime.engine
    entry = next((e for e in schedule_entries(settings) if e.job == job), None)
    due = datetime.fromtimestamp(timestamp, UTC)
    if entry is None or not entry.works_on(moscow_day(due)):
        return
    entry_id = log_start(engine, job)
    try:
        outcome = await _do(context, settings, engine, job, moscow_day(due))
    except Exception as exc:
        log.exception("scheduled %s failed", job)
        log_end(engine, entry_id, f"{type(exc).__name__}: {exc}", ok=False)
        return
    log_end(engine, entry_id, outcome, ok=True)


async def _do(context: JobContext, settings: Settings, engine: Engine, job: str, today: date) -> str:
    if job in ("crawl", "recheck"):
        since = FULL_SINCE if job == "recheck" else today - timedelta(days=CrawlOptions.recent_days)
        courts = [c.strip() for c in settings.schedule_courts.split(",") if c.strip()] or None
        options = CrawlOptions(courts=courts, since=max(since, FULL_SINCE), until=today)
        run = await asyncio.to_thread(plan_queued_run, settings, engine, options)
        await defer_courts(context.app, run)
        return f"run {run.run_id} queued: {len(run.courts)} courts"
    if job == "briefing":
        month = shift_month(f"{today:%Y-%m}", -1)
        pseudonyms = pseudonymiser(settings)
        folders = {lang: settings.data_dir / "briefings" / f"{month}-{lang}" for lang in LANGS}
        await asyncio.to_thread(
            partial(write_briefings, show_names=settings.show_names, pseudonyms=pseudonyms),
            settings.database_url,
            month,
            today,
            folders,
        )
        return f"briefing {month} written to {', '.join(map(str, folders.values()))}"
    fetch = AsylumFetch(shift_month(f"{today:%Y-%m}", -24), today)
    outcome = await asyncio.to_thread(fetch_asylum, settings, engine, fetch)
    return f"asylum run {outcome.run_id}: {outcome.observations} observations"
