"""The demo copies its first database through SQLite's backup API: what is still in the WAL is copied too."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from warduty.cli.demo_cmd import copy_sqlite


def test_copy_includes_what_is_still_in_the_wal(tmp_path: Path) -> None:
    source = tmp_path / "live.sqlite"
    with closing(sqlite3.connect(source)) as live:
        live.execute("PRAGMA journal_mode=WAL")
        live.execute("PRAGMA wal_autocheckpoint=0")
        live.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY, status TEXT)")
        live.execute("INSERT INTO runs VALUES (1, 'running')")
        live.commit()
        live.execute("UPDATE runs SET status = 'done' WHERE id = 1")
        live.commit()  # in the WAL, not yet in the main file, while the connection stays open
        shutil.copy2(source, tmp_path / "file-copy.sqlite")
        copy_sqlite(source, tmp_path / "copy.sqlite")
    with closing(sqlite3.connect(tmp_path / "copy.sqlite")) as copy:
        assert copy.execute("SELECT status FROM runs").fetchall() == [("done",)]
    with closing(sqlite3.connect(tmp_path / "file-copy.sqlite")) as stale:  # what a file copy gave
        assert stale.execute("SELECT name FROM sqlite_master WHERE name = 'runs'").fetchall() == []
