"""The March 2024 briefing's headline figures, reproduced in a notebook through ``warduty.open``.

Run: ``python examples/march_2024_briefing.py sqlite:///data/warduty.sqlite 2024-04-12``
(the database URL and the briefing's as-of date). The test suite runs it against a crawled replica
and compares every number with the ``figures.json`` that ``warduty report`` writes.
"""

from __future__ import annotations

import sys
from datetime import date

import warduty

MONTH = "2024-03"


def headline(url: str, as_of: date) -> dict[str, object]:
    with warduty.open(url) as db:
        # The monthly series, cut at the as-of day as the briefing cuts it.
        series = db.series("337", until=as_of).set_index("month")
        # Regions by court seat since mobilisation (Moscow Oblast apart from Moscow city).
        regions = db.regions("337", until=as_of)
        # The briefing's own figure table, for the figures that need more than a count.
        figures = db.figures(MONTH, as_of=as_of)
        # Cases received since mobilisation: one row per case.
        since = db.cases("337", since=date(2022, 9, 21), until=as_of)
    return {
        "received_month": int(series.loc[MONTH, "received"]),
        "sentences_month": int(series.loc[MONTH, "sentences"]),
        "sentences_per_working_day": figures.loc["sentences_per_working_day", "value"],
        "received_since_mobilisation": len(since),
        "sentences_since_mobilisation": figures.loc["sentences_since_mobilisation", "value"],
        "top_region": regions.iloc[0]["region_en"],
        "top_region_value": int(regions.iloc[0]["value"]),
        "sentences_record": figures.loc["sentences_record", "value"],
    }


if __name__ == "__main__":
    for key, value in headline(sys.argv[1], date.fromisoformat(sys.argv[2])).items():
        print(f"{key}: {value}")
