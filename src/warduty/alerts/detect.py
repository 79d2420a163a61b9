"""Detection: pure functions from the database state after a run (:class:`AlertState`) to alerts.

Each alert's id names its event, so detecting again after the next run gives the same id and the store
keeps the first: a record month is one alert however often it is seen, a court's unavailability one
alert per streak, a run's unrecognised pages or counter mismatches one alert per run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from warduty.alerts.model import Alert
from warduty.stats.definitions import Metric
from warduty.stats.figures import ARTICLE, CaseBasis, month_filters
from warduty.stats.months import in_month, month_name
from warduty.stats.records import first_above_phrase, number, record, record_phrase
from warduty.stats.series import MonthCount

NOUNS: dict[Metric, tuple[str, str]] = {
    "received": ("cases received", "дел поступило"),
    "sentences": ("sentences", "приговоров"),
}
MAX_LISTED = 10  # courts or windows named in one alert's summary; the rest are counted


@dataclass(frozen=True, slots=True)
class RunState:
    """A run as stored: its ``statistics`` (``Crawler._finish``, or an asylum fetch's counts) and issues."""

    id: int
    kind: str
    status: str
    finished_at: datetime | None
    statistics: Mapping[str, Any] = field(default_factory=dict)
    issues: Sequence[Mapping[str, Any]] = ()


@dataclass(frozen=True, slots=True)
class MetricSeries:
    """An art. 337 monthly series up to ``month``, the month a briefing as of the data would be about."""

    metric: Metric
    month: str
    series: tuple[MonthCount, ...]


@dataclass(frozen=True, slots=True)
class AsylumNews:
    """What an asylum fetch stored: values per (source, dataset) and the newest period among them."""

    source: str
    dataset: str
    values: int
    newest_period: str


@dataclass(frozen=True, slots=True)
class AlertState:
    run: RunState  # the run just finished
    now: datetime
    crawls: tuple[RunState, ...] = ()  # finished crawl runs, newest first
    crawls_complete: bool = True  # ``crawls`` holds every finished crawl (not just the newest few)
    court_names: Mapping[str, str] = field(default_factory=dict)
    series: tuple[MetricSeries, ...] = ()
    asylum: tuple[AsylumNews, ...] = ()


def detect(state: AlertState, unavailable_runs: int) -> list[Alert]:
    """Every alert the state shows; ``unavailable_runs``: the N of "unavailable N runs in a row"."""
    return [
        *record_alerts(state),
        *unavailable_alerts(state, unavailable_runs),
        *unrecognised_alerts(state),
        *mismatch_alerts(state),
        *asylum_alerts(state),
    ]


def record_alerts(state: AlertState) -> list[Alert]:
    """A new record month of art. 337 cases received or sentences (the one record rule and wording,
    :mod:`warduty.stats.records`)."""
    alerts: list[Alert] = []
    for item in state.series:
        if not any(m.month == item.month for m in item.series):
            continue
        rec = record(item.series, item.month)
        if not rec.is_record or rec.value <= 0:
            continue
        noun_en, noun_ru = NOUNS[item.metric]
        phrase = record_phrase(rec)
        above = first_above_phrase(rec)
        summary = f"{number(rec.value)} {noun_en} under art. {ARTICLE} {in_month(rec.month)}: {phrase}"
        summary_ru = (
            f"{number(rec.value, 'ru')} {noun_ru} по ст. {ARTICLE} {in_month(rec.month, 'ru')}: "
            f"{record_phrase(rec, 'ru')}"
        )
        basis = CaseBasis(item.metric, month_filters(item.month))
        alerts.append(
            Alert(
                id=f"record:{item.metric}:{item.month}",
                kind="record",
                title=(
                    f"Record month: {number(rec.value)} art. {ARTICLE} {noun_en} in {month_name(rec.month)}"
                ),
                summary=f"{summary}; {above}." if above else f"{summary}.",
                link="/cases?" + urlencode(basis.case_list_query()),
                created_at=state.now,
                run_id=state.run.id,
                details={
                    **rec.to_dict(),
                    "metric": item.metric,
                    "article": ARTICLE,
                    "summary_ru": summary_ru,
                },
            )
        )
    return alerts


def court_unavailable(stats: Mapping[str, Any]) -> bool:
    """A court was unavailable in a run when it answered nothing usable: at least one page failed and
    none was read. A court waiting for a captcha answer is not unavailable, nor one whose pages came
    but were not understood (that is the "unrecognised pages" alert)."""
    read = sum(_int(stats.get(key)) for key in ("searches", "pages", "cards", "docs"))
    return _int(stats.get("failed")) > 0 and read == 0 and _int(stats.get("issues")) == 0


def unavailable_alerts(state: AlertState, runs_in_a_row: int) -> list[Alert]:
    """Courts unavailable in each of the last ``runs_in_a_row`` crawls that visited them: one alert per
    streak (its id names the streak's first run)."""
    if runs_in_a_row < 1:
        return []
    streaks: dict[str, list[RunState]] = {}
    ended: set[str] = set()  # courts whose streak has met a run where they answered
    visited: Counter[str] = Counter()
    for run in state.crawls:  # newest first
        for code, stats in _courts(run).items():
            visited[code] += 1
            if code in ended:
                continue
            if court_unavailable(stats):
                streaks.setdefault(code, []).append(run)
            else:
                ended.add(code)
    alerts: list[Alert] = []
    for code, streak in sorted(streaks.items()):
        if len(streak) < runs_in_a_row:
            continue
        # A streak as long as the history loaded may have started earlier: its alert was made then.
        if not state.crawls_complete and len(streak) == visited[code]:
            continue
        first, last = streak[-1], streak[0]
        name = state.court_names.get(code, code)
        reasons = Counter[str]()
        for run in streak:
            reasons.update(_reasons(_courts(run).get(code, {})))
        why = ", ".join(f"{reason} ×{n}" for reason, n in reasons.most_common(3)) or "no answer"
        alerts.append(
            Alert(
                id=f"court_unavailable:{code}:from-run-{first.id}",
                kind="court_unavailable",
                title=f"{name} ({code}) unavailable for {len(streak)} runs in a row",
                summary=(
                    f"{name} ({code}) answered no page in the last {len(streak)} crawls "
                    f"(runs {first.id}–{last.id}); failures: {why}."
                ),
                link=f"/courts/{code}",
                created_at=state.now,
                run_id=last.id,
                details={"court": code, "runs": [r.id for r in reversed(streak)], "reasons": dict(reasons)},
            )
        )
    return alerts


def unrecognised_alerts(state: AlertState) -> list[Alert]:
    """Pages the parsers did not understand in this run (a site that changed its layout)."""
    run = state.run
    by_court = Counter(str(entry.get("court", "?")) for entry in run.issues if isinstance(entry, Mapping))
    if not by_court:
        return []
    problems = Counter(
        str(problem)
        for entry in run.issues
        if isinstance(entry, Mapping)
        for problem in entry.get("problems") or ()
    )
    courts = [f"{state.court_names.get(c, c)} ({c}): {n}" for c, n in by_court.most_common(MAX_LISTED)]
    more = len(by_court) - len(courts)
    listed = "; ".join(courts) + (f"; and {more} more" if more > 0 else "")
    top = problems.most_common(1)[0][0] if problems else "unknown"
    return [
        Alert(
            id=f"unrecognised_pages:run-{run.id}",
            kind="unrecognised_pages",
            title=f"Run {run.id}: {sum(by_court.values())} pages not understood at {len(by_court)} court(s)",
            summary=f"A site may have changed its pages. {listed}. Most common problem: {top}.",
            link=f"/api/v1/runs/{run.id}",
            created_at=state.now,
            run_id=run.id,
            details={"courts": dict(by_court), "problems": dict(problems.most_common(MAX_LISTED))},
        )
    ]


def mismatch_alerts(state: AlertState) -> list[Alert]:
    """Search windows whose rows read do not add up to the counter the site printed."""
    run = state.run
    raw = run.statistics.get("counter_mismatches")
    mismatches = [m for m in raw if isinstance(m, Mapping)] if isinstance(raw, list) else []
    if not mismatches:
        return []
    shown = [
        f"{state.court_names.get(str(m.get('court')), m.get('court'))} art. {m.get('article')} "
        f"{m.get('from')}..{m.get('to')}: counter {m.get('counter')}, rows {m.get('rows')}"
        for m in mismatches[:MAX_LISTED]
    ]
    more = len(mismatches) - len(shown)
    courts = sorted({str(m.get("court")) for m in mismatches})
    return [
        Alert(
            id=f"counter_mismatch:run-{run.id}",
            kind="counter_mismatch",
            title=f"Run {run.id}: {len(mismatches)} search window(s) do not add up to the site's counter",
            summary="; ".join(shown) + (f"; and {more} more" if more > 0 else "") + ".",
            link=f"/api/v1/runs/{run.id}",
            created_at=state.now,
            run_id=run.id,
            details={"courts": courts, "windows": len(mismatches)},
        )
    ]


def asylum_alerts(state: AlertState) -> list[Alert]:
    """An asylum fetch that stored new values (new periods or revised vintages)."""
    run = state.run
    if run.kind != "asylum-fetch" or run.status != "finished" or not state.asylum:
        return []
    changed = _int(run.statistics.get("inserted")) + _int(run.statistics.get("updated"))
    if changed <= 0:
        return []
    parts = [
        f"{n.source} {n.dataset}: {number(n.values)} values up to {n.newest_period}" for n in state.asylum
    ]
    newest = max(n.newest_period for n in state.asylum)
    return [
        Alert(
            id=f"asylum_data:run-{run.id}",
            kind="asylum_data",
            title=f"New asylum data: {number(changed)} new or revised values, up to {newest}",
            summary="; ".join(parts) + ".",
            link="/api/v1/asylum/series",
            created_at=state.now,
            run_id=run.id,
            details={
                "inserted": _int(run.statistics.get("inserted")),
                "updated": _int(run.statistics.get("updated")),
                "datasets": [f"{n.source}/{n.dataset}" for n in state.asylum],
            },
        )
    ]


def _courts(run: RunState) -> Mapping[str, Mapping[str, Any]]:
    courts = run.statistics.get("courts")
    if not isinstance(courts, Mapping):
        return {}
    return {str(code): stats for code, stats in courts.items() if isinstance(stats, Mapping)}


def _reasons(stats: Mapping[str, Any]) -> dict[str, int]:
    reasons = stats.get("failure_reasons")
    if not isinstance(reasons, Mapping):
        return {}
    return {str(k): _int(v) for k, v in reasons.items()}


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
