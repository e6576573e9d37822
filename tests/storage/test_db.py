"""The database file: creation, WAL, migrations with backup, and refusal of bad states."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from readerapp.app import open_services
from readerapp.storage.db import Database, move_aside
from readerapp.storage.errors import LibraryUnavailableError, NewerSchemaError, NotADatabaseError
from readerapp.storage.migrations import Migration, all_migrations, latest_version


def test_new_database_is_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "lib.sqlite3")
    assert db.schema_version == latest_version()
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_a_file_that_is_not_a_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    path.write_text("my thesis notes, not a database\n")
    with pytest.raises(NotADatabaseError, match="not an SQLite database"):
        Database.open(path)
    assert path.read_text() == "my thesis notes, not a database\n"
    moved = move_aside(path)
    assert moved.read_text() == "my thesis notes, not a database\n"
    assert Database.open(path).schema_version == latest_version()


def test_a_database_from_a_newer_version_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    Database.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {latest_version() + 5}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerSchemaError, match="newer version of readerapp"):
        Database.open(path)
    assert path.read_bytes() == before


def test_migrating_an_older_database_makes_a_backup_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "lib.sqlite3"
    db = Database.open(path)
    db.conn.execute("INSERT INTO topics(name) VALUES ('Alignment')")
    db.close()

    def add_column(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE topics ADD COLUMN colour TEXT")

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE topics ADD COLUMN icon TEXT")
        raise sqlite3.OperationalError("disk I/O error")

    real = all_migrations()
    newer = Migration(real[-1].version + 1, "m_test_colour", add_column)
    monkeypatch.setattr("readerapp.storage.db.all_migrations", lambda: [*real, newer])
    monkeypatch.setattr("readerapp.storage.db.latest_version", lambda: newer.version)
    db = Database.open(path)
    assert db.schema_version == newer.version
    db.close()
    backups = list((tmp_path / "backups").glob("library-*-upgrade.sqlite3"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("SELECT name FROM topics").fetchall() == [("Alignment",)]
    old.close()

    # A failing migration rolls back completely: the schema version and tables stay as they were.
    failing = Migration(newer.version + 1, "m_test_broken", broken)
    monkeypatch.setattr("readerapp.storage.db.all_migrations", lambda: [*real, newer, failing])
    monkeypatch.setattr("readerapp.storage.db.latest_version", lambda: failing.version)
    with pytest.raises(LibraryUnavailableError):
        Database.open(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == newer.version
    columns = [r[1] for r in conn.execute("PRAGMA table_info(topics)")]
    assert "colour" in columns and "icon" not in columns
    conn.close()


def test_migration_versions_match_their_module_names() -> None:
    """The newest version is read from the names (mNNN_...), so a name and VERSION must agree."""
    versions = [m.version for m in all_migrations()]
    assert versions == [int(m.name[1:4]) for m in all_migrations()]
    assert latest_version() == versions[-1]


def test_a_current_library_opens_without_loading_any_migration(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    Database.open(path).close()
    probe = (
        "import sys\n"
        "from readerapp.storage.db import Database\n"
        f"Database.open({str(path)!r}).close()\n"
        "print(sorted(m for m in sys.modules if '.migrations.m' in m))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_library_folder_that_cannot_be_created_gives_a_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    with pytest.raises(LibraryUnavailableError, match="readerapp cannot"):
        open_services(str(blocker / "library"))
    assert blocker.read_text() == "in the way"


def test_a_locked_database_gives_a_sentence_and_loses_nothing(tmp_path: Path) -> None:
    from readerapp.storage.library import LibraryRepository

    path = tmp_path / "lib.sqlite3"
    db = Database.open(path, busy_timeout_ms=50)
    lib = LibraryRepository(db)
    lib.create_topic("Alignment")
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        with pytest.raises(LibraryUnavailableError, match="locked by another program"):
            lib.create_topic("Hallucination")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert [t.name for t in lib.topics()] == ["Alignment"]
    lib.create_topic("Hallucination")  # works again once the lock is gone
    assert len(lib.topics()) == 2


def test_a_full_disk_gives_a_sentence_and_keeps_what_was_saved(tmp_path: Path) -> None:
    from readerapp.storage.library import LibraryRepository

    db = Database.open(tmp_path / "lib.sqlite3")
    lib = LibraryRepository(db)
    item = lib.add_item("Scaling Laws for Neural Language Models", notes="saved before")
    pages = db.conn.execute("PRAGMA page_count").fetchone()[0]
    db.conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "disk is full" path
    with pytest.raises(LibraryUnavailableError, match="full"):
        lib.update_item(item.id, notes="x" * 200_000)
    assert lib.item(item.id).notes == "saved before"
