"""Highlighting in a reading tab with a real mouse drag; recolour, comment, undo, redo, delete;
the pane follows, and a restart finds everything."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMenu

from readerapp.app import open_services
from readerapp.core.annotation import AnnotationKind
from readerapp.gui.annotation_controller import AnnotationController
from readerapp.gui.pdf_tab import PdfTab
from tests.annotation_helpers import PAGE_ONE, PAGE_TWO, add_pdf_item, line_rects, make_pdf
from tests.gui.reading import open_reading_tab


@pytest.fixture
def reading(qtbot, empty_services, tmp_path: Path):
    """A reading tab on a two-page paper with the annotation controller attached."""
    pdf = make_pdf(tmp_path / "paper.pdf", [PAGE_ONE, PAGE_TWO])
    r = open_reading_tab(qtbot, empty_services, pdf)
    yield r.tab, r.controller, r.stack, r.item_id, pdf, r.messages
    r.tab.close_document()


def _viewport_point(view, page: int, x: float, y: float) -> QPoint:
    r = view.map_from_page(page, (x, y, x, y))
    return QPoint(round(r.x()), round(r.y()))


def drag_over(qtbot, view, page: int, rect) -> None:
    """Press at the left of ``rect``, move across it and release: a real mouse selection."""
    x0, y0, x1, y1 = rect
    ym = (y0 + y1) / 2
    start = _viewport_point(view, page, x0 + 1, ym)
    end = _viewport_point(view, page, x1 - 1, ym)
    vp = view.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    middle = QPoint((start.x() + end.x()) // 2, start.y())
    qtbot.mouseMove(vp, middle)
    qtbot.mouseMove(vp, end)
    with qtbot.waitSignal(view.selectionChanged, timeout=2000):
        qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=end)


def test_drag_then_h_highlights_and_the_pane_follows(qtbot, reading) -> None:
    tab, controller, stack, item_id, pdf, _ = reading
    view = tab.view
    (rect,) = line_rects(pdf, 0, "residual stream")
    drag_over(qtbot, view, 0, rect)
    assert view.selection() is not None and "residual" in view.selection().text
    qtbot.keyClick(view, Qt.Key.Key_H)
    (ann,) = controller.annotations()
    assert ann.kind is AnnotationKind.HIGHLIGHT and ann.page == 1
    assert ann.quote == "residual stream"
    assert view.selection() is None
    assert controller.pane.visible_ids() == [ann.id]
    card = controller.pane.card(ann.id)
    assert card is not None and "residual stream" in card.quote.text()
    # the view draws it: the overlay provider gives the page its highlight
    (overlay,) = view._overlays(0)
    assert overlay.id == ann.id and overlay.color == ann.color


def test_a_highlight_across_a_page_break_is_one_per_page_and_one_undo(qtbot, reading) -> None:
    tab, controller, stack, _item_id, pdf, _ = reading
    view = tab.view
    view.set_zoom_percent(50)  # the end of page 1 and the top of page 2 on one screen
    view.go_to(0)
    (last,) = line_rects(pdf, 0, "Results show")
    (first,) = line_rects(pdf, 1, "Ablations confirm the features are causal.")
    start = _viewport_point(view, 0, last[0] + 1, (last[1] + last[3]) / 2)
    end = _viewport_point(view, 1, first[2] - 1, (first[1] + first[3]) / 2)
    vp = view.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(vp, start + QPoint(0, 30))
    qtbot.mouseMove(vp, end)
    with qtbot.waitSignal(view.selectionChanged, timeout=2000):
        qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=end)
    qtbot.keyClick(view, Qt.Key.Key_H)
    one, two = sorted(controller.annotations(), key=lambda a: a.page)
    assert (one.page, two.page) == (1, 2)  # pages as the reader counts them
    assert one.quote == "Results show that most features are interpretable."
    assert two.quote == "Ablations confirm the features are causal."
    assert view.selection() is None
    # The pane and the page mark the same one: the first page's.
    assert controller.pane.current_id() == controller.selected_id == one.id
    stack.undo()  # the whole highlight, both pages, in one step
    assert controller.annotations() == []
    stack.redo()
    assert len(controller.annotations()) == 2


def test_recolour_comment_undo_redo_delete(qtbot, reading) -> None:
    tab, controller, stack, item_id, pdf, _ = reading
    view = tab.view
    drag_over(qtbot, view, 0, line_rects(pdf, 0, "interpretable features")[0])
    qtbot.keyClick(view, Qt.Key.Key_H)
    (ann,) = controller.annotations()

    controller.recolor(ann.id, "#ff6666")
    assert controller.annotations()[0].color == "#ff6666"
    assert "limitation" in controller.pane.card(ann.id).header.text()

    card = controller.pane.card(ann.id)
    card.comment.setFocus()
    qtbot.keyClicks(card.comment, "central claim")
    qtbot.keyClick(card.comment, Qt.Key.Key_Return)
    assert controller.annotations()[0].comment == "central claim"

    stack.undo()  # comment
    assert controller.annotations()[0].comment == ""
    assert controller.pane.card(ann.id).comment.text() == ""
    stack.undo()  # colour
    assert controller.annotations()[0].color == "#ffd400"
    stack.undo()  # the highlight itself
    assert controller.annotations() == []
    assert controller.pane.visible_ids() == []
    stack.redo()
    stack.redo()
    stack.redo()
    (back,) = controller.annotations()
    assert (back.id, back.color, back.comment) == (ann.id, "#ff6666", "central claim")

    controller.pane.select(ann.id)
    controller.pane.list.setFocus()
    qtbot.keyClick(controller.pane.list, Qt.Key.Key_Delete)
    assert controller.annotations() == []
    stack.undo()
    assert [a.id for a in controller.annotations()] == [ann.id]
    assert controller.annotations()[0].comment == "central claim"


def test_underline_strike_colour_keys_and_kinds(qtbot, reading) -> None:
    tab, controller, stack, item_id, pdf, _ = reading
    view = tab.view
    drag_over(qtbot, view, 0, line_rects(pdf, 0, "residual stream")[0])
    qtbot.keyClick(view, Qt.Key.Key_U)
    drag_over(qtbot, view, 0, line_rects(pdf, 0, "monosemantic")[0])
    qtbot.keyClick(view, Qt.Key.Key_S)
    drag_over(qtbot, view, 0, line_rects(pdf, 0, "Sparse autoencoders")[0])
    qtbot.keyClick(view, Qt.Key.Key_2)  # a colour key with text selected: highlight in "method"
    anns = controller.annotations()
    assert [(a.kind, a.quote) for a in anns] == [
        (AnnotationKind.HIGHLIGHT, "Sparse autoencoders"),
        (AnnotationKind.UNDERLINE, "residual stream"),
        (AnnotationKind.STRIKEOUT, "monosemantic."),  # the viewer selects whole words
    ]
    assert anns[0].color == "#5fb236" and controller.color == "#5fb236"
    controller.set_kind(anns[1].id, AnnotationKind.HIGHLIGHT)
    assert controller.annotations()[1].kind is AnnotationKind.HIGHLIGHT
    stack.undo()
    assert controller.annotations()[1].kind is AnnotationKind.UNDERLINE


def test_h_without_selection_says_what_to_do(qtbot, reading) -> None:
    tab, controller, _stack, _item, _pdf, messages = reading
    qtbot.keyClick(tab.view, Qt.Key.Key_H)
    assert controller.annotations() == []
    assert messages and "Select some text first" in messages[-1]


def test_sticky_note_and_area_tools(qtbot, reading) -> None:
    tab, controller, stack, item_id, pdf, _ = reading
    view = tab.view
    qtbot.keyClick(view, Qt.Key.Key_N)
    assert view.tool() == "note"
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=_viewport_point(view, 0, 400, 300)
    )
    (note,) = controller.annotations()
    assert note.kind is AnnotationKind.NOTE and view.tool() == "text"
    card = controller.pane.card(note.id)
    assert card.comment.hasFocus()
    qtbot.keyClicks(card.comment, "check appendix B")
    qtbot.keyClick(card.comment, Qt.Key.Key_Return)
    assert controller.annotations()[0].comment == "check appendix B"

    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_A)
    assert view.tool() == "area"
    vp = view.viewport()
    a, b = _viewport_point(view, 0, 60, 75), _viewport_point(view, 0, 420, 130)
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(vp, QPoint((a.x() + b.x()) // 2, (a.y() + b.y()) // 2))
    qtbot.mouseMove(vp, b)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=b)
    area = next(x for x in controller.annotations() if x.kind is AnnotationKind.AREA)
    assert "Sparse autoencoders" in area.quote
    assert view.tool() == "text"

    # Esc leaves a tool as the status line says, and the tool's button follows.
    qtbot.keyClick(view, Qt.Key.Key_N)
    assert view.tool() == "note" and controller.note_action.isChecked()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.tool() == "text" and not controller.note_action.isChecked()


def test_clicking_in_the_pane_scrolls_and_flashes(qtbot, reading) -> None:
    tab, controller, stack, item_id, pdf, _ = reading
    view = tab.view
    svc = controller.service
    far = svc.create_text(item_id, 1, line_rects(pdf, 1, "cost of training"), "cost of training")
    controller.reload()
    view.go_to(0)
    item = controller.pane.list.item(0)
    rect = controller.pane.list.visualItemRect(item)
    qtbot.mouseClick(controller.pane.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.flashed() is not None and view.flashed()[0] == 1
    assert 1 in view.visible_pages()
    assert controller.selected_id == far.id
    assert [o.selected for o in view._overlays(1)] == [True]


def test_clicking_a_highlight_in_the_view_selects_it_in_the_pane(qtbot, reading) -> None:
    tab, controller, stack, item_id, pdf, _ = reading
    view = tab.view
    rects = line_rects(pdf, 0, "residual stream")
    first = controller.service.create_text(item_id, 0, line_rects(pdf, 0, "Sparse"), "Sparse")
    ann = controller.service.create_text(item_id, 0, rects, "residual stream")
    controller.reload()
    x0, y0, x1, y1 = rects[0]
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=_viewport_point(view, 0, (x0 + x1) / 2, (y0 + y1) / 2),
    )
    assert controller.pane.current_id() == ann.id != first.id


def test_context_menu_offers_highlighting_and_editing(qtbot, reading) -> None:
    tab, controller, stack, item_id, pdf, _ = reading
    view = tab.view
    rect = line_rects(pdf, 0, "residual stream")[0]
    drag_over(qtbot, view, 0, rect)
    menu: QMenu = view.build_context_menu(0, (rect[0] + 2, rect[1] + 2))
    texts = [a.text() for a in menu.actions()]
    assert "Highlight" in texts and "Underline" in texts and "Highlight in colour" in texts
    next(a for a in menu.actions() if a.text() == "Highlight in colour").menu().actions()[
        4
    ].trigger()
    (ann,) = controller.annotations()
    assert ann.color == "#a28ae5"  # question
    menu.deleteLater()
    menu = view.build_context_menu(0, ((rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2))
    texts = [a.text() for a in menu.actions()]
    assert "Delete" in texts and "Colour" in texts and "Add sticky note here" in texts
    next(a for a in menu.actions() if a.text() == "Delete").trigger()
    assert controller.annotations() == []
    menu.deleteLater()


def test_colour_filter_and_renamed_meaning(qtbot, reading) -> None:
    tab, controller, stack, item_id, pdf, _ = reading
    svc = controller.service
    a = svc.create_text(item_id, 0, line_rects(pdf, 0, "Sparse"), "Sparse", color="#ffd400")
    b = svc.create_text(item_id, 0, line_rects(pdf, 0, "residual"), "residual", color="#2ea8e5")
    controller.reload()
    controller.pane.set_color_filter("#2ea8e5")
    assert controller.pane.visible_ids() == [b.id]
    controller.pane.set_color_filter(None)
    assert controller.pane.visible_ids() == [a.id, b.id]
    controller.set_meaning("#2ea8e5", "finding")
    assert "finding" in controller.pane.card(b.id).header.text()
    assert controller.pane.filter.findText("finding") > 0


def test_notes_are_saved_as_typed(qtbot, reading, home: Path) -> None:
    tab, controller, stack, item_id, pdf, _ = reading
    notes = controller.pane.notes
    notes.setFocus()
    qtbot.keyClicks(notes, "# Summary")
    qtbot.waitUntil(lambda: controller.library.item(item_id).notes == "# Summary", timeout=3000)


def test_restart_finds_everything(qtbot, reading, home: Path) -> None:
    tab, controller, stack, item_id, pdf, _ = reading
    view = tab.view
    drag_over(qtbot, view, 0, line_rects(pdf, 0, "residual stream")[0])
    qtbot.keyClick(view, Qt.Key.Key_H)
    (ann,) = controller.annotations()
    controller.set_comment(ann.id, "which layer?")
    controller.recolor(ann.id, "#2ea8e5")
    reopened = open_services(str(home), seed=False)  # as a second process would see it
    try:
        (again,) = reopened.annotations.annotations(item_id)
        assert (again.quote, again.comment, again.color) == (
            "residual stream",
            "which layer?",
            "#2ea8e5",
        )
    finally:
        reopened.close()


def test_opening_a_pdf_annotated_elsewhere_imports_once(
    qtbot, empty_services, tmp_path: Path
) -> None:
    import pymupdf

    pdf = make_pdf(tmp_path / "paper.pdf", [PAGE_ONE])
    doc = pymupdf.open(pdf)
    page = doc[0]  # the page must outlive its annotation objects
    h = page.add_highlight_annot(quads=[r.quad for r in page.search_for("monosemantic")])
    h.set_info(content="from Okular")
    h.update()
    marked = tmp_path / "marked.pdf"
    doc.save(marked)
    doc.close()
    item_id = add_pdf_item(empty_services, marked)
    path = empty_services.annotations.pdf_path(item_id)
    for _ in range(2):  # open, close, open again
        tab = PdfTab(path, item_id=item_id, library=empty_services.library)
        qtbot.addWidget(tab)
        controller = AnnotationController(
            tab, item_id, empty_services.annotations, empty_services.library, QUndoStack(tab)
        )
        (ann,) = controller.annotations()
        assert (ann.quote, ann.comment, ann.source) == ("monosemantic", "from Okular", "pdf")
        tab.close_document()


def test_a_new_highlight_keeps_a_comment_being_typed(qtbot, reading) -> None:
    tab, controller, stack, item_id, pdf, _ = reading
    svc = controller.service
    first = svc.create_text(item_id, 0, line_rects(pdf, 0, "Sparse"), "Sparse")
    controller.reload()
    card = controller.pane.card(first.id)
    card.comment.setFocus()
    qtbot.keyClicks(card.comment, "half a tho")
    svc.create_text(item_id, 1, line_rects(pdf, 1, "causal"), "causal")
    controller.reload()  # what any change elsewhere does
    assert controller.pane.card(first.id) is card
    assert card.comment.text() == "half a tho"
    assert len(controller.pane.visible_ids()) == 2


def test_pane_shows_notes_edited_in_the_details_pane(qtbot, reading) -> None:
    tab, controller, stack, item_id, pdf, _ = reading
    controller.pane.hide()  # the user went to the library tab...
    controller.library.update_item(item_id, notes="written in the details pane")
    controller.pane.show()  # ...and came back
    assert controller.pane.notes.toPlainText() == "written in the details pane"
