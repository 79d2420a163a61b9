"""Language-specific wording for briefings and charts: numbers, months, labels (English and Russian).

Used by the briefings (:mod:`warduty.report`) and the chart embeds of the web, so a chart says the same
wherever it is drawn.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from warduty.stats.months import EN_MONTHS, RU_MONTHS, RU_MONTHS_OF, in_month, month_name, since_month

if TYPE_CHECKING:
    from warduty.stats.figures import BriefingData

MIX_LABELS = {
    "suspended": ("suspended", "условно"),
    "real": ("real prison term", "реальный срок"),
    "disciplinary_unit": ("disciplinary unit", "дисциплинарная часть"),
    "other_punishment": ("other / not read", "иное / не прочитано"),
}


class Words:
    """English wording; :class:`RussianWords` overrides what differs."""

    lang = "en"
    chart_received = "Cases received (art. 337)"
    chart_sentences = "Sentences (art. 337)"
    chart_incomplete = "Still being posted (nowcast with 90% interval)"
    chart_monthly_title = "AWOL (art. 337) in Russia's military courts, by month"
    chart_regions_title = "Art. 337 cases received since 21 Sep 2022, by court seat"
    chart_month = "Month"
    chart_region = "Region (court seat)"
    chart_cases = "Cases received"

    def chart_expected(self, series: str) -> tuple[str, str, str]:
        """Column names of a series' nowcast: the expected final count and its 90% interval."""
        return (f"{series}, expected final (nowcast)", f"{series}, nowcast 90% low",
                f"{series}, nowcast 90% high")  # fmt: skip

    def number(self, value: float, digits: int = 0) -> str:
        return f"{value:,.{digits}f}"

    def percent(self, share: float | None) -> str:
        return "n/a" if share is None else f"{share * 100:.0f}%"

    def month(self, month: str) -> str:
        return month_name(month, "en")

    def in_month(self, month: str) -> str:
        return in_month(month, "en")

    def short_month(self, month: str) -> str:
        return f"{EN_MONTHS[int(month[5:7]) - 1][:3]} {month[:4]}"

    def day(self, day: date) -> str:
        return f"{day.day} {EN_MONTHS[day.month - 1]} {day.year}"

    def region(self, ru: str, en: str) -> str:
        return en

    def since_month(self, month: str) -> str:
        return since_month(month, "en")

    def mix_label(self, key: str) -> str:
        return MIX_LABELS[key][0]

    def chart_peak(self, month: str, value: int) -> str:
        return f"highest: {self.short_month(month)}, {self.number(value)}"

    def chart_source(self, as_of: date) -> str:
        return f"Counts of records published on court websites as crawled on {self.day(as_of)}."

    def chart_regions_note(self, data: BriefingData) -> str:
        both = next((r for r in data.regions_city_and_oblast if r.region_ru.startswith("Москва")), None)
        tail = f" Moscow city and Oblast together: {self.number(both.value)}." if both else ""
        return "Region = where the court sits; Moscow Oblast = its four garrison courts." + tail

    def chart_mix_title(self, month: str, published: int, sentences: int) -> str:
        return (
            f"Published art. 337 verdict texts, {self.month(month)}: "
            f"{published} of {self.number(sentences)} sentences"
        )


class RussianWords(Words):
    lang = "ru"
    chart_received = "Поступило дел (ст. 337)"
    chart_sentences = "Приговоры (ст. 337)"
    chart_incomplete = "Ещё публикуется (оценка с 90% интервалом)"
    chart_monthly_title = "СОЧ (ст. 337) в военных судах России по месяцам"
    chart_regions_title = "Дела по ст. 337, поступившие с 21.09.2022, по месту суда"
    chart_month = "Месяц"
    chart_region = "Регион (место суда)"
    chart_cases = "Поступило дел"

    def chart_expected(self, series: str) -> tuple[str, str, str]:
        return (f"{series}, ожидаемый итог (оценка)", f"{series}, оценка: нижняя граница 90%",
                f"{series}, оценка: верхняя граница 90%")  # fmt: skip

    def number(self, value: float, digits: int = 0) -> str:
        return f"{value:,.{digits}f}".replace(",", "\u00a0").replace(".", ",")

    def percent(self, share: float | None) -> str:
        return "н/д" if share is None else f"{share * 100:.0f}%"

    def month(self, month: str) -> str:
        return month_name(month, "ru")

    def in_month(self, month: str) -> str:
        return in_month(month, "ru")

    def short_month(self, month: str) -> str:
        return f"{RU_MONTHS[int(month[5:7]) - 1][:3]} {month[:4]}"

    def day(self, day: date) -> str:
        return f"{day.day} {RU_MONTHS_OF[day.month - 1]} {day.year}"

    def region(self, ru: str, en: str) -> str:
        return ru

    def since_month(self, month: str) -> str:
        return since_month(month, "ru")

    def mix_label(self, key: str) -> str:
        return MIX_LABELS[key][1]

    def chart_peak(self, month: str, value: int) -> str:
        return f"максимум: {self.short_month(month)}, {self.number(value)}"

    def chart_source(self, as_of: date) -> str:
        return f"Число записей, опубликованных на сайтах судов, по состоянию на {self.day(as_of)}."

    def chart_regions_note(self, data: BriefingData) -> str:
        both = next((r for r in data.regions_city_and_oblast if r.region_ru.startswith("Москва")), None)
        tail = f" Москва и область вместе: {self.number(both.value)}." if both else ""
        return "Регион — место суда; Московская область — четыре гарнизонных суда области." + tail

    def chart_mix_title(self, month: str, published: int, sentences: int) -> str:
        total = self.number(sentences)
        return f"Опубликованные приговоры по ст. 337, {self.month(month)}: {published} из {total}"


def ru_plural(value: int, one: str, few: str, many: str) -> str:
    """Russian noun form after a number: 1 приговор, 2 приговора, 5 приговоров."""
    tens, units = value % 100, value % 10
    if 11 <= tens <= 14 or units == 0 or units >= 5:
        return many
    return one if units == 1 else few


def words_for(lang: str) -> Words:
    if lang == "en":
        return Words()
    if lang == "ru":
        return RussianWords()
    raise ValueError(f"language must be 'en' or 'ru', not {lang!r}")
