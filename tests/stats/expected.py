"""Statistics computed independently, in plain Python, from the replica population (what the sites show
on ``as_of``), to compare with the SQL statistics over a database loaded from the ground truth."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date

from warduty.courts import load_registry
from warduty.replica.model import ReplicaCase, ReplicaPerson, decided_as_of, visible_acts
from warduty.replica.population import Population

REGISTRY = {court.code: court for court in load_registry()}


def month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def received(
    population: Population,
    as_of: date,
    articles: Iterable[str],
    key: Callable[[ReplicaCase], str] = lambda c: month(c.received),
    since: date = date.min,
    until: date = date.max,
) -> Counter[str]:
    wanted = set(articles)
    counts: Counter[str] = Counter()
    for case in population.all_cases():
        if case.visible_on(as_of) and case.article_numbers & wanted and since <= case.received <= until:
            counts[key(case)] += 1
    return counts


def sentenced(
    population: Population, as_of: date, articles: Iterable[str]
) -> list[tuple[ReplicaCase, ReplicaPerson]]:
    wanted = set(articles)
    out = []
    for case in population.all_cases():
        if not case.visible_on(as_of) or not decided_as_of(case, as_of):
            continue
        for person in case.persons:
            articles = {ref.article for ref in person.articles}
            if person.result and "приговор" in person.result.lower() and person.decided and articles & wanted:
                out.append((case, person))
    return out


def sentences(
    population: Population,
    as_of: date,
    articles: Iterable[str],
    key: Callable[[ReplicaCase, ReplicaPerson], str] = lambda c, p: month(p.decided or c.received),
) -> Counter[str]:
    return Counter(key(case, person) for case, person in sentenced(population, as_of, articles))


def texts(
    population: Population, as_of: date, articles: Iterable[str], in_month: str
) -> tuple[int, int, int]:
    """(sentences, with a verdict text shown, suspended among them by ground truth) in ``in_month``."""
    total = shown = suspended = 0
    for case, person in sentenced(population, as_of, articles):
        if person.decided is None or month(person.decided) != in_month:
            continue
        total += 1
        if any(act.kind == "Приговор" for act in visible_acts(case, as_of)):
            shown += 1
            suspended += bool(person.punishment and person.punishment.kind == "suspended")
    return total, shown, suspended
