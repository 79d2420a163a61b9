"""Anonymised texts of verdicts and rulings, as varied as the acts military courts publish.

A text is written from the draft's true facts: the final sentence of each defendant (kind, term,
probation, colony regime, fine) is :attr:`PersonDraft.punishment`, whatever else the text says. Around it
the text varies the way real acts do (see :class:`TextStyle`): several counts with a final sentence under
ч. 2/3 ст. 69 or ст. 70 УК РФ, terms in figures, in words or both («2 (два) года», «в виде трех лет
лишения свободы»), «ПРИГОВОРИЛ:» spaced out or in lower case, names as ФИО1 or initials, dates hidden or
not, CR or CRLF line ends, and 5–60 KB of invented facts, evidence and reasoning. The traps real texts
hold are there too: earlier suspended sentences and their cancellation (ч. 5 ст. 74), earlier sentences
«исполнять самостоятельно», an amnesty, costs in roubles that are not a fine, credit for time in custody,
and art. 337 named only as a case the investigator refused to open.

All variety comes from ``random.Random`` seeded by the draft's own text seed (drawn once per draft), so
texts never touch the random stream the population's facts are drawn from.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from warduty.replica.drafts import PersonDraft
from warduty.replica.draws import choice, randint
from warduty.replica.model import Punishment
from warduty.replica.names import HIDDEN_NAME

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
# (nominative/accusative, genitive) of the numbers terms use; «один год», «одного года».
_NUMBER_WORDS = {
    1: ("один", "одного"), 2: ("два", "двух"), 3: ("три", "трех"), 4: ("четыре", "четырех"),
    5: ("пять", "пяти"), 6: ("шесть", "шести"), 7: ("семь", "семи"), 8: ("восемь", "восьми"),
    9: ("девять", "девяти"), 10: ("десять", "десяти"), 11: ("одиннадцать", "одиннадцати"),
    12: ("двенадцать", "двенадцати"),
}  # fmt: skip
_TENS_OF_THOUSANDS = {
    1: ("десять", "десяти"), 2: ("двадцать", "двадцати"), 3: ("тридцать", "тридцати"), 4: ("сорок", "сорока"),
    5: ("пятьдесят", "пятидесяти"), 6: ("шестьдесят", "шестидесяти"), 7: ("семьдесят", "семидесяти"),
}  # fmt: skip

NUMERALS = ("figures_words", "figures", "words")
OPERATIVE_HEADINGS = ("ПРИГОВОРИЛ:", "П Р И Г О В О Р И Л:", "приговорил:", "ПРИГОВОРИЛ :")
TITLES = ("ПРИГОВОР", "П Р И Г О В О Р", "ПРИГОВОР\nИМЕНЕМ РОССИЙСКОЙ ФЕДЕРАЦИИ")
LINE_ENDS = ("\n", "\r\n", "\r")
MIN_BYTES, MAX_BYTES = 5_000, 60_000


@dataclass(frozen=True, slots=True)
class TextStyle:
    """How one act is written; drawn from the act's seed (:func:`verdict_style`)."""

    numerals: str  # figures_words «2 (два) года», figures «2 года», words «два года»
    genitive_terms: bool  # «в виде двух лет лишения свободы» instead of «лишения свободы на срок …»
    operative_heading: str
    title: str
    initials: bool  # defendants named by initials («И.И.И.») instead of ФИО1
    hidden_dates: bool  # birth and earlier-sentence dates as ДД.ММ.ГГГГ
    line_end: str
    target_bytes: int  # UTF-8 size the text is padded to with invented facts and reasoning


def verdict_style(seed: int) -> TextStyle:
    rng = random.Random(f"text-style|{seed}")
    # Sizes spread like real acts (a long tail towards 60 KB): log-uniform between the bounds.
    target = int(MIN_BYTES * (MAX_BYTES / MIN_BYTES) ** rng.random())
    return TextStyle(
        numerals=choice(rng, NUMERALS),
        genitive_terms=rng.random() < 0.3,
        operative_heading=rng.choices(OPERATIVE_HEADINGS, weights=(6, 2, 2, 1))[0],
        title=choice(rng, TITLES),
        initials=rng.random() < 0.3,
        hidden_dates=rng.random() < 0.8,
        line_end=rng.choices(LINE_ENDS, weights=(5, 4, 1))[0],
        target_bytes=min(MAX_BYTES - 2_000, target),
    )


def long_date(day: date) -> str:
    return f"{day.day:02d} {_MONTHS_GENITIVE[day.month - 1]} {day.year} года"


def _dotted(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    return few if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else many


def _count(n: int, style: str, *, genitive: bool, units: tuple[str, str, str, str]) -> str:
    """``n`` of a unit: units are (one, few, many, genitive plural), e.g. год/года/лет/лет."""
    one, few, many, gen_plural = units
    if genitive:
        unit = ("года" if one == "год" else "месяца") if n % 10 == 1 and n % 100 != 11 else gen_plural
    else:
        unit = _plural(n, one, few, many)
    word = _NUMBER_WORDS.get(n, (str(n), str(n)))[1 if genitive else 0]
    if style == "words":
        return f"{word} {unit}"
    if style == "figures":
        return f"{n} {unit}"
    return f"{n} ({word}) {unit}"


def term_words(months: int, style: str = "figures_words", *, genitive: bool = False) -> str:
    """``30`` -> ``2 (два) года 6 (шесть) месяцев`` (or in figures, words, the genitive)."""
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(_count(years, style, genitive=genitive, units=("год", "года", "лет", "лет")))
    if rest:
        parts.append(_count(rest, style, genitive=genitive, units=("месяц", "месяца", "месяцев", "месяцев")))
    return " ".join(parts)


def restriction_share(punishment: Punishment) -> int:
    """The share withheld under a restriction of service (ground truth of ``deduction_percent``)."""
    return 10 + 5 * ((punishment.term_months or 0) % 3)


def fine_rubles(punishment: Punishment) -> int:
    """The amount of a fine (ground truth of ``fine_rubles``)."""
    return ((punishment.term_months or 0) % 5 + 2) * 10000


def _money(amount: int, style: str) -> str:
    thousands = amount // 1000
    figures = f"{thousands} 000" if amount % 1000 == 0 else f"{amount:,}".replace(",", " ")
    words = _TENS_OF_THOUSANDS.get(thousands // 10) if thousands % 10 == 0 else None
    if style == "figures_words" and words:
        return f"{figures} ({words[0]} тысяч) рублей"
    if style == "words" and words:
        return f"{words[1]} тысяч рублей"
    return f"{figures} рублей"


def _regime_place(punishment: Punishment) -> str:
    if punishment.regime == "колонии-поселении":
        return "в колонии-поселении"
    return f"в исправительной колонии {punishment.regime or 'общего'} режима"


def sentence_phrase(punishment: Punishment, unit: str, style: TextStyle | None = None) -> str:
    """The punishment as the operative part words it (after «назначить … наказание»)."""
    style = style or TextStyle("figures_words", False, "ПРИГОВОРИЛ:", "ПРИГОВОР", False, True, "\n", 0)
    kind, term = punishment.kind, punishment.term_months or 0
    numerals = style.numerals

    def imprisonment() -> str:
        if style.genitive_terms:
            return f"в виде {term_words(term, numerals, genitive=True)} лишения свободы"
        return f"в виде лишения свободы на срок {term_words(term, numerals)}"

    if kind == "suspended":
        probation = term_words(punishment.probation_months or 12, numerals)
        return (
            f"{imprisonment()}. На основании ст. 73 УК РФ назначенное наказание считать условным с "
            f"испытательным сроком {probation}. Контроль за поведением условно осуждённого возложить на "
            f"командование войсковой части {unit}"
        )
    if kind == "real":
        return f"{imprisonment()} с отбыванием наказания {_regime_place(punishment)}"
    if kind == "disciplinary_unit":
        return f"в виде содержания в дисциплинарной воинской части на срок {term_words(term, numerals)}"
    if kind == "restriction_of_service":
        return (
            f"в виде ограничения по военной службе на срок {term_words(term, numerals)} с удержанием "
            f"{restriction_share(punishment)}% из денежного довольствия осуждённого в доход государства"
        )
    return f"в виде штрафа в размере {_money(fine_rubles(punishment), numerals)}"


def _count_phrase(punishment: Punishment, style: TextStyle, rng: random.Random) -> str:
    """A lesser punishment for one count of several (before the final sentence under ст. 69)."""
    kind, term = punishment.kind, punishment.term_months or 0
    lesser = max(1, term - randint(rng, 1, max(1, term // 3)))
    if kind in ("suspended", "real"):
        if style.genitive_terms:
            return f"в виде {term_words(lesser, style.numerals, genitive=True)} лишения свободы"
        return f"в виде лишения свободы на срок {term_words(lesser, style.numerals)}"
    if kind == "disciplinary_unit":
        return (
            f"в виде содержания в дисциплинарной воинской части на срок {term_words(lesser, style.numerals)}"
        )
    if kind == "restriction_of_service":
        return f"в виде ограничения по военной службе на срок {term_words(lesser, style.numerals)}"
    return f"в виде штрафа в размере {_money(max(5000, fine_rubles(punishment) - 10000), style.numerals)}"


def _ref(ref_article: str, part: str | None, point: str | None) -> str:
    return (f"п. «{point}» " if point else "") + (f"ч. {part} " if part else "") + f"ст. {ref_article}"


def _charge_phrase(person: PersonDraft) -> str:
    refs = ", ".join(_ref(ref.article, ref.part, ref.point) for ref in person.articles)
    plural = len(person.articles) > 1
    return f"преступлени{'й' if plural else 'я'}, предусмотренн{'ых' if plural else 'ого'} {refs} УК РФ"


def _initials(name: str) -> str:
    parts = [part for part in name.split() if part]
    return "".join(f"{part[0]}." for part in parts[:3]) if parts else "Н.Н."


# The paragraphs ``_Writer.filler`` picks from; only the one picked is filled in.
_FILLERS = (
    "Свидетель {witness}, {rank} войсковой части {unit}, в судебном заседании показал, что "
    "{name} проходил военную службу в подчинённом ему подразделении, по службе характеризовался "
    "удовлетворительно, замечаний по исполнению обязанностей не имел; об отсутствии подсудимого в "
    "части было доложено командиру в тот же день, меры к его розыску приняты незамедлительно.",
    "Согласно выписке из приказа командира войсковой части {unit} от {day} № {number} "
    "{name} зачислен в списки личного состава части и полагается приступившим к исполнению "
    "обязанностей по воинской должности; из копии контракта и служебной карточки следует, что он "
    "ознакомлен с обязанностями военнослужащего и с ответственностью за их неисполнение.",
    "Из протокола осмотра документов от {day} следует, что осмотрены книга учёта личного "
    "состава подразделения и журнал вечерних поверок за период службы {name}, в которых отсутствие "
    "подсудимого отмечено ежедневно, отметок об убытии в командировку, отпуск или на лечение нет.",
    "Свидетель {witness} показала, что является знакомой подсудимого, в указанный период {name} "
    "проживал по месту её жительства, о своих намерениях вернуться в часть не сообщал, каких-либо "
    "заболеваний, препятствующих прохождению службы, у него не было, на лечение он не обращался.",
    "Заключением военно-врачебной комиссии от {day} № {number} {name} признан годным к "
    "военной службе; согласно заключению комиссии экспертов он каким-либо психическим расстройством "
    "не страдал и не страдает, мог в полной мере осознавать фактический характер своих действий.",
    "Оценивая исследованные доказательства, суд признаёт их относимыми, допустимыми и достоверными, "
    "поскольку они получены в установленном законом порядке, согласуются между собой и в "
    "совокупности достаточны для вывода о виновности подсудимого; оснований для оговора подсудимого "
    "свидетелями судом не установлено.",
    "При назначении наказания суд учитывает характер и степень общественной опасности содеянного, "
    "данные о личности {name}, который по месту жительства характеризуется положительно, на учётах "
    "у нарколога и психиатра не состоит, а также влияние назначенного наказания на его исправление "
    "и на условия жизни его семьи.",
    "Обстоятельствами, смягчающими наказание, суд в соответствии со ст. 61 УК РФ признаёт полное "
    "признание вины, раскаяние в содеянном, активное способствование расследованию преступления и "
    "наличие на иждивении малолетнего ребёнка; обстоятельств, отягчающих наказание, не установлено.",
    "С учётом фактических обстоятельств преступления и степени его общественной опасности суд не "
    "находит оснований для изменения категории преступления на менее тяжкую в соответствии с ч. 6 "
    "ст. 15 УК РФ, а также для применения ст. 64 УК РФ, поскольку исключительных обстоятельств, "
    "существенно уменьшающих степень общественной опасности преступления, не имеется.",
    "Допрошенный в качестве свидетеля {witness}, дежурный по контрольно-пропускному "
    "пункту, показал, "
    "что {day} около {hour} часов {name} через пункт не проходил, "
    "увольнительной записки не предъявлял, о чём им была сделана запись в журнале.",
)


class _Writer:
    """One act being written: its style, random source and names."""

    def __init__(self, persons: list[PersonDraft], seed: int) -> None:
        self.style = verdict_style(seed)
        self.rng = random.Random(f"text|{seed}")
        self.persons = persons
        self.unit = f"{randint(self.rng, 10000, 99999)}"
        self.names = [
            _initials(p.name) if self.style.initials and p.name != HIDDEN_NAME else f"ФИО{i}"
            for i, p in enumerate(persons, start=1)
        ]
        self.next_fio = len(persons) + 1

    def other(self) -> str:
        """A witness, officer or lawyer: the next free ФИО number."""
        name = f"ФИО{self.next_fio}"
        self.next_fio += 1
        return name

    def day(self, actual: date | None = None) -> str:
        if actual is not None and not self.style.hidden_dates:
            return _dotted(actual)
        return "ДД.ММ.ГГГГ"

    def service(self, person: PersonDraft) -> str:
        if person.service == "mobilised":
            month = choice(self.rng, ("в сентябре", "в октябре"))
            return (
                f"призванного на военную службу по мобилизации {month} 2022 года, проходящего военную "
                f"службу в войсковой части {self.unit}"
            )
        if person.service == "contract":
            return f"проходящего военную службу по контракту в войсковой части {self.unit}"
        return f"проходящего военную службу по призыву в войсковой части {self.unit}"

    def record(self, person: PersonDraft) -> str:
        if not person.prior_conviction:
            return choice(self.rng, ("несудимого", "ранее не судимого", "не имеющего судимости"))
        return choice(
            self.rng,
            (
                f"ранее судимого {self.day()} мировым судьёй по ч. 1 ст. 158 УК РФ к 6 месяцам "
                "лишения свободы "
                "условно с испытательным сроком 1 год",
                f"ранее судимого {self.day()} по ч. 1 ст. 264.1 УК РФ к обязательным работам на "
                "срок 200 часов, "
                "освобождённого от наказания вследствие акта об амнистии",
                f"судимого {self.day()} районным судом по ч. 2 ст. 228 УК РФ к 3 годам лишения свободы, "
                "освобождённого условно-досрочно",
            ),
        )

    def facts(self, person: PersonDraft, name: str) -> list[str]:
        main = person.articles[0].article
        if person.absence_start is not None and person.absence_end is not None:
            start, end = _dotted(person.absence_start), _dotted(person.absence_end)
            purpose = choice(
                self.rng,
                (
                    "желая временно уклониться от прохождения военной службы",
                    "желая отдохнуть от исполнения обязанностей военной службы",
                    "не желая проходить военную службу в зоне проведения специальной военной операции",
                ),
            )
            text = (
                f"{name}, {purpose}, без уважительных причин не явился в срок на службу и в период с {start} "
                f"по {end} проводил время по своему усмотрению"
            )
            if person.returned_voluntarily:
                text += f". {end} {name} добровольно явился в военную комендатуру и заявил о себе"
            else:
                text += f". {end} {name} был обнаружен сотрудниками военной полиции"
            return [text + "."]
        deed = _ARTICLE_DEEDS.get(main, "преступление")
        lines = [f"{name} совершил {deed} при обстоятельствах, изложенных в обвинительном заключении."]
        if main not in ("337", "338") and self.rng.random() < 0.3:
            # The trap: art. 337 named only as a case nobody opened.
            lines.append(
                f"Постановлением следователя военного следственного отдела от {self.day()} в возбуждении "
                f"уголовного дела в отношении {name} по признакам преступления, предусмотренного "
                "ч. 1 ст. 337 "
                "УК РФ, отказано на основании п. 2 ч. 1 ст. 24 УПК РФ за отсутствием в деянии состава "
                "преступления."
            )
        return lines

    def filler(self, name: str) -> str:
        """One invented paragraph of evidence or reasoning (the bulk of a real act)."""
        witness = self.other()
        rank = choice(self.rng, ("командир роты", "командир взвода", "старшина роты", "начальник штаба"))
        number = randint(self.rng, 10, 999)
        hour = randint(self.rng, 7, 22)  # drawn before the choice, whichever paragraph it picks
        template = choice(self.rng, _FILLERS)
        return template.format(
            witness=witness, rank=rank, number=number, hour=hour, name=name, unit=self.unit, day=self.day()
        )

    def operative(self, index: int, person: PersonDraft) -> list[str]:
        name = self.names[index]
        punishment = person.punishment
        if punishment is None:
            return [f"Уголовное дело в отношении {name} прекращено отдельным постановлением."]
        style, rng = self.style, self.rng
        final = sentence_phrase(punishment, self.unit, style)
        if len(person.articles) > 1:
            counts = "; ".join(
                f"по {_ref(ref.article, ref.part, ref.point)} УК РФ – {_count_phrase(punishment, style, rng)}"
                for ref in person.articles
            )
            part = choice(rng, ("2", "3"))
            return [
                f"Признать {name} виновным в совершении {_charge_phrase(person)}, и назначить ему наказание: "
                f"{counts}.",
                f"На основании ч. {part} ст. 69 УК РФ по совокупности преступлений путём частичного сложения "
                f"назначенных наказаний окончательно назначить {name} наказание {final}.",
            ]
        lines = [f"Признать {name} виновным в совершении {_charge_phrase(person)}"]
        if person.prior_conviction and punishment.kind == "real":
            lines[0] += f", и назначить ему наказание {_count_phrase(punishment, style, rng)}."
            lines.append(
                f"На основании ч. 5 ст. 74 УК РФ отменить {name} условное осуждение по приговору мирового "
                f"судьи от {self.day()}."
            )
            lines.append(
                "В соответствии со ст. 70 УК РФ по совокупности приговоров путём частичного присоединения "
                f"неотбытой части наказания по приговору от {self.day()} окончательно назначить {name} "
                f"наказание {final}."
            )
            return lines
        lines[0] += f", и назначить ему наказание {final}."
        if person.prior_conviction:
            lines.append(
                f"Приговор мирового судьи от {self.day()}, которым {name} осуждён к 6 месяцам "
                "лишения свободы "
                "условно с испытательным сроком 1 год, исполнять самостоятельно."
            )
        return lines

    def closing(self, index: int, person: PersonDraft) -> list[str]:
        name, rng = self.names[index], self.rng
        punishment = person.punishment
        lines = []
        if punishment is not None and punishment.kind == "real":
            lines.append(
                f"Меру пресечения {name} изменить на заключение под стражу, взять под стражу в зале суда. "
                "Срок отбывания наказания исчислять со дня вступления приговора в законную силу."
            )
            ratio = "за два дня" if punishment.regime == "колонии-поселении" else "за полтора дня"
            lines.append(
                f"На основании ст. 72 УК РФ зачесть в срок лишения свободы время содержания {name} "
                "под стражей "
                f"с {self.day()} до дня вступления приговора в законную силу из расчёта один день {ratio} "
                f"отбывания наказания {_regime_place(punishment)}."
            )
        else:
            lines.append(f"Меру процессуального принуждения {name} в виде обязательства о явке отменить.")
        if rng.random() < 0.6:
            costs = f"{randint(rng, 3, 40) * 1560:,}".replace(",", " ")
            lines.append(
                f"Процессуальные издержки в сумме {costs} рублей, связанные с оплатой труда адвоката, "
                f"взыскать с осуждённого {name} в доход федерального бюджета."
            )
        return lines


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
    """A verdict (приговор) whose final sentences are the drafts' punishments."""
    w = _Writer(persons, seed)
    style, rng = w.style, w.rng
    secretary, prosecutor, lawyer = w.other(), w.other(), w.other()
    date_line = f"{long_date(decided)} г. {city}" if rng.random() < 0.6 else f"г. {city} {long_date(decided)}"
    head = [f"Дело № {case_number}", *style.title.split("\n")]
    if style.title != "ПРИГОВОР\nИМЕНЕМ РОССИЙСКОЙ ФЕДЕРАЦИИ" and rng.random() < 0.7:
        head.append("ИМЕНЕМ РОССИЙСКОЙ ФЕДЕРАЦИИ")
    lines = [
        *head,
        date_line,
        f"{court_name} в составе председательствующего судьи {judge_genitive}, при секретаре судебного "
        f"заседания {secretary}, с участием государственного обвинителя — помощника военного прокурора "
        f"гарнизона {prosecutor}, подсудимого и его защитника — адвоката {lawyer},",
        "рассмотрев в открытом судебном заседании в помещении военного суда уголовное дело в отношении",
    ]
    for index, person in enumerate(persons):
        lines.append(
            f"{w.names[index]}, родившегося {w.day()} в <адрес>, гражданина Российской Федерации, "
            f"{choice(rng, ('со средним профессиональным', 'с высшим', 'со средним общим'))} образованием, "
            f"{choice(rng, ('холостого', 'женатого', 'разведённого'))}, {w.service(person)}, "
            f"{w.record(person)}, "
            f"зарегистрированного по адресу: <адрес>, обвиняемого в совершении {_charge_phrase(person)},"
        )
    lines.append(choice(rng, ("УСТАНОВИЛ:", "У С Т А Н О В И Л:", "установил:")))
    for index, person in enumerate(persons):
        lines.extend(w.facts(person, w.names[index]))
    lines.append(
        "Подсудимый вину в совершении преступления признал полностью, в содеянном раскаялся, от дачи "
        "показаний отказался, воспользовавшись ст. 51 Конституции Российской Федерации; его "
        "показания, данные "
        "в ходе предварительного следствия, оглашены в порядке п. 3 ч. 1 ст. 276 УПК РФ."
    )
    operative_lines: list[str] = []
    for index, person in enumerate(persons):
        operative_lines.extend(w.operative(index, person))
    tail: list[str] = []
    for index, person in enumerate(persons):
        tail.extend(w.closing(index, person))
    tail.append("Вещественные доказательства по делу: документы – хранить при уголовном деле.")
    tail.append(
        "Приговор может быть обжалован в апелляционном порядке в течение 15 суток со дня его провозглашения, "
        "а осуждённым, содержащимся под стражей, – в тот же срок со дня вручения ему копии приговора."
    )
    tail.append(f"Председательствующий {judge}")
    reasoning_head = "На основании изложенного, руководствуясь ст. 307–309 УПК РФ, военный суд"
    fixed = [*lines, reasoning_head, style.operative_heading, *operative_lines, *tail]
    size = sum(len(line.encode("utf-8")) + 1 for line in fixed)
    name = w.names[0]
    while size < style.target_bytes:
        paragraph = w.filler(name)
        lines.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 1
    if any(p.punishment is not None and p.punishment.kind == "real" for p in persons):
        lines.append(
            "Учитывая изложенное, суд приходит к выводу, что исправление подсудимого возможно "
            "лишь в условиях "
            "изоляции от общества, и оснований для применения ст. 73 УК РФ не находит."
        )
    elif any(p.punishment is not None and p.punishment.kind == "suspended" for p in persons):
        lines.append(
            "Учитывая совокупность смягчающих обстоятельств, суд приходит к выводу о возможности исправления "
            "подсудимого без реального отбывания наказания и применяет положения ст. 73 УК РФ."
        )
    return style.line_end.join([*lines, reasoning_head, style.operative_heading, *operative_lines, *tail])


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
    w = _Writer(persons, seed)
    style = w.style
    names = ", ".join(w.names)
    lines = [
        f"Дело № {case_number}",
        "ПОСТАНОВЛЕНИЕ",
        f"о прекращении уголовного дела {long_date(decided)} г. {city}",
        f"{court_name} в составе председательствующего судьи {judge_genitive}, рассмотрев уголовное дело "
        f"в отношении {names}, родившегося {w.day()} в <адрес>, {w.service(persons[0])}, обвиняемого в "
        f"совершении {_charge_phrase(persons[0])},",
        "УСТАНОВИЛ:",
        *w.facts(persons[0], w.names[0]),
    ]
    size = sum(len(line.encode("utf-8")) + 1 for line in lines)
    while size < max(MIN_BYTES, style.target_bytes // 2):
        paragraph = w.filler(w.names[0])
        lines.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 1
    lines.extend(("ПОСТАНОВИЛ:", f"Уголовное дело в отношении {names} прекратить {ground}."))
    return style.line_end.join(lines)
