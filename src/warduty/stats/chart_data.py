"""The briefing's charts as data: one table per chart in the layout newsroom chart tools import
(Datawrapper, Flourish: the first column holds the x labels, then one column per series), with the
chart's title, notes and source line. The briefing writes them beside its pictures; the web draws its
embeddable SVGs from the same tables, so every picture of a chart shows these numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from warduty.stats.figures import BriefingData
from warduty.stats.wording import MIX_LABELS, Words

ChartKind = Literal["lines", "bars", "stacked"]
CHART_KEYS = ("monthly", "regions", "sentence_mix")
Cell = str | int | float | None
REGIONS_SHOWN = 10


@dataclass(frozen=True, slots=True)
class ChartTable:
    key: str  # the chart's stable name: monthly, regions, sentence_mix
    kind: ChartKind
    title: str
    notes: tuple[str, ...]
    source: str
    header: tuple[str, ...]  # the x column's name, then one name per series
    rows: tuple[tuple[Cell, ...], ...]

    @property
    def series(self) -> tuple[str, ...]:
        return self.header[1:]

    def to_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "kind": self.kind,
            "title": self.title,
            "notes": list(self.notes),
            "source": self.source,
            "columns": list(self.header),
        }


def monthly_table(data: BriefingData, words: Words) -> ChartTable:
    """Received and sentences by month; the months still being posted carry the nowcast's expected
    final count and its 90% interval in columns of their own (empty for complete months): month,
    received, sentences, then expected, low, high for received and for sentences."""
    received, sentences = data.received, data.sentences
    rows = []
    for got, sentenced in zip(received.series, sentences.series, strict=True):
        expected: list[Cell] = []
        for view in (received, sentences):
            e = view.nowcasts.get(got.month)
            expected += [e.estimate, e.low, e.high] if e is not None else [None, None, None]
        rows.append((got.month, got.value, sentenced.value, *expected))
    notes = [words.chart_incomplete] if received.nowcasts or sentences.nowcasts else []
    return ChartTable(
        "monthly",
        "lines",
        words.chart_monthly_title,
        tuple(notes),
        words.chart_source(data.as_of),
        (words.chart_month, words.chart_received, words.chart_sentences,
         *words.chart_expected(words.chart_received), *words.chart_expected(words.chart_sentences)),
        tuple(rows),
    )  # fmt: skip


def regions_table(data: BriefingData, words: Words) -> ChartTable:
    regions = data.regions_oblast[:REGIONS_SHOWN]
    return ChartTable(
        "regions",
        "bars",
        words.chart_regions_title,
        (words.chart_regions_note(data),),
        words.chart_source(data.as_of),
        (words.chart_region, words.chart_cases),
        tuple((words.region(r.region_ru, r.region_en), r.value) for r in regions),
    )


def mix_table(data: BriefingData, words: Words) -> ChartTable:
    """One stacked bar: the month's published verdict texts by punishment."""
    mix = data.mix
    values = {"suspended": mix.suspended, "real": mix.real, "disciplinary_unit": mix.disciplinary_unit,
              "other_punishment": mix.other_punishment}  # fmt: skip
    return ChartTable(
        "sentence_mix",
        "stacked",
        words.chart_mix_title(data.month, mix.published, mix.sentences),
        (),
        words.chart_source(data.as_of),
        (words.chart_month, *(words.mix_label(key) for key in MIX_LABELS)),
        ((words.month(data.month), *(values[key] for key in MIX_LABELS)),),
    )


def chart_tables(data: BriefingData, words: Words) -> dict[str, ChartTable]:
    """Every briefing chart's table, keyed by :data:`CHART_KEYS`."""
    return {
        "monthly": monthly_table(data, words),
        "regions": regions_table(data, words),
        "sentence_mix": mix_table(data, words),
    }
