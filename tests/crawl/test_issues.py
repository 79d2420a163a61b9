"""Each kind of page the parsers do not understand becomes one issue, and nothing wrong is stored for it."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import Engine, func, select

from tests.replica.synthetic import STANDARD, VINTAGE, sample_population
from warduty.courts import Court, load_registry
from warduty.crawl.client import ArchiveRef, ClientOptions, FetchResult
from warduty.crawl.crawler import CourtReport, CrawlOptions, RunContext, RunReport, run_writer
from warduty.crawl.frontier import Frontier, Task, TaskSpec
from warduty.crawl.ingest import SearchRef
from warduty.crawl.issues import PageIssue, state_problem
from warduty.crawl.plan import Window
from warduty.crawl.reconcile import reconcile
from warduty.jobs import new_crawler
from warduty.replica.pages_site import ReplicaSite
from warduty.store import make_engine, migrate, sync_courts
from warduty.store.schema import cases, person_articles, persons, runs, searches, tasks
from warduty.sudrf.pages import PageState

AS_OF = date(2025, 1, 1)
WINDOW = Window(date(2024, 1, 1), date(2024, 12, 31))


class FakeClient:
    """Answers every request with the next page of a script (the last one again when it runs out)."""

    def __init__(self, pages: list[bytes]) -> None:
        self.pages = pages
        self.calls = 0

    async def get(self, url: str, *, court_code: str) -> FetchResult:
        content = self.pages[min(self.calls, len(self.pages) - 1)]
        self.calls += 1
        return FetchResult(
            url=url,
            status=200,
            headers={"content-type": "text/html; charset=windows-1251"},
            content=content,
            fetched_at=datetime.now(UTC),
            attempts=1,
            archive=ArchiveRef(f"/archive/run-1/{court_code}.warc.gz", 1000 * self.calls),
        )


class Run:
    """A started run of one court, with a crawler whose tasks are fed by a FakeClient."""

    def __init__(self, engine: Engine, data: Path, code: str) -> None:
        self.engine = engine
        self.court = load_registry().by_code(code)
        self.crawler = new_crawler(engine, ClientOptions(), data)
        self.options = CrawlOptions(courts=[code], articles=("337",), since=WINDOW.start, until=WINDOW.end,
                                    retry_pause=0.0)  # fmt: skip
        self.run_id, _ = self.crawler._start_run(self.options, [self.court])
        self.frontier = Frontier(engine, self.run_id)
        self.processor = self.crawler._processor(self.run_id, self.options)
        self.report = CourtReport()

    def task(self, spec: TaskSpec) -> Task:
        with self.engine.begin() as connection:
            if spec.kind == "search":
                ref = SearchRef.from_payload(spec.payload)
                self.processor._window_row(connection, self.court, ref, None, None, "open")
            self.frontier.add(connection, [spec])
        with self.engine.connect() as connection:
            pending = self.frontier.pending(connection, self.court.code)
        (task,) = [t for t in pending if t.url == spec.url]
        return task

    def search(self) -> Task:
        return self.task(self.processor.search_task(self.court, SearchRef("337", WINDOW, 1)))

    def do(self, task: Task, pages: list[bytes]) -> FakeClient:
        client = FakeClient(pages)
        writer = run_writer(self.engine, self.frontier, self.processor)
        try:
            context = RunContext(self.run_id, self.options, client, self.frontier, self.processor, writer)  # type: ignore[arg-type]
            asyncio.run(self.crawler._task(context, self.court, task, self.report))
        finally:
            writer.close()
        return client

    def finish(self) -> RunReport:
        return self.crawler._finish(self.run_id, self.frontier, {self.court.code: self.report}, {})


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'issues.sqlite'}")
    migrate(engine)
    with engine.begin() as connection:
        sync_courts(connection, load_registry())
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def site() -> ReplicaSite:
    return ReplicaSite(sample_population(), as_of=AS_OF)


def page(site: ReplicaSite, url: str) -> str:
    split = urlsplit(url)
    return site.answer(split.netloc, split.path, split.query.encode("latin-1")).body


def listing_and_card(site: ReplicaSite, court: Court, run: Run) -> tuple[str, str, str]:
    """A court's 2024 art. 337 result list, the URL of its first card and that card."""
    listing = page(site, run.search().url)
    link = re.search(r"""href=["']([^"']*name_op=case[^"']*)["']""", listing)
    assert link is not None
    card_url = f"https://{urlsplit(run.search().url).netloc}{link.group(1).replace('&amp;', '&')}"
    return listing, card_url, page(site, card_url)


def cp1251(text: str) -> bytes:
    return text.encode("cp1251", errors="xmlcharrefreplace")


def stored_cases(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(cases)).scalar_one())


def test_unknown_page_is_one_failed_issue_with_its_archive_record_and_is_not_fetched_forever(
    engine: Engine, tmp_path: Path
) -> None:
    run = Run(engine, tmp_path, STANDARD)
    client = run.do(run.search(), [b"<html><body>\xcd\xee\xe2\xfb\xe9 \xf1\xe0\xe9\xf2</body></html>"])
    assert client.calls == 2  # the same page twice: a third fetch would not change it
    (issue,) = run.crawler._issues
    assert issue.problems == ("unknown page state",) and issue.outcome == "failed"
    assert issue.court == STANDARD and issue.task == "search" and "sudrf.ru" in issue.url
    assert issue.archive == ArchiveRef(f"/archive/run-1/{STANDARD}.warc.gz", 2000)  # the last one fetched
    report = run.finish()
    assert report.courts[STANDARD].status == "needs attention" and report.attention == {STANDARD: 1}
    on_disk = json.loads(report.issues_path.read_text("utf-8"))
    assert on_disk == [
        {"court": STANDARD, "task": "search", "url": issue.url, "warc_file": issue.archive.file,  # type: ignore[union-attr]
         "warc_offset": 2000, "problems": ["unknown page state"], "outcome": "failed"}
    ]  # fmt: skip
    statistics = json.loads((report.folder / "statistics.json").read_text("utf-8"))
    assert statistics["courts"][STANDARD]["status"] == "needs attention"
    assert statistics["attention_courts"] == [STANDARD] and statistics["issues"] == 1
    assert stored_cases(engine) == 0


def test_a_page_that_turns_out_right_on_a_retry_is_no_issue(
    engine: Engine, tmp_path: Path, site: ReplicaSite
) -> None:
    run = Run(engine, tmp_path, STANDARD)
    task = run.search()
    client = run.do(task, [b"<html>garbled</html>", cp1251(page(site, task.url))])
    assert client.calls == 2 and run.report.searches == 1
    assert run.crawler._issues == [] and run.finish().courts[STANDARD].status == "done"


def test_page_format_error_is_an_issue_naming_the_reason(
    engine: Engine, tmp_path: Path, site: ReplicaSite
) -> None:
    run = Run(engine, tmp_path, VINTAGE)
    task = run.search()
    truncated = page(site, task.url).rsplit("</html>", 1)[0]
    run.do(task, [cp1251(truncated)])
    (issue,) = run.crawler._issues
    assert issue.problems == ("PageFormatError: page is truncated: it does not end with </html>",)
    assert run.report.failed == 1 and run.report.searches == 0


def test_a_known_page_of_the_wrong_kind_is_an_issue_a_site_answer_is_not() -> None:
    assert (
        state_problem(PageState.SEARCH_FORM, "search")
        == "page state search_form where a listing page was expected"
    )
    assert state_problem(PageState.RESULTS, "card") == "page state results where a card page was expected"
    assert state_problem(PageState.UNKNOWN, "doc") == "unknown page state"
    for answer in (PageState.CAPTCHA, PageState.UNAVAILABLE, PageState.BLOCKED, PageState.MODULE_OFF):
        assert state_problem(answer, "search") is None


def test_skipped_listing_row_is_stored_with_an_issue_and_no_case_is_marked_missing(
    engine: Engine, tmp_path: Path, site: ReplicaSite
) -> None:
    run = Run(engine, tmp_path, STANDARD)
    task = run.search()
    listing = page(site, task.url)
    broken = listing.replace("name_op=case", "name_op=cas", 1)  # the first row loses its card link
    run.do(task, [cp1251(broken)])
    (issue,) = run.crawler._issues
    assert issue.outcome == "stored" and run.report.searches == 1
    assert "listing: result row 1 has no card link; skipped" in issue.problems
    report = run.finish()
    assert report.missing_held == [STANDARD] and report.attention == {STANDARD: 1}


def test_unknown_tab_is_stored_with_an_issue(engine: Engine, tmp_path: Path, site: ReplicaSite) -> None:
    run = Run(engine, tmp_path, STANDARD)
    _, card_url, card = listing_and_card(site, run.court, run)
    assert "ДВИЖЕНИЕ ДЕЛА" in card
    run.do(
        run.task(TaskSpec("card", STANDARD, card_url, {})),
        [cp1251(card.replace("ДВИЖЕНИЕ ДЕЛА", "ХОД ДЕЛА"))],
    )
    (issue,) = run.crawler._issues
    assert issue.task == "card" and issue.outcome == "stored"
    assert issue.problems == ("card: unknown tab 'ХОД ДЕЛА' left unread",)
    assert stored_cases(engine) == 1 and run.report.cards == 1


def test_a_known_tab_holding_rows_is_noted_not_an_issue(
    engine: Engine, tmp_path: Path, site: ReplicaSite
) -> None:
    """Real cards of sentenced defendants list writs (ИСПОЛНИТЕЛЬНЫЕ ЛИСТЫ): not read, and not an alarm."""
    run = Run(engine, tmp_path, STANDARD)
    _, card_url, card = listing_and_card(site, run.court, run)
    header = re.search(r"<th colspan=\"10\">ИСПОЛНИТЕЛЬНЫЕ ЛИСТЫ</th></tr><tr>(.*?)</tr>", card)
    assert header is not None
    writ = "<tr>" + "<td>01.02.2024</td>" * header.group(1).count("<td") + "</tr>"
    filled = card.replace(header.group(0), header.group(0) + writ, 1)
    run.do(run.task(TaskSpec("card", STANDARD, card_url, {})), [cp1251(filled)])
    assert run.crawler._issues == []
    assert stored_cases(engine) == 1 and run.report.cards == 1
    with engine.connect() as connection:
        notes = connection.execute(select(tasks.c.error).where(tasks.c.kind == "card")).scalars().all()
    assert any("'ИСПОЛНИТЕЛЬНЫЕ ЛИСТЫ' not read (1 row skipped)" in (note or "") for note in notes)


def test_a_resumed_run_keeps_the_issues_of_pages_it_stored_before(
    engine: Engine, tmp_path: Path, site: ReplicaSite
) -> None:
    run = Run(engine, tmp_path, STANDARD)
    task = run.search()
    run.do(task, [cp1251(page(site, task.url).replace("name_op=case", "name_op=cas", 1))])
    first = run.finish()
    later = new_crawler(engine, ClientOptions(), tmp_path)
    resumed = later._finish(run.run_id, run.frontier, {STANDARD: CourtReport()}, {})
    assert [i.to_dict() for i in resumed.issues] == [i.to_dict() for i in first.issues]
    assert resumed.courts[STANDARD].issues == 1


def test_issue_entries_round_trip_and_old_entries_are_read() -> None:
    issue = PageIssue(
        "63GV0001", "card", "https://x/", ArchiveRef("f.warc.gz", 7), ("card: a", "card: b"), "stored"
    )
    assert PageIssue.from_dict(issue.to_dict()) == issue
    bare = PageIssue.from_dict({"court": "63GV0001", "task": "search", "url": "u"})
    assert bare.archive is None and bare.problems == () and bare.outcome == "failed"


def test_reconcile_marks_no_case_missing_at_a_distrusted_court(engine: Engine) -> None:
    with engine.begin() as connection:
        run_id = connection.execute(
            runs.insert()
            .values(kind="crawl", started_at=datetime.now(UTC), status="running")
            .returning(runs.c.id)
        ).scalar_one()
        case_id = connection.execute(
            cases.insert()
            .values(court_code=STANDARD, docket="1", case_number="1-1/2024", received=date(2024, 3, 1))
            .returning(cases.c.id)
        ).scalar_one()
        person_id = connection.execute(
            persons.insert().values(case_id=case_id, position=1, hidden=False).returning(persons.c.id)
        ).scalar_one()
        connection.execute(
            person_articles.insert().values(
                person_id=person_id,
                article="337",
                part="",
                point="",
                article_group="awol",
                wartime_part=False,
            )
        )
        # A window whose counter says 0 and that was read to the end: it proves the case gone.
        connection.execute(
            searches.insert().values(
                run_id=run_id,
                court_code=STANDARD,
                article="337",
                received_from=WINDOW.start,
                received_to=WINDOW.end,
                total=0,
                pages=0,
                rows_read=0,
                pages_read=0,
                state="open",
            )
        )
    with engine.begin() as connection:
        held = reconcile(connection, run_id, distrusted={STANDARD})
    assert held.missing_marked == 0 and held.held_back == [STANDARD]
    with engine.begin() as connection:
        connection.execute(searches.update().values(state="open"))
        trusted = reconcile(connection, run_id)
    assert trusted.missing_marked == 1 and trusted.held_back == []
