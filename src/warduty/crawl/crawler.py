"""The crawl of military courts: plan, fetch through the one network door, store, reconcile, report.

One coroutine per court works through that court's tasks (searches, then cards, then documents); the
client's pacing makes the courts share the platform-wide rate while each host gets its own interval.
Every task is finished in the transaction that stores its output, so a killed run resumes with
``resume=True`` and fetches again only the page that was in flight. A page the parsers do not understand
is never silent: it becomes an entry of the run's issues (``crawl/issues.py``) and its court's status
is «needs attention».
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from warduty.courts import Court, CourtRegistry
from warduty.crawl.archive import WarcArchive
from warduty.crawl.captcha import CaptchaCache, CaptchaSolver
from warduty.crawl.client import ClientOptions, FetchError, FetchResult, HttpClient
from warduty.crawl.frontier import Frontier, Task, TaskKind, TaskSpec, TaskState
from warduty.crawl.ingest import Processor, ProcessOutcome, SearchRef, record_fetch
from warduty.crawl.issues import (
    NEEDS_ATTENTION,
    PageIssue,
    format_problem,
    issues_by_court,
    listing_courts,
    state_problem,
    warning_problems,
)
from warduty.crawl.lock import CrawlLock
from warduty.crawl.pacing import Pacer
from warduty.crawl.plan import Window, year_windows
from warduty.crawl.reconcile import reconcile
from warduty.crawl.runs import abandon_stale
from warduty.crawl.writer import Writer
from warduty.law import WATCHED_ARTICLES
from warduty.store.schema import runs, searches, tasks
from warduty.sudrf.dispatch import ParsedPage, parse_as
from warduty.sudrf.encoding import charset_of, decode_page
from warduty.sudrf.errors import PageFormatError
from warduty.sudrf.pages import PageState, classify_page, parse_captcha
from warduty.sudrf.records import Captcha

log = logging.getLogger(__name__)

EXPECTED_STATE = {
    TaskKind.SEARCH: (PageState.RESULTS, PageState.EMPTY),
    TaskKind.CONTROL: (PageState.RESULTS, PageState.EMPTY),
    TaskKind.CARD: (PageState.CARD,),
    TaskKind.DOC: (PageState.DOCUMENT, PageState.EMPTY_DOCUMENT),
}

# The page a task asks for, which classify_page settles from text markers (the parser checks the rest).
LIKELY = {
    TaskKind.SEARCH: PageState.RESULTS,
    TaskKind.CONTROL: PageState.RESULTS,
    TaskKind.DOC: PageState.DOCUMENT,
}

# A run is resumed only from these states; "done" finished, "abandoned" was closed by hand (``warduty runs``).
RESUMABLE = ("running", "incomplete")
# Answers to one captcha before its court stops asking in this run: the site is not to be hammered.
MAX_ANSWERS_PER_CAPTCHA = 2


@dataclass(frozen=True)
class CrawlOptions:
    courts: Sequence[str] | None = None  # court codes; None means every court with a case search
    articles: Sequence[str] = WATCHED_ARTICLES
    since: date = date(2021, 1, 1)
    until: date = field(default_factory=lambda: datetime.now(UTC).date())
    resume: bool = False
    recent_days: int = 400  # windows reaching into this many days before `until` are always re-read
    max_window_rows: int = 1000
    page_retries: int = 2  # fetch again when a page is truncated or mangled
    empty_retries: int = 0  # fetch an empty result again before believing it (a control search checks too)
    retry_pause: float = 1.0


class PageOutcome(StrEnum):
    """What became of a fetched page."""

    DONE = "done"  # stored, its task finished
    CAPTCHA = "captcha"  # a captcha stood in the way: solve it and fetch again, or defer the task
    RETRY = "retry"  # not usable: fetch again (or fail the task after the last attempt)


@dataclass(frozen=True)
class Consumed:
    """A fetched page used: its outcome, the detail (a captcha's HTML, a retry's reason) and, when the
    page was not understood, what was not (None for a known site answer)."""

    outcome: PageOutcome
    detail: str = ""
    problem: str | None = None


@dataclass(frozen=True)
class ReadPage:
    """A fetched page read before anything of it is written: its state and text and, when its task expects
    a page in that state, its parsed records or the parsers' refusal."""

    state: PageState
    html: str
    page: ParsedPage | None = None
    refused: PageFormatError | None = None


def read_page(task: Task, result: FetchResult) -> ReadPage:
    """Decode, classify and parse a task's page (pure: nothing is written)."""
    html = decode_page(result.content, charset_of(result.headers.get("content-type")))
    # Nearly every card task gets a card: skip the classifier's own parse when the markup says so.
    looks_like_card = task.kind == TaskKind.CARD and (
        'class="casenumber"' in html or 'class="case-num"' in html
    )
    state = PageState.CARD if looks_like_card else classify_page(html, LIKELY.get(task.kind))
    if state not in EXPECTED_STATE[task.kind]:
        return ReadPage(state, html)
    try:
        return ReadPage(state, html, parse_as(state, html, task.url))
    except PageFormatError as exc:
        return ReadPage(state, html, refused=exc)


@dataclass
class ProgressEvent:
    court: str
    kind: str
    done: int
    pending: int


@dataclass
class CourtReport:
    searches: int = 0
    pages: int = 0
    cards: int = 0
    docs: int = 0
    failed: int = 0
    deferred: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    issues: int = 0  # pages not understood (see issues.json)

    @property
    def status(self) -> str:
        """«needs attention» when a page was not understood, else «incomplete» or «done»."""
        if self.issues:
            return NEEDS_ATTENTION
        return "incomplete" if self.failed or self.deferred else "done"

    def to_dict(self) -> dict[str, Any]:
        """The court's line in a run's statistics (and a queued court's stored report)."""
        return {
            "searches": self.searches,
            "pages": self.pages,
            "cards": self.cards,
            "docs": self.docs,
            "failed": self.failed,
            "deferred": self.deferred,
            "failure_reasons": dict(self.reasons),
            "issues": self.issues,
            "status": self.status,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CourtReport:
        """Read :meth:`to_dict` back; what is missing or not a count reads as 0 (a stored JSON value)."""

        def number(key: str) -> int:
            value = data.get(key, 0)
            return value if isinstance(value, int) else 0

        stored = data.get("failure_reasons")
        reasons = Counter({str(k): int(v) for k, v in stored.items()} if isinstance(stored, dict) else {})
        return cls(
            searches=number("searches"),
            pages=number("pages"),
            cards=number("cards"),
            docs=number("docs"),
            failed=number("failed"),
            deferred=number("deferred"),
            reasons=Counter(
                {str(k): int(v) for k, v in reasons.items()} if isinstance(reasons, dict) else {}
            ),
            issues=number("issues"),
        )


@dataclass
class RunReport:
    run_id: int
    status: str
    courts: dict[str, CourtReport]
    counter_mismatches: list[dict[str, Any]]
    unconfirmed_empty: list[str]
    deferred_courts: list[str]
    missing_marked: int
    waits: dict[str, float]
    folder: Path
    issues: list[PageIssue] = field(default_factory=list)
    missing_held: list[str] = field(default_factory=list)  # courts whose listings could not prove a case gone

    @property
    def fetched(self) -> int:
        return sum(r.searches + r.pages + r.cards + r.docs for r in self.courts.values())

    @property
    def attention(self) -> dict[str, int]:
        """Courts that need attention, with how many of their pages were not understood."""
        return dict(sorted(issues_by_court(self.issues).items()))

    @property
    def issues_path(self) -> Path:
        return self.folder / "issues.json"


@dataclass(frozen=True)
class RunContext:
    """What every task of one crawl session shares (instead of passing each along)."""

    run_id: int
    options: CrawlOptions
    client: HttpClient
    frontier: Frontier
    processor: Processor
    writer: Writer  # every database statement of the crawl's tasks runs on its thread


def run_writer(engine: Engine, frontier: Frontier, processor: Processor) -> Writer:
    """The writer of a run's pages: what they hold back for the commit (their tasks' new states, their
    cards' child rows) is written just before each commit, and dropped when a transaction rolls back."""

    def before_commit(connection: Connection) -> None:
        frontier.flush(connection)
        processor.later.flush(connection)

    def after_rollback() -> None:
        frontier.discard()
        processor.later.discard()

    return Writer(engine, before_commit=before_commit, after_rollback=after_rollback)


def courts_to_crawl(registry: CourtRegistry, options: CrawlOptions) -> list[Court]:
    """The courts a crawl with ``options`` visits: the chosen ones, else every first-instance court."""
    if options.courts:
        return [registry.by_code(code) for code in options.courts]
    return [c for c in registry.select(crawlable=True) if c.first_instance]


class Crawler:
    def __init__(
        self,
        engine: Engine,
        registry: CourtRegistry,
        client_options: ClientOptions,
        data_dir: Path,
        *,
        solver: CaptchaSolver | None = None,
        on_progress: Callable[[ProgressEvent], None] | None = None,
        pacer: Pacer | None = None,
    ) -> None:
        self.engine = engine
        self.pacer = pacer  # shared by the crawls of one process (a queue worker's jobs), else each its own
        self.registry = registry
        self.client_options = client_options
        self.data_dir = data_dir
        self.solver = solver
        self.on_progress = on_progress
        self.captchas = CaptchaCache()
        self._solving: dict[str, asyncio.Lock] = {}
        self._challenges: dict[str, Captcha] = {}  # per region: the captcha last asked about
        self._answers_given: dict[str, list[str]] = {}  # per captcha id: what the solver said
        self._captcha_spent: set[str] = set()  # courts whose captcha took its answers in vain
        self._issues: list[PageIssue] = []  # pages of the current run that were not understood

    # -- run lifecycle ---------------------------------------------------------------------------------

    def _start_run(self, options: CrawlOptions, courts: list[Court]) -> tuple[int, bool]:
        """(run id, resumed?)."""
        with self.engine.begin() as connection:
            if options.resume:
                # Only the latest crawl, and only if it did not finish: an older unfinished run resumed after
                # a newer one finished would mark missing every case the newer run saw and it did not.
                latest = connection.execute(
                    select(runs.c.id, runs.c.status)
                    .where(runs.c.kind == "crawl")
                    .order_by(runs.c.id.desc())
                    .limit(1)
                ).first()
                resumable = latest is not None and latest.status in RESUMABLE
                previous = latest.id if latest is not None and resumable else None
                if latest is not None and previous is None:
                    log.info("the latest crawl, run %s, is %s: nothing to resume; a new run", *latest)
                if previous is not None:
                    plan = connection.execute(select(runs.c.plan).where(runs.c.id == previous)).scalar()
                    plan = {**(plan if isinstance(plan, dict) else {}), "process": _process()}
                    connection.execute(
                        update(runs).where(runs.c.id == previous).values(status="running", plan=plan)
                    )
                    # What failed or waited for a captcha is tried again; windows are reconciled again.
                    connection.execute(
                        update(tasks)
                        .where(
                            tasks.c.run_id == previous,
                            tasks.c.state.in_([TaskState.FAILED, TaskState.DEFERRED]),
                        )
                        .values(state=TaskState.PENDING)
                    )
                    connection.execute(
                        update(searches)
                        .where(searches.c.run_id == previous, searches.c.state.in_(["mismatch", "unread"]))
                        .values(state="open")
                    )
                    _abandon_older(connection, int(previous))
                    return int(previous), True
            plan = {
                "courts": [c.code for c in courts],
                "articles": list(options.articles),
                "since": options.since.isoformat(),
                "until": options.until.isoformat(),
                "process": _process(),
            }
            run_id = connection.execute(
                runs.insert()
                .values(kind="crawl", started_at=datetime.now(UTC), status="running", plan=plan)
                .returning(runs.c.id)
            ).scalar_one()
            _abandon_older(connection, int(run_id))
        return int(run_id), False

    def _plan(
        self, frontier: Frontier, processor: Processor, courts: list[Court], options: CrawlOptions
    ) -> None:
        windows = year_windows(options.since, options.until)
        with self.engine.begin() as connection:
            specs = []
            for court in courts:
                for article in options.articles:
                    for window in windows:
                        ref = SearchRef(article, window, 1)
                        processor._window_row(connection, court, ref, None, None, "open")
                        specs.append(processor.search_task(court, ref))
            frontier.add(connection, specs)

    def _processor(self, run_id: int, options: CrawlOptions) -> Processor:
        return Processor(
            run_id,
            max_window_rows=options.max_window_rows,
            recent_from=options.until - timedelta(days=options.recent_days),
            period=Window(options.since, options.until),
        )

    async def run(self, options: CrawlOptions, lock: CrawlLock | None = None) -> RunReport:
        """Crawl: plan (or resume), work through every court's tasks, reconcile and write the manifest.

        Holds the database's crawl lock throughout: ``lock`` when the caller took it already (and
        releases it), else its own. Raises :class:`CrawlLocked`, before any run row is written, when
        another crawl holds the database.
        """
        courts = courts_to_crawl(self.registry, options)
        if lock is None:
            lock = CrawlLock(self.engine)
            lock.acquire()
        try:
            run_id, resumed = self._start_run(options, courts)
            lock.set_run(run_id)
            return await self._run(run_id, resumed, options, courts)
        finally:
            lock.release()

    def plan_run(self, options: CrawlOptions) -> int:
        """Start a run and plan its frontier without fetching (for the queue's workers, which do its courts
        with :meth:`work`, and :meth:`finish` it). Call it under the crawl lock; returns the run id."""
        courts = courts_to_crawl(self.registry, options)
        run_id, resumed = self._start_run(options, courts)
        self._prepare(run_id, resumed, options, courts)
        return run_id

    def finish(
        self,
        run_id: int,
        reports: dict[str, CourtReport],
        waits: dict[str, float],
        issues: Sequence[PageIssue] = (),
    ) -> RunReport:
        """End a run whose courts were worked separately: reconcile, statistics, the run's status.
        ``issues`` are the pages the workers failed to understand (stored ones are in the run row)."""
        self._issues = list(issues)
        return self._finish(run_id, Frontier(self.engine, run_id), reports, waits)

    @property
    def page_issues(self) -> list[PageIssue]:
        """The pages not understood in this crawler's latest run or :meth:`work`."""
        return list(self._issues)

    def _prepare(self, run_id: int, resumed: bool, options: CrawlOptions, courts: list[Court]) -> None:
        """Plan a new run's frontier and write the run's manifest into its archive folder."""
        frontier = Frontier(self.engine, run_id)
        processor = self._processor(run_id, options)
        if not resumed:
            self._plan(frontier, processor, courts, options)
        folder = self.data_dir / "archive" / f"run-{run_id}"
        folder.mkdir(parents=True, exist_ok=True)
        manifest = {
            "run": run_id,
            "max_window_rows": processor.max_window_rows,
            "recent_from": processor.recent_from.isoformat() if processor.recent_from else None,
        }
        (folder / "run.json").write_text(json.dumps(manifest), "utf-8")

    async def _run(self, run_id: int, resumed: bool, options: CrawlOptions, courts: list[Court]) -> RunReport:
        self._prepare(run_id, resumed, options, courts)
        self._issues = []
        reports, waits = await self.work(run_id, [c.code for c in courts], options)
        return self._finish(run_id, Frontier(self.engine, run_id), reports, waits)

    async def work(
        self, run_id: int, codes: Sequence[str], options: CrawlOptions
    ) -> tuple[dict[str, CourtReport], dict[str, float]]:
        """Do the pending tasks of these courts in run ``run_id``."""
        courts = [self.registry.by_code(code) for code in codes]
        frontier = Frontier(self.engine, run_id)
        processor = self._processor(run_id, options)
        archive = WarcArchive(self.data_dir / "archive", run_id, relative_to=self.data_dir)
        reports = {court.code: CourtReport() for court in courts}
        writer = run_writer(self.engine, frontier, processor)
        try:
            async with HttpClient(self.client_options, archive=archive) as client:
                if self.pacer is not None:
                    client.pacer = self.pacer
                context = RunContext(run_id, options, client, frontier, processor, writer)
                await asyncio.gather(*(self._court(context, court, reports[court.code]) for court in courts))
                waits = {host: stats.waited for host, stats in client.pacer.stats.items()}
        finally:
            writer.close()
            archive.close()
        log.info("run %s: %s pages written in %s transactions", run_id, writer.writes, writer.commits)
        return reports, waits

    # -- per court -------------------------------------------------------------------------------------

    async def _court(self, context: RunContext, court: Court, report: CourtReport) -> None:
        done = 0
        while True:
            batch = await context.writer.read(partial(context.frontier.pending, court_code=court.code))
            if not batch:
                return
            for task in batch:
                await self._task(context, court, task, report)
                done += 1
                if self.on_progress is not None:
                    self.on_progress(ProgressEvent(court.code, task.kind, done, len(batch)))

    async def _task(self, context: RunContext, court: Court, task: Task, report: CourtReport) -> None:
        reason = ""
        issue: PageIssue | None = None  # the last attempt's page, when it was not understood
        previous: bytes | None = None
        for attempt in range(context.options.page_retries + 1):
            url = self._with_captcha(court, task)
            issue = None
            try:
                result = await context.client.get(url, court_code=court.code)
            except FetchError as exc:
                reason = exc.reason
                break
            if result.too_large:  # not read whole, so not parsed: the court needs a look
                reason = f"page larger than {context.client.options.max_bytes} bytes"
                issue = PageIssue(court.code, task.kind, task.url, result.archive, (reason,), "failed")
                break
            if not result.ok:
                reason = "throttled" if result.throttled else f"HTTP {result.status}"
                break
            # Read (pure) before the writer's transaction, which then only stores.
            read = read_page(task, result)
            consumed = await context.writer.write(
                partial(self._consume, context, court, task, result, report, attempt, read)
            )
            if consumed.outcome is PageOutcome.DONE:
                return
            if consumed.outcome is PageOutcome.CAPTCHA:
                if await self._solve(court, consumed.detail, url):
                    continue
                await context.writer.write(partial(self._defer, context, court, task, result))
                report.deferred += 1
                return
            reason = consumed.detail
            if consumed.problem is not None:
                issue = PageIssue(
                    court.code, task.kind, task.url, result.archive, (consumed.problem,), "failed"
                )
                if result.content == previous:
                    break  # the same page again: the site serves it so, fetching once more will not help
                previous = result.content
            await asyncio.sleep(context.options.retry_pause * (attempt + 1))
        await context.writer.write(
            lambda _connection: context.frontier.finish(task, TaskState.FAILED, error=reason)
        )
        report.failed += 1
        report.reasons[reason.split(":")[0]] += 1
        if issue is not None:
            self._issues.append(issue)
            log.warning("%s %s not understood: %s", court.code, task.url, "; ".join(issue.problems))
        log.info("%s %s failed: %s", court.code, task.url, reason)

    def _consume(
        self,
        context: RunContext,
        court: Court,
        task: Task,
        result: FetchResult,
        report: CourtReport,
        attempt: int,
        read: ReadPage,
        connection: Connection,
    ) -> Consumed:
        """Use a fetched page, read already: store it (DONE), or say a captcha stands in the way or why to
        fetch again. Runs in the writer's open transaction."""
        state = read.state
        if state is PageState.CAPTCHA and task.kind in (TaskKind.SEARCH, TaskKind.CONTROL):
            return Consumed(PageOutcome.CAPTCHA, read.html)
        if state is PageState.EMPTY and attempt < context.options.empty_retries:
            record_fetch(connection, context.run_id, court.code, result, state.value)
            return Consumed(PageOutcome.RETRY, f"page state {state.value}")
        if read.page is None:
            record_fetch(connection, context.run_id, court.code, result, state.value)
            if read.refused is not None:  # a page the parsers refuse leaves no rows behind
                return Consumed(
                    PageOutcome.RETRY, f"page format: {read.refused}", format_problem(read.refused)
                )
            return Consumed(PageOutcome.RETRY, f"page state {state.value}", state_problem(state, task.kind))
        warnings = self._store(connection, context, court, task, result, read.page, report)
        if warnings:
            problems = warning_problems(task.kind, warnings)
            issue = PageIssue(court.code, task.kind, task.url, result.archive, problems, "stored")
            self._issues.append(issue)
        return Consumed(PageOutcome.DONE)

    def _defer(
        self, context: RunContext, court: Court, task: Task, result: FetchResult, connection: Connection
    ) -> None:
        fetch_id = record_fetch(connection, context.run_id, court.code, result, PageState.CAPTCHA.value)
        context.frontier.finish(task, TaskState.DEFERRED, error="captcha not solved", fetch_id=fetch_id)

    def _with_captcha(self, court: Court, task: Task) -> str:
        if not court.captcha or task.kind not in (TaskKind.SEARCH, TaskKind.CONTROL):
            return task.url
        answer = self.captchas.get(court.seat_region_ru)
        return task.url if answer is None else f"{task.url}&captcha={answer[0]}&captchaid={answer[1]}"

    async def _solve(self, court: Court, html: str, used_url: str) -> bool:
        """Get a valid answer for the court's region; courts of one region wait for one solver call."""
        region = court.seat_region_ru
        lock = self._solving.setdefault(region, asyncio.Lock())
        async with lock:
            fresh = self.captchas.get(region)
            if fresh is not None and f"captcha={fresh[0]}&captchaid={fresh[1]}" not in used_url:
                return True  # another court of the region solved one meanwhile
            self.captchas.forget(region)
            if court.code in self._captcha_spent:
                return False  # it waits for an answer of its region, or for a person (a resumed run)
            return await asyncio.to_thread(self._ask_solver, court, html)

    def _ask_solver(self, court: Court, html: str) -> bool:
        """Ask the solver about the page's captcha or, on the wrong-answer page (no new picture), again
        about the one just answered. At most ``MAX_ANSWERS_PER_CAPTCHA`` answers to one captcha; when they
        are spent, or the solver gives up or repeats itself, the court asks no more in this run."""
        if self.solver is None:
            return False
        region = court.seat_region_ru
        challenge = parse_captcha(html)
        if challenge.image is None or challenge.captcha_id is None:
            challenge = self._challenges.get(region, challenge)
        if challenge.image is None or challenge.captcha_id is None:
            return False
        self._challenges[region] = challenge
        given = self._answers_given.setdefault(challenge.captcha_id, [])
        if len(given) >= MAX_ANSWERS_PER_CAPTCHA:
            self._captcha_spent.add(court.code)
            return False
        answer = self.solver.solve(challenge.image, court, tuple(given))
        if not answer or answer in given:  # given up, or the same answer, which would be wrong again
            self._captcha_spent.add(court.code)
            return False
        given.append(answer)
        self.captchas.put(region, answer, challenge.captcha_id)
        return True

    def _store(
        self,
        connection: Connection,
        context: RunContext,
        court: Court,
        task: Task,
        result: FetchResult,
        page: ParsedPage,
        report: CourtReport,
    ) -> tuple[str, ...]:
        """Store the page's rows and finish its task; returns what the parser left out of the page."""
        processor = context.processor
        fetch_id = record_fetch(connection, context.run_id, court.code, result, page.state.value)
        outcome: ProcessOutcome
        if task.kind == TaskKind.CONTROL:
            ref = SearchRef.from_payload(task.payload)
            processor.control(connection, court, ref, page.listing)
            outcome = ProcessOutcome(warnings=page.listing.warnings if page.listing else ())
            report.searches += 1
        elif task.kind == TaskKind.SEARCH:
            ref = SearchRef.from_payload(task.payload)
            if page.listing is None:  # the search found nothing
                processor.empty_search(connection, court, ref)
                outcome = ProcessOutcome(children=[_control_task(processor, court, task)])
            else:
                outcome = processor.search_page(connection, court, ref, page.listing, fetch_id)
            if ref.page == 1:
                report.searches += 1
            else:
                report.pages += 1
        elif task.kind == TaskKind.CARD and page.card is not None:
            outcome = processor.card(connection, court, page.card, task.url, fetch_id, task.payload)
            report.cards += 1
        else:
            outcome = (
                processor.document(
                    connection, page.document, page.verdict.to_dict(), task.url, fetch_id, task.payload
                )
                if page.document is not None and page.verdict is not None
                else ProcessOutcome(note="empty document")
            )
            report.docs += 1
        context.frontier.add(connection, outcome.children)
        context.frontier.finish(task, TaskState.DONE, error=outcome.note, fetch_id=fetch_id)
        return outcome.warnings

    # -- end of run ------------------------------------------------------------------------------------

    def _finish(
        self, run_id: int, frontier: Frontier, reports: dict[str, CourtReport], waits: dict[str, float]
    ) -> RunReport:
        with self.engine.begin() as connection:
            issues = _earlier_issues(connection, run_id) + self._issues
            counts = issues_by_court(issues)
            for code, report in reports.items():
                report.issues = counts.get(code, 0)
            outcome = reconcile(connection, run_id, distrusted=listing_courts(issues))
            unfinished = frontier.unfinished()
            status = "done" if not unfinished else "incomplete"
            deferred = sorted({court for court, *_ in frontier.unfinished((TaskState.DEFERRED,))})
            attention = sorted(counts)
            statistics = {
                "run": run_id,
                "status": status,
                "tasks": dict(frontier.counts()),
                "courts": {code: r.to_dict() for code, r in reports.items()},
                "counter_mismatches": outcome.mismatches,
                "unconfirmed_empty_courts": outcome.unconfirmed_empty,
                "deferred_courts": deferred,
                "missing_marked": outcome.missing_marked,
                "missing_held_back_courts": outcome.held_back,
                "issues": len(issues),
                "attention_courts": attention,
                "unfinished": [{"court": c, "kind": k, "url": u, "reason": e} for c, k, u, e in unfinished],
                "politeness_waits_seconds": {host: round(s, 3) for host, s in waits.items()},
            }
            entries = [issue.to_dict() for issue in issues]
            connection.execute(
                update(runs)
                .where(runs.c.id == run_id)
                .values(finished_at=datetime.now(UTC), status=status, statistics=statistics, issues=entries)
            )
        folder = self.data_dir / "runs" / f"run-{run_id}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "statistics.json").write_text(json.dumps(statistics, ensure_ascii=False, indent=2), "utf-8")
        (folder / "issues.json").write_text(json.dumps(entries, ensure_ascii=False, indent=2), "utf-8")
        return RunReport(
            run_id,
            status,
            reports,
            outcome.mismatches,
            outcome.unconfirmed_empty,
            deferred,
            outcome.missing_marked,
            waits,
            folder,
            issues=issues,
            missing_held=outcome.held_back,
        )


def _abandon_older(connection: Connection, run_id: int) -> None:
    closed = abandon_stale(connection, run_id)
    if closed:
        log.warning("run(s) %s left running by a crashed crawl: closed as abandoned", closed)


def _process() -> dict[str, Any]:
    """The process that works on a run (its latest session), for ``warduty runs``."""
    return {"pid": os.getpid(), "host": socket.gethostname()}


def _earlier_issues(connection: Connection, run_id: int) -> list[PageIssue]:
    """Issues an earlier session of a resumed run recorded about pages it stored (failed pages were
    fetched again by this session, which recorded them anew if they still were not understood)."""
    stored = connection.execute(select(runs.c.issues).where(runs.c.id == run_id)).scalar_one_or_none()
    if not isinstance(stored, list):
        return []
    return [
        PageIssue.from_dict(entry)
        for entry in stored
        if isinstance(entry, dict) and entry.get("outcome") == "stored" and "problems" in entry
    ]


def _control_task(processor: Processor, court: Court, task: Task) -> TaskSpec:
    """A search with no article over the whole crawl period (one per court and run): if the court lists
    anything at all, its search works and an empty result is real."""
    window = processor.period or SearchRef.from_payload(task.payload).window
    spec = processor.search_task(court, SearchRef("", window, 1))
    return TaskSpec(TaskKind.CONTROL, court.code, spec.url, {**spec.payload, "article": "*"})
