"""Opening the library database: WAL, busy timeout, versioned migrations with a backup first."""

from __future__ import annotations

import errno
import logging
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from readerapp.storage.errors import (
    DamagedDatabaseError,
    DiskFullError,
    ForeignDatabaseError,
    LibraryUnavailableError,
    NewerSchemaError,
    NotADatabaseError,
    ReadOnlyError,
    StorageError,
)
from readerapp.storage.migrations import all_migrations, latest_version

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
# PRAGMA application_id of a readerapp library ("RDRA"): another program's SQLite file is told
# apart from ours before anything is written to it.
APPLICATION_ID = 0x52445241
# A library made before the application id was set is recognised by these tables.
_LIBRARY_TABLES = frozenset({"topics", "items", "item_topics", "state"})
# Below this much free space a "disk I/O error" is the disk being full (SQLite reports a failed
# write of its shared-memory or log file that way).
_NEARLY_FULL_BYTES = 1 << 20


class EarlyIntegrityCheck:
    """SQLite's quick check of a library file, started before the library is opened.

    It runs on its own read-only connection in a thread, and SQLite releases the GIL while it
    reads: a launch imports Qt meanwhile instead of waiting for the check (~15 ms per 10,000
    items) before its window. :meth:`Database.open` takes its findings; when it could not run
    (no file yet, not a database, a read-only folder), the open checks by itself as before.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path).absolute()
        self._problems: list[str] | None = None
        self._thread = threading.Thread(target=self._check, name="integrity-check", daemon=True)
        self._thread.start()

    def _check(self) -> None:
        if not self.path.is_file():
            return
        try:
            conn = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True)
            try:
                self._problems = [str(r[0]) for r in conn.execute("PRAGMA quick_check(3)")]
            finally:
                conn.close()
        except (sqlite3.Error, OSError) as exc:  # the open checks again and says what is wrong
            log.debug("The early check of %s did not run: %s", self.path, exc)

    def problems(self, path: Path) -> list[str] | None:
        """What the check found in ``path`` (``["ok"]`` when nothing), None if it did not run."""
        if Path(path).absolute() != self.path:
            return None
        self._thread.join()
        return self._problems


class Database:
    """One SQLite connection in autocommit mode; writes go through :meth:`transaction`."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self._depth = 0
        self._write_lock = threading.RLock()

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        backups_dir: Path | None = None,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        early_check: EarlyIntegrityCheck | None = None,
    ) -> Database:
        """Open (creating if needed) and migrate the database at ``path``; ``early_check`` is
        its integrity check if one was started ahead.

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
        backups_dir = backups_dir or path.parent / "backups"
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            conn.execute("PRAGMA foreign_keys = ON")
            # Only reads until the file is known to be a healthy readerapp library: another
            # program's database, or a damaged one, is left byte for byte as it was.
            application_id = db._check_identity()
            db._check_integrity(backups_dir, early_check)
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal" and not path.exists():
                raise LibraryUnavailableError(f"Cannot use a write-ahead log for {path}.")
            conn.execute("PRAGMA synchronous = NORMAL")
            db._migrate(backups_dir)
            if application_id != APPLICATION_ID:  # a new library, or one made before the id
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        except sqlite3.DatabaseError as exc:
            conn.close()
            if "file is not a database" in str(exc) or "file is encrypted" in str(exc):
                raise NotADatabaseError(str(path)) from exc
            if "malformed" in str(exc):
                raise _damaged(path, str(exc), backups_dir) from exc
            raise unavailable_error(path, exc) from exc
        except Exception:
            conn.close()
            raise
        return db

    def close(self) -> None:
        self.conn.close()

    def _check_identity(self) -> int:
        """The file's application id; ForeignDatabaseError for another program's database."""
        conn = self.conn
        application_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        if application_id == APPLICATION_ID:
            return application_id
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        brand_new = application_id == 0 and not tables and version == 0
        ours_before_the_id = application_id == 0 and tables >= _LIBRARY_TABLES and version > 0
        # A schema newer than this version knows is refused as such (untouched) in _migrate.
        from_the_future = application_id == 0 and version > latest_version()
        if not (brand_new or ours_before_the_id or from_the_future):
            raise ForeignDatabaseError(str(self.path))
        return application_id

    def _check_integrity(self, backups_dir: Path, early: EarlyIntegrityCheck | None) -> None:
        """SQLite's quick check (about 15 ms for 10,000 items): a damaged library is not opened."""
        problems = early.problems(self.path) if early is not None else None
        if problems is None:
            problems = [str(r[0]) for r in self.conn.execute("PRAGMA quick_check(3)")]
        if problems != ["ok"]:
            lines = [ln for p in problems for ln in p.splitlines() if not ln.startswith("***")]
            detail = lines[0] if lines else "its integrity check failed"
            raise _damaged(self.path, f"SQLite's check says: {detail}", backups_dir)

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

        In the GUI only the GUI thread uses this connection: downloads and feed refreshes hand
        their results back to it, and search indexing, imports, exports and the daily backup open
        connections of their own. The re-entrant lock lets transactions nest, and keeps each one
        whole should another thread ever write through the same connection.
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
                self._roll_back()
                if isinstance(exc, sqlite3.DatabaseError) and _is_environmental(exc):
                    raise unavailable_error(self.path, exc) from exc
                raise
            self._depth = 0
            try:
                self.conn.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                self._roll_back()
                raise unavailable_error(self.path, exc) from exc

    @contextmanager
    def transaction_lock(self) -> Iterator[None]:
        """Hold off this process's other writers (worker threads) without opening a transaction."""
        with self._write_lock:
            yield

    def after_restore(self, backups_dir: Path) -> None:
        """Bring a library just copied in from a backup up to date: schema, log mode, id."""
        self.conn.execute("PRAGMA journal_mode = WAL")
        self._migrate(backups_dir)
        self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    def _roll_back(self) -> None:
        """ROLLBACK unless SQLite already did (it does on a full disk, even on a failed COMMIT)."""
        if not self.conn.in_transaction:
            return
        try:
            self.conn.execute("ROLLBACK")
        except sqlite3.Error as exc:  # the original failure is what the user must hear about
            log.warning("ROLLBACK after a failed write of %s failed too: %s", self.path, exc)

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
            from readerapp.storage.db_backups import make_backup  # only when upgrading

            make_backup(self.conn, backups_dir, "upgrade")
        for migration in pending:
            with self.transaction() as conn:
                migration.apply(conn)
                conn.execute(f"PRAGMA user_version = {migration.version}")


def _is_environmental(exc: sqlite3.DatabaseError) -> bool:
    """Failures caused by the machine (disk, locks, permissions), not by a bug in our SQL."""
    text = str(exc).lower()
    words = ("full", "locked", "busy", "readonly", "read-only", "disk i/o", "malformed")
    return any(w in text for w in words)


def _damaged(path: Path, detail: str, backups_dir: Path) -> DamagedDatabaseError:
    from readerapp.storage.db_backups import newest_good_backup  # only for a damaged library

    good = newest_good_backup(backups_dir)
    return DamagedDatabaseError(str(path), detail, str(good.path) if good else None)


def _not_writable(folder: Path) -> bool:
    """A folder on a read-only disk, or one this user may not write to (SQLite says only
    "unable to open" when it cannot create the log files beside the library)."""
    return folder.is_dir() and not os.access(folder, os.W_OK)


def _nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < _NEARLY_FULL_BYTES
    except OSError:
        return False


def move_aside(path: Path) -> Path:
    """Rename a file that is not a database so a new library can start; returns the new name."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.not-a-database-{stamp}")
    shutil.move(path, target)
    return target


def unavailable_error(path: Path, exc: BaseException) -> StorageError:
    """The sentence for a failure to open or write the library at ``path`` (it names the folder)."""
    text = str(exc).lower()
    code = getattr(exc, "errno", None)
    if code == errno.ENOSPC or "full" in text or ("disk i/o" in text and _nearly_full(path.parent)):
        return DiskFullError(str(path.parent))
    if code in (errno.ENOTDIR, errno.EEXIST):
        return LibraryUnavailableError(
            f"readerapp cannot create its library folder at {path.parent}: a file is in the way. "
            "Choose another folder with --home."
        )
    if (
        code in (errno.EACCES, errno.EROFS, errno.EPERM)
        or "readonly" in text
        or "read-only" in text
        or ("unable to open" in text and _not_writable(path.parent))
    ):
        return ReadOnlyError(str(path.parent))
    if "malformed" in text:
        return _damaged(path, str(exc), path.parent / "backups")
    if "locked" in text or "busy" in text:
        return LibraryUnavailableError(
            f"The library {path} is locked by another program; try again in a moment."
        )
    if "unable to open" in text:
        return LibraryUnavailableError(
            f"readerapp cannot open {path}: the folder is missing or not writable."
        )
    return LibraryUnavailableError(f"The library {path} could not be used: {exc}.")
