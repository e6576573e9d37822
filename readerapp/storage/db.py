"""Opening the library database: WAL, busy timeout, versioned migrations with a backup first."""

from __future__ import annotations

import errno
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from readerapp.storage.errors import (
    LibraryUnavailableError,
    NewerSchemaError,
    NotADatabaseError,
    StorageError,
)
from readerapp.storage.migrations import all_migrations, latest_version

BUSY_TIMEOUT_MS = 5000


class Database:
    """One SQLite connection in autocommit mode; writes go through :meth:`transaction`."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self._depth = 0
        self._write_lock = threading.RLock()

    @classmethod
    def open(
        cls, path: Path, *, backups_dir: Path | None = None, busy_timeout_ms: int = BUSY_TIMEOUT_MS
    ) -> Database:
        """Open (creating if needed) and migrate the database at ``path``.

        Raises a StorageError subclass with a user-facing sentence when it cannot.
        """
        path = Path(path)
        # Never open() the file ourselves: closing any descriptor of it drops this process's
        # SQLite locks (POSIX), and a CLI run would then delete the log the app still writes.
        # SQLite itself refuses a file that is not a database ("file is not a database") before
        # writing anything, and that error becomes NotADatabaseError below.
        if path.is_dir():
            raise NotADatabaseError(str(path))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                path, isolation_level=None, check_same_thread=False, timeout=busy_timeout_ms / 1000
            )
        except (sqlite3.Error, OSError) as exc:
            raise unavailable_error(path, exc) from exc
        db = cls(path, conn)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            conn.execute("PRAGMA foreign_keys = ON")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal" and not path.exists():
                raise LibraryUnavailableError(f"Cannot use a write-ahead log for {path}.")
            conn.execute("PRAGMA synchronous = NORMAL")
            db._migrate(backups_dir or path.parent / "backups")
        except sqlite3.DatabaseError as exc:
            conn.close()
            if "file is not a database" in str(exc) or "file is encrypted" in str(exc):
                raise NotADatabaseError(str(path)) from exc
            raise unavailable_error(path, exc) from exc
        except Exception:
            conn.close()
            raise
        return db

    def close(self) -> None:
        self.conn.close()

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def data_version(self) -> int:
        """A number that changes whenever another connection commits to this file.

        Cheap (no file access beyond SQLite's shared memory), so a window can poll it to notice
        the command line or a second window changing the library. This connection's own
        commits leave it alone.
        """
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception; nests as one transaction.

        The connection is shared with worker threads (downloads, feeds, indexing), so a
        re-entrant lock makes each transaction whole: another thread's writes wait for it
        instead of landing inside it.
        """
        with self._write_lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise unavailable_error(self.path, exc) from exc
            self._depth = 1
            try:
                yield self.conn
            except BaseException as exc:
                self._depth = 0
                if self.conn.in_transaction:  # SQLite may have rolled back already (disk full)
                    self.conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError) and _is_environmental(exc):
                    raise unavailable_error(self.path, exc) from exc
                raise
            self._depth = 0
            try:
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                self.conn.execute("ROLLBACK")
                raise unavailable_error(self.path, exc) from exc

    def _migrate(self, backups_dir: Path) -> None:
        supported = latest_version()
        current = self.schema_version
        if current > supported:
            raise NewerSchemaError(str(self.path), current, supported)
        if current == supported:
            return  # the usual case: no migration module needs loading
        pending = [m for m in all_migrations() if m.version > current]
        if not pending:
            return
        if current > 0:
            self._backup(backups_dir, current)
        for migration in pending:
            with self.transaction() as conn:
                migration.apply(conn)
                conn.execute(f"PRAGMA user_version = {migration.version}")

    def _backup(self, backups_dir: Path, version: int) -> Path:
        """Copy the database (consistently, via the backup API) before changing its schema."""
        backups_dir.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = backups_dir / f"library-v{version}-{stamp}.sqlite3"
        dest = sqlite3.connect(target)
        try:
            self.conn.backup(dest)
        finally:
            dest.close()
        return target


def _is_environmental(exc: sqlite3.OperationalError) -> bool:
    """Failures caused by the machine (disk, locks, permissions), not by a bug in our SQL."""
    text = str(exc).lower()
    return any(w in text for w in ("full", "locked", "busy", "readonly", "read-only", "disk i/o"))


def move_aside(path: Path) -> Path:
    """Rename a file that is not a database so a new library can start; returns the new name."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.not-a-database-{stamp}")
    import shutil  # rare: only when a foreign file is moved aside

    shutil.move(path, target)
    return target


def unavailable_error(path: Path, exc: BaseException) -> StorageError:
    text = str(exc).lower()
    code = getattr(exc, "errno", None)
    if code == errno.ENOSPC or "full" in text:
        return LibraryUnavailableError(
            f"The disk holding {path.parent} is full; nothing was written. Free some space and "
            "try again."
        )
    if code in (errno.ENOTDIR, errno.EEXIST):
        return LibraryUnavailableError(
            f"readerapp cannot create its library folder at {path.parent}: a file is in the way. "
            "Choose another folder with --home."
        )
    if (
        code in (errno.EACCES, errno.EROFS, errno.EPERM)
        or "readonly" in text
        or "read-only" in text
    ):
        return LibraryUnavailableError(
            f"readerapp cannot write to {path.parent} (read-only or no permission). "
            "Choose another library folder with --home, or fix its permissions."
        )
    if "locked" in text or "busy" in text:
        return LibraryUnavailableError(
            f"The library {path} is locked by another program; try again in a moment."
        )
    if "unable to open" in text:
        return LibraryUnavailableError(
            f"readerapp cannot open {path}: the folder is missing or not writable."
        )
    return LibraryUnavailableError(f"The library {path} could not be used: {exc}.")
