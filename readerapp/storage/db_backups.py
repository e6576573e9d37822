"""Automatic backups: whole copies of the library database, made with SQLite's backup API.

Not the JSON export of ``storage/backup.py`` (File -> Export -> Full backup, a portable file the
user keeps somewhere): these are ``<home>/backups/library-<time>-<reason>.sqlite3``, made once a
day while the app runs and before every import, restore and schema upgrade, listed by
``readerapp backups`` and put back by ``readerapp restore``.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from readerapp.core.errors import BadInputError
from readerapp.storage.change_counts import RESTORE
from readerapp.storage.db import APPLICATION_ID, Database, unavailable_error
from readerapp.storage.migrations import latest_version

log = logging.getLogger(__name__)

REASONS = {
    "daily": "daily",
    "import": "before an import",
    "restore": "before a restore",
    "upgrade": "before a schema upgrade",
    "undo": "before undoing an import",
}
KEEP = {"daily": 7}  # the daily ones: a week back
KEEP_OTHERS = 10  # of each other reason
_STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(r"^library-(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?-(?P<reason>[a-z]+)\.sqlite3$")
_OLD_UPGRADE_NAME = re.compile(r"^library-v\d+-(?P<stamp>\d{8}-\d{6})\.sqlite3$")


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """One backup file: when and why it was made, and what it holds (None: unreadable)."""

    path: Path
    created: datetime
    reason: str
    items: int | None
    schema_version: int | None

    @property
    def why(self) -> str:
        return REASONS.get(self.reason, self.reason)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "name": self.path.name,
            "created": self.created.isoformat(timespec="seconds"),
            "reason": self.reason,
            "items": self.items,
            "schema_version": self.schema_version,
        }


def make_backup(
    conn: sqlite3.Connection, backups_dir: Path, reason: str, now: datetime | None = None
) -> Path:
    """Copy the database of ``conn`` (consistently, even while it is in use) into ``backups_dir``.

    The copy is written beside its final name and renamed when complete, so a backup that was
    cut short (full disk, crash) is never listed. Older backups of the same reason are pruned.
    """
    now = now or datetime.now()
    try:
        backups_dir.mkdir(parents=True, exist_ok=True)
        target = _free_name(backups_dir, now, reason)
        partial = target.with_name(target.name + ".partial")
        dest = sqlite3.connect(partial)
        try:
            # One fsync of the finished file (below) instead of SQLite's at every step: half the
            # time, and a copy cut short is never renamed into place anyway.
            dest.execute("PRAGMA synchronous = OFF")
            conn.backup(dest)
            # A copy of a WAL library would make its readers create -wal/-shm files beside it.
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        _fsync(partial)
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        if "partial" in locals():
            partial.unlink(missing_ok=True)
        raise unavailable_error(backups_dir / "backup", exc) from exc
    prune(backups_dir, reason)
    return target


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_backup_of_file(db_path: Path, backups_dir: Path, reason: str) -> Path:
    """The same from a connection of its own (for a worker thread)."""
    conn = sqlite3.connect(db_path)
    try:
        return make_backup(conn, backups_dir, reason)
    finally:
        conn.close()


def _free_name(backups_dir: Path, when: datetime, reason: str) -> Path:
    stamp = when.strftime(_STAMP)
    # Two backups in one second (a restore right after an import) are told apart, and ordered,
    # by a sequence number after the time, whatever their reasons.
    n = len(list(backups_dir.glob(f"library-{stamp}-*.sqlite3")))
    if not n:
        return backups_dir / f"library-{stamp}-{reason}.sqlite3"
    target = backups_dir / f"library-{stamp}-{n + 1}-{reason}.sqlite3"
    while target.exists():  # never write over a backup
        n += 1
        target = backups_dir / f"library-{stamp}-{n + 1}-{reason}.sqlite3"
    return target


def _parse_name(path: Path) -> tuple[datetime, str, int] | None:
    m = _NAME.match(path.name)
    if m:
        return datetime.strptime(m["stamp"], _STAMP), m["reason"], int(m["n"] or 1)
    m = _OLD_UPGRADE_NAME.match(path.name)
    if m:
        return datetime.strptime(m["stamp"], _STAMP), "upgrade", 1
    return None


def _backup_files(backups_dir: Path) -> list[tuple[datetime, int, str, Path]]:
    """(time, sequence, reason, path) of every backup, newest first."""
    try:
        paths = list(backups_dir.iterdir())
    except OSError:
        return []
    found = []
    for path in paths:
        parsed = _parse_name(path)
        if parsed is not None and path.is_file():
            when, reason, n = parsed
            found.append((when, n, reason, path))
    found.sort(key=lambda f: (f[0], f[1]), reverse=True)
    return found


def prune(backups_dir: Path, reason: str) -> None:
    keep = KEEP.get(reason, KEEP_OTHERS)
    same = [f[3] for f in _backup_files(backups_dir) if f[2] == reason]
    for old in same[keep:]:
        try:
            old.unlink()
        except OSError as exc:  # a backup that cannot be removed only costs space
            log.warning("Could not remove the old backup %s: %s", old, exc)


def list_backups(backups_dir: Path) -> list[BackupInfo]:
    """Every backup in ``backups_dir``, newest first, with its item count."""
    out = []
    for when, _, reason, path in _backup_files(backups_dir):
        items, version = backup_contents(path)
        out.append(BackupInfo(path, when, reason, items, version))
    return out


def newest_daily(backups_dir: Path) -> datetime | None:
    return next((f[0] for f in _backup_files(backups_dir) if f[2] == "daily"), None)


def _open_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)


def backup_contents(path: Path) -> tuple[int | None, int | None]:
    """(items not in the trash, schema version) of a backup; (None, None) when unreadable."""
    try:
        conn = _open_read_only(path)
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            items = conn.execute("SELECT count(*) FROM items WHERE trashed IS NULL").fetchone()[0]
            return int(items), version
        finally:
            conn.close()
    except sqlite3.Error as exc:
        log.info("The backup %s cannot be read: %s", path, exc)
        return None, None


def check_backup(path: Path) -> str | None:
    """None when ``path`` is a healthy readerapp library this version can open, else why not."""
    if not path.is_file():
        return f"there is no file {path}"
    try:
        conn = _open_read_only(path)
        try:
            app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if app_id != APPLICATION_ID and not (app_id == 0 and {"items", "topics"} <= tables):
                return f"{path.name} is not a readerapp library"
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version > latest_version():
                return f"{path.name} was made by a newer version of readerapp"
            problems = [str(r[0]) for r in conn.execute("PRAGMA quick_check(1)")]
            if problems != ["ok"]:
                return f"{path.name} is damaged ({problems[0]})"
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return f"{path.name} cannot be read as a library ({exc})"
    return None


def newest_good_backup(backups_dir: Path) -> BackupInfo | None:
    """The newest backup that passes :func:`check_backup`."""
    for info in list_backups(backups_dir):
        if info.items is not None and check_backup(info.path) is None:
            return info
    return None


def find_backup(name_or_path: str | os.PathLike[str], backups_dir: Path) -> Path:
    """A backup given by path, or by its name in ``backups_dir`` (as `readerapp backups` lists)."""
    given = Path(name_or_path).expanduser()
    if given.is_file():
        return given
    inside = backups_dir / given.name
    if inside.is_file():
        return inside
    raise BadInputError(
        f"There is no backup {name_or_path}; `readerapp backups` lists the ones there are."
    )


def _refuse_unless_restorable(source: Path) -> None:
    problem = check_backup(source)
    if problem:
        raise BadInputError(f"Cannot restore from it: {problem}. Nothing was changed.")


def restore_backup(db: Database, source: Path, backups_dir: Path) -> Path:
    """Replace the library's content by ``source``'s; returns the backup of what was there.

    The copy goes through SQLite's backup API into the open library, so other connections (the
    window, a command) see the whole change at once, never half of it.
    """
    _refuse_unless_restorable(source)
    before = make_backup(db.conn, backups_dir, "restore")
    counts = _change_counts(db.conn)
    src = _open_read_only(source)
    try:
        with db.transaction_lock():
            src.backup(db.conn)
    except sqlite3.Error as exc:
        raise unavailable_error(db.path, exc) from exc
    finally:
        src.close()
    db.after_restore(backups_dir)
    _count_on(db, counts)
    return before


def _change_counts(conn: sqlite3.Connection) -> dict[str, int]:
    try:
        return dict(conn.execute("SELECT scope, count FROM change_counts"))
    except sqlite3.OperationalError:  # a library from before the counts (schema 5 or older)
        return {}


def _count_on(db: Database, before: dict[str, int]) -> None:
    """The write counts only ever go up (windows watch them): past both the replaced library's
    and the backup's, so every window sees the restore as the change it is; the RESTORE count
    tells them it was a restore."""
    restored = _change_counts(db.conn)
    with db.transaction() as conn:
        for scope in {*restored, RESTORE}:
            conn.execute(
                "INSERT INTO change_counts(scope, count) VALUES (?, ?) "
                "ON CONFLICT(scope) DO UPDATE SET count = excluded.count",
                (scope, max(restored.get(scope, 0), before.get(scope, 0)) + 1),
            )


def replace_damaged(db_path: Path, source: Path) -> Path:
    """Put ``source`` where a damaged library (not open anywhere) was; returns where that went.

    The damaged file is kept, renamed, beside the new one: it may still hold something.
    """
    _refuse_unless_restorable(source)
    stamp = datetime.now().strftime(_STAMP)
    kept = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    try:
        shutil.move(db_path, kept)
        for suffix in ("-wal", "-shm"):
            side = db_path.with_name(db_path.name + suffix)
            if side.exists():
                shutil.move(side, kept.with_name(kept.name + suffix))
        src = _open_read_only(source)
        dest = sqlite3.connect(db_path)
        try:
            src.backup(dest)
        finally:
            dest.close()
            src.close()
    except (sqlite3.Error, OSError) as exc:
        raise unavailable_error(db_path, exc) from exc
    return kept
