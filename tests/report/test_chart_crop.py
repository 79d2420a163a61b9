"""A chart's crop is measured once for its PNG and SVG: the PNG must be what ``bbox_inches="tight"`` gives."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from warduty.report import charts
from warduty.stats.figures import BriefingData
from warduty.stats.shares import SentenceMix
from warduty.stats.wording import words_for

# The Russian sentence-mix chart of the demo's May 2025 briefing: its legend and bold title are where a
# crop measured at the wrong resolution missed by 27 pixels.
MIX = SentenceMix(sentences=686, published=23, suspended=14, real=6, disciplinary_unit=1, other_punishment=2,
                  mobilised=0)  # fmt: skip
DATA = cast(BriefingData, SimpleNamespace(month="2025-05", mix=MIX))


def _tight_save(figure: Figure, out_dir: Path, stem: str) -> list[Path]:
    path = out_dir / f"{stem}.png"
    figure.savefig(path, dpi=charts.PNG_DPI, bbox_inches="tight")
    charts._pyplot().close(figure)
    return [path]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_png_is_cropped_as_a_tight_save_crops_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    png, svg = charts.mix_chart(DATA, words_for(lang), tmp_path)
    monkeypatch.setattr(charts, "_save", _tight_save)
    (tmp_path / "tight").mkdir()
    (tight,) = charts.mix_chart(DATA, words_for(lang), tmp_path / "tight")
    ours, reference = np.asarray(Image.open(png)), np.asarray(Image.open(tight))
    assert ours.shape == reference.shape and (ours == reference).all()
    # The SVG has the same crop, in points (72 an inch), within the few points text measures differ by.
    size = re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', svg.read_text())
    assert size is not None
    assert abs(float(size.group(1)) - ours.shape[1] * 72 / charts.PNG_DPI) < 3
    assert abs(float(size.group(2)) - ours.shape[0] * 72 / charts.PNG_DPI) < 3
