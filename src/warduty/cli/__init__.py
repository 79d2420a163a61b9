"""The ``warduty`` command line: a thin Typer app. Each command module registers itself on ``app``."""

from __future__ import annotations

from warduty.cli.app import app, main

# Command modules register their commands on import; keep one line per module.
from warduty.cli import courts_cmd as _courts_cmd  # noqa: F401  isort: skip
from warduty.cli import articles_cmd as _articles_cmd  # noqa: F401  isort: skip
from warduty.cli import db_cmd as _db_cmd  # noqa: F401  isort: skip
from warduty.cli import demo_cmd as _demo_cmd  # noqa: F401  isort: skip
from warduty.cli import asylum_cmd as _asylum_cmd  # noqa: F401  isort: skip
from warduty.cli import parse_cmd as _parse_cmd  # noqa: F401  isort: skip
from warduty.cli import verdict_cmd as _verdict_cmd  # noqa: F401  isort: skip
from warduty.cli import crawl_cmd as _crawl_cmd  # noqa: F401  isort: skip
from warduty.cli import replica_serve_cmd as _replica_serve_cmd  # noqa: F401  isort: skip
from warduty.cli import replica_cmd as _replica_cmd  # noqa: F401  isort: skip
from warduty.cli import stats_cmd as _stats_cmd  # noqa: F401  isort: skip
from warduty.cli import report_cmd as _report_cmd  # noqa: F401  isort: skip
from warduty.cli import export_cmd as _export_cmd  # noqa: F401  isort: skip
from warduty.cli import release_cmd as _release_cmd  # noqa: F401  isort: skip
from warduty.cli import serve_cmd as _serve_cmd  # noqa: F401  isort: skip
from warduty.cli import check_cmd as _check_cmd  # noqa: F401  isort: skip
from warduty.cli import alerts_cmd as _alerts_cmd  # noqa: F401  isort: skip
from warduty.cli import status_cmd as _status_cmd  # noqa: F401  isort: skip

# Issue 14: crawl workers and the schedule.
from warduty.cli import worker_cmd as _worker_cmd  # noqa: F401  isort: skip
from warduty.cli import schedule_cmd as _schedule_cmd  # noqa: F401  isort: skip

__all__ = ["app", "main"]
