"""Starting the app on a damaged library: it is refused, the newest good backup is offered, and
answering Yes restores it and opens the library."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from readerapp.app import open_services, start_library_check
from readerapp.gui.launch import open_library_interactively
from tests.hostile_disks import damage


def answer_questions(answers: list[QMessageBox.StandardButton], asked: list[str]) -> QTimer:
    """Answer each question box the app shows, in turn, as a user clicking its buttons would;
    its text goes into ``asked``. Keep the timer until the app has asked."""
    timer = QTimer(interval=10)

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            asked.append(box.text())
            button = box.button(answers.pop(0) if answers else QMessageBox.StandardButton.No)
            button.click()

    timer.timeout.connect(answer)
    timer.start()
    return timer


def test_a_damaged_library_offers_its_newest_good_backup(qapp, home: Path):
    services = open_services(str(home))
    count = len(services.library.items())
    services.backups.make("import")
    services.close()
    damage(home / "library.sqlite3")
    asked: list[str] = []
    # Yes once: asking again would mean the restored file was not read.
    timer = answer_questions([QMessageBox.StandardButton.Yes], asked)
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
        timer.stop()
        services.close()


def test_declining_the_restore_leaves_the_damaged_library_as_it_was(qapp, home: Path):
    services = open_services(str(home))
    services.backups.make("import")
    services.close()
    damage(home / "library.sqlite3")
    before = (home / "library.sqlite3").read_bytes()
    asked: list[str] = []
    timer = answer_questions([QMessageBox.StandardButton.No], asked)
    assert open_library_interactively(str(home), interactive=True) is None
    timer.stop()
    assert len(asked) == 1 and "Restore that backup now?" in asked[0]
    assert (home / "library.sqlite3").read_bytes() == before
