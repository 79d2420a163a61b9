"""The application layer: the jobs warduty does, each composed once from settings and the layers below.

The CLI, the web admin, the demo, the tests and the benchmarks call these; none of them wires a store,
a client or a crawler by hand. Nothing here prints: progress goes to the callbacks a caller passes.
"""

from warduty.jobs.alerts import AlertReport, after_run
from warduty.jobs.asylum import AsylumFetch, AsylumFetchFailed, fetch_asylum
from warduty.jobs.crawl import (
    client_options,
    default_solver,
    new_crawler,
    reparse_archive,
    run_crawl,
)
from warduty.jobs.outputs import export, release, write_briefing, write_briefings
from warduty.jobs.store import OpenedStore, open_store, prepare_store, require_database

__all__ = [
    "AlertReport",
    "AsylumFetch",
    "AsylumFetchFailed",
    "OpenedStore",
    "after_run",
    "client_options",
    "default_solver",
    "export",
    "fetch_asylum",
    "new_crawler",
    "open_store",
    "prepare_store",
    "release",
    "reparse_archive",
    "require_database",
    "run_crawl",
    "write_briefing",
    "write_briefings",
]
