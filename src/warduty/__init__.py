"""warduty: prosecutions of Russian soldiers who leave the war, counted from military-court websites.

In a notebook: ``db = warduty.open("sqlite:///data/warduty.sqlite")``, then ``db.series()``,
``db.figures("2024-03")``, ``db.regions()``, ``db.cases()``, ``db.asylum()`` (pandas DataFrames;
see ``docs/datasets.md``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from warduty.notebook import Database

__version__ = "0.1.0"


def open(url: str) -> Database:
    """Open an existing warduty database for reading: :class:`warduty.notebook.Database`."""
    from warduty.notebook import open_database  # imported on use: ``import warduty`` stays light

    return open_database(url)
