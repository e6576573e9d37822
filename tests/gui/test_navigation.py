"""Finding one's way: the outline follows the reading, says when there is none, keyboard zoom
keeps the middle of the view, and Page Down in Fit Page turns whole pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import Qt

from readerapp.gui.pdf_tab import PdfTab
from readerapp.gui.pdf_view import GAP
from tests.gui.test_pdf_view import open_tab, wait_painted


def make_sectioned(path: Path, *, outline: bool = True) -> Path:
    """Eight pages; sections start on pages 1, 3, half-way down 4, and 6."""
    doc = pymupdf.open()
    for n in range(8):
        page = doc.new_page(width=612, height=792)
        page.insert_text((72, 90), f"Page {n + 1}", fontsize=16)
        for line in range(20):
            page.insert_text((72, 140 + 28 * line), f"Line {line + 1} of page {n + 1}", fontsize=10)
    if outline:
        setup = {"kind": pymupdf.LINK_GOTO, "page": 3, "to": pymupdf.Point(72, 420)}
        doc.set_toc(
            [
                [1, "Introduction", 1],
                [1, "Method", 3],
                [2, "Setup", 4, setup],
                [1, "Results", 6],
            ]
        )
    doc.save(path)
    doc.close()
    return path


@pytest.fixture
def tab(qtbot, tmp_path: Path) -> Iterator[PdfTab]:
    t = open_tab(qtbot, make_sectioned(tmp_path / "sections.pdf"))
    wait_painted(qtbot, t)
    yield t
    t.close_document()


def test_the_outline_marks_the_section_being_read(qtbot, tab: PdfTab) -> None:
    view = tab.view
    assert tab.current_section() == "Introduction"
    view.go_to(2, 100)
    assert tab.current_section() == "Method"
    view.go_to(3, 100)  # page 4 above its "Setup" heading: still in Method
    assert tab.current_section() == "Method"
    view.go_to(3, 400)
    assert tab.current_section() == "Setup"
    assert tab.outline.currentItem().parent().isExpanded()
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert tab.current_section() == "Results"
    # Choosing an entry marks it, and the marking follows on from there.
    introduction = tab.outline.topLevelItem(0)
    tab.outline.itemClicked.emit(introduction, 0)
    assert view.current_page() == 0 and tab.current_section() == "Introduction"


def test_a_document_without_an_outline_says_so(qtbot, tmp_path: Path) -> None:
    tab = open_tab(qtbot, make_sectioned(tmp_path / "plain.pdf", outline=False))
    try:
        assert tab.outline.topLevelItemCount() == 1
        note = tab.outline.topLevelItem(0)
        assert note.text(0) == "No table of contents"
        assert not note.flags() & Qt.ItemFlag.ItemIsSelectable
        assert tab.sidebar.currentWidget() is tab.thumbnails  # the pages are shown instead
        tab.outline.itemClicked.emit(note, 0)  # goes nowhere, and says nothing went wrong
        assert tab.view.current_page() == 0 and tab.current_section() is None
    finally:
        tab.close_document()


@pytest.mark.parametrize("key", ["zoom_in", "zoom_out", "actual_size"])
def test_keyboard_zoom_keeps_the_middle_of_the_view_in_place(qtbot, tab: PdfTab, key: str) -> None:
    view = tab.view
    view.set_zoom_percent(130)
    view.go_to(2, 300)
    across = view.horizontalScrollBar()
    across.setValue(across.maximum() // 2)  # the middle of the page's width
    middle = view.centre()
    page, point = view._page_at(middle)
    tab.command_actions[key].trigger()
    assert view.scale() != pytest.approx(130)
    moved = view.map_from_page(page, (*point, *point)).topLeft()
    assert abs(moved.y() - middle.y()) <= 2
    if view.horizontalScrollBar().maximum() > 0:  # else the page is centred, as it must be
        assert abs(moved.x() - middle.x()) <= 2


def test_page_down_in_fit_page_turns_whole_pages(qtbot, tab: PdfTab) -> None:
    view = tab.view
    tab.fit_page_action.trigger()
    view.go_to(1, 300)  # from the middle of page 2
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert view.page_rect(2).top() == GAP
    assert view.page_rect(2).bottom() < view.viewport().height()  # whole
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert view.page_rect(3).top() == GAP
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert view.page_rect(2).top() == GAP
    qtbot.keyClick(view, Qt.Key.Key_End)
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert view.page_rect(6).top() == GAP
    # Fit Width scrolls by screenfuls, as before.
    tab.fit_width_action.trigger()
    view.go_to(1, 300)
    before = view.verticalScrollBar().value()
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert view.verticalScrollBar().value() - before == view.verticalScrollBar().pageStep()
