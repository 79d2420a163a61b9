"""The replica's synthetic case population: every first-instance military court, 2021-01 to 2025-06.

``generate_population(seed, scale)`` draws cases month by month from ``data/receipts.csv`` (expected
receipts per watched article plus a background of ordinary offences), spreads them over courts,
calibrates them to the published figures in ``data/targets.csv`` (see ``calibrate.py``), then freezes
them into :class:`~warduty.replica.model.ReplicaCase` records with case numbers, UIDs, site ids,
judges, event timelines and anonymised texts. The same seed and scale give the same population.
"""

from __future__ import annotations

import csv
import gc
import itertools
import random
import uuid
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, partial
from importlib import resources

from warduty.courts import Court, load_registry
from warduty.replica.calibrate import Adjustment, calibrate
from warduty.replica.drafts import WATCHED, Draft, new_draft, working_day
from warduty.replica.draws import choice, randint
from warduty.replica.events import build_events
from warduty.replica.model import LazyText, ReplicaAct, ReplicaCase, ReplicaPerson
from warduty.replica.names import genitive_judge, judge_name
from warduty.replica.targets import Target, load_targets
from warduty.replica.texts import ruling_text, verdict_text

DEFAULT_SEED = 20240412
FIRST_RECEIPT = date(2021, 1, 1)
LAST_RECEIPT = date(2025, 6, 30)
# Shares of watched cases fixed for the regions the published ranking names; every other region
# is held below _REGION_CAP so that the ranking comes out as published.
_FIXED_REGION_SHARES = {
    "Московская область": 0.068,
    "Свердловская область": 0.035,
    "Оренбургская область": 0.0345,
}
_REGION_CAP = 0.025
_SPECIAL_CASES_PER_DISTRICT_MONTH = 3


class PopulationError(ValueError):
    """The population cannot be built with the arguments given."""


@dataclass(frozen=True, slots=True)
class MonthPlan:
    month: date  # first day
    counts: Mapping[str, int]  # watched article -> cases; "background" -> ordinary offences


def load_receipts() -> list[MonthPlan]:
    text = resources.files("warduty.replica").joinpath("data/receipts.csv").read_text("utf-8")
    plans = []
    for row in csv.DictReader(text.splitlines()):
        year, month = (int(x) for x in row.pop("month").split("-"))
        plans.append(MonthPlan(date(year, month, 1), {key: int(value) for key, value in row.items()}))
    return plans


def case_courts() -> list[Court]:
    """First-instance courts with a sudrf case search: garrison courts and district courts."""
    return [c for c in load_registry() if c.on_sudrf and c.first_instance]


def watched_weights(courts: list[Court]) -> dict[str, float]:
    """Share of watched cases per garrison court; fixed for named regions, capped for the rest."""
    garrison = [c for c in courts if c.level == "garrison"]
    by_region: dict[str, list[Court]] = defaultdict(list)
    for court in garrison:
        by_region[court.seat_region_ru].append(court)
    weights: dict[str, float] = {}
    for region, share in _FIXED_REGION_SHARES.items():
        members = by_region.pop(region)
        for court in members:
            weights[court.code] = share / len(members)
    free = 1.0 - sum(_FIXED_REGION_SHARES.values())
    raw = {
        c.code: (0.15 if c.abroad else random.Random(c.code).uniform(0.5, 1.5))
        for members in by_region.values()
        for c in members
    }
    capped: set[str] = set()
    for _ in range(20):
        open_total = sum(w for region, members in by_region.items() if region not in capped
                         for w in (raw[c.code] for c in members))  # fmt: skip
        budget = free - _REGION_CAP * len(capped)
        for region, members in by_region.items():
            for court in members:
                weights[court.code] = (
                    _REGION_CAP * raw[court.code] / sum(raw[m.code] for m in members)
                    if region in capped
                    else budget * raw[court.code] / open_total
                )
        over = {r for r, members in by_region.items() if sum(weights[c.code] for c in members) > _REGION_CAP}
        if over <= capped:
            break
        capped |= over
    return weights


class _CourtPicker:
    def __init__(self, courts: list[Court]) -> None:
        self.region = {c.code: c.seat_region_ru for c in courts}
        weights = watched_weights(courts)
        self.codes = sorted(weights)
        # rng.choices would sum the weights on every call; these are the same floats, summed once.
        self.cum_weights = list(itertools.accumulate(weights[c] for c in self.codes))
        self.background_codes = [c.code for c in courts if c.level == "garrison"]
        self.districts = [c.code for c in courts if c.level == "district"]

    def __call__(self, rng: random.Random, region: str | None) -> tuple[str, str]:
        if region is None:
            code = rng.choices(self.codes, cum_weights=self.cum_weights)[0]
        else:
            members = [c for c in self.codes if self.region[c] == region]
            if not members:
                raise PopulationError(f"no garrison court sits in {region!r}")
            code = choice(rng, members)
        return code, self.region[code]


def _days_of(month: date) -> int:
    following = date(month.year + (month.month == 12), 1 if month.month == 12 else month.month + 1, 1)
    return (following - month).days


def _receipt_day(rng: random.Random, month: date) -> date:
    day = month + timedelta(days=rng.randrange(_days_of(month)))
    moved = working_day(day)
    return moved if moved.month == month.month else day - timedelta(days=day.weekday() - 4)


def base_drafts(rng: random.Random, scale: float, picker: _CourtPicker) -> list[Draft]:
    drafts = []
    for plan in load_receipts():
        for article, expected in plan.counts.items():
            for _ in range(round(expected * scale)):
                received = _receipt_day(rng, plan.month)
                if article == "background":
                    code = choice(rng, picker.background_codes)
                    drafts.append(new_draft(rng, code, picker.region[code], received, None))
                else:
                    code, region = picker(rng, None)
                    drafts.append(new_draft(rng, code, region, received, article))
        for code in picker.districts:
            for _ in range(round(_SPECIAL_CASES_PER_DISTRICT_MONTH * scale * rng.uniform(0.5, 1.5))):
                received = _receipt_day(rng, plan.month)
                drafts.append(new_draft(rng, code, picker.region[code], received, None, special=True))
    return drafts


class Population:
    """A frozen synthetic population; look cases up by court, site id and document id."""

    def __init__(
        self,
        seed: int,
        scale: float,
        cases: Mapping[str, tuple[ReplicaCase, ...]],
        adjustments: list[Adjustment],
    ) -> None:
        self.seed = seed
        self.scale = scale
        self.courts: tuple[str, ...] = tuple(sorted(cases))
        self.adjustments: tuple[Adjustment, ...] = tuple(adjustments)
        self._cases = dict(cases)
        self._by_site = {(c.court_code, c.site_id): c for cs in cases.values() for c in cs}
        self._by_doc = {(c.court_code, a.doc_id): (c, a) for cs in cases.values() for c in cs for a in c.acts}

    def cases_for(self, court_code: str) -> tuple[ReplicaCase, ...]:
        """A court's cases sorted by receipt date, then case number; () for a court without cases."""
        if court_code in self._cases:
            return self._cases[court_code]
        load_registry().by_code(court_code)  # raises UnknownCourtError for a code no court has
        return ()

    def all_cases(self) -> Iterator[ReplicaCase]:
        for code in self.courts:
            yield from self._cases[code]

    def case_by_site_id(self, court_code: str, site_id: int) -> ReplicaCase | None:
        return self._by_site.get((court_code, site_id))

    def act_by_doc_id(self, court_code: str, doc_id: int) -> tuple[ReplicaCase, ReplicaAct] | None:
        return self._by_doc.get((court_code, doc_id))

    def __len__(self) -> int:
        return len(self._by_site)


def generate_population(seed: int = DEFAULT_SEED, scale: float = 1.0) -> Population:
    """The population for ``seed`` and ``scale`` (case counts multiplied by ``scale``), cached."""
    if not 0 < scale <= 4:
        raise PopulationError(f"scale must be above 0 and at most 4, not {scale}")
    return _generate(int(seed), float(scale))


@cache
def _generate(seed: int, scale: float) -> Population:
    with _collector_paused():
        rng = random.Random(seed)
        courts = case_courts()
        picker = _CourtPicker(courts)
        drafts = base_drafts(rng, scale, picker)
        targets: list[Target] = [t.scaled(scale) for t in load_targets()]
        adjustments = calibrate(drafts, targets, rng, picker)
        kept = [d for d in drafts if d.removed is None or d.removed > d.posted]
        return Population(seed, scale, _freeze(kept, courts, rng), adjustments)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while the population is built: it adds about a million records that
    all stay alive, and each collection the allocations set off would walk all of them again (a quarter
    of the build's CPU at scale 1). Refcounting still frees the temporaries."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _freeze(
    drafts: list[Draft], courts: list[Court], rng: random.Random
) -> dict[str, tuple[ReplicaCase, ...]]:
    by_court: dict[str, list[Draft]] = defaultdict(list)
    for draft in drafts:
        by_court[draft.court_code].append(draft)
    court_by_code = {c.code: c for c in courts}
    frozen: dict[str, tuple[ReplicaCase, ...]] = {}
    for code in sorted(by_court):
        court = court_by_code[code]
        court_rng = random.Random(f"{rng.random()}-{code}")
        judges = [judge_name(court_rng) for _ in range(randint(court_rng, 2, 6))]
        frozen[code] = tuple(
            _freeze_court(court, sorted(by_court[code], key=_draft_order), judges, court_rng)
        )
    return frozen


def _draft_order(draft: Draft) -> tuple[date, date, int]:
    return (draft.received, draft.posted, draft.seed)


def _freeze_court(
    court: Court, drafts: list[Draft], judges: list[str], rng: random.Random
) -> list[ReplicaCase]:
    prefix = "2" if court.level == "district" else "1"
    numbers: dict[int, int] = defaultdict(int)
    uid_seq: dict[int, int] = {}
    site_ids = _increasing_ids(rng, len(drafts), start=randint(rng, 1_000_000, 9_000_000))
    posting_rank = sorted(range(len(drafts)), key=lambda i: (drafts[i].posted, i))
    site_id_of = {index: site_ids[rank] for rank, index in enumerate(posting_rank)}
    doc_id = randint(rng, 10_000_000, 90_000_000)
    cases = []
    for index, draft in enumerate(drafts):
        year = draft.received.year
        numbers[year] += 1
        uid_seq[year] = uid_seq.get(year, randint(rng, 1, 60)) + randint(rng, 1, 4)
        case_number = f"{prefix}-{numbers[year]}/{year}"
        judge = choice(rng, judges)
        acts: tuple[ReplicaAct, ...] = ()
        if draft.act_published is not None and draft.decided is not None:
            doc_id += randint(rng, 1, 40)
            acts = (_act(court, draft, case_number, judge, doc_id),)
        cases.append(
            ReplicaCase(
                court_code=court.code,
                case_number=case_number,
                uid=f"{court.code}-01-{year}-{uid_seq[year]:06d}-{randint(rng, 0, 99):02d}",
                site_id=site_id_of[index],
                site_uid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                received=draft.received,
                judge=judge,
                category=_category(draft),
                decided=draft.decided,
                result=draft.case_result if draft.decided is not None else None,
                legal_force=_legal_force(draft, rng),
                posted=draft.posted,
                removed=draft.removed,
                persons=tuple(_person(draft, position) for position, _ in enumerate(draft.persons, start=1)),
                events=build_events(draft, random.Random(draft.seed)),
                acts=acts,
            )
        )
    return cases


def _increasing_ids(rng: random.Random, count: int, start: int) -> list[int]:
    ids, current = [], start
    for _ in range(count):
        current += randint(rng, 1, 9)
        ids.append(current)
    return ids


def _category(draft: Draft) -> str:
    if draft.numbers & set(WATCHED):
        return "Преступления против военной службы"
    if draft.numbers & {"205.2", "205.5", "275"}:
        return "Преступления против общественной безопасности и основ конституционного строя"
    return "Иные преступления"


def _legal_force(draft: Draft, rng: random.Random) -> date | None:
    if draft.decided is None or draft.outcome not in ("verdict", "dismissed"):
        return None
    appealed = rng.random() < 0.2
    return draft.decided + timedelta(days=randint(rng, 60, 150) if appealed else randint(rng, 16, 40))


def _person(draft: Draft, position: int) -> ReplicaPerson:
    person = draft.persons[position - 1]
    return ReplicaPerson(
        position=position,
        name=person.name,
        articles_raw=person.articles_raw,
        articles=person.articles,
        decided=draft.decided if person.result is not None else None,
        result=person.result if draft.decided is not None else None,
        punishment=person.punishment,
        mobilised=person.service == "mobilised",
        service=person.service,
        absence_start=person.absence_start,
        absence_end=person.absence_end,
    )


def _act(court: Court, draft: Draft, case_number: str, judge: str, doc_id: int) -> ReplicaAct:
    """The act, its text written when first read: the text draws from its own seed, not from ``rng``."""
    assert draft.decided is not None and draft.act_published is not None
    judge_genitive = genitive_judge(judge)
    if draft.outcome == "verdict":
        text = partial(
            verdict_text,
            court_name=court.name_ru, city=court.city_ru, case_number=case_number,
            judge_genitive=judge_genitive, judge=judge, decided=draft.decided, persons=draft.persons,
            seed=draft.seed,
        )  # fmt: skip
        return ReplicaAct(doc_id, "Приговор", draft.decided, draft.act_published, LazyText(text))
    text = partial(
        ruling_text,
        court_name=court.name_ru, city=court.city_ru, case_number=case_number,
        judge_genitive=judge_genitive, decided=draft.decided, persons=draft.persons, seed=draft.seed,
        ground=draft.ground or "по основаниям, предусмотренным законом",
    )  # fmt: skip
    return ReplicaAct(doc_id, "Постановление", draft.decided, draft.act_published, LazyText(text))
