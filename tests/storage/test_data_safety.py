"""Bad states end in a sentence with the library intact: full disk, another program's database,
a damaged database, JSON nested too deeply. Real SQLite files; a real full disk (a small tmpfs)
where the machine lets the test mount one."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from readerapp.app import open_services
from readerapp.cli import main
from readerapp.core.errors import BadInputError
from readerapp.storage.db import APPLICATION_ID, Database, EarlyIntegrityCheck
from readerapp.storage.errors import DamagedDatabaseError, DiskFullError, ForeignDatabaseError
from readerapp.storage.importer import import_file
from readerapp.storage.library import LibraryRepository
from tests.hostile_disks import damage, fill, small_disk_in

READING_LIST = (
    "## Reading\n\n- [A paper](https://example.org/a)\n- [B paper](https://example.org/b)\n"
)


# ---- a full disk ----------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    with small_disk_in(tmp_path) as disk:
        yield disk


def items_in(home: Path) -> list[str]:
    conn = sqlite3.connect(home / "library.sqlite3")
    try:
        return [r[0] for r in conn.execute("SELECT title FROM items ORDER BY id")]
    finally:
        conn.close()


@pytest.mark.parametrize("leave_kb", [48, 16, 0])
def test_a_full_disk_ends_every_writing_command_in_the_sentence(small_disk, capsys, leave_kb):
    home = small_disk / "library"
    assert main(["--home", str(home), "topics"]) == 0
    before = items_in(home)
    listing = small_disk.parent / "list.md"
    listing.write_text(READING_LIST, encoding="utf-8")
    filler = fill(small_disk, leave_kb)
    capsys.readouterr()
    commands = [
        ["add", "https://example.org/new-page", "--no-download"],
        ["import", str(listing)],
        ["feeds", "add", "https://example.org/feed.xml"],
    ]
    for command in commands:
        code = main(["--home", str(home), *command])
        err = capsys.readouterr().err
        if code == 0:  # some commands fit in the last kilobytes: then they did their work
            continue
        assert f"The disk holding {small_disk}" in err and "is full; nothing was changed" in err
        assert "Traceback" not in err and "no transaction is active" not in err
    filler.unlink()
    assert items_in(home)[: len(before)] == before  # the database is intact and readable
    assert main(["--home", str(home), "list"]) == 0


def test_a_full_disk_on_a_note_save_raises_the_disk_full_error_through_the_service(small_disk):
    home = small_disk / "library"
    services = open_services(str(home))
    try:
        item = services.library.add_item("Scaling Laws", notes="saved before")
        filler = fill(small_disk, 0)
        with pytest.raises(DiskFullError) as caught:
            services.library.update_item(item.id, notes="typed " * 100_000)
        assert caught.value.folder == str(home)
        assert "is full; nothing was changed" in str(caught.value)
        with pytest.raises(DiskFullError, match="is full; nothing was changed"):
            services.item_edits.save(item, notes="typed in the window " * 100_000)
        filler.unlink()
        assert services.library.item(item.id).notes == "saved before"
        saved = services.item_edits.save(item, notes="saved after")  # once space is back
        assert saved.item.notes == "saved after"
    finally:
        services.close()


def test_a_commit_that_fails_is_not_followed_by_a_failing_rollback(tmp_path):
    """SQLite rolls a transaction back itself when its COMMIT fails on a full disk."""
    db = Database.open(tmp_path / "lib.sqlite3")
    lib = LibraryRepository(db)
    item = lib.add_item("Kept", notes="saved before")
    pages = db.conn.execute("PRAGMA page_count").fetchone()[0]
    db.conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "disk is full" path
    with pytest.raises(DiskFullError, match="nothing was changed"), db.transaction() as conn:
        conn.execute("UPDATE items SET notes = ? WHERE id = ?", ("x" * 300_000, item.id))
    assert not db.conn.in_transaction
    assert lib.item(item.id).notes == "saved before"
    db.close()


# ---- files that are not a readerapp library ---------------------------------------------------


def foreign_database(path: Path) -> bytes:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO contacts(name) VALUES ('Ada')")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    return path.read_bytes()


def test_another_programs_database_is_refused_and_left_byte_for_byte(tmp_path, capsys):
    home = tmp_path / "library"
    home.mkdir()
    path = home / "library.sqlite3"
    before = foreign_database(path)
    with pytest.raises(ForeignDatabaseError, match="another program"):
        Database.open(path)
    assert main(["--home", str(home), "list"]) == 1
    assert "not a readerapp library" in capsys.readouterr().err
    assert path.read_bytes() == before
    assert sorted(p.name for p in home.iterdir() if p.name.startswith("library")) == [
        "library.sqlite3"
    ]


def test_an_empty_sqlite_file_with_an_unknown_application_id_is_refused(tmp_path):
    path = tmp_path / "lib.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(ForeignDatabaseError):
        Database.open(path)
    assert path.read_bytes() == before


def test_a_library_made_before_the_application_id_opens_and_gets_it(tmp_path):
    path = tmp_path / "lib.sqlite3"
    db = Database.open(path)
    LibraryRepository(db).add_item("Old paper")
    db.conn.execute("PRAGMA application_id = 0")  # as every library made before it was set
    db.close()
    db = Database.open(path)
    assert db.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert [i.title for i in LibraryRepository(db).items()] == ["Old paper"]
    db.close()


# ---- a damaged library ----------------------------------------------------------------------


def test_a_damaged_library_is_refused_with_the_restore_command_then_restored(tmp_path, capsys):
    home = tmp_path / "library"
    listing = tmp_path / "list.md"
    listing.write_text(READING_LIST, encoding="utf-8")
    assert main(["--home", str(home), "import", str(listing)]) == 0  # makes a backup first
    good = items_in(home)
    damage(home / "library.sqlite3")
    before = (home / "library.sqlite3").read_bytes()
    capsys.readouterr()
    for command in (
        ["list"],
        ["add", "https://example.org/c", "--no-download"],
        ["export", "--format", "json"],
    ):
        assert main(["--home", str(home), *command]) == 1
        err = capsys.readouterr().err
        assert "is damaged" in err and "it was not opened" in err
        assert f"readerapp --home {home} restore library-" in err
        assert (home / "library.sqlite3").read_bytes() == before
    backup = err.split(" restore ", 1)[1].split("`", 1)[0]
    assert main(["--home", str(home), "restore", backup]) == 0
    out = capsys.readouterr().out
    assert "Restored the library from" in out and ".damaged-" in out
    assert main(["--home", str(home), "list"]) == 0
    restored = items_in(home)
    assert len(restored) == len(good) - 2  # as before the import: the backup was made first
    kept = [
        p for p in home.iterdir() if ".damaged-" in p.name and not p.name.endswith(("-wal", "-shm"))
    ]
    assert len(kept) == 1 and kept[0].read_bytes() == before


def test_a_damaged_library_without_backups_says_so(tmp_path):
    path = tmp_path / "lib.sqlite3"
    db = Database.open(path)
    LibraryRepository(db).add_item("Paper")
    db.close()
    damage(path)
    with pytest.raises(DamagedDatabaseError, match="No good backup was found"):
        Database.open(path)


def test_a_check_started_ahead_refuses_a_damaged_library_and_lets_a_new_one_be_made(tmp_path):
    path = tmp_path / "lib.sqlite3"
    fresh = Database.open(path, early_check=EarlyIntegrityCheck(path))  # no file yet: made
    LibraryRepository(fresh).add_item("Paper")
    fresh.close()
    healthy = Database.open(path, early_check=EarlyIntegrityCheck(path))
    assert [i.title for i in LibraryRepository(healthy).items()] == ["Paper"]
    healthy.close()
    damage(path)
    before = path.read_bytes()
    with pytest.raises(DamagedDatabaseError, match="is damaged"):
        Database.open(path, early_check=EarlyIntegrityCheck(path))
    assert path.read_bytes() == before


# ---- hostile JSON ---------------------------------------------------------------------------


def test_json_nested_100000_deep_is_refused_with_a_sentence(services, tmp_path, capsys):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(BadInputError, match="nested too deeply"):
        import_file(services.db, deep)
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(
        '{"format": "readerapp-backup", "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
        encoding="utf-8",
    )
    assert main(["--home", str(services.paths.root), "import", str(wrapped)]) == 2
    err = capsys.readouterr().err
    assert "nested too deeply" in err and "Traceback" not in err


def test_a_read_only_disk_ends_every_writing_command_in_a_sentence_naming_the_folder(
    small_disk, capsys
):
    home = small_disk / "library"
    assert main(["--home", str(home), "topics"]) == 0
    before = items_in(home)
    listing = small_disk.parent / "list.md"
    listing.write_text(READING_LIST, encoding="utf-8")
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        capsys.readouterr()
        commands = [
            ["add", "https://example.org/new-page", "--no-download"],
            ["import", str(listing)],
            ["feeds", "add", "https://example.org/feed.xml"],
        ]
        for command in commands:
            assert main(["--home", str(home), *command]) == 1
            err = capsys.readouterr().err
            assert f"readerapp cannot write to {home} (read-only or no permission)" in err
            assert "Traceback" not in err
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    assert items_in(home) == before


def test_a_huge_json_file_is_refused_with_a_sentence_before_it_is_read(services, tmp_path):
    from readerapp.storage.importer import BACKUP_LIMIT

    huge = tmp_path / "huge.json"
    with huge.open("wb") as fh:
        fh.truncate(BACKUP_LIMIT + 1)  # sparse: no disk space used, nothing read
    with pytest.raises(BadInputError, match=r"readerapp imports files up to \d+ MB"):
        import_file(services.db, huge)
