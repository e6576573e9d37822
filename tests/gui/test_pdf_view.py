"""The reading tab driven as a user would: open, scroll, zoom, find, links, select and copy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QWheelEvent
from PySide6.QtWidgets import QApplication, QLabel, QTabWidget

from readerapp.gui.pdf_tab import PdfTab
from readerapp.pdf.document import MUPDF_LOCK, PdfDocument
from readerapp.pdf.types import Overlay
from readerapp.qt.link_opener import LinkOpener
from readerapp.qt.page_renderer import (
    NEAR_PAGES,
    PageImage,
    PageImageCache,
    PageRenderer,
    key_for,
)
from tests.pdf_samples import EXTERNAL_URL, make_long, make_paper


def open_tab(qtbot, path: Path, size=(900, 700)) -> PdfTab:
    tab = PdfTab(path)
    qtbot.addWidget(tab)
    tab.resize(*size)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def painted(tab: PdfTab) -> bool:
    """Every visible page has its image at the current zoom (or its error)."""
    view = tab.view
    zoom = view.scale() * view.devicePixelRatioF()
    return all(
        view.renderer.image(p, zoom, view.night_mode()) is not None or p in view.renderer.errors
        for p in view.visible_pages()
    )


def wait_painted(qtbot, tab: PdfTab) -> None:
    qtbot.waitUntil(lambda: painted(tab), timeout=10000)
    QApplication.processEvents()  # let the queued repaint happen before a grab


@pytest.fixture
def tab(qtbot, tmp_path: Path) -> Iterator[PdfTab]:
    t = open_tab(qtbot, make_paper(tmp_path / "paper.pdf"))
    wait_painted(qtbot, t)
    yield t
    t.close_document()


def ink_in(tab: PdfTab, page: int, rect_pdf) -> int:
    """How many dark pixels the view shows inside ``rect_pdf`` of ``page``."""
    image = tab.view.viewport().grab().toImage()
    area = tab.view.map_from_page(page, rect_pdf).toRect()
    dark = 0
    for x in range(area.left(), area.right(), 2):
        for y in range(area.top(), area.bottom(), 2):
            if QColor(image.pixel(x, y)).lightness() < 100:
                dark += 1
    return dark


def test_opens_with_page_box_outline_and_painted_first_page(tab: PdfTab) -> None:
    assert tab.page_box.text() == "1" and tab.page_total.text() == " / 6"
    assert tab.outline.topLevelItemCount() == 2
    assert tab.outline.topLevelItem(1).child(0).text(0) == "References"
    assert tab.view.visible_pages()[0] == 0
    assert ink_in(tab, 0, (72, 70, 400, 95)) > 20  # the title is on screen


def test_scrolling_renders_only_what_is_seen(qtbot, tab: PdfTab) -> None:
    view = tab.view
    qtbot.keyClick(view, Qt.Key.Key_End)
    wait_painted(qtbot, tab)
    assert view.current_page() == 5 and tab.page_box.text() == "6"
    zoom = view.scale() * view.devicePixelRatioF()
    assert view.renderer.image(2, zoom, False) is None  # jumped over, never rendered
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.current_page() == 0
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert view.current_page() >= 1
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert view.current_page() == 0


def test_page_box_goes_to_a_page_and_says_where_pages_end(qtbot, tab: PdfTab) -> None:
    def enter(text: str) -> None:  # as typed: select what is there, type, Enter
        tab.page_box.setFocus()
        tab.page_box.selectAll()
        qtbot.keyClicks(tab.page_box, text)
        qtbot.keyClick(tab.page_box, Qt.Key.Key_Return)

    enter("4")
    assert tab.view.current_page() == 3 and tab.page_box.text() == "4"
    enter("99")  # past the end: the last page, and a word on why
    assert tab.view.current_page() == 5 and tab.page_box.text() == "6"
    assert tab.hint.text() == "Pages run from 1 to 6: showing page 6."
    enter("0")
    assert tab.view.current_page() == 0 and tab.page_box.text() == "1"


def test_the_page_box_shows_the_page_that_fills_the_view(qtbot, tab: PdfTab) -> None:
    """A sliver of page 1 above page 2: the reader is on page 2, whatever is at the top edge."""
    view, bar = tab.view, tab.view.verticalScrollBar()
    view.go_to(1)
    bar.setValue(bar.value() - view.viewport().height() // 10)
    qtbot.waitUntil(lambda: tab.page_box.text() == "2")
    assert view.current_page() == 1
    view.go_to(3)  # several pages fit whole when zoomed out: the first of them
    view.set_scale(view.scale() / 4)
    view.go_to(3)
    assert view.current_page() == 3


def test_zoom_keys_wheel_fit_and_actual_size(qtbot, tab: PdfTab) -> None:
    view = tab.view
    assert tab.fit_width_action.isChecked()
    before = view.scale()
    qtbot.keyClick(view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert view.scale() == pytest.approx(before * 1.2)
    assert not tab.fit_width_action.isChecked()
    assert tab.zoom_label.text() == f"{view.zoom_percent():.0f}%"
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.scale() == pytest.approx(before)
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert tab.zoom_label.text() == "100%"
    wheel = QWheelEvent(
        QPointF(100, 100), view.viewport().mapToGlobal(QPointF(100, 100)), QPoint(0, 0),
        QPoint(0, 120), Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(view.viewport(), wheel)
    assert tab.zoom_label.text() == "110%"
    tab.fit_page_action.trigger()
    rect = view.page_rect(view.current_page())
    assert rect.height() <= view.viewport().height() and tab.fit_page_action.isChecked()
    wait_painted(qtbot, tab)  # re-rendered at the new zoom
    assert ink_in(tab, 0, (72, 70, 400, 95)) > 5


def test_find_marks_matches_counts_and_cycles(qtbot, tab: PdfTab) -> None:
    qtbot.keyClick(tab.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert tab.find_bar.isVisible() and tab.find_bar.field.hasFocus()
    qtbot.keyClicks(tab.find_bar.field, "needle")
    qtbot.waitUntil(lambda: tab.find_bar.count.text() == "1 of 2", timeout=5000)
    assert tab.current_match() == (1, 0)
    assert 1 in tab.view.visible_pages()
    qtbot.keyClick(tab.find_bar.field, Qt.Key.Key_Return)
    assert tab.current_match() == (4, 0) and tab.find_bar.count.text() == "2 of 2"
    assert 4 in tab.view.visible_pages()
    qtbot.keyClick(tab.find_bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert tab.current_match() == (1, 0)
    tab.find_text("no such words")
    qtbot.waitUntil(lambda: tab.find_bar.count.text() == "No matches", timeout=5000)
    qtbot.keyClick(tab.find_bar.field, Qt.Key.Key_Escape)
    assert not tab.find_bar.isVisible()


def test_internal_link_jumps_back_returns_and_forward_goes_again(qtbot, tab: PdfTab) -> None:
    view = tab.view
    link = next(x for x in view.document.links(0) if x.is_internal)
    spot = view.map_from_page(0, link.rect).center().toPoint()
    qtbot.mouseMove(view.viewport(), spot)
    assert tab.hint.text() == "Go to page 6"
    assert view.viewport().cursor().shape() == Qt.CursorShape.PointingHandCursor
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    assert view.current_page() == 5 and tab.back_action.isEnabled()
    assert tab.hint.text() == ""  # the link is on the page left behind, not under the pointer
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert view.current_page() == 0 and not tab.back_action.isEnabled()
    # Forward undoes Back, and Back works again from there.
    assert tab.forward_action.isEnabled()
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert view.current_page() == 5 and not tab.forward_action.isEnabled()
    assert tab.back_action.isEnabled()
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert view.current_page() == 0
    # A new jump starts a new path: there is nothing to go forward to after it.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    assert view.current_page() == 5 and not tab.forward_action.isEnabled()


def test_back_returns_exactly_where_the_reader_was(qtbot, tab: PdfTab) -> None:
    """Even with the end of one page at the top and the next filling most of the view."""
    view = tab.view
    bar = view.verticalScrollBar()
    bar.setValue(bar.value() + view.page_rect(1).top() - 100)  # page 1's last 100 px on top
    assert view.current_page() == 1  # page 2 fills most of the view
    before = bar.value()
    view.go_to(4, remember=True)
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert bar.value() == before
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert view.current_page() == 4


def test_hiding_the_sidebar_gives_the_keys_back_to_the_page(qtbot, tab: PdfTab) -> None:
    tab.outline.setFocus()
    qtbot.waitUntil(tab.outline.hasFocus)
    qtbot.keyClick(tab.outline, Qt.Key.Key_F9)
    assert not tab.sidebar.isVisible() and tab.view.hasFocus()
    before = tab.view.current_page()
    qtbot.keyClick(tab.view, Qt.Key.Key_PageDown)
    qtbot.keyClick(tab.view, Qt.Key.Key_PageDown)
    assert tab.view.current_page() > before


def _rest_on(qtbot, view, spot: QPoint):
    qtbot.mouseMove(view.viewport(), spot + QPoint(0, 120))  # from off the link, onto it
    qtbot.mouseMove(view.viewport(), spot)
    qtbot.waitUntil(lambda: view.link_preview() is not None, timeout=3000)
    return view.link_preview()


def test_resting_on_a_link_previews_where_it_goes(qtbot, tab: PdfTab) -> None:
    view = tab.view
    link = next(x for x in view.document.links(0) if x.is_internal)
    spot = view.map_from_page(0, link.rect).center().toPoint()
    preview = _rest_on(qtbot, view, spot)
    page, area = preview.target
    references = next(w for w in view.document.words(5) if w.text == "References:")
    assert page == 5 and area[1] <= references.rect[1] and references.rect[3] <= area[3]
    image = preview.pixmap().toImage()
    colours = [
        image.pixelColor(x, y) for y in range(0, image.height(), 2) for x in range(image.width())
    ]
    assert sum(1 for c in colours if c.lightness() < 100) > 20  # that page's ink, not a blank box
    marker = QColor(255, 150, 40)  # the bar beside the target point
    assert any(c == marker for c in colours)
    assert preview.geometry().top() > view.viewport().mapToGlobal(spot).y()  # below the pointer

    # Moving off the link, a key, the wheel or typing elsewhere put it away; clicking follows.
    qtbot.mouseMove(view.viewport(), spot + QPoint(0, 120))
    assert view.link_preview() is None
    _rest_on(qtbot, view, spot)
    qtbot.keyClick(view, Qt.Key.Key_Shift)
    assert view.link_preview() is None and tab.hint.text() == ""
    qtbot.mouseMove(view.viewport(), spot + QPoint(1, 0))  # resting on it again: it is back
    qtbot.waitUntil(lambda: view.link_preview() is not None, timeout=3000)
    tab.open_find()
    assert view.link_preview() is None
    tab.close_find()
    _rest_on(qtbot, view, spot)
    bar = view.verticalScrollBar()
    qtbot.mouseMove(bar, bar.rect().center())  # straight from the link onto the scroll bar
    assert view.link_preview() is None
    _rest_on(qtbot, view, spot)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    assert view.link_preview() is None and view.current_page() == 5


def test_the_link_preview_stays_readable_and_on_screen_at_any_zoom(qtbot, tab: PdfTab) -> None:
    from readerapp.gui.link_preview import MAX_HEIGHT, MAX_WIDTH, MIN_SCALE, preview_area

    view = tab.view
    link = next(x for x in view.document.links(0) if x.is_internal)
    for percent in (25, 600):
        view.set_zoom_percent(percent)
        view.go_to(0, link.rect[1] - 20)
        across = view.horizontalScrollBar()  # zoomed in, the link may be right of the view
        x = view.map_from_page(0, link.rect).center().x()
        across.setValue(across.value() + round(x) - view.viewport().width() // 2)
        spot = view.map_from_page(0, link.rect).center().toPoint()
        preview = _rest_on(qtbot, view, spot)
        _page, _area, scale = preview_area(view.document, link, view.scale())
        assert scale >= MIN_SCALE
        # The border (2 px), and MuPDF rounding a fractional pixel edge outward (1 px each side).
        assert preview.width() <= MAX_WIDTH + 4 and preview.height() <= MAX_HEIGHT + 4
        view.dismiss_link_preview()


def test_external_link_goes_to_the_link_opener_and_the_browser(qtbot, tab: PdfTab) -> None:
    opened: list[str] = []
    opener = LinkOpener(system_open=lambda url: opened.append(url.toString()) or True)
    tab.linkActivated.connect(opener.open)  # what the main window's reading tabs do
    view = tab.view
    link = next(x for x in view.document.links(0) if not x.is_internal)
    spot = view.map_from_page(0, link.rect).center().toPoint()
    qtbot.mouseMove(view.viewport(), spot)
    assert tab.hint.text() == EXTERNAL_URL
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    assert opened == [EXTERNAL_URL]
    assert view.current_page() == 0


def test_a_link_nothing_can_open_says_so(qtbot) -> None:
    """With no browser answering, following a link is not silent."""
    opener = LinkOpener(system_open=lambda url: False)
    with qtbot.waitSignal(opener.message) as said:
        opener.open("https://example.org/paper")
    assert said.args == ["Could not open https://example.org/paper: no web browser answered."]


def test_select_with_the_mouse_and_copy(qtbot, tab: PdfTab) -> None:
    view = tab.view
    words = [w for w in view.document.words(0) if w.text in ("Abstract.", "sparsely.")]
    start = view.map_from_page(0, words[0].rect).topLeft().toPoint() + QPoint(1, 3)
    end = view.map_from_page(0, words[1].rect).bottomRight().toPoint() - QPoint(1, 3)
    with qtbot.waitSignal(view.selectionChanged):
        qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
        qtbot.mouseMove(view.viewport(), start + QPoint(20, 0))
        qtbot.mouseMove(view.viewport(), end)
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=end)
    selection = view.selection()
    assert selection.text == "Abstract. We probe reward models sparsely."
    assert selection.page == 0 and len(selection.quads) == 1
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == selection.text
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.selection() is None


def _body_line(view, page: int, line: int) -> list:
    """The words of "Body text of page P line L about sparse probes" on ``page``."""
    words = view.document.words(page)
    i = next(i for i, w in enumerate(words) if w.text == "line" and words[i + 1].text == str(line))
    return words[i - 5 : i + 5]


def _at(view, page: int, word) -> QPoint:
    return view.map_from_page(page, word.rect).center().toPoint()


def test_selection_runs_across_a_page_break(qtbot, tab: PdfTab) -> None:
    view = tab.view
    view.go_to(0, 460)  # the last lines of page 1 and the top of page 2 on screen together
    start = _at(view, 0, _body_line(view, 0, 11)[0])
    heading = view.document.words(1)[0]
    assert heading.text == "Section"
    end = _at(view, 1, heading)
    assert 0 < start.y() < end.y() < view.viewport().height()
    with qtbot.waitSignal(view.selectionChanged):
        qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
        qtbot.mouseMove(view.viewport(), start + QPoint(0, 20))
        qtbot.mouseMove(view.viewport(), end)
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=end)
    first, second = view.selections()
    assert (first.page, second.page) == (0, 1)
    assert first.text == (
        "Body text of page 1 line 11 about sparse probes\n"
        "Body text of page 1 line 12 about sparse probes"
    )
    assert second.text == "Section" and view.selection() is first
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    # Copied as read: the lines of a paragraph joined, running on over the page break.
    assert QGuiApplication.clipboard().text() == first.text.replace("\n", " ") + " Section"


def test_dragging_past_the_bottom_scrolls_on_and_keeps_selecting(qtbot, tab: PdfTab) -> None:
    view = tab.view
    vp = view.viewport()
    start = _at(view, 0, next(w for w in view.document.words(0) if w.text == "Abstract."))
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(vp, start + QPoint(20, 0))
    below = QPoint(start.x(), vp.height() + 150)  # past the bottom edge, the button still down
    qtbot.mouseMove(vp, below)
    assert view.autoscrolling()
    qtbot.waitUntil(lambda: view.selections()[-1].page >= 2, timeout=5000)
    # Back inside the view, the scrolling stops; the selection stays.
    qtbot.mouseMove(vp, QPoint(start.x(), vp.height() // 2))
    qtbot.waitUntil(lambda: not view.autoscrolling(), timeout=2000)
    with qtbot.waitSignal(view.selectionChanged):
        qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=QPoint(start.x(), vp.height() // 2))
    parts = view.selections()
    assert [s.page for s in parts] == list(range(len(parts))) and len(parts) >= 2
    assert parts[0].text.startswith("Abstract. We probe reward models sparsely.")
    # The heading is a paragraph of its own (the space below it says so).
    assert parts[1].text.startswith("Section 2\n\nBody text of page 2 line 1")


def test_night_mode_inverts_the_pages(qtbot, tab: PdfTab) -> None:
    view = tab.view
    corner = view.page_rect(0).topLeft() + QPoint(10, 10)
    assert QColor(view.viewport().grab().toImage().pixel(corner)).lightness() > 200
    tab.night_action.trigger()
    wait_painted(qtbot, tab)
    assert QColor(view.viewport().grab().toImage().pixel(corner)).lightness() < 60


def test_overlays_tools_and_context_menu_for_annotations(qtbot, tab: PdfTab) -> None:
    view = tab.view
    title_rect = (72, 70, 300, 95)
    view.set_overlay_provider(
        lambda page: [Overlay(7, "highlight", [title_rect], "#ffd400")] if page == 0 else []
    )
    QApplication.processEvents()
    image = view.viewport().grab().toImage()
    paper = view.map_from_page(0, title_rect).toRect().topLeft() + QPoint(2, 2)
    assert QColor(image.pixel(paper)).name() == "#ffd400"  # paper tinted, ink stays dark
    assert ink_in(tab, 0, title_rect) > 20
    spot = view.map_from_page(0, title_rect).center().toPoint()
    with qtbot.waitSignal(view.overlayClicked) as clicked:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    assert clicked.args == [7]

    view.set_tool("area")
    a = view.map_from_page(0, (100, 400, 100, 400)).topLeft().toPoint()
    b = view.map_from_page(0, (300, 500, 300, 500)).topLeft().toPoint()
    with qtbot.waitSignal(view.areaSelected) as area:
        qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=a)
        qtbot.mouseMove(view.viewport(), a + QPoint(10, 10))
        qtbot.mouseMove(view.viewport(), b)
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=b)
    page, rect = area.args
    assert page == 0 and rect == pytest.approx((100, 400, 300, 500), abs=1.5)

    view.set_tool("note")
    with qtbot.waitSignal(view.pointClicked) as point:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=b)
    assert point.args[0] == 0 and point.args[1] == pytest.approx((300, 500), abs=1.5)

    view.contextMenuRequested.connect(lambda menu, page, pt: menu.addAction(f"Note on {page}"))
    menu = view.build_context_menu(0, (10, 10))
    assert [a.text() for a in menu.actions()] == ["Copy", "Note on 0"]

    view.flash(0, title_rect)
    assert view.flashed() == (0, title_rect)
    qtbot.waitUntil(lambda: view.flashed() is None, timeout=3000)


def test_side_pane_sits_right_of_the_view(qtbot, tab: PdfTab) -> None:
    pane = QLabel("annotations")
    tab.add_side_pane(pane)
    qtbot.waitUntil(pane.isVisible)
    assert pane.mapTo(tab, QPoint(0, 0)).x() > tab.view.mapTo(tab, QPoint(0, 0)).x()
    assert tab.side_panes() == [pane]


def test_thumbnails_render_when_shown_and_jump(qtbot, tab: PdfTab) -> None:
    tab.sidebar.setCurrentWidget(tab.thumbnails)
    model = tab.thumbnail_model
    qtbot.waitUntil(lambda: tab.view.renderer.thumbnail(0) is not None, timeout=5000)
    pixmap = model.data(model.index(0), Qt.ItemDataRole.DecorationRole)
    assert pixmap.toImage().pixelColor(2, 2).lightness() > 200  # white paper
    tab.thumbnails.clicked.emit(model.index(3))
    assert tab.view.current_page() == 3


def test_a_page_nobody_wants_any_more_stops_rendering_and_is_no_error(
    qtbot, tmp_path: Path
) -> None:
    """Scrolled past (or zoomed again) while it renders, a large page stops at its next band
    and the page now wanted comes next."""
    document = PdfDocument.open(make_paper(tmp_path / "paper.pdf"))
    renderer = PageRenderer(document)
    try:
        # MuPDF's lock, held here, keeps the worker from drawing page 0 before the reader moves
        # on: without it a fast worker could finish all its bands first.
        with MUPDF_LOCK:
            renderer.request([0], 4.0, False)  # seven bands
            renderer.request([1], 4.0, False)
        ready = qtbot.waitSignal(renderer.pageReady, timeout=10000)
        ready.wait()
        assert ready.args == [1]
        assert renderer.errors == {}
        assert renderer.image(1, 4.0, False) is not None
        assert renderer.image(0, 4.0, False) is None  # stopped, not finished
    finally:
        renderer.close()
        document.close()


def test_a_thumbnail_row_repainted_alone_does_not_drop_the_rows_shown_before(
    qtbot, tmp_path: Path
) -> None:
    """The sidebar asks for the rows it paints; a repaint of one row (its neighbour's thumbnail
    arrived) asks for that row only. Rows shown before and not drawn yet are still drawn (the
    fourth thumbnail of a paper stayed blank under a real X server)."""
    document = PdfDocument.open(make_long(tmp_path / "long.pdf", 6))
    renderer = PageRenderer(document)
    try:
        renderer.request([0], 1.0, False)  # thumbnails come after the pages on screen
        renderer.request_thumbnails([0, 1, 2, 3])
        renderer.request_thumbnails([1])
        qtbot.waitUntil(
            lambda: all(renderer.thumbnail(p) is not None for p in range(4)), timeout=10000
        )
        assert renderer.thumbnail(4) is None  # never shown: never drawn
    finally:
        renderer.close()
        document.close()


def test_only_pages_on_screen_count_as_being_drawn(qtbot, tmp_path: Path) -> None:
    """The window installs its features while neighbours are rendered ahead of time; it waits
    only for the pages the user sees."""
    document = PdfDocument.open(make_long(tmp_path / "long.pdf", 6))
    renderer = PageRenderer(document)
    try:
        with qtbot.waitSignal(renderer.pageReady, timeout=10000) as ready:
            renderer.request([0, 1, 2], 2.0, False, on_screen=1)  # page 1 shown, 2-3 ahead
            assert renderer.drawing_on_screen and renderer.busy
        assert ready.args == [0]
        assert not renderer.drawing_on_screen
        assert renderer.busy  # page 2 is being rendered ahead
        qtbot.waitUntil(lambda: not renderer.busy, timeout=10000)
        renderer.request([2, 3], 2.0, False, on_screen=2)  # scrolled: page 4 not drawn yet
        assert renderer.drawing_on_screen
    finally:
        renderer.close()
        document.close()


def test_a_prefetched_page_never_pushes_a_page_on_screen_out_of_the_cache() -> None:
    """With room for one more page, a neighbour rendered ahead of time is the one dropped: a
    page on screen that lost its image would stay blank (nothing asks for it again)."""
    cache = PageImageCache(max_bytes=250)
    shown, other_shown, ahead = (
        key_for(1, 1.0, False),
        key_for(2, 1.0, False),
        key_for(3, 1.0, False),
    )
    cache.put(PageImage(shown, 10, 10, [], 100), keep={shown})
    cache.put(PageImage(other_shown, 10, 10, [], 100), keep={shown, other_shown})
    cache.put(PageImage(ahead, 10, 10, [], 100), keep={shown, other_shown})
    assert shown in cache and other_shown in cache and ahead not in cache
    assert cache.nbytes == 200
    cache.put(PageImage(ahead, 10, 10, [], 100), keep={ahead})  # scrolled: now it is shown
    assert ahead in cache and cache.nbytes <= 250


def test_long_document_stays_within_the_cache_budget(qtbot, tmp_path: Path) -> None:
    t = PdfTab(make_long(tmp_path / "thesis.pdf", 40))
    qtbot.addWidget(t)
    t.resize(800, 600)
    t.show()
    budget = 6 * 1024 * 1024
    t.view.renderer.cache.max_bytes = budget
    bar = t.view.verticalScrollBar()
    try:
        while bar.value() < bar.maximum():
            bar.setValue(bar.value() + bar.pageStep())
            wait_painted(qtbot, t)
            assert t.view.renderer.cache.nbytes <= budget
        assert t.view.current_page() == 39 and t.page_box.text() == "40"
    finally:
        t.close_document()


def test_pages_far_behind_the_view_are_freed_while_paging_on(qtbot, tmp_path: Path) -> None:
    """Reading on through a book holds the pages near the view, not every page read so far up
    to the cache budget: memory stays flat however long the book."""
    t = PdfTab(make_long(tmp_path / "thesis.pdf", 40))
    qtbot.addWidget(t)
    t.resize(800, 600)
    t.show()
    bar = t.view.verticalScrollBar()
    try:
        while bar.value() < bar.maximum():
            bar.setValue(bar.value() + bar.pageStep())
            wait_painted(qtbot, t)
        assert t.view.current_page() == 39
        # Forty pages of this size fit the budget: without freeing, all of them would be held.
        assert 0 < len(t.view.renderer.cache) <= 2 * NEAR_PAGES + 1
    finally:
        t.close_document()


def test_a_hidden_tab_draws_nothing_until_it_is_shown_at_its_real_size(
    qtbot, tmp_path: Path
) -> None:
    """A tab made before the window shows (a launch with a paper) has a view a hundred pixels
    wide: pages drawn for that width would be drawn again at the first paint, by a thread that
    shares Python's lock with the window."""
    tabs = QTabWidget()  # as the main window holds its reading tabs
    qtbot.addWidget(tabs)
    tabs.resize(900, 700)
    tab = PdfTab(make_paper(tmp_path / "paper.pdf"))
    tabs.setCurrentIndex(tabs.addTab(tab, "paper"))
    tab.view.restore_position(1, 0.0)  # where the reader left it, as a launch restores it
    renderer = tab.view.renderer
    assert not renderer.busy and len(renderer.cache) == 0
    tabs.show()
    qtbot.waitExposed(tabs)
    wait_painted(qtbot, tab)
    shown_zoom = round(tab.view.scale() * tab.view.devicePixelRatioF() * 1000)
    assert [image.key.zoom_milli for image in renderer.cache.take_page(1)] == [shown_zoom]
    tab.close_document()


def test_a_place_restored_while_hidden_or_out_of_reach_comes_back_exactly(
    qtbot, tmp_path: Path
) -> None:
    """Reopening puts the reader back where they were: restored into a hidden tab (a scroll
    offset of its ~100-px view is ~8 points coarse), or at a first size too tall to scroll that
    far (near the end of the paper), the place still comes back to the point."""
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    tab = PdfTab(make_paper(tmp_path / "paper.pdf", pages=6))
    tabs.setCurrentIndex(tabs.addTab(tab, "paper"))
    tab.view.restore_position(4, 74.4)
    assert tab.view.position() == (4, 74.4)
    tabs.resize(400, 1100)  # the whole page 4 and more fit: the view cannot scroll that far
    tabs.show()
    qtbot.waitExposed(tabs)
    tabs.resize(900, 650)
    qtbot.waitUntil(lambda: tab.view.viewport().height() < 650)
    page, y = tab.view.position()
    assert page == 4 and y == pytest.approx(74.4, abs=1)
    for width in (700, 950, 820, 1010, 900):  # a window settling, a dock opening and closing
        tabs.resize(width, 650)
        qtbot.waitUntil(lambda w=width: tabs.width() == w)
        assert tab.view.position() == (4, 74.4)  # not a pixel's rounding more at each size
    tab.view.verticalScrollBar().setValue(tab.view.verticalScrollBar().value() - 40)
    assert tab.view.position()[1] < 74.4 - 20  # a scroll by the reader is the place from then on
    tab.close_document()


def test_at_a_zoom_of_its_own_a_place_out_of_reach_comes_back_when_the_view_can_show_it(
    qtbot, tmp_path: Path
) -> None:
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    tab = PdfTab(make_paper(tmp_path / "paper.pdf", pages=6))
    tabs.setCurrentIndex(tabs.addTab(tab, "paper"))
    tab.view.set_scale(1.5)  # no fitting: the zoom stays as the view resizes
    tab.view.restore_position(5, 400.0)  # the last page, well down
    tabs.resize(900, 1100)  # too tall to scroll that far
    tabs.show()
    qtbot.waitExposed(tabs)
    assert tab.view.position() == (5, 400.0)
    tabs.resize(900, 500)
    qtbot.waitUntil(lambda: tab.view.viewport().height() < 500)
    # The point is at the top edge of the view now, where the reader left it.
    assert tab.view.map_from_page(5, (0, 400.0, 10, 401.0)).top() == pytest.approx(0, abs=1)
    tab.close_document()
