"""Automatic backups of the library database, for the CLI and the GUI alike.

The rules: one backup a day while the app runs (the last 7 kept), one before every import,
restore and schema upgrade; a restore first backs up what is there. The copies themselves are
made in ``storage.db_backups`` with SQLite's backup API.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from readerapp.storage.db import Database
from readerapp.storage.db_backups import (
    BackupInfo,
    backup_contents,
    find_backup,
    list_backups,
    make_backup,
    make_backup_of_file,
    newest_daily,
    replace_damaged,
    restore_backup,
)
from readerapp.storage.errors import DamagedDatabaseError
from readerapp.storage.paths import LibraryPaths

__all__ = ["BackupService", "LibraryPaths", "list_backups", "restore_unopened_library"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RestoreOutcome:
    """What a restore did: where the backup came from and where the replaced state was kept."""

    source: Path
    kept: Path  # the backup of the library as it was (or the damaged file, renamed)
    items: int | None

    def sentence(self) -> str:
        count = f" ({self.items} items)" if self.items is not None else ""
        return (
            f"Restored the library from {self.source.name}{count}; what was there is kept in "
            f"{self.kept}."
        )


class BackupService:
    """The library's automatic backups: list, make, the daily one, restore."""

    def __init__(self, db: Database, paths: LibraryPaths) -> None:
        self.db = db
        self.paths = paths

    @property
    def folder(self) -> Path:
        return self.paths.backups

    def list(self) -> list[BackupInfo]:
        return list_backups(self.folder)

    def make(self, reason: str) -> Path:
        return make_backup(self.db.conn, self.folder, reason)

    def daily_due(self, now: datetime | None = None) -> bool:
        """True when no daily backup was made today yet."""
        last = newest_daily(self.folder)
        return last is None or last.date() < (now or datetime.now()).date()

    def make_daily_if_due(self) -> Path | None:
        """Today's daily backup, from a connection of its own (callable on a worker thread)."""
        if not self.daily_due():
            return None
        return make_backup_of_file(self.db.path, self.folder, "daily")

    def restore(self, name_or_path: str | Path) -> RestoreOutcome:
        """Replace the library by a backup, after backing up what is there now."""
        source = find_backup(name_or_path, self.folder)
        items = backup_contents(source)[0]
        kept = restore_backup(self.db, source, self.folder)
        log.info("Restored %s from %s; the previous state is in %s", self.db.path, source, kept)
        return RestoreOutcome(source, kept, items)


def restore_unopened_library(paths: LibraryPaths, name_or_path: str | Path) -> RestoreOutcome:
    """`readerapp restore` before the library is opened: it may be too damaged to open at all.

    A healthy library is restored like :meth:`BackupService.restore`; a damaged one is moved
    aside (kept) and the backup put in its place.
    """
    source = find_backup(name_or_path, paths.backups)
    items = backup_contents(source)[0]
    try:
        db = Database.open(paths.database, backups_dir=paths.backups)
    except DamagedDatabaseError:
        kept = replace_damaged(paths.database, source)
        Database.open(paths.database, backups_dir=paths.backups).close()  # WAL, schema, id
        return RestoreOutcome(source, kept, items)
    try:
        kept = restore_backup(db, source, paths.backups)
    finally:
        db.close()
    return RestoreOutcome(source, kept, items)
