"""``warduty crawl`` and ``warduty reparse``: fetch court sites politely, or rebuild from the archive."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from warduty.cli.app import app, console, err_console, fail, print_alert_summary, print_table, settings_from
from warduty.cli.captcha_picture import CaptchaPictureError, captcha_picture
from warduty.config import ConfigError, Settings, check_number, check_url
from warduty.courts import Court, UnknownCourtError, load_registry
from warduty.crawl.captcha import CaptchaSolver, CommandSolver, PromptSolver
from warduty.crawl.crawler import CrawlOptions, ProgressEvent, RunReport
from warduty.crawl.issues import NEEDS_ATTENTION
from warduty.crawl.lock import CrawlLocked
from warduty.crawl.runs import RunCloseError, close_run, list_runs
from warduty.jobs import AlertReport, default_solver, reparse_archive, run_crawl
from warduty.law import WATCHED_ARTICLES
from warduty.law.catalogue import catalogue_articles
from warduty.store import make_engine, require_writable

PROGRESS_EVERY = 30.0  # seconds between plain progress lines when stderr is not a terminal


def _ask(path: Path, court: Court) -> str:
    err_console.print(f"[bold]Captcha[/] for {court.name_en} ({court.code}): {path}")
    if err_console.is_terminal:
        try:
            err_console.print(captcha_picture(path.read_bytes(), columns=err_console.width - 1))
        except (CaptchaPictureError, OSError) as exc:
            err_console.print(f"(cannot draw it here: {exc}; open the file)")
    return str(typer.prompt("Digits"))


def _pausing(progress: Progress, ask: Callable[[Path, Court], str]) -> Callable[[Path, Court], str]:
    """``ask`` with the progress display stopped while a person reads the captcha."""

    def paused(path: Path, court: Court) -> str:
        progress.stop()
        try:
            return ask(path, court)
        finally:
            progress.start()

    return paused


def _parse_date(text: str | None, name: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{name} must be a date like 2024-04-12, not {text!r}")
        raise


class PlainProgress:
    """Progress as a plain line on stderr every ``every`` seconds, for a crawl whose stderr is a log
    file or a pipe, where progress bars print nothing. A thread ticks, so a crawl that is waiting
    (a host resting after 429) still says so."""

    def __init__(self, courts_total: int, every: float) -> None:
        self.courts_total = courts_total
        self.every = every
        self.pages = 0
        self.courts: set[str] = set()
        self._started = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._tick, name="warduty-progress", daemon=True)

    def __enter__(self) -> PlainProgress:
        if self.every > 0:
            self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def on_progress(self, event: ProgressEvent) -> None:
        self.pages += 1  # a GIL-atomic enough count for a progress line
        self.courts.add(event.court)

    def line(self) -> str:
        elapsed = time.monotonic() - self._started
        rate = self.pages / elapsed if elapsed > 0 else 0.0
        return (
            f"crawl: {self.pages} pages fetched, {len(self.courts)}/{self.courts_total} courts started, "
            f"{rate:.2f} pages/s, {elapsed:.0f}s elapsed"
        )

    def _tick(self) -> None:
        while not self._stop.wait(self.every):
            err_console.print(self.line(), highlight=False, soft_wrap=True, markup=False)


def crawl_with_display(
    settings: Settings,
    options: CrawlOptions,
    *,
    solver: CaptchaSolver | None,
    quiet: bool = False,
    progress_every: float = PROGRESS_EVERY,
    on_alerts: Callable[[AlertReport], None] | None = None,
) -> RunReport:
    """:func:`warduty.jobs.run_crawl` with a progress display (used by the demo too): bars on a
    terminal, else a plain line every ``progress_every`` seconds. The display starts once the crawl
    holds the lock; :class:`CrawlLocked` comes at once when another crawl holds the database."""
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        disable=quiet,
        transient=False,
    )
    pages = progress.add_task("pages fetched", total=None)
    courts_bar = progress.add_task("courts started", total=None)
    finished_courts: set[str] = set()
    plain_every = 0.0 if quiet or err_console.is_terminal else progress_every
    plain: PlainProgress | None = None

    if isinstance(solver, PromptSolver):  # the bars would redraw over the picture and the prompt
        solver = PromptSolver(solver.folder, _pausing(progress, solver.ask))

    with ExitStack() as displays:

        def on_start(courts_total: int) -> None:
            nonlocal plain
            progress.update(courts_bar, total=courts_total)
            plain = PlainProgress(courts_total, plain_every)
            displays.enter_context(progress)
            displays.enter_context(plain)

        def on_progress(event: ProgressEvent) -> None:
            if plain is not None:
                plain.on_progress(event)
            progress.advance(pages)
            if event.court not in finished_courts:
                finished_courts.add(event.court)
                progress.advance(courts_bar)

        return run_crawl(
            settings, options, solver=solver, on_start=on_start, on_progress=on_progress, on_alerts=on_alerts
        )


def print_report(report: RunReport) -> None:
    console.print(
        f"run {report.run_id}: [bold]{report.status}[/], {report.fetched} pages used; "
        f"{len(report.counter_mismatches)} counter mismatches; {report.missing_marked} cases newly missing; "
        f"{len(report.issues)} pages not understood; manifest in {report.folder}"
    )
    if report.attention:
        named = ", ".join(f"{code} ({count} pages)" for code, count in report.attention.items())
        console.print(
            f"[bold red]Needs attention[/]: {named}: the parsers did not understand these pages, so what "
            f"they hold is not counted; details in {report.issues_path}"
        )
    if report.missing_held:
        console.print(
            f"No case marked missing at {', '.join(report.missing_held)}: their listings were not read."
        )
    troubled = [
        {
            "court": code,
            "status": r.status,
            "failed": r.failed,
            "deferred": r.deferred,
            "reasons": dict(r.reasons),
        }
        for code, r in sorted(report.courts.items())
        if r.failed or r.deferred
    ]
    if troubled:
        print_table(
            troubled,
            ("court", "status", "failed", "deferred", "reasons"),
            title="Courts with unfinished pages",
        )
        if any(row["status"] != NEEDS_ATTENTION for row in troubled):
            console.print("Run again with --resume to complete them.")
        if report.attention:
            console.print("A resumed run cannot read the pages of courts that need attention either.")
    if report.deferred_courts:
        console.print(f"Deferred for captcha: {', '.join(report.deferred_courts)}")


@app.command("crawl")
def crawl_command(
    ctx: typer.Context,
    courts: list[str] = typer.Option(["all"], "--courts", help="Court codes to crawl, or 'all'."),
    articles: str = typer.Option(",".join(WATCHED_ARTICLES), help="Comma-separated Criminal Code articles."),
    since: str = typer.Option("2021-01-01", help="First receipt date to search (YYYY-MM-DD)."),
    until: str | None = typer.Option(None, help="Last receipt date to search (default: today)."),
    resume: bool = typer.Option(False, "--resume", help="Continue the last unfinished run."),
    proxy: str | None = typer.Option(None, help="HTTP(S) or SOCKS proxy URL."),
    min_interval: float | None = typer.Option(None, help="Seconds between requests to one court host."),
    global_interval: float | None = typer.Option(None, help="Seconds between any two requests."),
    cooldown: float | None = typer.Option(None, help="Seconds a host rests after 429 or the throttle page."),
    captcha_solver: str | None = typer.Option(
        None, help="Command that gets a captcha PNG path and prints the digits."
    ),
    interactive: bool = typer.Option(
        False, "--interactive", help="Ask for captcha digits at the terminal instead of reading them by OCR."
    ),
    no_ocr: bool = typer.Option(
        False,
        "--no-ocr",
        help="Do not read captchas by OCR (the default with the ocr extra): captcha courts wait.",
    ),
    sudrf_origin: str | None = typer.Option(
        None, help="Connect here instead of the court hosts (e.g. the replica); stored URLs stay real."
    ),
    progress_every: float = typer.Option(
        PROGRESS_EVERY, help="Seconds between progress lines when stderr is not a terminal (0: none)."
    ),
    queue: bool = typer.Option(
        False,
        "--queue",
        help="PostgreSQL only: plan the run and queue one job per court for `warduty worker` processes, "
        "instead of crawling here.",
    ),
) -> None:
    """Crawl the military courts' case lists, cards and verdict texts into the database."""
    settings = settings_from(ctx)
    codes = None if courts == ["all"] else [c for part in courts for c in part.split(",") if c]
    registry = load_registry()
    try:
        for code in codes or []:
            registry.by_code(code)
    except UnknownCourtError as exc:
        fail(str(exc))
    # Everything is checked before the database is touched, so a refused crawl leaves no run behind.
    start = _parse_date(since, "--since") or date(2021, 1, 1)
    end = _parse_date(until, "--until") or datetime.now(UTC).date()
    if start > end:
        fail(f"--since {start} is after --until {end}")
    chosen = _articles(articles)
    for name, value in (
        ("--min-interval", min_interval),
        ("--global-interval", global_interval),
        ("--cooldown", cooldown),
        ("--progress-every", progress_every),
    ):
        if value is not None:
            check_number(name, value)
    if sudrf_origin is not None:
        check_url("--sudrf-origin", sudrf_origin)
    if proxy is not None:
        check_url("--proxy", proxy, ("http", "https", "socks5", "socks5h"))
    solver = choose_solver(settings, captcha_solver, interactive=interactive, ocr=not no_ocr)
    options = CrawlOptions(
        courts=codes,
        articles=chosen,
        since=start,
        until=end,
        resume=resume,
    )
    # The command's options win over the settings; the jobs layer maps the settings to the client.
    settings = replace(
        settings,
        proxy=settings.proxy if proxy is None else proxy,
        min_interval=settings.min_interval if min_interval is None else min_interval,
        global_interval=settings.global_interval if global_interval is None else global_interval,
        cooldown=settings.cooldown if cooldown is None else cooldown,
        sudrf_origin=settings.sudrf_origin if sudrf_origin is None else sudrf_origin,
    )
    if queue:
        _enqueue(settings, options)
        return
    alerts: list[AlertReport] = []
    try:
        report = crawl_with_display(
            settings, options, solver=solver, progress_every=progress_every, on_alerts=alerts.append
        )
    except CrawlLocked as exc:
        fail(str(exc))
        return
    print_report(report)
    for raised in alerts:
        print_alert_summary(raised)


def _enqueue(settings: Settings, options: CrawlOptions) -> None:
    """``crawl --queue``: the run planned, its court jobs queued for the workers."""
    from warduty.jobs.queue import enqueue_crawl  # procrastinate and psycopg: only for the queue

    try:
        run = enqueue_crawl(settings, options)
    except CrawlLocked as exc:
        fail(str(exc))
        return
    console.print(
        f"run {run.run_id} queued: {len(run.courts)} court jobs; `warduty worker` processes crawl them "
        f"(progress: `warduty runs` and the dashboard's runs page)",
        highlight=False,
    )


def choose_solver(
    settings: Settings, command: str | None, *, interactive: bool, ocr: bool
) -> CaptchaSolver | None:
    """The captcha solver: a command, else a person at the terminal, else the OCR (when installed and not
    refused), else none, and captcha courts wait."""
    if command:
        return CommandSolver(command)
    if interactive:
        return PromptSolver(settings.data_dir / "captcha", _ask)
    if not ocr:
        return None
    solver = default_solver()
    if solver is None:
        err_console.print(
            "Captchas will not be read: the ocr extra is not installed (pip install 'warduty[ocr]'); "
            "captcha courts wait for --resume with --interactive or --captcha-solver.",
            markup=False,
        )
    return solver


def _articles(text: str) -> tuple[str, ...]:
    """The comma-separated ``--articles``, each one the catalogue knows."""
    chosen = tuple(a.strip() for a in text.split(",") if a.strip())
    known = catalogue_articles()
    unknown = [a for a in chosen if a not in known]
    if not chosen or unknown:
        named = ", ".join(repr(a) for a in unknown) or "none given"
        listed = ", ".join(sorted(known, key=float))
        raise ConfigError(f"--articles: not in the article catalogue: {named} (known: {listed})")
    return chosen


@app.command("reparse")
def reparse_command(
    ctx: typer.Context,
    archive: Path | None = typer.Option(None, help="Archive folder (default: <data_dir>/archive)."),
    db: str | None = typer.Option(None, help="Database URL to rebuild into (default: the configured one)."),
) -> None:
    """Rebuild the database from the WARC archive, without the network."""
    settings = settings_from(ctx)
    root = archive or settings.data_dir / "archive"
    if not root.is_dir():
        fail(f"no archive at {root}")
    report = reparse_archive(db or settings.database_url, root, settings.data_dir)
    console.print(
        f"replayed {report.runs} run(s), {report.responses} responses: "
        f"{sum(report.used.values())} used, {sum(report.skipped.values())} skipped {dict(report.skipped)}"
    )


runs_app = typer.Typer(
    help='List the newest runs: status, times, process; a "running" run that no live crawl holds is shown '
    "stale. `warduty runs close ID` closes one."
)
app.add_typer(runs_app, name="runs")


@runs_app.callback(invoke_without_command=True)
def runs_command(
    ctx: typer.Context,
    limit: int = typer.Option(20, min=1, help="How many of the newest runs to show."),
) -> None:
    """List the newest runs: status (a "running" run no live crawl holds is stale), times, process."""
    if ctx.invoked_subcommand is not None:
        return
    engine = make_engine(settings_from(ctx).database_url, create=False)  # a read command creates nothing
    views, holder = list_runs(engine, limit)
    rows = [
        {
            "id": v.id,
            "kind": v.kind,
            "status": v.state,
            "started": _moment(v.started_at),
            "finished": _moment(v.finished_at),
            "process": f"{v.pid}@{v.host}" if v.pid is not None else "",
        }
        for v in views
    ]
    print_table(rows, ("id", "kind", "status", "started", "finished", "process"), title="Runs, newest first")
    console.print(
        f"crawl lock: held by {holder.describe()}" if holder else "crawl lock: free", highlight=False
    )
    for view in views:
        if view.stale:
            console.print(
                f"run {view.id} is stale: holder is gone (no crawl holds the lock); "
                f"close it with: warduty runs close {view.id}",
                highlight=False,
            )


@runs_app.command("close")
def close_command(
    ctx: typer.Context,
    run_id: int = typer.Argument(..., help="The run to close."),
    note: str = typer.Option("closed by hand: its process is gone", help="Why, kept with the run."),
) -> None:
    """Mark a stale or incomplete run "abandoned" (refused while a crawl holds the lock for it)."""
    engine = make_engine(settings_from(ctx).database_url, create=False)
    require_writable(engine)
    try:
        view = close_run(engine, run_id, note)
    except RunCloseError as exc:
        fail(str(exc))
        return
    console.print(f"run {view.id}: {view.status} ({note})", highlight=False)


def _moment(value: datetime | None) -> str:
    if not isinstance(value, datetime):
        return ""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)  # SQLite keeps UTC, naive
    return f"{aware.astimezone(UTC):%Y-%m-%d %H:%M:%S}"
