"""Issue 17 figures: the automatic backup of a 10,000-item library (SQLite's backup API, as made
before every import and restore and once a day), against a plain file copy of the same database
file made durable with one fsync, in the same run (the least any durable copy must do), plus the
open-time integrity check.

- backup_10k_ratio_vs_file_copy: median of back-to-back pairs' ratios (each pair sees one moment
  of the shared machine's speed)
- backup_10k_ms: the median backup time itself, for the record
- quick_check_10k_ratio_vs_reading_the_file: PRAGMA quick_check, which every open now pays,
  against reading the database file's bytes
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks import Figure
from benchmarks._library_gen import generate_library
from readerapp.storage.db_backups import make_backup

PAIRS = 15


def _timed(func) -> float:
    t0 = time.perf_counter()
    func()
    return time.perf_counter() - t0


def _durable_copy(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    fd = os.open(target, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="readerapp-bench-backup-") as tmp:
        home = Path(tmp) / "library"
        generate_library(home, items=10_000)
        database = home / "library.sqlite3"
        conn = sqlite3.connect(database)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the copy floor sees the whole file
        backups = Path(tmp) / "backups"
        copies = Path(tmp) / "copies"
        copies.mkdir()
        ratios, backup_times = [], []
        for i in range(PAIRS):
            backup = _timed(lambda: make_backup(conn, backups, "import"))
            copy = _timed(lambda i=i: _durable_copy(database, copies / f"copy-{i}.sqlite3"))
            ratios.append(backup / copy)
            backup_times.append(backup)
        checks = []
        for _ in range(PAIRS):
            check = _timed(lambda: conn.execute("PRAGMA quick_check").fetchall())
            checks.append(check / _timed(database.read_bytes))
        conn.close()
    return [
        Figure("backup_10k_ratio_vs_durable_file_copy", statistics.median(ratios), 5.0),
        Figure("backup_10k_ms", statistics.median(backup_times) * 1000, 100.0, "ms"),
        Figure("quick_check_10k_ratio_vs_reading_the_file", statistics.median(checks), 30.0),
    ]
