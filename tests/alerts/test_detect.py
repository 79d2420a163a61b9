"""The detectors, pure: each kind from a crafted state, and the states that must give no alert."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.alerts.crafted import court_stats
from warduty.alerts.detect import (
    AlertState,
    AsylumNews,
    MetricSeries,
    RunState,
    court_unavailable,
    detect,
    record_alerts,
    unavailable_alerts,
)
from warduty.stats.series import MonthCount

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def _run(run_id: int, courts: dict[str, dict[str, object]], **stats: object) -> RunState:
    return RunState(run_id, "crawl", "done", NOW, {"courts": courts, **stats})


def _series(*values: int) -> tuple[MonthCount, ...]:
    return tuple(MonthCount(f"2024-{i + 1:02d}", v) for i, v in enumerate(values))


def test_a_record_month_is_an_alert_in_the_one_record_wording() -> None:
    run = _run(5, {})
    state = AlertState(run, NOW, series=(MetricSeries("sentences", "2024-03", _series(300, 450, 684)),))
    (alert,) = record_alerts(state)
    assert alert.id == "record:sentences:2024-03" and alert.kind == "record" and alert.run_id == 5
    assert alert.title == "Record month: 684 art. 337 sentences in March 2024"
    assert (
        "a record: the highest month since the data begin in January 2024 (previous high 450" in alert.summary
    )
    assert "рекорд за всё время наблюдений" in alert.details["summary_ru"]
    assert alert.link == "/cases?counted=sentences&article=337&decided_from=2024-03-01&decided_to=2024-03-31"
    # Not a record (a higher month before), a first month, an empty month, a month missing: nothing.
    for values, month in (((700, 450, 684), "2024-03"), ((684,), "2024-01"), ((0, 0, 0), "2024-03")):
        quiet = AlertState(run, NOW, series=(MetricSeries("received", month, _series(*values)),))
        assert record_alerts(quiet) == []
    missing = AlertState(run, NOW, series=(MetricSeries("received", "2024-09", _series(1, 2)),))
    assert record_alerts(missing) == []


def test_a_court_unavailable_n_runs_in_a_row_is_one_alert_per_streak() -> None:
    dark = court_stats(read=0, failed=2, reasons={"HTTP 503": 2})
    fine, captcha = court_stats(), {**court_stats(read=0), "deferred": 3}
    assert court_unavailable(dark) and not court_unavailable(fine) and not court_unavailable(captcha)
    names = {"77GV0017": "235th Garrison <Military> Court & Co"}
    history = [_run(i, {"77GV0017": dark}) for i in (9, 8, 7)] + [_run(6, {"77GV0017": fine})]
    state = AlertState(history[0], NOW, crawls=tuple(history), court_names=names)
    assert unavailable_alerts(state, 4) == []  # three in a row, four asked for
    (alert,) = unavailable_alerts(state, 3)
    assert alert.id == "court_unavailable:77GV0017:from-run-7" and alert.run_id == 9
    assert alert.title == "235th Garrison <Military> Court & Co (77GV0017) unavailable for 3 runs in a row"
    assert "runs 7–9" in alert.summary and "HTTP 503 ×6" in alert.summary
    assert alert.details["runs"] == [7, 8, 9]
    # A run that did not visit the court does not break its streak; one more dark run keeps the id.
    later = [_run(11, {"77GV0017": dark}), _run(10, {"63GV0001": fine}), *history]
    (again,) = unavailable_alerts(AlertState(later[0], NOW, crawls=tuple(later)), 3)
    assert again.id == alert.id and "4 runs in a row" in again.title
    # A streak as long as a partial history may have begun before it: no alert (it was made then).
    partial = AlertState(history[0], NOW, crawls=tuple(history[:3]), crawls_complete=False)
    assert unavailable_alerts(partial, 3) == []
    assert unavailable_alerts(AlertState(history[0], NOW, crawls=tuple(history[:3])), 3)  # complete: alert


def test_unrecognised_pages_counter_mismatches_and_asylum_data() -> None:
    issues = [
        {"court": "63GV0001", "problems": ["unknown page state"]},
        {"court": "63GV0001", "problems": ["unknown page state"]},
        {"court": "77GV0017", "problems": ["unknown tab «Стороны»"]},
    ]
    mismatch = {"court": "77GV0017", "article": "337", "from": "2024-01-01", "to": "2024-03-31",
                "counter": 40, "rows": 38, "pages_read": 2, "pages": 2}  # fmt: skip
    run = RunState(12, "crawl", "incomplete", NOW, {"counter_mismatches": [mismatch]}, issues)
    alerts = {a.kind: a for a in detect(AlertState(run, NOW, court_names={"63GV0001": "Samara"}), 3)}
    assert set(alerts) == {"unrecognised_pages", "counter_mismatch"}
    pages = alerts["unrecognised_pages"]
    assert pages.id == "unrecognised_pages:run-12" and pages.link == "/api/v1/runs/12"
    assert pages.title == "Run 12: 3 pages not understood at 2 court(s)"
    assert "Samara (63GV0001): 2; 77GV0017 (77GV0017): 1" in pages.summary
    assert "Most common problem: unknown page state" in pages.summary
    counters = alerts["counter_mismatch"]
    assert counters.id == "counter_mismatch:run-12"
    assert "77GV0017 art. 337 2024-01-01..2024-03-31: counter 40, rows 38" in counters.summary
    # A clean run: nothing. Garbage in the statistics: nothing, and no exception.
    clean = RunState(13, "crawl", "done", NOW, {"counter_mismatches": [], "courts": {"X": "junk"}})
    assert detect(AlertState(clean, NOW, crawls=(clean,)), 1) == []
    junk = RunState(14, "crawl", "done", NOW, {"counter_mismatches": "junk", "courts": ["junk"]}, ["junk"])  # type: ignore[list-item]
    assert detect(AlertState(junk, NOW, crawls=(junk,)), 1) == []

    fetch = RunState(15, "asylum-fetch", "finished", NOW, {"inserted": 8, "updated": 0, "unchanged": 3})
    news = (AsylumNews("eurostat", "migr_asyappctzm", 6, "2024-12"), AsylumNews("unhcr", "asylum", 2, "2024"))
    (alert,) = detect(AlertState(fetch, NOW, asylum=news), 3)
    assert alert.id == "asylum_data:run-15" and alert.kind == "asylum_data"
    assert alert.title == "New asylum data: 8 new or revised values, up to 2024-12"
    assert (
        alert.summary
        == "eurostat migr_asyappctzm: 6 values up to 2024-12; unhcr asylum: 2 values up to 2024."
    )
    unchanged = RunState(16, "asylum-fetch", "finished", NOW, {"inserted": 0, "updated": 0, "unchanged": 11})
    assert detect(AlertState(unchanged, NOW, asylum=news), 3) == []
