"""The briefing's prose, in English and Russian, from the computed figures."""

from __future__ import annotations

from collections.abc import Sequence

from warduty.privacy.pseudonym import Pseudonymiser
from warduty.report.asylum_note import AsylumNote
from warduty.report.blocks import Block, Bullets, Heading, Image, Paragraph, TableBlock
from warduty.stats.definitions import DEFINITIONS
from warduty.stats.figures import BriefingData
from warduty.stats.outcomes import OUTCOME_LABELS
from warduty.stats.records import record_phrase
from warduty.stats.shares import PublishedVerdict
from warduty.stats.wording import Words, ru_plural

ARTICLE_NAMES = {
    "332": ("refusing orders", "неисполнение приказа"),
    "334": ("violence against a superior", "насилие в отношении начальника"),
    "338": ("desertion", "дезертирство"),
    "339": ("malingering", "уклонение путём симуляции"),
}


def _record_phrase(data: BriefingData, w: Words) -> str:
    return record_phrase(data.sentences.record, "ru" if w.lang == "ru" else "en")


def _lead(data: BriefingData, w: Words) -> list[Block]:
    s, r, ru = data.sentences, data.received, w.lang == "ru"
    rate, days = "", data.working_days
    if data.per_working_day is not None:
        per_day = w.number(data.per_working_day)
        rate = (
            f"около **{per_day}** в рабочий день ({days} рабочих дней)"
            if ru
            else f"about **{per_day} per working day** ({days} working days)"
        )
    above = s.record.first_above
    if ru:
        text = (
            f"{w.in_month(data.month).capitalize()} военные суды вынесли **{w.number(s.value)}** "
            f"{ru_plural(s.value, 'приговор', 'приговора', 'приговоров')} по ст. 337 УК (самовольное "
            f"оставление части), {_record_phrase(data, w)}. Это {rate}. За месяц поступило "
            f"{w.number(r.value)} {ru_plural(r.value, 'новое дело', 'новых дела', 'новых дел')} "
            "по этой статье."
        )
        if above:
            text += f" Впервые больше {w.number(above)} приговоров в месяц."
    else:
        text = (
            f"Russia's military courts sentenced **{w.number(s.value)}** people for going absent without "
            f"leave (art. 337 of the Criminal Code) {w.in_month(data.month)}, {_record_phrase(data, w)}. "
            f"That is {rate}. Courts received {w.number(r.value)} new art. 337 cases in the month."
        )
        if above:
            text += f" It is the first month above {w.number(above)} sentences."
    totals = (
        f"С начала мобилизации (21 сентября 2022 года) суды получили "
        f"**{w.number(data.received_since_mobilisation)}** "
        f"{ru_plural(data.received_since_mobilisation, 'дело', 'дела', 'дел')} по ст. 337 и вынесли "
        f"{w.number(data.sentences_since_mobilisation)} "
        f"{ru_plural(data.sentences_since_mobilisation, 'приговор', 'приговора', 'приговоров')}."
        if ru else
        f"Since mobilisation was announced (21 September 2022), courts have received "
        f"**{w.number(data.received_since_mobilisation)}** art. 337 cases and sentenced "
        f"{w.number(data.sentences_since_mobilisation)} defendants."
    )  # fmt: skip
    return [Paragraph(text), Paragraph(totals)]


def _regions(data: BriefingData, w: Words) -> list[Block]:
    ru = w.lang == "ru"
    top = data.regions_oblast[:3]
    named = ", ".join(f"{w.region(x.region_ru, x.region_en)} **{w.number(x.value)}**" for x in top)
    both = next((x for x in data.regions_city_and_oblast if x.region_ru.startswith("Москва")), None)
    if ru:
        text = f"По месту суда больше всего дел с начала мобилизации: {named}."
        if both:
            text += (f" Если считать Москву вместе с областью, получится {w.number(both.value)} "
                     f"({both.rank}-е место).")  # fmt: skip
    else:
        text = f"By court seat, the most cases since mobilisation were received in {named}."
        if both:
            text += f" Counting Moscow city with the Oblast gives {w.number(both.value)} (rank {both.rank})."
    rows = tuple(
        (str(x.rank), w.region(x.region_ru, x.region_en), w.number(x.value)) for x in data.regions_oblast[:10]
    )
    header = ("#", "Регион (место суда)", "Дел") if ru else ("#", "Region (court seat)", "Cases")
    return [
        Heading("Регионы" if ru else "Regions"),
        Paragraph(text),
        TableBlock(header, rows, (True, False, True)),
        Image("regions.png", w.chart_regions_title),
    ]


def _sentences(data: BriefingData, w: Words) -> list[Block]:
    mix, ru = data.mix, w.lang == "ru"
    shares = {s.key: s for s in mix.shares()}
    published = w.percent(shares["published"].share)
    if ru:
        text = (
            f"Тексты приговоров публикуются редко: **{mix.published}** из {w.number(mix.sentences)} "
            f"приговоров месяца ({published}). Из опубликованных (n = {mix.published}) **{mix.suspended}** — "
            f"условные ({w.percent(shares['suspended'].share)}), {mix.real} — реальное лишение свободы, "
            f"{mix.disciplinary_unit} — дисциплинарная воинская часть; {mix.mobilised} осуждённых — "
            f"мобилизованные ({w.percent(shares['mobilised'].share)}). Опубликованные тексты могут не "
            "представлять все приговоры."
        )
    else:
        text = (
            f"Verdict texts are rarely published: **{mix.published}** of the month's "
            f"{w.number(mix.sentences)} sentences ({published}). Of those published (n = {mix.published}), "
            f"**{mix.suspended}** were suspended ({w.percent(shares['suspended'].share)}), {mix.real} real "
            f"prison terms and {mix.disciplinary_unit} a disciplinary unit; {mix.mobilised} of the "
            f"defendants were mobilised ({w.percent(shares['mobilised'].share)}). The published "
            "texts need not be representative of all sentences."
        )
    return [Heading("Приговоры" if ru else "Sentences"), Paragraph(text), Image("sentence_mix.png", "mix")]


def _other_articles(data: BriefingData, w: Words) -> list[Block]:
    ru = w.lang == "ru"
    rows = tuple(
        (f"ст. {article} ({ARTICLE_NAMES[article][1 if ru else 0]})" if ru else
         f"art. {article} ({ARTICLE_NAMES[article][0]})", w.number(received), w.number(sentenced))
        for article, (received, sentenced) in data.other_articles.items()
    )  # fmt: skip
    header = ("Статья", "Поступило", "Приговоров") if ru else ("Article", "Received", "Sentences")
    outcome_rows = tuple(
        (OUTCOME_LABELS[s.key][1 if ru else 0], w.number(s.count), w.percent(s.share))  # type: ignore[index]
        for s in data.outcomes
        if s.count
    )
    outcome_header = ("Исход", "Лиц", "Доля") if ru else ("Outcome", "Defendants", "Share")
    n = data.outcomes[0].n if data.outcomes else 0
    return [
        Heading("Другие статьи" if ru else "Other articles"),
        TableBlock(header, rows, (False, True, True)),
        Heading("Исходы дел" if ru else "Outcomes"),
        Paragraph(
            f"Подсудимые по ст. 337, по которым решение принято {w.in_month(data.month)} (n = {n}):" if ru
            else f"Art. 337 defendants whose case was decided {w.in_month(data.month)} (n = {n}):"
        ),
        TableBlock(outcome_header, outcome_rows, (False, True, True)),
    ]  # fmt: skip


def _asylum(note: AsylumNote | None, w: Words) -> list[Block]:
    if note is None:
        return []
    st, ru = note.statement, w.lang == "ru"
    if ru:
        if st.is_record:
            comparison = "максимум за весь ряд"
        elif st.highest_since:
            comparison = f"не выше, чем {w.in_month(st.highest_since)}"
        else:
            comparison = "первый месяц ряда"
        text = (
            f"Убежище в Европе: {w.in_month(st.month)} впервые подали заявления {w.number(st.value)} граждан "
            f"России ({comparison}; максимум ряда — {w.number(st.all_time_high.value)} "
            f"{w.in_month(st.all_time_high.period)}). Источник: {note.source}."
        )
    else:
        text = (
            f"Asylum in Europe: {st.text}. First-time applicants with Russian citizenship; "
            f"source: {note.source}."
        )
    return [Heading("Убежище" if ru else "Asylum"), Paragraph(text)]


def _caveats(data: BriefingData, w: Words) -> list[Block]:
    ru = w.lang == "ru"
    items: list[str] = []
    for view, label in (
        (data.sentences, ("приговоров", "sentences")),
        (data.received, ("поступивших дел", "cases received")),
    ):
        for month, est in sorted(view.nowcasts.items()):
            if ru:
                items.append(
                    f"{w.month(month).capitalize()} ещё публикуется: {w.number(est.observed)} {label[0]} "
                    f"видно сейчас, ожидается около {w.number(est.estimate)} "
                    f"(90% интервал {w.number(est.low)}–{w.number(est.high)})."
                )
            else:
                items.append(
                    f"{w.month(month)} is still being posted: {w.number(est.observed)} {label[1]} visible "
                    f"now, about {w.number(est.estimate)} expected "
                    f"(90% interval {w.number(est.low)}–{w.number(est.high)})."
                )
    if ru:
        items.append(
            f"Цифры — число записей, опубликованных на сайтах судов, по состоянию на {w.day(data.as_of)}."
        )
        items.append(
            "Суды публикуют не все тексты приговоров; виды наказаний известны только по опубликованным."
        )
    else:
        items.append(
            f"Figures are counts of records published on court websites as crawled on {w.day(data.as_of)}."
        )
        items.append("Courts publish few verdict texts; punishments are known only for published ones.")
    return [Heading("Оговорки" if ru else "Caveats"), Bullets(tuple(items))]


def _definitions(w: Words) -> list[Block]:
    ru = w.lang == "ru"
    keys = ("received", "sentences", "published_texts", "sentence_mix", "region", "since_mobilisation",
            "per_working_day", "nowcast")  # fmt: skip
    return [
        Heading("Определения" if ru else "Definitions"),
        Bullets(tuple(DEFINITIONS[k]["ru" if ru else "en"] for k in keys)),
    ]


_PUNISHMENT_KEYS = {
    "suspended": "suspended",
    "imprisonment": "real",
    "disciplinary_unit": "disciplinary_unit",
}


def _defendant(verdict: PublishedVerdict, ru: bool, pseudonyms: Pseudonymiser | None) -> str:
    if pseudonyms is None:
        return verdict.name or ("скрыто" if ru else "hidden")
    return pseudonyms.pseudonym(verdict.court_code, verdict.case_number, verdict.position)


def _verdict_list(
    verdicts: Sequence[PublishedVerdict], w: Words, pseudonyms: Pseudonymiser | None
) -> list[Block]:
    show_names = pseudonyms is None
    if not verdicts:
        return []
    ru = w.lang == "ru"
    rows = tuple(
        (
            v.court_code, v.case_number,
            _defendant(v, ru, pseudonyms),
            w.mix_label(_PUNISHMENT_KEYS.get(v.punishment or "", "other_punishment")),
        )
        for v in verdicts
    )  # fmt: skip
    header = (
        ("Суд", "Дело", "Подсудимый", "Наказание") if ru else ("Court", "Case", "Defendant", "Punishment")
    )
    intro = (
        "Первые опубликованные приговоры месяца (подсудимые под псевдонимами)." if ru and not show_names else
        "Первые опубликованные приговоры месяца." if ru else
        "The month's first published verdicts (defendants pseudonymised)." if not show_names else
        "The month's first published verdicts."
    )  # fmt: skip
    return [Heading("Опубликованные приговоры" if ru else "Published verdicts"), Paragraph(intro),
            TableBlock(header, rows)]  # fmt: skip


def briefing_blocks(
    data: BriefingData,
    w: Words,
    asylum: AsylumNote | None,
    verdicts: Sequence[PublishedVerdict],
    pseudonyms: Pseudonymiser | None,
) -> tuple[str, list[Block]]:
    """The briefing's title and blocks; defendants under ``pseudonyms``, or named when it is None."""
    ru = w.lang == "ru"
    title = (
        f"Самовольное оставление части: {w.month(data.month)}" if ru
        else f"AWOL prosecutions in Russia's military courts: {w.month(data.month)}"
    )  # fmt: skip
    subtitle = (
        f"Данные сайтов военных судов на {w.day(data.as_of)}." if ru
        else f"From the military courts' websites as of {w.day(data.as_of)}."
    )  # fmt: skip
    blocks: list[Block] = [Heading(title, 1), Paragraph(subtitle)]
    blocks += _lead(data, w)
    blocks.append(Image("monthly.png", w.chart_monthly_title))
    blocks += _regions(data, w)
    blocks += _sentences(data, w)
    blocks += _other_articles(data, w)
    blocks += _asylum(asylum, w)
    blocks += _caveats(data, w)
    blocks += _definitions(w)
    blocks += _verdict_list(verdicts, w, pseudonyms)
    return title, blocks
