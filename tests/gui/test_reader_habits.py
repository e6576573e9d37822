"""A reader's habits in a reading tab, driven through the widgets: other programs' marks look as
in the PDF, Fit Page, Ctrl+wheel, copy and select, hover, keys that work wherever the focus is,
and a selected highlight that 1-6 recolour and Copy copies."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QHelpEvent,
    QImage,
    QMouseEvent,
    QUndoStack,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QToolTip

from readerapp.app import Services
from readerapp.core.annotation import AnnotationKind
from readerapp.gui.annotation_controller import AnnotationController
from readerapp.gui.main_window import MainWindow
from readerapp.gui.pdf_tab import PdfTab
from tests.annotation_helpers import PAGE_ONE, PAGE_TWO, add_pdf_item, line_rects, make_pdf
from tests.gui.reading import Reading, open_reading_tab
from tests.gui.test_annotation_highlighting import drag_over
from tests.gui.test_pdf_view import wait_painted
from tests.pdf_samples import FREETEXT_RECT, INK_LOOP, make_hyphenated, make_marked_elsewhere


@pytest.fixture
def reading(qtbot, empty_services: Services, tmp_path: Path) -> Iterator[Reading]:
    r = open_reading_tab(qtbot, empty_services, make_pdf(tmp_path / "p.pdf", [PAGE_ONE, PAGE_TWO]))
    yield r
    r.tab.close_document()


def _page_pixels(tab: PdfTab, page: int, rect) -> QImage:
    view = tab.view
    area = view.map_from_page(page, rect).toAlignedRect()
    return view.viewport().grab().toImage().copy(area)


# ---- Bug 1: other programs' ink and text boxes ----------------------------------------------
def test_other_programs_ink_and_text_box_look_as_they_do_in_the_pdf(
    qtbot, empty_services: Services, tmp_path: Path
) -> None:
    pdf = make_marked_elsewhere(tmp_path / "marked.pdf")
    outside = PdfTab(pdf)  # the same file opened from outside the library
    qtbot.addWidget(outside)
    outside.resize(1300, 900)
    outside.show()
    opened = open_reading_tab(qtbot, empty_services, pdf, size=(1300, 900))
    library, controller = opened.tab, opened.controller
    try:
        assert {a.kind for a in controller.annotations()} == {
            AnnotationKind.INK,
            AnnotationKind.FREETEXT,
        }
        for tab in (outside, library):
            tab.view.set_scale(1.0)
            tab.view.go_to(0, 0)
            wait_painted(qtbot, tab)
        xs = [x for stroke in INK_LOOP for x, _y in stroke]
        ys = [y for stroke in INK_LOOP for _x, y in stroke]
        ink_box = (min(xs) - 8, min(ys) - 8, max(xs) + 8, max(ys) + 8)
        text_box = (FREETEXT_RECT[0] - 8, FREETEXT_RECT[1] - 8, FREETEXT_RECT[2] + 8, 460)
        for box in (ink_box, text_box):
            assert _page_pixels(library, 0, box) == _page_pixels(outside, 0, box), box
    finally:
        outside.close_document()
        library.close_document()


def test_another_programs_highlight_is_not_drawn_twice_until_changed(
    qtbot, empty_services: Services, tmp_path: Path
) -> None:
    pdf = make_marked_elsewhere(tmp_path / "marked.pdf", highlight=True)
    outside = PdfTab(pdf)
    qtbot.addWidget(outside)
    outside.resize(1300, 900)
    outside.show()
    opened = open_reading_tab(qtbot, empty_services, pdf, size=(1300, 900))
    try:
        (mark,) = [a for a in opened.controller.annotations() if a.kind == "highlight"]
        for tab in (outside, opened.tab):
            tab.view.set_scale(1.0)
            tab.view.go_to(0, 0)
            wait_painted(qtbot, tab)
        (box,) = mark.rects
        assert _page_pixels(opened.tab, 0, box) == _page_pixels(outside, 0, box)
        opened.controller.recolor(mark.id, "#2ea8e5")  # changed here: the library shows it
        QApplication.processEvents()
        assert _page_pixels(opened.tab, 0, box) != _page_pixels(outside, 0, box)
    finally:
        outside.close_document()
        opened.tab.close_document()


def _paper_colour(image: QImage) -> tuple[int, int, int]:
    """The commonest colour of ``image``: the paper's (under a highlight, the highlight's)."""
    counts = Counter(
        image.pixelColor(x, y).getRgb()[:3]
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    )
    return counts.most_common(1)[0][0]


def _near(rgb: tuple[int, int, int], hex_colour: str) -> bool:
    want = QColor(hex_colour).getRgb()[:3]
    return all(abs(a - b) <= 4 for a, b in zip(rgb, want, strict=True))


def test_a_recoloured_highlight_from_another_program_shows_its_new_colour_only(
    qtbot, empty_services: Services, tmp_path: Path
) -> None:
    pdf = make_marked_elsewhere(tmp_path / "marked.pdf", highlight=True)
    opened = open_reading_tab(qtbot, empty_services, pdf, size=(1300, 900))
    tab, controller = opened.tab, opened.controller
    try:
        (mark,) = [a for a in controller.annotations() if a.kind == "highlight"]
        tab.view.set_scale(1.0)
        tab.view.go_to(0, 0)
        wait_painted(qtbot, tab)
        (box,) = mark.rects
        assert _near(_paper_colour(_page_pixels(tab, 0, box)), mark.color)  # the file's yellow
        qtbot.waitUntil(tab.thumbnails_drawn)
        thumbnail = tab.thumbnail_model.index(0)
        marked = tab.thumbnail_model.data(thumbnail, Qt.ItemDataRole.DecorationRole).toImage()
        controller.recolor(mark.id, "#2ea8e5")
        # Until the page is drawn again it shows what it showed, not a blank page.
        assert tab.view.renderer.image(0, tab.view.scale(), False) is None
        assert tab.view.renderer.fallback_image(0, False) is not None
        wait_painted(qtbot, tab)
        assert _near(_paper_colour(_page_pixels(tab, 0, box)), "#2ea8e5")  # not yellow + blue
        # The page's thumbnail is drawn again without it (thumbnails show the file's marks).
        qtbot.waitUntil(
            lambda: tab.thumbnail_model.data(thumbnail, Qt.ItemDataRole.DecorationRole).toImage()
            != marked
        )
        out = tmp_path / "exported.pdf"
        controller.export_to(out)
        with pymupdf.open(out) as exported:
            page = exported[0].get_pixmap(clip=pymupdf.Rect(box))
            assert _near(_paper_colour(QImage(page.samples, page.width, page.height,
                                              page.stride, QImage.Format.Format_RGB888)),
                         "#2ea8e5")  # fmt: skip
        opened.stack.undo()  # the file's yellow again, drawn by the file alone
        wait_painted(qtbot, tab)
        assert _near(_paper_colour(_page_pixels(tab, 0, box)), mark.color)
        controller.delete(mark.id)  # and deleted here, it leaves the page
        wait_painted(qtbot, tab)
        assert _paper_colour(_page_pixels(tab, 0, box)) == (255, 255, 255)
    finally:
        tab.close_document()


def test_a_highlight_written_into_the_library_pdf_is_drawn_once(
    qtbot, empty_services: Services, tmp_path: Path
) -> None:
    """With highlights written into the library's PDFs, the file holds them too: the page
    leaves its copy off, so a highlight is as light as one the file does not hold."""
    pdf = make_pdf(tmp_path / "p.pdf", [PAGE_ONE])
    service = empty_services.annotations
    first = open_reading_tab(qtbot, empty_services, pdf)
    written = first.highlight("residual stream")
    first.tab.close_document()
    service.set_write_library_file(True)
    assert service.sync_library_file(first.item_id)
    path = service.pdf_path(first.item_id)
    tab = PdfTab(path, item_id=first.item_id, library=empty_services.library)
    qtbot.addWidget(tab)
    AnnotationController(tab, first.item_id, service, empty_services.library, QUndoStack(tab))
    tab.resize(1100, 800)
    tab.show()
    try:
        tab.view.set_scale(1.0)
        tab.view.go_to(0, 0)
        wait_painted(qtbot, tab)
        (box,) = written.rects
        assert _near(_paper_colour(_page_pixels(tab, 0, box)), written.color)
    finally:
        tab.close_document()


# ---- Bug 5: a drag across pages takes the pages' text only ----------------------------------
def _drag_and_copy(qtbot, view, start: tuple, end: tuple) -> str:
    """Drag from the middle of one word to another's ((page, word) each), then Ctrl+C: what
    the clipboard holds."""
    a = view.map_from_page(start[0], start[1].rect).center().toPoint()
    b = view.map_from_page(end[0], end[1].rect).center().toPoint()
    with qtbot.waitSignal(view.selectionChanged):
        qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=a)
        qtbot.mouseMove(view.viewport(), a + QPoint(0, 10))
        qtbot.mouseMove(view.viewport(), b)
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=b)
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    return QGuiApplication.clipboard().text()


def test_a_drag_across_a_page_break_leaves_a_text_box_out(
    qtbot, empty_services: Services, tmp_path: Path
) -> None:
    opened = open_reading_tab(qtbot, empty_services, make_marked_elsewhere(tmp_path / "m.pdf"))
    view = opened.tab.view
    try:
        view.go_to(0, 560)  # the end of page 1 and the top of page 2 on screen together
        start = next(w for w in view.document.words(0) if w.text == "26")  # "line 26"
        end = next(w for w in view.document.words(1) if w.text == "2")  # "Page 2 line 1"
        copied = _drag_and_copy(qtbot, view, (0, start), (1, end))
        assert copied.startswith("26 of body text") and copied.endswith("Page 2")
        assert "Hello" not in copied
        qtbot.keyClick(view, Qt.Key.Key_H)
        quotes = [a.quote for a in opened.controller.annotations() if a.kind == "highlight"]
        assert len(quotes) == 2 and not any("Hello" in q for q in quotes)
    finally:
        opened.tab.close_document()


# ---- Bug 6: Fit Page, Ctrl+wheel ------------------------------------------------------------
def test_fit_page_from_the_middle_of_a_page_shows_that_page_whole(
    qtbot, empty_services: Services, tmp_path: Path
) -> None:
    pdf = make_pdf(tmp_path / "long.pdf", [PAGE_ONE, PAGE_TWO] * 3)
    tab = open_reading_tab(qtbot, empty_services, pdf).tab
    view = tab.view
    view.go_to(1, 400)  # the lower half of page 2 at the top of the view
    tab.fit_page_action.trigger()
    rect = view.page_rect(1)
    assert view.current_page() == 1
    assert rect.top() >= 0 and rect.bottom() <= view.viewport().height()
    tab.close_document()


def _ctrl_wheel(
    view, at: QPoint, notches: int, timestamp: int, ctrl: bool = True
) -> None:
    modifiers = Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier
    event = QWheelEvent(
        QPointF(at), QPointF(view.viewport().mapToGlobal(at)), QPoint(0, 0),
        QPoint(0, 120 * notches), Qt.MouseButton.NoButton, modifiers,
        Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    event.setTimestamp(timestamp)
    QApplication.sendEvent(view.viewport(), event)


def test_quick_ctrl_wheel_notches_keep_the_point_under_the_pointer(qtbot, reading) -> None:
    tab = reading.tab
    view = tab.view
    view.set_scale(2.0)
    view.go_to(0, 150)
    at = QPoint(view.viewport().width() - 60, 200)  # right of the middle: the page re-centres
    page, point = view._page_at(at)
    # Six quick notches, out past the view's width (the page is centred) and in again.
    for n, notches in enumerate((-1, -1, -1, 1, 1, 1)):
        _ctrl_wheel(view, at, notches, timestamp=1000 + 40 * n)
    assert view.scale() == pytest.approx(2.0)
    again, where = view._page_at(at)
    assert again == page
    moved = QPointF(where[0] - point[0], where[1] - point[1]) * view.scale()
    assert moved.manhattanLength() <= 3  # pixels


def test_a_scroll_between_quick_zoom_notches_moves_what_the_zoom_keeps(qtbot, reading) -> None:
    """Zoom, scroll on (Ctrl let go, or pressed late), zoom again, all in a moment: the second
    zoom keeps the point now under the pointer, not the one before the scroll."""
    view = reading.tab.view
    view.set_scale(1.5)
    view.go_to(0, 100)
    at = QPoint(view.viewport().width() // 2, 300)
    _ctrl_wheel(view, at, 1, timestamp=1000)
    _ctrl_wheel(view, at, -3, timestamp=1030, ctrl=False)  # three notches down the page
    page, point = view._page_at(at)
    _ctrl_wheel(view, at, 1, timestamp=1060)
    again, where = view._page_at(at)
    assert again == page
    moved = QPointF(where[0] - point[0], where[1] - point[1]) * view.scale()
    assert moved.manhattanLength() <= 3  # pixels


# ---- copy and select like a reader -----------------------------------------------------------
def _mouse(view, kind: QEvent.Type, pos: QPoint, timestamp: int) -> None:
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else None
    event = QMouseEvent(
        kind, QPointF(pos), QPointF(view.viewport().mapToGlobal(pos)), Qt.MouseButton.LeftButton,
        buttons or Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    event.setTimestamp(timestamp)
    QApplication.sendEvent(view.viewport(), event)


def test_copy_joins_lines_and_broken_words_double_click_word_triple_click_line(
    qtbot, empty_services: Services, tmp_path: Path
) -> None:
    tab = open_reading_tab(qtbot, empty_services, make_hyphenated(tmp_path / "jit.pdf")).tab
    try:
        view = tab.view
        words = view.document.words(0)
        first = next(w for w in words if w.text == "hot")
        last = next(w for w in words if w.text == "ternative")
        assert _drag_and_copy(qtbot, view, (0, first), (0, last)) == (
            "hot loops and compile them to machine code, an alternative"
        )
        # Double-click: the word; a third click soon after, in the same place: its line.
        word = next(w for w in words if w.text == "machine")
        at = view.map_from_page(0, word.rect).center().toPoint()
        _mouse(view, QEvent.Type.MouseButtonPress, at, 5000)
        _mouse(view, QEvent.Type.MouseButtonRelease, at, 5050)
        _mouse(view, QEvent.Type.MouseButtonDblClick, at, 5150)
        _mouse(view, QEvent.Type.MouseButtonRelease, at, 5200)
        assert view.selected_text() == "machine"
        _mouse(view, QEvent.Type.MouseButtonPress, at, 5300)
        _mouse(view, QEvent.Type.MouseButtonRelease, at, 5350)
        assert view.selected_text() == "pile them to machine code, an al-"
        # Long after, the same click is a click again: the selection goes.
        _mouse(view, QEvent.Type.MouseButtonDblClick, at, 9000)
        _mouse(view, QEvent.Type.MouseButtonPress, at, 9000 + 5000)
        assert view.selected_text() == ""
    finally:
        tab.close_document()


def test_a_mouse_selection_becomes_the_x11_primary_selection(qtbot, reading) -> None:
    from PySide6.QtGui import QClipboard

    if not QGuiApplication.clipboard().supportsSelection():
        pytest.skip("no X11 primary selection here: run under an X server (QT_QPA_PLATFORM=xcb)")
    drag_over(qtbot, reading.tab.view, 0, line_rects(reading.pdf, 0, "residual stream")[0])
    selection = QGuiApplication.clipboard().text(QClipboard.Mode.Selection)
    assert selection == "residual stream"


# ---- hover --------------------------------------------------------------------------------------
def _rest_on(qtbot, view, page: int, rect) -> str:
    """Rest the pointer on ``rect``: the tooltip Qt shows there ("" for none)."""
    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=2000)
    at = view.map_from_page(page, rect).center().toPoint()
    qtbot.mouseMove(view.viewport(), at)
    QApplication.sendEvent(
        view.viewport(), QHelpEvent(QEvent.Type.ToolTip, at, view.viewport().mapToGlobal(at))
    )
    return QToolTip.text() if QToolTip.isVisible() else ""


def test_resting_on_a_commented_highlight_or_a_note_shows_its_text(qtbot, reading) -> None:
    commented = reading.highlight("residual stream", comment="which layer?").rects[0]
    plain = reading.highlight("monosemantic").rects[0]
    reading.controller.service.create_note(reading.item_id, 0, (420, 300), "ask the authors")
    reading.controller.reload()
    view = reading.tab.view
    assert _rest_on(qtbot, view, 0, commented) == "which layer?"
    assert _rest_on(qtbot, view, 0, (424, 304, 428, 308)) == "ask the authors"
    assert _rest_on(qtbot, view, 0, plain) == ""  # nothing to say: no tooltip


# ---- a selected highlight: 1-6 recolour it, Copy copies it -----------------------------------
def _click_mark(qtbot, view, rect) -> None:
    at = view.map_from_page(0, rect).center().toPoint()
    with qtbot.waitSignal(view.overlayClicked):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)


def test_number_keys_recolour_the_selected_highlight_undoably(qtbot, reading) -> None:
    tab, controller, stack = reading.tab, reading.controller, reading.stack
    ann = reading.highlight("residual stream")
    (rect,) = ann.rects
    tool_colour = controller.color
    _click_mark(qtbot, tab.view, rect)
    assert controller.selected_id == ann.id
    qtbot.keyClick(tab.view, Qt.Key.Key_3)
    palette = controller.service.repo.palette()
    assert controller.annotations()[0].color == palette[2].color
    assert controller.color == tool_colour  # the colour for new highlights stays
    stack.undo()
    assert controller.annotations()[0].color == ann.color
    # A click elsewhere lets the highlight go: 4 is the new highlights' colour again.
    qtbot.mouseClick(
        tab.view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=tab.view.map_from_page(0, (300, 600, 300, 600)).topLeft().toPoint(),
    )
    assert controller.selected_id is None
    qtbot.keyClick(tab.view, Qt.Key.Key_4)
    assert controller.color == palette[3].color
    assert controller.annotations()[0].color == ann.color


def test_copy_is_there_on_a_highlight_and_copies_its_text(qtbot, reading) -> None:
    (rect,) = reading.highlight("residual stream").rects
    view = reading.tab.view
    x0, y0, x1, y1 = rect
    menu = view.build_context_menu(0, ((x0 + x1) / 2, (y0 + y1) / 2))
    copy = next(a for a in menu.actions() if a.text() == "Copy")
    assert copy.isEnabled()
    QGuiApplication.clipboard().clear()
    copy.trigger()
    assert QGuiApplication.clipboard().text() == "residual stream"
    menu.deleteLater()
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)  # still selected
    assert QGuiApplication.clipboard().text() == "residual stream"
    menu = view.build_context_menu(0, (300, 600))  # on bare paper: the mark is let go
    assert not next(a for a in menu.actions() if a.text() == "Copy").isEnabled()
    menu.deleteLater()


# ---- Enter in a comment -----------------------------------------------------------------------
def test_enter_in_a_comment_saves_it_without_moving_the_page(qtbot, reading) -> None:
    controller = reading.controller
    ann = reading.highlight("cost of training", page=1)
    view = reading.tab.view
    view.go_to(0, 0)
    where = view.position()
    controller.pane.edit_comment(ann.id)
    field = controller.pane.card(ann.id).comment
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClicks(field, "too slow")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert controller.annotations()[0].comment == "too slow"
    assert view.position() == where and view.flashed() is None and not view.can_go_back()
    assert view.hasFocus()  # done: the keys are the page's again


# ---- in the window: tabs, keys wherever the focus is, prompts that go ------------------------
def _open_paper(qtbot, win: MainWindow, tmp_path: Path) -> PdfTab:
    """A paper of the library open in its tab, the window active (its shortcuts work)."""
    item_id = add_pdf_item(win.services, make_pdf(tmp_path / "p.pdf", [PAGE_ONE, PAGE_TWO]))
    qtbot.waitUntil(win.isActiveWindow)
    return win.open_pdf_item(win.library.item(item_id))


def test_ctrl_tab_and_ctrl_page_keys_switch_tabs_from_the_library_too(
    qtbot, window, tmp_path: Path
) -> None:
    win, tab = window, _open_paper(qtbot, window, tmp_path)
    ctrl = Qt.KeyboardModifier.ControlModifier

    def from_the_library_list(key: Qt.Key, modifiers) -> None:
        win.tabs.setCurrentIndex(0)
        win.items.setFocus()  # the library's list, which takes Ctrl+Tab as "next cell"
        qtbot.waitUntil(win.items.hasFocus)
        qtbot.keyClick(win.items, key, modifiers)

    from_the_library_list(Qt.Key.Key_Tab, ctrl)
    assert win.tabs.currentIndex() == 1
    qtbot.keyClick(QApplication.focusWidget() or win, Qt.Key.Key_PageUp, ctrl)
    assert win.tabs.currentIndex() == 0
    qtbot.keyClick(QApplication.focusWidget() or win, Qt.Key.Key_PageDown, ctrl)
    assert win.tabs.currentIndex() == 1
    from_the_library_list(Qt.Key.Key_Backtab, ctrl | Qt.KeyboardModifier.ShiftModifier)
    assert win.tabs.currentWidget() is tab  # round the end, to the last tab
    qtbot.waitUntil(tab.view.hasFocus)  # the page has the keys: A is the area tool
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_A)
    assert tab.view.tool() == "area"


def test_single_letter_tools_work_when_the_page_lacks_focus(qtbot, window, tmp_path: Path) -> None:
    win, tab = window, _open_paper(qtbot, window, tmp_path)
    tab.page_box.setFocus()  # a digits-only field: letters are not its
    qtbot.waitUntil(tab.page_box.hasFocus)
    qtbot.keyClick(tab.page_box, Qt.Key.Key_N)
    assert tab.view.tool() == "note"
    win.tabs.tabBar().setFocus()  # outside the tab altogether
    qtbot.waitUntil(win.tabs.tabBar().hasFocus)
    qtbot.keyClick(win.tabs.tabBar(), Qt.Key.Key_A)
    assert tab.view.tool() == "area"


def test_single_letter_tools_work_with_the_focus_nowhere(qtbot, window, tmp_path: Path) -> None:
    """At launch, after a dialog closes or a click on an empty toolbar, no widget has the
    keyboard: the keys reach the window, and the tab in front still takes N, A and 1-6."""
    win, tab = window, _open_paper(qtbot, window, tmp_path)
    focused = QApplication.focusWidget()
    assert focused is not None
    focused.clearFocus()
    assert QApplication.focusWidget() is None
    qtbot.keyClick(win, Qt.Key.Key_N)
    assert tab.view.tool() == "note"
    qtbot.keyClick(win, Qt.Key.Key_A)
    assert tab.view.tool() == "area"
    palette = win.services.annotations.repo.palette()
    qtbot.keyClick(win, Qt.Key.Key_3)
    assert tab.annotations.color == palette[2].color
    # Then the page takes the keyboard back: Esc (which leaves the area tool) works too.
    qtbot.waitUntil(tab.view.hasFocus)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert tab.view.tool() == "text"
    # The annotation pane's list of cards (which searches its items by typed letters) too.
    tab.annotations.pane.list.setFocus()
    qtbot.waitUntil(tab.annotations.pane.list.hasFocus)
    qtbot.keyClick(tab.annotations.pane.list, Qt.Key.Key_N)
    assert tab.view.tool() == "note"


def test_letters_typed_in_text_fields_stay_text(qtbot, window, tmp_path: Path) -> None:
    win, tab = window, _open_paper(qtbot, window, tmp_path)
    controller = tab.annotations
    made = controller.service.create_note(controller.item_id, 0, (100.0, 100.0))
    controller.reload()
    controller.pane.edit_comment(made.id)
    field = controller.pane.card(made.id).comment
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClicks(field, "nah3")
    assert field.text() == "nah3"
    notes = controller.pane.notes
    notes.setFocus()
    qtbot.waitUntil(notes.hasFocus)
    qtbot.keyClicks(notes, "an h1")
    assert notes.toPlainText() == "an h1"
    win.install_features()  # the search popup (Ctrl+K) floats over the reading tab
    popup = win.search_ui.popup
    popup.open()
    qtbot.waitUntil(popup.field.hasFocus)
    qtbot.keyClicks(popup.field, "na")
    assert popup.field.text() == "na"
    assert tab.view.tool() == "text"
    assert controller.color == win.services.annotations.repo.palette()[0].color


def test_single_letters_leave_a_reading_tab_behind_the_library_alone(
    qtbot, window, tmp_path: Path
) -> None:
    win, tab = window, _open_paper(qtbot, window, tmp_path)
    win.tabs.setCurrentIndex(0)
    win.items.setFocus()
    qtbot.waitUntil(win.items.hasFocus)
    qtbot.keyClick(win.items, Qt.Key.Key_N)
    qtbot.keyClick(win.items, Qt.Key.Key_A)
    assert tab.view.tool() == "text"


def test_tool_prompts_leave_the_status_bar_once_used(qtbot, window, tmp_path: Path) -> None:
    win, tab = window, _open_paper(qtbot, window, tmp_path)
    view = tab.view
    bar = win.statusBar()
    qtbot.keyClick(view, Qt.Key.Key_N)
    assert bar.currentMessage().startswith("Click where the note goes")
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=view.map_from_page(0, (400, 400, 400, 400)).topLeft().toPoint(),
    )
    assert [a.kind for a in tab.annotations.annotations()] == [AnnotationKind.NOTE]
    assert bar.currentMessage() == ""
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_A)
    assert bar.currentMessage().startswith("Drag a box")
    a = view.map_from_page(0, (100, 400, 100, 400)).topLeft().toPoint()
    b = view.map_from_page(0, (300, 500, 300, 500)).topLeft().toPoint()
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(view.viewport(), a + QPoint(10, 10))
    qtbot.mouseMove(view.viewport(), b)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=b)
    assert AnnotationKind.AREA in [a.kind for a in tab.annotations.annotations()]
    assert bar.currentMessage() == ""
