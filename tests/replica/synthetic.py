"""Small hand-built populations for the server and page tests (independent of the generator)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from warduty.law import ArticleRef
from warduty.replica.model import Punishment, ReplicaAct, ReplicaCase, ReplicaEvent, ReplicaPerson

STANDARD = "27GV0004"  # bgvs--brb.sudrf.ru, standard engine, no captcha
VINTAGE = "63GV0001"  # gvs--sam.sudrf.ru, vintage engine, no captcha
CAPTCHA_A = "27GV0001"  # habargvs--hbr.sudrf.ru, captcha, Хабаровский край
CAPTCHA_B = "27GV0002"  # knagvs--hbr.sudrf.ru, captcha, Хабаровский край
CAPTCHA_OTHER = "78GV0001"  # gvs--spb.sudrf.ru, captcha, Санкт-Петербург
VERDICT_TEXT = (
    "ПРИГОВОР\nИМЕНЕМ РОССИЙСКОЙ ФЕДЕРАЦИИ\n"
    "ФИО1, ДД.ММ.ГГГГ года рождения, проходящий военную службу по мобилизации,\n"
    "признан виновным в совершении преступления, предусмотренного ч. 5 ст. 337 УК РФ,\n"
    "назначить наказание в виде лишения свободы на срок 5 лет условно с испытательным сроком 3 года."
)


@dataclass
class Population:
    cases: dict[str, list[ReplicaCase]] = field(default_factory=dict)

    def cases_for(self, code: str) -> Sequence[ReplicaCase]:
        return self.cases.get(code, [])


def make_case(
    code: str,
    n: int,
    *,
    received: date,
    articles: Sequence[tuple[str, str | None]] = (("337", "5"),),
    decided: date | None = None,
    decision_posted: date | None = None,
    published: date | None = None,
    posted: date | None = None,
    removed: date | None = None,
    persons: int = 1,
) -> ReplicaCase:
    """Case ``n`` of a court; a decision and a verdict text when ``decided`` is given."""
    refs = tuple(ArticleRef(article, part) for article, part in articles)
    raw = "; ".join(str(ref) for ref in refs) + " УК РФ"
    people = tuple(
        ReplicaPerson(
            position=i + 1,
            name=f"Иванов{n}-{i} Иван Иванович",
            articles_raw=raw,
            articles=refs,
            decided=decided,
            result="Вынесен ПРИГОВОР" if decided else None,
            punishment=Punishment("suspended", 60, 36) if decided else None,
        )
        for i in range(persons)
    )
    events = [
        ReplicaEvent("Регистрация поступившего в суд дела", received, "10:00", None, None, None, received)
    ]
    acts: tuple[ReplicaAct, ...] = ()
    if decided is not None:
        events.append(
            ReplicaEvent(
                "Судебное заседание",
                decided,
                "11:00",
                "Зал №1",
                "Вынесен приговор",
                None,
                decision_posted or decided + timedelta(days=2),
            )
        )
        acts = (ReplicaAct(900000 + n, "Приговор", decided, published, VERDICT_TEXT),)
    return ReplicaCase(
        court_code=code,
        case_number=f"1-{n}/{received.year}",
        uid=f"{code}-01-{received.year}-{n:06d}-11",
        site_id=100000 + n,
        site_uid=f"00000000-0000-4000-8000-{n:012d}",
        received=received,
        judge="Петров П.П.",
        category="Уголовные дела",
        decided=decided,
        result="Вынесен ПРИГОВОР" if decided else None,
        legal_force=decided + timedelta(days=20) if decided else None,
        posted=posted or received + timedelta(days=1),
        removed=removed,
        persons=people,
        events=tuple(events),
        acts=acts,
    )


def sample_population() -> Population:
    """60 cases at each test court: mixed articles, received over 2024, half decided, some published."""
    population = Population()
    for code in (STANDARD, VINTAGE, CAPTCHA_A, CAPTCHA_B, CAPTCHA_OTHER):
        cases = []
        for n in range(1, 61):
            received = date(2024, 1, 1) + timedelta(days=3 * n)
            articles: tuple[tuple[str, str | None], ...] = (
                (("337", "5"),) if n % 3 == 0 else (("158", "2"),) if n % 3 == 1 else (("338", "1"),)
            )
            decided = received + timedelta(days=40) if n % 2 == 0 else None
            published = decided + timedelta(days=10) if decided and n % 4 == 0 else None
            cases.append(
                make_case(code, n, received=received, articles=articles, decided=decided, published=published)
            )
        population.cases[code] = cases
    return population
