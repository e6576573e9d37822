"""Automatic backups (SQLite's backup API): made before imports and restores, daily ones kept
for a week, listed and restored through the CLI."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from readerapp.cli import main
from readerapp.storage.db_backups import list_backups, make_backup

READING_LIST = "## Reading\n\n- [A paper](https://example.org/a)\n"


def backups_json(home, capsys) -> list[dict]:
    capsys.readouterr()
    assert main(["--home", str(home), "backups", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_backups_are_listed_and_restored_through_the_cli(home, tmp_path, capsys):
    listing = tmp_path / "list.md"
    listing.write_text(READING_LIST, encoding="utf-8")
    assert main(["--home", str(home), "list"]) == 0
    starter = len(capsys.readouterr().out.splitlines())
    assert main(["--home", str(home), "import", str(listing)]) == 0
    told = capsys.readouterr().out
    (before_import,) = backups_json(home, capsys)
    # The command names this library: run as told, it restores this one, not the default.
    restore = f"readerapp --home {home} restore {before_import['name']}"
    assert f"`{restore}` puts it back" in told
    assert before_import["reason"] == "import" and before_import["items"] == starter
    assert main(["--home", str(home), "backups"]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    assert "before an import" in line and f"{starter} items" in line

    assert main(["--home", str(home), "restore", before_import["name"]]) == 0
    assert "Restored the library from" in capsys.readouterr().out
    assert main(["--home", str(home), "list"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == starter  # the imported item is gone
    newest = backups_json(home, capsys)[0]
    assert newest["reason"] == "restore" and newest["items"] == starter + 1  # what was there


def test_restore_refuses_what_is_not_a_good_backup(home, tmp_path, capsys):
    assert main(["--home", str(home), "list"]) == 0
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    capsys.readouterr()
    assert main(["--home", str(home), "restore", str(junk)]) == 2
    err = capsys.readouterr().err
    assert "Cannot restore from it" in err and "Nothing was changed" in err
    assert main(["--home", str(home), "restore", "no-such-backup"]) == 2
    assert "`readerapp backups` lists" in capsys.readouterr().err


def test_one_daily_backup_a_day_and_a_week_of_them_kept(services):
    backups = services.backups
    assert backups.make_daily_if_due() is not None
    assert backups.make_daily_if_due() is None  # already made today
    start = datetime(2026, 1, 1, 9, 0)
    for day in range(10):
        make_backup(services.db.conn, backups.folder, "daily", now=start + timedelta(days=day))
    dailies = [b for b in list_backups(backups.folder) if b.reason == "daily"]
    assert len(dailies) == 7
    assert dailies[0].created.date() == datetime.now().date()  # today's is the newest
    assert not backups.daily_due()


def test_a_restore_moves_the_write_counts_on_so_windows_notice_it(services):
    backup = services.backups.make("import")
    for n in range(3):
        services.library.add_item(f"Paper {n}", url=f"https://example.org/{n}")
    counts = dict(services.db.conn.execute("SELECT scope, count FROM change_counts"))
    services.backups.restore(backup)
    after = dict(services.db.conn.execute("SELECT scope, count FROM change_counts"))
    assert all(after[scope] > counts[scope] for scope in counts)
