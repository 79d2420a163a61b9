"""Published texts, sentence mix, outcome mix and posting lags against the population (scale 0.1)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import Engine

from tests.stats import expected
from tests.stats.conftest import AS_OF
from warduty.replica.model import decided_as_of, visible_events
from warduty.replica.population import Population
from warduty.stats import Filters, outcome_mix, posting_lags, sentence_mix
from warduty.stats.outcomes import classify_outcome

MARCH = Filters(("337",), since=date(2024, 3, 1), until=date(2024, 3, 31))


def test_published_texts_and_suspended_share(truth_db: Engine, population: Population) -> None:
    with truth_db.connect() as connection:
        mix = sentence_mix(connection, MARCH)
    sentences, shown, suspended = expected.texts(population, AS_OF, ["337"], "2024-03")
    assert (mix.sentences, mix.published) == (sentences, shown)
    assert shown > 0
    assert mix.suspended == suspended  # read from the text by the extractor, checked against ground truth
    assert mix.suspended + mix.real + mix.disciplinary_unit + mix.other_punishment == mix.published
    shares = {s.key: s for s in mix.shares()}
    assert shares["suspended"].n == mix.published
    assert shares["published"].n == mix.sentences


def test_outcome_mix_of_cases_received(truth_db: Engine, population: Population) -> None:
    since = date(2022, 9, 21)
    with truth_db.connect() as connection:
        mix = {s.key: s.count for s in outcome_mix(connection, Filters(("337",), since=since))}
    want: Counter[str] = Counter()
    for case in population.all_cases():
        if case.visible_on(AS_OF) and case.received >= since:
            shown = decided_as_of(case, AS_OF)
            for person in case.persons:
                if any(ref.article == "337" for ref in person.articles):
                    want[classify_outcome(person.result if shown else None)] += 1
    assert {k: v for k, v in mix.items() if v} == dict(want)


def test_posting_lags_from_the_database_equal_the_population(
    truth_db: Engine, population: Population
) -> None:
    with truth_db.connect() as connection:
        received = sorted(posting_lags(connection, "received", Filters(("337",))))
        sentenced = sorted(posting_lags(connection, "sentences", Filters(("337",))))
    want_received, want_sentenced = [], []
    for case in population.all_cases():
        if not case.visible_on(AS_OF) or "337" not in case.article_numbers:
            continue
        events = visible_events(case, AS_OF)
        # no event posted yet: the database falls back to the day the case was first seen (the run's day)
        want_received.append((case.received, min((e.posted for e in events), default=AS_OF)))
    for case, person in expected.sentenced(population, AS_OF, ["337"]):
        assert person.decided is not None
        posted = min(e.posted for e in visible_events(case, AS_OF) if e.day == person.decided)
        want_sentenced.append((person.decided, posted))
    assert received == sorted(want_received)
    assert sentenced == sorted(want_sentenced)
