"""Briefing charts (matplotlib, Agg backend), each written as PNG and SVG, and their data as CSV.

DejaVu Sans (bundled with matplotlib) has Cyrillic, so Russian labels render without extra fonts.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from warduty.stats.chart_data import chart_tables
from warduty.stats.figures import BriefingData, MetricView
from warduty.stats.wording import Words

if TYPE_CHECKING:
    from matplotlib.figure import Figure

RECEIVED_COLOUR = "#7a8fa6"
SENTENCES_COLOUR = "#b2182b"
SHADE = "#f0e6c8"
PNG_DPI = 150


@cache
def _pyplot() -> ModuleType:
    """matplotlib's pyplot on the Agg backend, loaded at the first chart: every command imports this
    module (through the application layer), and loading matplotlib took half a second of each start-up."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "DejaVu Sans", "svg.fonttype": "none", "axes.spines.top": False,
                         "axes.spines.right": False})  # fmt: skip
    return plt


def _save(figure: Figure, out_dir: Path, stem: str) -> list[Path]:
    paths = [out_dir / f"{stem}.png", out_dir / f"{stem}.svg"]
    # The tight crop is measured once, at the PNG's resolution, for both files: ``bbox_inches="tight"``
    # lays the figure out in an extra draw for each file, a fifth of a chart's CPU. The PNG comes out the
    # same pixel for pixel; the SVG's edges may move by a few points (text measured at 150 dpi, not 72).
    plt = _pyplot()
    figure.set_dpi(PNG_DPI)
    figure.draw_without_rendering()
    crop = figure.get_tightbbox().padded(plt.rcParams["savefig.pad_inches"])
    figure.savefig(paths[0], dpi=PNG_DPI, bbox_inches=crop)
    figure.savefig(paths[1], bbox_inches=crop, metadata={"Date": None})
    plt.close(figure)
    return paths


def monthly_chart(data: BriefingData, words: Words, out_dir: Path) -> list[Path]:
    """Received and sentences by month, the record month marked, incomplete months shaded."""
    figure, axis = _pyplot().subplots(figsize=(10, 4.6))
    months = [m.month for m in data.sentences.series]
    x = list(range(len(months)))
    _line(axis, x, data.received, RECEIVED_COLOUR, words.chart_received)
    _line(axis, x, data.sentences, SENTENCES_COLOUR, words.chart_sentences)
    incomplete = sorted(set(data.received.nowcasts) | set(data.sentences.nowcasts))
    for position, month in enumerate(months):
        if month in incomplete:
            axis.axvspan(position - 0.5, position + 0.5, color=SHADE, zorder=0, lw=0)
    if incomplete:
        axis.fill_between([], [], color=SHADE, label=words.chart_incomplete)
    peak = max(data.sentences.series, key=lambda m: (m.value, m.month))
    peak_x = months.index(peak.month)
    axis.scatter([peak_x], [peak.value], s=70, color=SENTENCES_COLOUR, zorder=5, edgecolor="white")
    axis.annotate(
        words.chart_peak(peak.month, peak.value), xy=(peak_x, peak.value), xytext=(-70, 28),
        textcoords="offset points", ha="right", fontsize=9, color=SENTENCES_COLOUR,
        arrowprops={"arrowstyle": "-", "color": SENTENCES_COLOUR, "lw": 0.8},
    )  # fmt: skip
    ticks = [i for i, m in enumerate(months) if m.endswith(("-01", "-07"))]
    axis.set_xticks(ticks, [words.short_month(months[i]) for i in ticks], fontsize=9)
    axis.set_xlim(-0.6, len(months) - 0.4)
    axis.set_ylim(0, max(max(m.value for m in data.received.series), peak.value) * 1.18 + 1)
    axis.yaxis.grid(True, color="#e4e4e4", lw=0.7)
    axis.set_axisbelow(True)
    axis.set_title(words.chart_monthly_title, loc="left", fontsize=12, fontweight="bold")
    axis.legend(loc="upper left", frameon=False, fontsize=9)
    figure.text(0.01, -0.02, words.chart_source(data.as_of), fontsize=8, color="#555555")
    return _save(figure, out_dir, "monthly")


def _line(axis: Any, x: Sequence[int], view: MetricView, colour: str, label: str) -> None:
    values = [m.value for m in view.series]
    axis.plot(x, values, color=colour, lw=1.8, label=label, marker="o", ms=2.5)
    months = [m.month for m in view.series]
    for month, estimate in view.nowcasts.items():
        if month in months:
            i = months.index(month)
            axis.errorbar(
                [i], [estimate.estimate],
                yerr=[[estimate.estimate - estimate.low], [estimate.high - estimate.estimate]],
                fmt="o", mfc="white", color=colour, ms=4, capsize=2.5, lw=1,
            )  # fmt: skip


def region_chart(data: BriefingData, words: Words, out_dir: Path, top: int = 10) -> list[Path]:
    regions = list(data.regions_oblast[:top])[::-1]
    figure, axis = _pyplot().subplots(figsize=(8, 0.42 * len(regions) + 1.3))
    labels = [words.region(r.region_ru, r.region_en) for r in regions]
    bars = axis.barh(labels, [r.value for r in regions], color=RECEIVED_COLOUR, height=0.65)
    for bar, region in zip(bars, regions, strict=True):
        axis.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {words.number(region.value)}",
                  va="center", fontsize=9)  # fmt: skip
    axis.set_xlim(0, max((r.value for r in regions), default=1) * 1.15)
    axis.tick_params(axis="y", labelsize=9)
    axis.xaxis.set_visible(False)
    axis.spines["bottom"].set_visible(False)
    axis.set_title(words.chart_regions_title, loc="left", fontsize=12, fontweight="bold")
    figure.subplots_adjust(bottom=0.04)
    figure.text(0.01, 0.0, words.chart_regions_note(data), fontsize=8, color="#555555")
    return _save(figure, out_dir, "regions")


def mix_chart(data: BriefingData, words: Words, out_dir: Path) -> list[Path]:
    mix = data.mix
    parts = [
        (words.mix_label("suspended"), mix.suspended, "#4393c3"),
        (words.mix_label("real"), mix.real, "#b2182b"),
        (words.mix_label("disciplinary_unit"), mix.disciplinary_unit, "#f4a582"),
        (words.mix_label("other_punishment"), mix.other_punishment, "#bababa"),
    ]
    figure, axis = _pyplot().subplots(figsize=(8, 1.9))
    left = 0
    for label, value, colour in parts:
        if value == 0:
            continue
        axis.barh([0], [value], left=left, color=colour, height=0.6, label=f"{label}: {value}")
        if value / max(mix.published, 1) >= 0.08:
            axis.text(left + value / 2, 0, str(value), ha="center", va="center", color="white", fontsize=10)
        left += value
    axis.set_xlim(0, max(mix.published, 1))
    axis.set_yticks([])
    axis.xaxis.set_visible(False)
    for side in ("left", "bottom"):
        axis.spines[side].set_visible(False)
    axis.set_title(words.chart_mix_title(data.month, mix.published, mix.sentences), loc="left", fontsize=11,
                   fontweight="bold")  # fmt: skip
    axis.legend(loc="upper center", bbox_to_anchor=(0.5, -0.05), ncol=4, frameon=False, fontsize=9)
    return _save(figure, out_dir, "sentence_mix")


def render_charts(data: BriefingData, words: Words, out_dir: Path) -> dict[str, list[Path]]:
    out_dir.mkdir(parents=True, exist_ok=True)
    return {
        "monthly": monthly_chart(data, words, out_dir),
        "regions": region_chart(data, words, out_dir),
        "sentence_mix": mix_chart(data, words, out_dir),
    }


def write_chart_data(data: BriefingData, words: Words, out_dir: Path) -> list[Path]:
    """Each chart's table as ``<chart>.csv`` (the layout Datawrapper and Flourish import: x labels in
    the first column, one column per series) and ``charts.json`` with every chart's title, notes,
    source line and CSV file, to paste into the tool's title, notes and source fields."""
    paths = []
    described = []
    for table in chart_tables(data, words).values():
        path = out_dir / f"{table.key}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(table.header)
            writer.writerows(["" if cell is None else cell for cell in row] for row in table.rows)
        paths.append(path)
        described.append({**table.to_dict(), "csv": path.name, "svg": f"{table.key}.svg"})
    index = out_dir / "charts.json"
    index.write_text(json.dumps({"charts": described}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [*paths, index]
