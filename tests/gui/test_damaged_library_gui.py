"""Starting the app on a damaged library: it is refused, the newest good backup is offered, and
answering Yes restores it and opens the library."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from readerapp.app import open_services, start_library_check
from readerapp.gui.launch import open_library_interactively
from tests.hostile_disks import damage


def test_a_damaged_library_offers_its_newest_good_backup(qapp, home: Path, monkeypatch):
    services = open_services(str(home))
    count = len(services.library.items())
    services.backups.make("import")
    services.close()
    damage(home / "library.sqlite3")
    asked: list[str] = []

    def answer_yes(parent, title, text, buttons):
        asked.append(text)  # Yes once: asking again would mean the restored file was not read
        return QMessageBox.StandardButton.Yes if len(asked) == 1 else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer_yes)
    # As the app starts: the file's check runs ahead while Qt loads, and serves the first try.
    early_check = start_library_check(str(home))
    services = open_library_interactively(str(home), interactive=True, early_check=early_check)
    try:
        assert services is not None
        assert len(asked) == 1
        assert "is damaged" in asked[0] and "Restore that backup now?" in asked[0]
        assert len(services.library.items()) == count
        assert [b.reason for b in services.backups.list()] == ["import"]
        assert any(".damaged-" in p.name for p in home.iterdir())
    finally:
        services.close()


def test_declining_the_restore_leaves_the_damaged_library_as_it_was(qapp, home: Path, monkeypatch):
    services = open_services(str(home))
    services.backups.make("import")
    services.close()
    damage(home / "library.sqlite3")
    before = (home / "library.sqlite3").read_bytes()
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    assert open_library_interactively(str(home), interactive=True) is None
    assert (home / "library.sqlite3").read_bytes() == before
