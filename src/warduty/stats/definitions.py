"""What the statistics count: filters, constants and the stated definitions (EN and RU).

Briefings and ``figures.json`` quote :data:`DEFINITIONS`, so a published figure always carries the
rule that produced it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Metric = Literal["received", "sentences"]
METRICS: tuple[Metric, ...] = ("received", "sentences")
MOBILISATION_START = date(2022, 9, 21)  # decree No. 647
FIRST_INSTANCE_DOCKET = "criminal-1"
APPELLATE_COURT = "50AV0000"  # Vlasikha, Moscow Oblast: appeals only, never a region's first instance
MOSCOW_CITY = "Город Москва"
MOSCOW_BOTH_RU = "Москва и Московская область"
MOSCOW_BOTH_EN = "Moscow city and Moscow Oblast"


@dataclass(frozen=True, slots=True)
class Filters:
    """Which records a statistic counts. Dates are inclusive; ``None`` means unbounded."""

    articles: tuple[str, ...] = ("337",)
    since: date | None = None
    until: date | None = None
    include_missing: bool = True  # cases gone from the site (``missing_since`` set) still count
    mobilisation_parts: bool | None = None  # True: only mobilisation parts; False: only the others
    courts: tuple[str, ...] = field(default=())  # empty: every first-instance court

    def to_dict(self) -> dict[str, object]:
        return {
            "articles": list(self.articles),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "include_missing": self.include_missing,
            "mobilisation_parts": self.mobilisation_parts,
            "courts": list(self.courts),
        }


DEFINITIONS: dict[str, dict[str, str]] = {
    "received": {
        "en": "Cases received: first-instance cases whose receipt date (Дата поступления) falls in the "
        "period, counted once per case, if any defendant is charged under one of the articles.",
        "ru": "Поступившие дела: дела первой инстанции с датой поступления в периоде, каждое дело один "
        "раз, если хотя бы одному подсудимому вменена одна из статей.",
    },
    "sentences": {
        "en": "Sentences: defendants charged under one of the articles whose result contains «приговор» "
        "and whose decision date (the defendant's, else the case's) falls in the period.",
        "ru": "Приговоры: подсудимые по одной из статей, в отношении которых вынесен приговор, с датой "
        "решения (по лицу, иначе по делу) в периоде.",
    },
    "published_texts": {
        "en": "Published verdict texts: sentenced defendants whose case shows the text of an act of "
        "kind «Приговор».",
        "ru": "Опубликованные приговоры: осуждённые, в деле которых размещён текст акта «Приговор».",
    },
    "sentence_mix": {
        "en": "Sentence mix: among published verdict texts, the punishment read from the text "
        "(suspended under art. 73, real imprisonment, disciplinary unit) and whether the defendant was "
        "mobilised; n is the number of published texts.",
        "ru": "Виды наказаний: среди опубликованных приговоров наказание по тексту (условно по ст. 73, "
        "реальное лишение свободы, дисциплинарная воинская часть) и доля мобилизованных; n — число "
        "опубликованных текстов.",
    },
    "region": {
        "en": "Region: the federal subject where the court sits (not the soldier's home). The Appellate "
        "Military Court is never counted as a region's first-instance court.",
        "ru": "Регион: субъект, где находится суд (а не место жительства военнослужащего). "
        "Апелляционный военный суд не считается судом первой инстанции региона.",
    },
    "since_mobilisation": {
        "en": "Since mobilisation: received on or after 21 September 2022 (decree No. 647).",
        "ru": "С начала мобилизации: поступившие с 21 сентября 2022 года (указ № 647).",
    },
    "per_working_day": {
        "en": "Per working day: the month's count divided by its working days on the Russian production "
        "calendar, transferred days off included.",
        "ru": "В рабочий день: число за месяц, делённое на число рабочих дней по производственному "
        "календарю с учётом переносов.",
    },
    "nowcast": {
        "en": "Nowcast: the expected final count of a month still being posted, from the posting-lag "
        "distribution seen in earlier months, with a 90% interval.",
        "ru": "Оценка итога: ожидаемое окончательное число за месяц, который ещё публикуется, по "
        "распределению задержек публикации в прошлые месяцы, с 90-процентным интервалом.",
    },
}
