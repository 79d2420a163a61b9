"""Bar charts as inline SVG, drawn on the server: each bar is a link to the cases behind it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 720, 260
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 44, 28, 10


@dataclass(frozen=True, slots=True)
class Segment:
    key: str  # CSS class suffix, e.g. the article group
    value: int
    href: str | None
    title: str


@dataclass(frozen=True, slots=True)
class Bar:
    label: str  # YYYY-MM
    segments: tuple[Segment, ...]
    incomplete: bool

    @property
    def total(self) -> int:
        return sum(s.value for s in self.segments)


def _nice_max(value: int) -> int:
    if value <= 5:
        return 5
    step = 1
    while step * 10 < value:
        step *= 10
    for factor in (1, 2, 2.5, 5, 10):
        top = int(step * factor)
        if top >= value:
            return top
    return value


def bar_chart(bars: Sequence[Bar], title: str, incomplete_label: str) -> Markup:
    """Stacked bars, months along the bottom; incomplete months get a shaded band behind them."""
    if not bars:
        return Markup("")
    top = _nice_max(max(b.total for b in bars))
    plot_w, plot_h = WIDTH - MARGIN_LEFT - 8, HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    slot = plot_w / len(bars)
    width = max(1.0, slot * 0.8)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for tick in range(5):
        value = top * tick / 4
        y = MARGIN_TOP + plot_h - plot_h * tick / 4
        parts.append(f'<line class="grid" x1="{MARGIN_LEFT}" x2="{WIDTH - 8}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(
            f'<text class="axis" x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>'
        )
    every = max(1, len(bars) // 12)
    for index, bar in enumerate(bars):
        x = MARGIN_LEFT + index * slot + (slot - width) / 2
        if bar.incomplete:
            parts.append(
                f'<rect class="incomplete" x="{MARGIN_LEFT + index * slot:.1f}" y="{MARGIN_TOP}" '
                f'width="{slot:.1f}" height="{plot_h}"><title>{escape(incomplete_label)}</title></rect>'
            )
        y = MARGIN_TOP + plot_h
        for segment in bar.segments:
            if segment.value <= 0:
                continue
            height = plot_h * segment.value / top
            y -= height
            rect = (
                f'<rect class="bar s-{escape(segment.key)}" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
                f'height="{height:.1f}"><title>{escape(segment.title)}</title></rect>'
            )
            if segment.href:
                rect = f'<a href="{escape(segment.href)}" class="bar-link">{rect}</a>'
            parts.append(rect)
        if index % every == 0:
            parts.append(
                f'<text class="axis" x="{x + width / 2:.1f}" y="{HEIGHT - 10}" text-anchor="middle">'
                f"{escape(_short(bar.label))}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(month: str) -> str:
    return f"{month[5:7]}.{month[2:4]}" if len(month) == 7 else month
