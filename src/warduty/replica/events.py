"""The ДВИЖЕНИЕ ДЕЛА timeline of a case, with posting dates consistent with the card and the decision.

Rules: every event is posted on or after its day and on or after the card; the events of the decision
day are posted exactly on ``Draft.decision_posted`` (that is what ``decided_as_of`` looks at); no
other event falls on the decision day.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from warduty.replica.drafts import EXEMPTION_LAW_FROM, Draft, working_day
from warduty.replica.draws import choice, randint
from warduty.replica.model import ReplicaEvent

_POSTPONEMENT_BASES = (
    "неявка подсудимого",
    "для представления доказательств",
    "болезнь защитника",
    "по ходатайству стороны защиты",
    "иные причины",
)


def _clock(rng: random.Random) -> str:
    return f"{randint(rng, 9, 17):02d}:{choice(rng, (0, 10, 15, 20, 30, 40, 45, 50)):02d}"


def _hall(rng: random.Random) -> str:
    return f"Зал № {randint(rng, 1, 3)}"


def build_events(draft: Draft, rng: random.Random) -> tuple[ReplicaEvent, ...]:
    received, decided = draft.received, draft.decided
    rows: list[tuple[str, date, str | None, str | None, str | None, str | None]] = [
        ("Регистрация поступившего в суд дела", received, _clock(rng), None, None, None),
        ("Передача материалов дела судье", received, _clock(rng), None, None, None),
    ]
    if draft.outcome == "transferred" and decided is not None:
        rows.append(
            ("Решение в отношении поступившего уголовного дела", decided, _clock(rng), None,
             "Направлено по подсудности", "ст. 34 УПК РФ")
        )  # fmt: skip
    else:
        schedule_day = working_day(received + timedelta(days=randint(rng, 2, 8)))
        last_before = (decided - timedelta(days=1)) if decided is not None else None
        if last_before is not None and schedule_day > last_before:
            schedule_day = last_before
        if schedule_day > received:
            rows.append(
                ("Решение в отношении поступившего уголовного дела", schedule_day, _clock(rng), None,
                 "Назначено судебное заседание", None)
            )  # fmt: skip
        rows.extend(_hearings(draft, schedule_day, rng))
    rows.extend(_after_decision(draft, rng))
    return tuple(_posted(draft, rows, rng))


def _hearings(
    draft: Draft, schedule_day: date, rng: random.Random
) -> list[tuple[str, date, str | None, str | None, str | None, str | None]]:
    decided = draft.decided
    rows: list[tuple[str, date, str | None, str | None, str | None, str | None]] = []
    day = schedule_day
    if draft.outcome == "suspended":
        stop = working_day(draft.received + timedelta(days=randint(rng, 20, 60)))
        basis = (
            "ходатайство командования воинской части"
            if draft.received >= EXEMPTION_LAW_FROM
            else "розыск подсудимого"
        )
        rows.append(
            ("Судебное заседание", stop, "10:00", _hall(rng), "Производство по делу приостановлено", basis)
        )
        return rows
    assert decided is not None
    for _ in range(choice(rng, (0, 0, 1, 1, 2))):
        day = working_day(day + timedelta(days=randint(rng, 5, 15)))
        if day >= decided:
            break
        rows.append(
            ("Судебное заседание", day, _clock(rng), _hall(rng), "Рассмотрение отложено",
             choice(rng, _POSTPONEMENT_BASES))
        )  # fmt: skip
    time, hall = _clock(rng), _hall(rng)
    if draft.outcome == "verdict":
        rows.append(("Судебное заседание", decided, time, hall, "Постановление приговора", None))
        rows.append(("Провозглашение приговора", decided, time, hall, None, None))
    elif draft.outcome == "dismissed":
        rows.append(
            ("Судебное заседание", decided, time, hall, "Производство по делу прекращено", draft.ground)
        )
    else:
        rows.append(
            ("Судебное заседание", decided, time, hall, "Дело возвращено прокурору", "ст. 237 УПК РФ")
        )
    return rows


def _after_decision(
    draft: Draft, rng: random.Random
) -> list[tuple[str, date, str | None, str | None, str | None, str | None]]:
    decided = draft.decided
    if decided is None or draft.outcome not in ("verdict", "dismissed"):
        return []
    handed = working_day(decided + timedelta(days=randint(rng, 2, 10)))
    archived = working_day(decided + timedelta(days=randint(rng, 45, 200)))
    return [
        ("Дело сдано в отдел судебного делопроизводства", handed, _clock(rng), None, None, None),
        ("Сдача материалов дела в архив", archived, _clock(rng), None, None, None),
    ]


def _posted(
    draft: Draft,
    rows: list[tuple[str, date, str | None, str | None, str | None, str | None]],
    rng: random.Random,
) -> list[ReplicaEvent]:
    events = []
    decided, decision_posted = draft.decided, draft.decision_posted
    for name, day, time, place, result, basis in rows:
        posted = max(draft.posted, day + timedelta(days=randint(rng, 0, 5)))
        if decided is not None and decision_posted is not None:
            if day == decided:
                posted = decision_posted
            elif day < decided:
                posted = min(posted, decision_posted)
            else:
                posted = max(posted, decision_posted)
        events.append(ReplicaEvent(name, day, time, place, result, basis, posted))
    return events
