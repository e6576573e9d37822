"""Annotations in the main window: each reading tab gets the pane and tools; Ctrl+Z and
Ctrl+Shift+Z work on highlights; File -> Export Annotated PDF; a restart finds everything."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt

from readerapp.app import open_services
from readerapp.gui.annotation_pane import AnnotationPane
from readerapp.gui.main_window import MainWindow
from readerapp.pdf.annotations import read_annotations
from tests.annotation_helpers import PAGE_ONE, PAGE_TWO, add_pdf_item, line_rects, make_pdf
from tests.gui.test_annotation_highlighting import drag_over


def _start(qtbot, home: Path) -> MainWindow:
    services = open_services(str(home), seed=False)
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    qtbot.waitUntil(win.isActiveWindow)  # shortcuts (H, Ctrl+Z) go to the active window
    return win


def _stop(win: MainWindow) -> None:
    if win.isVisible():
        win.close()
    win.services.close()


@pytest.fixture
def paper(home: Path, tmp_path: Path) -> tuple[int, Path]:
    services = open_services(str(home), seed=False)
    pdf = make_pdf(tmp_path / "paper.pdf", [PAGE_ONE, PAGE_TWO])
    item_id = add_pdf_item(services, pdf, "Sparse features")
    services.close()
    return item_id, pdf


@pytest.fixture
def window(qtbot, home: Path, paper) -> Iterator[MainWindow]:
    win = _start(qtbot, home)
    yield win
    _stop(win)


def test_reading_tab_gets_pane_and_undo_redo_via_window_shortcuts(qtbot, window, paper) -> None:
    item_id, pdf = paper
    tab = window.open_pdf_item(window.library.item(item_id))
    assert tab is not None and tab.view is not None
    controller = tab.annotations
    assert any(isinstance(p, AnnotationPane) for p in tab.side_panes())
    drag_over(qtbot, tab.view, 0, line_rects(pdf, 0, "residual stream")[0])
    qtbot.keyClick(tab.view, Qt.Key.Key_H)
    (ann,) = controller.annotations()
    assert window.undo_stack.canUndo()
    qtbot.keyClick(tab.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert controller.annotations() == []
    assert controller.pane.visible_ids() == []
    qtbot.keyClick(
        tab.view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert [a.id for a in controller.annotations()] == [ann.id]


def test_file_menu_exports_an_annotated_copy(qtbot, window, paper, tmp_path: Path) -> None:
    item_id, pdf = paper
    tab = window.open_pdf_item(window.library.item(item_id))
    tab.annotations.service.create_text(
        item_id, 1, line_rects(pdf, 1, "cost of training"), "cost of training"
    )
    titles = [a.text() for a in window.file_menu.actions()]
    assert "Export Annotated PDF…" in titles and "Write Annotations into Library PDFs" in titles
    out = tmp_path / "copy.pdf"
    assert window.annotation_ui.export_current(out) == 1
    assert [(a.page, a.quote) for a in read_annotations(out)] == [(2, "cost of training")]


def test_export_without_an_item_is_a_sentence(qtbot, window, tmp_path: Path) -> None:
    window.tabs.setCurrentIndex(0)
    window.items.setCurrentIndex(QModelIndex())
    assert window.annotation_ui.export_current(tmp_path / "x.pdf") is None
    assert not (tmp_path / "x.pdf").exists()
    assert "Select an item with a PDF" in window.statusBar().currentMessage()


def test_restart_and_everything_is_there(qtbot, home: Path, paper) -> None:
    item_id, pdf = paper
    win = _start(qtbot, home)
    tab = win.open_pdf_item(win.library.item(item_id))
    drag_over(qtbot, tab.view, 0, line_rects(pdf, 0, "interpretable features")[0])
    qtbot.keyClick(tab.view, Qt.Key.Key_3)  # "result" colour, highlights the selection
    (ann,) = tab.annotations.annotations()
    tab.annotations.set_comment(ann.id, "the headline")
    tab.annotations.pane.notes.setPlainText("Worth a re-read.")
    _stop(win)  # closing flushes the notes

    win = _start(qtbot, home)
    try:
        tab = win.open_pdf_item(win.library.item(item_id))
        (again,) = tab.annotations.annotations()
        assert (again.quote, again.color, again.comment) == (
            "interpretable features.",
            "#2ea8e5",
            "the headline",
        )
        assert tab.annotations.pane.card(again.id) is not None
        assert tab.annotations.pane.notes.toPlainText() == "Worth a re-read."
        assert tab.annotations.color == "#2ea8e5"  # the chosen colour is remembered
    finally:
        _stop(win)


def test_delete_key_in_the_pane_deletes_the_annotation_not_the_item(qtbot, window, paper) -> None:
    item_id, pdf = paper
    tab = window.open_pdf_item(window.library.item(item_id))
    controller = tab.annotations
    ann = controller.service.create_text(item_id, 0, line_rects(pdf, 0, "Sparse"), "Sparse")
    controller.reload()
    controller.pane.select(ann.id)
    controller.pane.list.setFocus()
    qtbot.keyClick(controller.pane.list, Qt.Key.Key_Delete)
    assert controller.annotations() == []
    assert window.library.item(item_id) is not None
    qtbot.keyClick(controller.pane.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [a.id for a in controller.annotations()] == [ann.id]


def test_the_write_into_library_pdfs_setting_shows_and_saves(qtbot, window) -> None:
    action = window.annotation_ui.write_action
    window.services.annotations.set_write_library_file(True)
    window.file_menu.aboutToShow.emit()  # what opening the File menu does
    assert action.isChecked()
    action.trigger()  # the user unticks it
    assert not window.services.annotations.write_library_file
    window.file_menu.aboutToShow.emit()
    assert not action.isChecked()


def test_a_paper_opened_right_after_start_up_gets_its_highlight_tools(qtbot, home, paper) -> None:
    """Opened before the annotation tools were installed (they come after the first paint), the
    item's tab gets the pane and its highlights once they are."""
    item_id, _pdf = paper
    services = open_services(str(home), seed=False)
    window = MainWindow(services, defer_features=True)
    try:
        tab = window.open_pdf_item(window.library.item(item_id))
        assert tab.annotations is None  # not installed yet
        window.show()
        qtbot.waitUntil(lambda: window.features_ready, timeout=10000)
        assert tab.annotations is not None
        assert any(isinstance(p, AnnotationPane) for p in tab.side_panes())
    finally:
        window.close()
        window.deleteLater()
        services.close()
