"""The synthetic population: deterministic, well-formed, consistent with the law and the sites' rules."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date

import pytest

from warduty.courts import UnknownCourtError, load_registry
from warduty.law import parse_articles
from warduty.replica.drafts import MOBILISATION_PARTS_FROM, VERDICT
from warduty.replica.model import ReplicaCase, decided_as_of
from warduty.replica.population import (
    Population,
    PopulationError,
    _generate,
    case_courts,
    generate_population,
    watched_weights,
)

SMALL = 0.05
WATCHED = {"332", "334", "337", "338", "339"}
MOBILISATION_PARTS = {"337": {"2.1", "3.1", "5"}, "338": {"3"}}
PEACETIME_PARTS = {"337": {"1", "2", "3", "4"}, "338": {"1", "2"}}
UID = re.compile(r"^(\d{2}(?:GV|OV)\d{4})-01-(\d{4})-(\d{6})-(\d{2})$")


@pytest.fixture(scope="module")
def small() -> Population:
    return generate_population(scale=SMALL)


def _cases(population: Population) -> list[ReplicaCase]:
    return list(population.all_cases())


def test_same_seed_gives_the_same_population_and_another_seed_does_not() -> None:
    first = _cases(generate_population(seed=7, scale=SMALL))
    _generate.cache_clear()
    again = _cases(generate_population(seed=7, scale=SMALL))
    assert first == again
    other = _cases(generate_population(seed=8, scale=SMALL))
    assert [c.uid for c in other] != [c.uid for c in first]


def test_only_first_instance_courts_with_a_search_host_have_cases(small: Population) -> None:
    registry = load_registry()
    expected = {c.code for c in registry if c.search_host and c.level in ("garrison", "district")}
    assert set(small.courts) <= expected
    assert "50AV0000" not in small.courts and "54KV0000" not in small.courts
    garrison = [code for code in small.courts if registry.by_code(code).level == "garrison"]
    assert len(garrison) >= 95
    assert small.cases_for("54KV0000") == ()
    with pytest.raises(UnknownCourtError):
        small.cases_for("99GV9999")


def test_scale_must_be_sensible() -> None:
    for bad in (0, -1, 10):
        with pytest.raises(PopulationError):
            generate_population(scale=bad)


def test_case_numbers_uids_and_site_ids(small: Population) -> None:
    uids: set[str] = set()
    for code in small.courts:
        cases = small.cases_for(code)
        assert list(cases) == sorted(
            cases, key=lambda c: (c.received, int(c.case_number.split("-")[1].split("/")[0]))
        )
        per_year: dict[int, list[int]] = defaultdict(list)
        for case in cases:
            prefix, rest = case.case_number.split("-", 1)
            number, year = rest.split("/")
            assert prefix in ("1", "2") and int(year) == case.received.year
            per_year[case.received.year].append(int(number))
            match = UID.match(case.uid)
            assert match and match.group(1) == code and int(match.group(2)) == case.received.year
            assert small.case_by_site_id(code, case.site_id) is case
            assert re.fullmatch(
                r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", case.site_uid
            )
        for numbers in per_year.values():
            assert numbers == list(range(1, len(numbers) + 1))
        assert len({c.site_id for c in cases}) == len(cases)
        assert 2 <= len({c.judge for c in cases}) <= 6 or len(cases) < 12
        uids.update(c.uid for c in cases)
    assert len(uids) == len(small)
    assert small.case_by_site_id(small.courts[0], -1) is None


def test_persons_articles_are_parsed_card_strings(small: Population) -> None:
    counts = Counter(len(c.persons) for c in small.all_cases())
    assert set(counts) <= {1, 2, 3} and counts[1] > 0.8 * sum(counts.values())
    hidden = 0
    for case in small.all_cases():
        for person in case.persons:
            assert person.articles_raw.endswith(" УК РФ") and person.articles_raw.startswith("ст.")
            assert person.articles == tuple(parse_articles(person.articles_raw))
            hidden += person.hidden
            if not person.hidden:
                assert len(person.name.split()) == 3
    assert hidden > 0


def test_background_is_at_least_as_large_as_the_watched_articles(small: Population) -> None:
    watched = sum(1 for c in small.all_cases() if c.article_numbers & WATCHED)
    background = sum(1 for c in small.all_cases() if not c.article_numbers & WATCHED)
    assert background >= watched > 0


def test_mobilisation_parts_only_for_acts_from_24_september_2022(small: Population) -> None:
    seen_mobilisation = seen_peacetime = 0
    for case in small.all_cases():
        for person in case.persons:
            main = person.articles[0]
            # absence dates describe the one episode of a single-article charge
            if (
                len(person.articles) != 1
                or main.article not in ("337", "338")
                or person.absence_start is None
            ):
                continue
            assert person.absence_end is not None and person.absence_end > person.absence_start
            assert person.absence_end < case.received
            if person.absence_start >= MOBILISATION_PARTS_FROM:
                assert main.part in MOBILISATION_PARTS[main.article]
                seen_mobilisation += 1
            else:
                assert main.part in PEACETIME_PARTS[main.article]
                seen_peacetime += 1
            days = (person.absence_end - person.absence_start).days
            if main.article == "337" and main.part in ("5", "4"):
                assert days > 30
            if main.article == "337" and main.part in ("2.1",):
                assert days <= 10
    assert seen_mobilisation and seen_peacetime


def test_outcomes_events_and_posting_dates_agree(small: Population) -> None:
    outcomes: Counter[str] = Counter()
    for case in small.all_cases():
        assert case.posted >= case.received and (case.removed is None or case.removed > case.posted)
        assert FIRST <= case.received <= LAST
        for event in case.events:
            assert event.posted >= event.day and event.posted >= case.posted
        if case.decided is None:
            assert case.result is None and case.legal_force is None
            assert all(p.decided is None for p in case.persons)
            outcomes["pending"] += 1
            continue
        assert case.decided > case.received
        assert decided_as_of(case, max(e.posted for e in case.events))
        on_the_day = [e for e in case.events if e.day == case.decided]
        assert on_the_day and len({e.posted for e in on_the_day}) == 1
        assert case.result is not None
        outcomes[case.result.split("\n")[0]] += 1
        if case.legal_force is not None:
            assert case.legal_force > case.decided
    assert {VERDICT, "Уголовное дело ПРЕКРАЩЕНО", "ВОЗВРАЩЕНО ПРОКУРОРУ"} <= set(outcomes)
    assert outcomes[VERDICT] > 0.6 * sum(outcomes.values())


FIRST, LAST = date(2021, 1, 1), date(2025, 6, 30)


def test_verdict_texts_are_anonymised_and_carry_the_ground_truth(small: Population) -> None:
    kinds: Counter[str] = Counter()
    for case in small.all_cases():
        for act in case.acts:
            assert act.published is not None and act.published >= act.act_date == case.decided
            assert small.act_by_doc_id(case.court_code, act.doc_id) == (case, act)
            # Defendants are ФИО1 or their initials; the other participants are always ФИОn.
            assert re.search(r"ФИО\d", act.text) and "ДД.ММ.ГГГГ" in act.text
            assert 5_000 <= len(act.text.encode("utf-8")) <= 60_000
            assert act.text.startswith(f"Дело № {case.case_number}")
            if act.kind == "Приговор":
                assert act.text.endswith(f"Председательствующий {case.judge}")
            for person in case.persons:
                if not person.hidden:
                    assert person.name not in act.text
            if act.kind != "Приговор":
                continue
            for person in case.persons:
                if person.punishment is None:
                    continue
                kinds[person.punishment.kind] += 1
                marker = {
                    "suspended": "ст. 73 УК РФ назначенное наказание считать условным с испытательным сроком",
                    "real": "с отбыванием наказания в",
                    "disciplinary_unit": "дисциплинарной воинской части",
                    "restriction_of_service": "ограничения по военной службе",
                    "fine": "штрафа",
                }[person.punishment.kind]
                assert marker in act.text
                if person.absence_start and person.absence_end and len(case.persons) == 1:
                    span = f"с {person.absence_start:%d.%m.%Y} по {person.absence_end:%d.%m.%Y}"
                    assert span in act.text
                if person.service == "mobilised" and len(case.persons) == 1:
                    assert "призванного на военную службу по мобилизации" in act.text
    assert kinds["suspended"] and kinds["real"]
    assert small.act_by_doc_id(small.courts[0], -5) is None


def test_published_share_falls_from_autumn_2022_to_2024() -> None:
    population = generate_population(scale=0.2)
    published: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for case in population.all_cases():
        if "337" not in case.article_numbers or case.decided is None or not case.result:
            continue
        if not case.result.startswith(VERDICT):
            continue
        period = "autumn_2022" if date(2022, 9, 1) <= case.decided <= date(2022, 11, 30) else None
        period = "2024" if case.decided.year == 2024 else period
        if period:
            total[period] += 1
            published[period] += any(a.kind == "Приговор" for a in case.acts)
    autumn = published["autumn_2022"] / total["autumn_2022"]
    later = published["2024"] / total["2024"]
    assert 0.3 < autumn < 0.7 and later < 0.12 and autumn > 4 * later


def test_named_regions_get_their_fixed_share_and_others_stay_below() -> None:
    courts = case_courts()
    weights = watched_weights(courts)
    by_region: Counter[str] = Counter()
    for court in courts:
        by_region[court.seat_region_ru] += weights.get(court.code, 0.0)
    assert abs(sum(weights.values()) - 1.0) < 1e-9
    top = [region for region, _ in by_region.most_common(3)]
    assert top == ["Московская область", "Свердловская область", "Оренбургская область"]
