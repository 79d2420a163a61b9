"""Calibrate drafts so every target holds on its ``as_of`` date.

Targets are fixed one at a time, in order of ``as_of`` (sentences before texts before receipts on the
same day). Each is moved to its value with small, realistic edits that change what the site shows on
that day and nothing already fixed:

* too many cases received: a card is removed from the site after the previous target date (cards do
  disappear, which is why Mediazona's 2023 total fell from 5,593 to 5,517), or dropped if it was never
  shown on an earlier target date;
* too few: a card posted after the date is posted earlier, a removal is undone, or a case is added;
* sentences: the posting of the decision is moved across the date, or a case is added;
* published texts: the publication date of a verdict text is moved across the date.

Every edit is checked against all targets fixed so far and undone if it changes any of them, so a
target, once fixed, stays fixed. A target that cannot be met raises :class:`CalibrationError`.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from warduty.replica.drafts import Draft, new_draft, working_day
from warduty.replica.targets import Target, court_regions

log = logging.getLogger(__name__)

CourtPicker = Callable[[random.Random, str | None], tuple[str, str]]
_METRIC_ORDER = {"sentences": 0, "published_suspended": 1, "published_verdicts": 2, "cases_received": 3}
_ARTICLE_WEIGHTS = {"337": 20.0, "332": 1.5, "338": 1.2, "334": 0.5, "339": 0.3}
_MAX_FILLER_ATTEMPTS = 200


class CalibrationError(RuntimeError):
    """A target could not be met without disturbing targets already met."""


@dataclass(frozen=True, slots=True)
class Adjustment:
    target_id: str
    before: int
    after: int
    edits: int
    added: int


def target_order(targets: Sequence[Target]) -> list[Target]:
    def key(t: Target) -> tuple[date, int, int, int]:
        return (t.as_of, _METRIC_ORDER[t.metric], 0 if t.region else 1, (t.period_end - t.period_start).days)

    return sorted(targets, key=key)


class _Solver:
    def __init__(self, drafts: list[Draft], targets: Sequence[Target], rng: random.Random, pick: CourtPicker):
        self.drafts = drafts
        self.rng = rng
        self.pick = pick
        self.regions = court_regions()
        self.fixed: list[Target] = []
        self.dates = sorted({t.as_of for t in targets})
        self.watched = [d for d in drafts if d.numbers & {"337", "332", "338", "334", "339"}]

    def count(self, target: Target) -> int:
        return sum(target.contribution(d, self.regions) for d in self.watched)

    def previous_date(self, as_of: date) -> date:
        earlier = [d for d in self.dates if d < as_of]
        return earlier[-1] if earlier else date(2000, 1, 1)

    def fixed_signature(self, draft: Draft) -> list[int]:
        return [f.contribution(draft, self.regions) for f in self.fixed]

    def try_edit(self, target: Target, draft: Draft, edit: Callable[[Draft], None], want: int) -> int:
        """Apply ``edit`` if it moves ``target`` by 1..want units in want's direction; return the move."""
        saved = _snapshot(draft)
        before_fixed = self.fixed_signature(draft)
        before = target.contribution(draft, self.regions)
        edit(draft)
        moved = target.contribution(draft, self.regions) - before
        good = moved != 0 and (moved > 0) == (want > 0) and abs(moved) <= abs(want)
        if not good or self.fixed_signature(draft) != before_fixed:
            _restore(draft, saved)
            return 0
        return moved

    def solve(self, target: Target) -> Adjustment:
        before = current = self.count(target)
        edits = added = 0
        if not target.within(current):
            for draft, edit in self.candidate_edits(target, target.value - current):
                want = target.value - current
                if want == 0:
                    break
                moved = self.try_edit(target, draft, edit, want)
                current += moved
                edits += moved != 0
            attempts = 0
            while current < target.value and target.metric in ("cases_received", "sentences"):
                attempts += 1
                if attempts > _MAX_FILLER_ATTEMPTS + 4 * (target.value - current):
                    break
                filler = self.filler(target)
                if filler is None or any(self.fixed_signature(filler)):
                    continue
                amount = target.contribution(filler, self.regions)
                if 0 < amount <= target.value - current:
                    self.drafts.append(filler)
                    self.watched.append(filler)
                    current += amount
                    added += 1
        if current != self.count(target):
            raise CalibrationError(f"{target.id}: bookkeeping drifted ({current} != {self.count(target)})")
        if not target.within(current):
            raise CalibrationError(f"{target.id}: reached {current}, wanted {target.value}")
        self.fixed.append(target)
        return Adjustment(target.id, before, current, edits, added)

    # --- candidate edits -------------------------------------------------------------------------

    def candidate_edits(self, target: Target, want: int) -> Iterator[tuple[Draft, Callable[[Draft], None]]]:
        pool = [d for d in self.watched if d.numbers & target.articles]
        self.rng.shuffle(pool)
        as_of, previous = target.as_of, self.previous_date(target.as_of)
        rng = self.rng
        if target.metric == "cases_received":
            if want < 0:
                for draft in pool:
                    if target.contribution(draft, self.regions):
                        yield draft, lambda d: _remove_between(d, previous, as_of, rng)
            else:
                for draft in pool:
                    if draft.removed is not None and previous < draft.removed <= as_of:
                        yield draft, _undo_removal
                    elif draft.posted > as_of and target.period_start <= draft.received <= target.period_end:
                        yield draft, lambda d: _post_between(d, previous, as_of, rng)
        elif target.metric == "sentences":
            for draft in pool:
                if draft.outcome != "verdict" or draft.decided is None or not draft.visible_on(as_of):
                    continue
                if not target.period_start <= draft.decided <= target.period_end:
                    continue
                if want < 0 and draft.decision_shown(as_of):
                    yield draft, lambda d: _postpone_decision(d, as_of, rng)
                elif want > 0 and not draft.decision_shown(as_of):
                    yield draft, lambda d: _show_decision(d, as_of, rng)
        else:
            for draft in pool:
                if len(draft.persons) != 1 or draft.outcome != "verdict" or draft.decided is None:
                    continue
                if want < 0 and draft.verdict_text_shown(as_of):
                    yield draft, lambda d: _unpublish(d, as_of, rng)
                elif want > 0 and not draft.verdict_text_shown(as_of) and draft.decision_shown(as_of):
                    yield draft, lambda d: _publish_by(d, as_of, rng)

    # --- added cases -----------------------------------------------------------------------------

    def filler(self, target: Target) -> Draft | None:
        rng = self.rng
        articles = sorted(target.articles)
        article = rng.choices(articles, weights=[_ARTICLE_WEIGHTS.get(a, 1.0) for a in articles])[0]
        court, region = self.pick(rng, target.region)
        as_of, previous = target.as_of, self.previous_date(target.as_of)
        last = min(target.period_end, as_of)
        if target.metric == "cases_received":
            received = _random_day(rng, target.period_start, last)
            draft = new_draft(rng, court, region, received, article)
        else:
            decided = working_day(_random_day(rng, target.period_start, last))
            if decided > last:
                return None
            received = decided - timedelta(days=rng.randint(20, 90))
            draft = new_draft(rng, court, region, received, article, outcome="verdict", decided=decided)
            draft.act_published = None
        if draft.posted <= previous or draft.posted > as_of:
            _post_between(draft, previous, as_of, rng)
        draft.removed = None
        if target.metric == "sentences":
            _show_decision(draft, as_of, rng)
        return draft


def _random_day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _snapshot(draft: Draft) -> tuple[date, date | None, date | None, date | None]:
    return (draft.posted, draft.removed, draft.decision_posted, draft.act_published)


def _restore(draft: Draft, saved: tuple[date, date | None, date | None, date | None]) -> None:
    draft.posted, draft.removed, draft.decision_posted, draft.act_published = saved


def _remove_between(draft: Draft, previous: date, as_of: date, rng: random.Random) -> None:
    if draft.posted > previous:
        draft.removed = draft.posted  # never shown on an earlier target date: the card is dropped
    else:
        draft.removed = _random_day(rng, previous + timedelta(days=1), as_of)


def _undo_removal(draft: Draft) -> None:
    draft.removed = None


def _post_between(draft: Draft, previous: date, as_of: date, rng: random.Random) -> None:
    first = max(draft.received, previous + timedelta(days=1))
    if first > as_of:
        draft.posted = as_of + timedelta(days=3650)  # cannot be shown in time; the edit will be undone
        return
    draft.posted = _random_day(rng, first, as_of)
    if draft.decision_posted is not None and draft.decision_posted < draft.posted:
        draft.decision_posted = draft.posted
    if draft.act_published is not None and draft.decision_posted is not None:
        draft.act_published = max(draft.act_published, draft.decision_posted)


def _postpone_decision(draft: Draft, as_of: date, rng: random.Random) -> None:
    draft.decision_posted = as_of + timedelta(days=rng.randint(1, 20))
    if draft.act_published is not None and draft.act_published < draft.decision_posted:
        draft.act_published = draft.decision_posted + timedelta(days=rng.randint(7, 60))


def _show_decision(draft: Draft, as_of: date, rng: random.Random) -> None:
    assert draft.decided is not None
    first = max(draft.decided, draft.posted)
    if first <= as_of:
        draft.decision_posted = _random_day(rng, first, as_of)


def _unpublish(draft: Draft, as_of: date, rng: random.Random) -> None:
    draft.act_published = None if rng.random() < 0.5 else as_of + timedelta(days=rng.randint(5, 90))


def _publish_by(draft: Draft, as_of: date, rng: random.Random) -> None:
    assert draft.decision_posted is not None and draft.decided is not None
    first = max(draft.decision_posted, draft.decided + timedelta(days=7))
    if first <= as_of:
        draft.act_published = _random_day(rng, first, as_of)


def calibrate(
    drafts: list[Draft], targets: Sequence[Target], rng: random.Random, pick: CourtPicker
) -> list[Adjustment]:
    """Edit ``drafts`` in place (and append cases) until every target holds; return what was done."""
    solver = _Solver(drafts, targets, rng, pick)
    adjustments = []
    for target in target_order(targets):
        adjustment = solver.solve(target)
        log.debug("calibrated %s: %d -> %d", adjustment.target_id, adjustment.before, adjustment.after)
        adjustments.append(adjustment)
    return adjustments


__all__ = ["Adjustment", "CalibrationError", "calibrate", "target_order"]
