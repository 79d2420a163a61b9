"""What a crawl did not understand, one entry per page, so that no court is silently counted as zero.

A page is an issue when the parsers could not classify it, when it came back as a kind of page other
than the one asked for, when they refused it (``PageFormatError``), or when they read it but left
something out (an unknown tab or field, a listing row skipped: the parsers' ``warnings``). Site answers
the crawler knows how to handle (captcha, throttle page, blocked, module off) are not issues: they are
retried, deferred or reported as failures. Each entry names the archive record that holds the page's
bytes, so the page can be looked at and re-parsed once the parsers learn it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from warduty.crawl.client import ArchiveRef
from warduty.sudrf.errors import PageFormatError
from warduty.sudrf.pages import PageState

# Answers a court gives instead of the page asked for, which the crawler handles (retry, cooldown,
# captcha solver, failure reason): they are understood, so they are not issues.
SITE_ANSWERS = frozenset(
    {
        PageState.CAPTCHA,
        PageState.UNAVAILABLE,
        PageState.BLOCKED,
        PageState.BAD_QUERY,
        PageState.MODULE_OFF,
        PageState.SERVER_NOT_FOUND,
    }
)
UNKNOWN_STATE = "unknown page state"
NEEDS_ATTENTION = "needs attention"
PAGE_LABEL = {"search": "listing", "control": "listing", "card": "card", "doc": "document"}

Outcome = Literal["failed", "stored"]  # failed: nothing stored from the page; stored: read, with gaps


@dataclass(frozen=True, slots=True)
class PageIssue:
    court: str
    task: str  # the task kind: search, control, card, doc
    url: str
    archive: ArchiveRef | None
    problems: tuple[str, ...]
    outcome: Outcome

    def to_dict(self) -> dict[str, Any]:
        return {
            "court": self.court,
            "task": self.task,
            "url": self.url,
            "warc_file": self.archive.file if self.archive else None,
            "warc_offset": self.archive.offset if self.archive else None,
            "problems": list(self.problems),
            "outcome": self.outcome,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PageIssue:
        file, offset = data.get("warc_file"), data.get("warc_offset")
        archive = ArchiveRef(str(file), int(offset)) if file is not None and offset is not None else None
        outcome: Outcome = "stored" if data.get("outcome") == "stored" else "failed"
        problems = tuple(str(p) for p in data.get("problems") or ())
        return cls(str(data["court"]), str(data["task"]), str(data["url"]), archive, problems, outcome)


def state_problem(state: PageState, task: str) -> str | None:
    """What was not understood when a ``task`` page came back in ``state`` (not one it expects);
    None for a site answer the crawler handles."""
    if state is PageState.UNKNOWN:
        return UNKNOWN_STATE
    if state in SITE_ANSWERS:
        return None
    return f"page state {state.value} where a {PAGE_LABEL.get(task, task)} page was expected"


def format_problem(error: PageFormatError) -> str:
    return f"PageFormatError: {error.reason}"


def warning_problems(task: str, warnings: Iterable[str]) -> tuple[str, ...]:
    """The parsers' warnings about one page, labelled with the kind of page they are about."""
    label = PAGE_LABEL.get(task, task)
    return tuple(f"{label}: {warning}" for warning in warnings)


def issues_by_court(issues: Iterable[PageIssue]) -> Counter[str]:
    return Counter(issue.court for issue in issues)


def listing_courts(issues: Iterable[PageIssue]) -> set[str]:
    """Courts with a result list that was not fully understood: what they list cannot prove a case gone."""
    return {issue.court for issue in issues if issue.task in ("search", "control")}
