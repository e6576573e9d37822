"""Annotating a PDF opened from outside the library: the first highlight offers to add the file,
and accepting keeps the reader's place and makes the highlight; a PDF the library already holds
(the same content) opens as that item."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from readerapp.core.annotation import AnnotationKind
from readerapp.gui.main_window import MainWindow
from readerapp.gui.pdf_tab import PdfTab
from readerapp.services.local_files import add_pdf_file
from tests.annotation_helpers import PAGE_ONE, line_rects, make_pdf
from tests.gui.test_annotation_highlighting import _viewport_point, drag_over
from tests.gui.test_pdf_view import wait_painted

PAGES = [PAGE_ONE, ["Page two says little."], PAGE_ONE[:3]]


def open_outside(qtbot, window: MainWindow, pdf: Path) -> PdfTab:
    window.open_files([str(pdf)])
    tab = window.tabs.currentWidget()
    assert isinstance(tab, PdfTab) and tab.item_id is None
    wait_painted(qtbot, tab)
    return tab


def offer_of(qtbot, tab: PdfTab):
    tools = tab.outside_annotations
    qtbot.waitUntil(lambda: tools.offer is not None and tools.offer.isVisible(), timeout=3000)
    return tools


def test_the_first_highlight_adds_the_file_and_keeps_the_view_and_the_highlight(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    pdf = make_pdf(tmp_path / "downloaded.pdf", PAGES)
    tab = open_outside(qtbot, window, pdf)
    tab.view.set_zoom_percent(120)
    index = window.tabs.indexOf(tab)
    drag_over(qtbot, tab.view, 0, line_rects(pdf, 0, "residual stream")[0])
    selected = tab.view.selection().text
    place = tab.view.position()
    before = len(window.library.item_rows(-1))

    qtbot.keyClick(tab.view, Qt.Key.Key_H)
    tools = offer_of(qtbot, tab)
    assert "downloaded.pdf" in tools.offer.text()
    qtbot.mouseClick(tools.add_button, Qt.MouseButton.LeftButton)

    now = window.tabs.currentWidget()
    assert isinstance(now, PdfTab) and now.item_id is not None
    assert window.tabs.indexOf(now) == index
    assert len(window.library.item_rows(-1)) == before + 1
    assert now.view.position()[0] == place[0]
    assert now.view.position()[1] == place[1] or abs(now.view.position()[1] - place[1]) < 1
    assert now.zoom_label.text() == "120%"
    (made,) = window.services.annotations.annotations(now.item_id)
    assert made.kind == AnnotationKind.HIGHLIGHT and made.page == 1
    assert made.quote == selected
    assert now.annotations.pane.visible_ids() == [made.id]  # type: ignore[attr-defined]


def test_declining_leaves_the_file_out_of_the_library_and_the_selection_in_place(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    pdf = make_pdf(tmp_path / "just reading.pdf", PAGES)
    tab = open_outside(qtbot, window, pdf)
    drag_over(qtbot, tab.view, 0, line_rects(pdf, 0, "residual stream")[0])
    before = len(window.library.item_rows(-1))
    qtbot.keyClick(tab.view, Qt.Key.Key_2)  # a colour key highlights too
    tools = offer_of(qtbot, tab)
    tools.offer.reject()  # Esc, or Cancel
    qtbot.waitUntil(lambda: tools.offer is None)
    assert window.tabs.currentWidget() is tab and tab.item_id is None
    assert len(window.library.item_rows(-1)) == before
    assert tab.view.selection() is not None


def test_an_area_highlight_on_an_outside_file_is_made_once_it_is_added(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    pdf = make_pdf(tmp_path / "figures.pdf", PAGES)
    tab = open_outside(qtbot, window, pdf)
    qtbot.keyClick(tab.view, Qt.Key.Key_A)
    assert tab.view.tool() == "area"
    viewport = tab.view.viewport()
    start, end = _viewport_point(tab.view, 0, 80, 80), _viewport_point(tab.view, 0, 300, 200)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, (start + end) / 2)
    qtbot.mouseMove(viewport, end)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    tools = offer_of(qtbot, tab)
    qtbot.mouseClick(tools.add_button, Qt.MouseButton.LeftButton)
    now = window.tabs.currentWidget()
    (made,) = window.services.annotations.annotations(now.item_id)
    assert made.kind == AnnotationKind.AREA
    x0, y0, x1, y1 = made.rects[0]
    assert abs(x0 - 80) < 2 and abs(y1 - 200) < 2
    assert now.view.tool() == "text"


def test_a_pdf_the_library_holds_opens_as_its_item_even_once_rewritten(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    """The library's copy gets the highlights written in (File → Write Annotations into Library
    PDFs): its bytes change, its content does not. Opening the original opens the item."""
    pdf = make_pdf(tmp_path / "paper.pdf", PAGES)
    item = add_pdf_file(window.services, pdf)
    service = window.services.annotations
    service.create_text(item.id, 0, [line_rects(pdf, 0, "residual stream")[0]], "residual stream")
    service.set_write_library_file(True)
    assert service.sync_library_file(item.id)
    held = window.services.files.absolute(window.library.item(item.id).pdf_path)
    assert held.read_bytes() != pdf.read_bytes()

    window.open_files([str(pdf)])
    tab = window.tabs.currentWidget()
    assert isinstance(tab, PdfTab) and tab.item_id == item.id
    other = make_pdf(tmp_path / "other.pdf", [PAGE_ONE[::-1]])  # another paper
    window.open_files([str(other)])
    assert window.tabs.currentWidget().item_id is None


def test_right_click_on_a_selection_offers_highlighting(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    pdf = make_pdf(tmp_path / "menu.pdf", PAGES)
    tab = open_outside(qtbot, window, pdf)
    drag_over(qtbot, tab.view, 0, line_rects(pdf, 0, "residual stream")[0])
    menu = tab.view.build_context_menu(0, (100.0, 100.0))
    names = [a.text() for a in menu.actions()]
    assert "Highlight" in names and "Comment" in names
    menu.deleteLater()


def test_an_outside_files_tool_keys_work_with_the_focus_nowhere(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    tab = open_outside(qtbot, window, make_pdf(tmp_path / "loose.pdf", PAGES))
    qtbot.waitUntil(window.isActiveWindow)
    tab.view.clearFocus()
    assert QApplication.focusWidget() is None
    qtbot.keyClick(window, Qt.Key.Key_N)
    assert tab.view.tool() == "note"
