"""File dialogs open where the user last was, with the format they last chose."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from readerapp.services.settings import FileDialogPurpose

IMPORT = FileDialogPurpose.IMPORT


def answer_file_dialog(qtbot, seen: dict, choose: Path | None) -> None:
    """When the next file dialog shows, note its folder and filter, then pick ``choose``."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, answer)
            return
        seen["folder"] = Path(dialog.directory().absolutePath())
        seen["filter"] = dialog.selectedNameFilter()
        if choose is None:
            dialog.reject()
        else:
            dialog.selectFile(str(choose))
            dialog.accept()

    QTimer.singleShot(0, answer)


def answer_export_dialog(fmt: str) -> None:
    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() != "exportDialog":
            QTimer.singleShot(20, answer)
            return
        dialog.format_box.setCurrentIndex(dialog.format_box.findData(fmt))
        dialog.accept()

    QTimer.singleShot(0, answer)


def test_import_and_export_dialogs_remember_folder_and_format(qtbot, window, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))  # the dialogs start there: never the real one
    ui = window.import_export_ui
    lists = tmp_path / "lists"
    lists.mkdir()
    bib = lists / "mine.bib"
    bib.write_text("@misc{a, title={A thing}, url={https://example.org/a}}\n", encoding="utf-8")
    seen: dict = {}
    answer_file_dialog(qtbot, seen, None)
    ui.choose_import()
    assert seen["folder"] == home  # the first time: the home folder

    # choose the .bib through its own filter
    def pick_bib() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, pick_bib)
            return
        dialog.selectNameFilter("BibTeX (*.bib *.bibtex)")
        dialog.selectFile(str(bib))
        dialog.accept()

    QTimer.singleShot(0, pick_bib)
    with qtbot.waitSignal(ui.finished, timeout=20000):
        ui.choose_import()
    if ui.report_dialog is not None:
        ui.report_dialog.close()
    answer_file_dialog(qtbot, seen, None)
    ui.choose_import()
    assert seen["folder"] == lists and seen["filter"] == "BibTeX (*.bib *.bibtex)"

    out = tmp_path / "exports"
    out.mkdir()
    answer_export_dialog("bibtex")
    answer_file_dialog(qtbot, seen, out / "mine-out.bib")
    with qtbot.waitSignal(ui.finished, timeout=20000):
        ui.choose_export()
    assert seen["folder"] == home
    assert [p.suffix for p in out.iterdir()] == [".bib"]
    dialog = ui.export_dialog()
    assert dialog.fmt == "bibtex"  # the format used last
    dialog.deleteLater()
    answer_export_dialog("bibtex")
    answer_file_dialog(qtbot, seen, None)
    ui.choose_export()
    assert seen["folder"] == out


def test_a_remembered_folder_that_is_gone_falls_back_to_home(services, tmp_path):
    choices = services.library.file_choices(home=tmp_path)
    gone = tmp_path / "gone"
    gone.mkdir()
    choices.remember(IMPORT, gone / "x.md")
    assert choices.folder(IMPORT) == gone
    gone.rmdir()
    assert choices.folder(IMPORT) == tmp_path
