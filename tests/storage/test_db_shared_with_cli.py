"""The CLI runs while the GUI holds the library open: neither may break the other's WAL.

On Linux, closing *any* descriptor of a file drops the process's POSIX locks on it; if the app
ever opened the database file outside SQLite while connected, a CLI process would believe it is
the last user, delete the write-ahead log on exit, and the app's later writes would vanish.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from readerapp.app import open_services
from readerapp.storage.db import Database
from readerapp.storage.library import LibraryRepository


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "readerapp", "--home", str(home), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_cli_runs_leave_the_apps_log_alone(home: Path) -> None:
    app = open_services(str(home))  # the GUI's connection ...
    second = Database.open(app.paths.database)  # ... and its indexer's own
    try:
        app.library.create_topic("Before the CLI ran")
        assert cli(home, "topics").returncode == 0
        wal = app.paths.database.with_name("library.sqlite3-wal")
        assert wal.exists(), "the CLI deleted the app's write-ahead log"
        app.library.create_topic("After the CLI ran")
        LibraryRepository(second).create_topic("From the second connection")
        listed = cli(home, "topics", "--json")
        names = {t["name"] for t in json.loads(listed.stdout)}
        assert {"Before the CLI ran", "After the CLI ran", "From the second connection"} <= names
    finally:
        second.close()
        app.close()
