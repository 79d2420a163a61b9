"""Anonymised texts of verdicts and rulings, written the way military courts write them.

Names become ФИО1, ФИО2…, birth dates ДД.ММ.ГГГГ, places <адрес>, unit numbers stay (they are public
in real texts). The phrasings follow the reference notes on how sentences are worded (ст. 73 with
испытательный срок and control by the command, colony regimes, disciplinary unit, restriction of
service, fine), so the verdict-text extractor meets the real vocabulary, including its false friends
(earlier suspended convictions, «условно-досрочно»).
"""

from __future__ import annotations

import random
from datetime import date

from warduty.replica.drafts import PersonDraft
from warduty.replica.model import Punishment

_MONTHS_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
    "ноября", "декабря",
)  # fmt: skip
_ARTICLE_DEEDS = {
    "337": "самовольное оставление части",
    "338": "дезертирство",
    "332": "неисполнение приказа",
    "334": "насильственные действия в отношении начальника",
    "339": "уклонение от исполнения обязанностей военной службы путём симуляции болезни",
}
_WORDS = {1: "один", 2: "два", 3: "три", 4: "четыре", 5: "пять", 6: "шесть", 7: "семь", 8: "восемь"}


def long_date(day: date) -> str:
    return f"{day.day:02d} {_MONTHS_GENITIVE[day.month - 1]} {day.year} года"


def _dotted(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def term_words(months: int) -> str:
    """``30`` -> ``2 (два) года 6 (шесть) месяцев``, as sentences write terms."""
    years, rest = divmod(months, 12)
    parts = []
    if years:
        unit = "год" if years == 1 else ("года" if years < 5 else "лет")
        parts.append(f"{years} ({_WORDS.get(years, str(years))}) {unit}")
    if rest:
        unit = "месяц" if rest == 1 else ("месяца" if rest < 5 else "месяцев")
        parts.append(f"{rest} ({_WORDS.get(rest, str(rest))}) {unit}")
    return " ".join(parts)


def _charge_phrase(person: PersonDraft) -> str:
    refs = ", ".join(
        (f"п. «{ref.point}» " if ref.point else "") + f"ч. {ref.part} ст. {ref.article}"
        for ref in person.articles
    )
    plural = len(person.articles) > 1
    return f"преступлени{'й' if plural else 'я'}, предусмотренн{'ых' if plural else 'ого'} {refs} УК РФ"


def _service_phrase(person: PersonDraft, unit: str, rng: random.Random) -> str:
    if person.service == "mobilised":
        return (
            "призванного на военную службу по мобилизации "
            f"{rng.choice(('в сентябре', 'в октябре'))} 2022 года, "
            f"проходящего военную службу в войсковой части {unit}"
        )
    if person.service == "contract":
        return f"проходящего военную службу по контракту в войсковой части {unit}"
    return f"проходящего военную службу по призыву в войсковой части {unit}"


def _facts(person: PersonDraft, index: int, rng: random.Random) -> str:
    main = person.articles[0].article
    name = f"ФИО{index}"
    if person.absence_start is not None and person.absence_end is not None:
        start, end = _dotted(person.absence_start), _dotted(person.absence_end)
        purpose = rng.choice(
            ("желая временно уклониться от прохождения военной службы", "желая отдохнуть от службы")
        )
        text = (
            f"{name}, {purpose}, без уважительных причин не явился в срок на службу и в период с {start} "
            f"по {end} проводил время по своему усмотрению"
        )
        if person.returned_voluntarily:
            text += f". {end} {name} добровольно явился в военную комендатуру и заявил о себе"
        else:
            text += f". {end} {name} был обнаружен сотрудниками военной полиции"
        return text + "."
    deed = _ARTICLE_DEEDS.get(main, "преступление")
    return f"{name} совершил {deed} при обстоятельствах, изложенных в обвинительном заключении."


def sentence_phrase(punishment: Punishment, unit: str) -> str:
    kind, term = punishment.kind, punishment.term_months or 0
    if kind == "suspended":
        probation = term_words(punishment.probation_months or 12)
        return (
            f"в виде лишения свободы на срок {term_words(term)}. На основании ст. 73 УК РФ назначенное "
            f"наказание считать условным с испытательным сроком {probation}. Контроль за поведением "
            f"условно осуждённого возложить на командование войсковой части {unit}"
        )
    if kind == "real":
        if punishment.regime == "колонии-поселении":
            place = "в колонии-поселении"
        else:
            place = f"в исправительной колонии {punishment.regime or 'общего'} режима"
        return f"в виде лишения свободы на срок {term_words(term)} с отбыванием наказания {place}"
    if kind == "disciplinary_unit":
        return f"в виде содержания в дисциплинарной воинской части на срок {term_words(term)}"
    if kind == "restriction_of_service":
        share = 10 + 5 * (term % 3)
        return (
            f"в виде ограничения по военной службе на срок {term_words(term)} с удержанием {share}% "
            "из денежного довольствия осуждённого в доход государства"
        )
    return f"в виде штрафа в размере {(term % 5 + 2) * 10000} рублей"


def verdict_text(
    *,
    court_name: str,
    city: str,
    case_number: str,
    judge_genitive: str,
    judge: str,
    decided: date,
    persons: list[PersonDraft],
    seed: int,
) -> str:
    rng = random.Random(seed)
    unit = f"{rng.randint(10000, 99999)}"
    lines = [
        f"Дело № {case_number}",
        "ПРИГОВОР",
        "ИМЕНЕМ РОССИЙСКОЙ ФЕДЕРАЦИИ",
        f"{long_date(decided)} г. {city}",
        f"{court_name} в составе председательствующего судьи {judge_genitive}, при секретаре судебного "
        f"заседания ФИО{len(persons) + 1}, с участием государственного обвинителя — помощника военного "
        f"прокурора гарнизона ФИО{len(persons) + 2}, защитника — адвоката ФИО{len(persons) + 3},",
        "рассмотрев в открытом судебном заседании уголовное дело в отношении",
    ]
    for index, person in enumerate(persons, start=1):
        record = "несудимого"
        if person.prior_conviction:
            record = rng.choice(
                (
                    "ранее судимого ДД.ММ.ГГГГ мировым судьёй по ч. 1 ст. 158 УК РФ к 6 месяцам лишения "
                    "свободы условно с испытательным сроком 1 год",
                    "ранее судимого ДД.ММ.ГГГГ по ч. 1 ст. 264.1 УК РФ, освобождённого условно-досрочно",
                )
            )
        lines.append(
            f"ФИО{index}, ДД.ММ.ГГГГ года рождения, уроженца <адрес>, {_service_phrase(person, unit, rng)}, "
            f"{record}, обвиняемого в совершении {_charge_phrase(person)},"
        )
    lines.append("УСТАНОВИЛ:")
    lines.extend(_facts(person, i, rng) for i, person in enumerate(persons, start=1))
    lines.append(
        "Подсудимый вину в совершении преступления признал полностью, в содеянном раскаялся. "
        "Его вина подтверждается показаниями свидетелей, рапортами и иными исследованными доказательствами."
    )
    lines.append("На основании изложенного, руководствуясь ст. 307–309 УПК РФ, военный суд")
    lines.append("ПРИГОВОРИЛ:")
    for index, person in enumerate(persons, start=1):
        if person.punishment is None:
            lines.append(f"Уголовное дело в отношении ФИО{index} прекращено отдельным постановлением.")
            continue
        lines.append(
            f"Признать ФИО{index} виновным в совершении {_charge_phrase(person)}, и назначить ему наказание "
            f"{sentence_phrase(person.punishment, unit)}."
        )
    lines.append(
        "Приговор может быть обжалован в апелляционном порядке в течение 15 суток со дня его провозглашения."
    )
    lines.append(f"Председательствующий {judge}")
    return "\n".join(lines)


def ruling_text(
    *,
    court_name: str,
    city: str,
    case_number: str,
    judge_genitive: str,
    decided: date,
    persons: list[PersonDraft],
    ground: str,
    seed: int,
) -> str:
    """A ruling (постановление) that ends the case, with its ground."""
    rng = random.Random(seed)
    names = ", ".join(f"ФИО{i}" for i in range(1, len(persons) + 1))
    return "\n".join(
        (
            f"Дело № {case_number}",
            "ПОСТАНОВЛЕНИЕ",
            f"о прекращении уголовного дела {long_date(decided)} г. {city}",
            f"{court_name} в составе председательствующего судьи {judge_genitive}, рассмотрев уголовное дело "
            f"в отношении {names}, ДД.ММ.ГГГГ года рождения, уроженца <адрес>, обвиняемого в совершении "
            f"{_charge_phrase(persons[0])},",
            "УСТАНОВИЛ:",
            f"{_facts(persons[0], 1, rng)}",
            "ПОСТАНОВИЛ:",
            f"Уголовное дело в отношении {names} прекратить {ground}.",
        )
    )
