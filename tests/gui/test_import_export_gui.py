"""File -> Import… and File -> Export… in the real main window, offscreen, work off the GUI thread."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from readerapp.app import open_services
from readerapp.gui.import_export import ExportDialog, ImportReportDialog
from readerapp.gui.main_window import MainWindow
from readerapp.storage.library import UNFILED
from tests.conftest import READING_LIST


@pytest.fixture
def window(qtbot, home: Path) -> Iterator[MainWindow]:
    services = open_services(str(home), seed=False)
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.import_export_ui.runner.wait()
    if win.isVisible():
        win.close()
    services.close()


def test_file_menu_has_import_and_export(window):
    texts = [a.text() for a in window.file_menu.actions()]
    assert "&Import…" in texts and "&Export…" in texts


def test_import_shows_the_report_and_the_new_topics(qtbot, window, tmp_path):
    ui = window.import_export_ui
    with qtbot.waitSignal(ui.finished, timeout=20000):
        assert ui.import_path(READING_LIST)
    dialog = ui.report_dialog
    assert isinstance(dialog, ImportReportDialog) and dialog.isVisible()
    assert "16 items created" in dialog.summary.text()
    details = dialog.details.toPlainText()
    assert "line 59: the arXiv link https://arxiv.org/abs/2001.083613" in details
    dialog.grab().save(str(tmp_path / "import-report.png"))
    # the tree shows the list's topics now, without a restart
    paths = set(window.library.topic_paths().values())
    assert "Open questions/World Models" in paths
    assert window.topic_model.rowCount() >= 3
    counts = window.library.topic_counts()
    assert counts[UNFILED] == 3
    assert "16 items created" in window.statusBar().currentMessage()


def test_a_bad_file_gets_a_sentence_in_the_status_bar(qtbot, window, tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\xff\xfe\x00\x00 binary")
    ui = window.import_export_ui
    with qtbot.waitSignal(ui.finished, timeout=20000):
        ui.import_path(bad)
    assert "binary file" in window.statusBar().currentMessage()
    assert ui.report_dialog is None and not ui.busy
    assert window.library.is_empty()


def test_export_writes_the_chosen_format(qtbot, window, tmp_path):
    ui = window.import_export_ui
    with qtbot.waitSignal(ui.finished, timeout=20000):
        ui.import_path(READING_LIST)
    ui.report_dialog.close()
    target = tmp_path / "out.bib"
    with qtbot.waitSignal(ui.finished, timeout=20000):
        ui.export_to("bibtex", "Open questions/World Models", target)
    text = target.read_text(encoding="utf-8")
    assert "eprint = {2311.17021}" in text and "Denoising Walks" not in text
    assert "Exported to" in window.statusBar().currentMessage()


def test_export_dialog_offers_topics_only_where_they_mean_something(qtbot, tmp_path):
    dialog = ExportDialog(["Favourites", "Research focus"])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.topic_box.setCurrentIndex(dialog.topic_box.findData("Favourites"))
    assert (dialog.fmt, dialog.topic) == ("md", "Favourites")
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("json"))
    assert not dialog.topic_box.isEnabled() and dialog.topic is None
    assert "restorable exactly" in dialog.hint.text()
    dialog.grab().save(str(tmp_path / "export-dialog.png"))


def test_export_menu_runs_dialog_then_file_chooser(qtbot, window, tmp_path, monkeypatch):
    """The menu path end to end: the dialog is answered, the save dialog returns a file name."""
    target = tmp_path / "list.md"
    from readerapp.gui import import_export

    monkeypatch.setattr(
        import_export.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "")
    )

    def answer() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ExportDialog))
        dialog.done(QDialog.DialogCode.Accepted)

    QTimer.singleShot(0, answer)
    with qtbot.waitSignal(window.import_export_ui.finished, timeout=20000):
        window.import_export_ui.export_action.trigger()
    assert target.read_text(encoding="utf-8").startswith("# Reading list")


def test_an_export_chosen_inside_the_library_folder_is_refused_with_a_sentence(qtbot, window):
    """File -> Export over the library's own database: refused, and the library is intact."""
    ui = window.import_export_ui
    database = window.services.paths.database
    count = len(window.library.items())
    for fmt in ("md", "opml"):  # a worker's export and one on the window's thread
        with qtbot.waitSignal(ui.finished, timeout=20000):
            ui.export_to(fmt, None, database)
        assert "inside the library folder" in window.statusBar().currentMessage()
        assert not ui.busy
    assert database.read_bytes()[:16] == b"SQLite format 3\x00"
    assert len(window.library.items()) == count
