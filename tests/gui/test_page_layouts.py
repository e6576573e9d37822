"""Two-page spreads and turned pages: drawn where they should be, and pointing still finds the
right word on the right page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from readerapp.gui.pdf_tab import PdfTab
from readerapp.gui.pdf_view import GAP
from tests.gui.test_pdf_view import ink_in, open_tab, wait_painted
from tests.pdf_samples import make_paper

TITLE = (72, 70, 300, 95)  # the first page's title; each later page's "Section N" heading


@pytest.fixture
def tab(qtbot, tmp_path: Path) -> Iterator[PdfTab]:
    t = open_tab(qtbot, make_paper(tmp_path / "paper.pdf"), size=(1000, 700))
    wait_painted(qtbot, t)
    yield t
    t.close_document()


def word_rect(tab: PdfTab, page: int, text: str):
    return next(w.rect for w in tab.view.document.words(page) if w.text == text)


def double_click_on(qtbot, tab: PdfTab, page: int, text: str) -> str:
    spot = tab.view.map_from_page(page, word_rect(tab, page, text)).center().toPoint()
    qtbot.mouseDClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    selection = tab.view.selection()
    return f"{selection.page}:{selection.text}" if selection else ""


def test_a_two_page_spread_shows_pages_side_by_side(qtbot, tab: PdfTab) -> None:
    view = tab.view
    view.go_to(3)
    tab.spread_action.trigger()  # Ctrl+3
    assert view.spread() and tab.spread_action.isChecked()
    assert view.current_page() in (2, 3)  # still where the reader was
    wait_painted(qtbot, tab)
    left, right = view.page_rect(2), view.page_rect(3)
    assert left.top() == right.top() and right.left() - left.right() > GAP // 2
    assert left.left() >= 0 and right.right() <= view.viewport().width()  # Fit Width: both
    assert ink_in(tab, 2, TITLE) > 5 and ink_in(tab, 3, TITLE) > 5  # both drawn
    assert double_click_on(qtbot, tab, 3, "Section") == "3:Section"
    assert double_click_on(qtbot, tab, 2, "Section") == "2:Section"

    tab.fit_page_action.trigger()  # a whole spread on screen; Page Down turns both pages
    view.go_to(0)
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert view.page_rect(2).top() == GAP == view.page_rect(3).top()

    tab.spread_action.trigger()
    assert not view.spread()
    assert view.page_rect(3).top() > view.page_rect(2).bottom()


@pytest.mark.parametrize("turns", [1, 2, 3])
def test_turned_pages_are_drawn_turned_and_pointing_still_finds_words(
    qtbot, tab: PdfTab, turns: int
) -> None:
    view = tab.view
    width, height = view.page_rect(0).width(), view.page_rect(0).height()
    for _ in range(turns):
        tab.rotate_right_action.trigger()  # Ctrl+Right
    assert view.rotation() == 90 * turns
    bar = view.verticalScrollBar()  # the title into view, wherever the turn took it
    bar.setValue(bar.value() + round(view.map_from_page(0, TITLE).center().y()) - 200)
    wait_painted(qtbot, tab)
    shown = view.page_rect(0)
    if turns % 2:
        assert shown.width() > shown.height()  # a portrait page lies on its side
    else:
        assert (shown.width(), shown.height()) == (width, height)
    title = view.map_from_page(0, TITLE)
    if turns == 1:  # the top of the page is now on the right
        assert title.left() > shown.center().x() and title.width() < title.height()
    assert ink_in(tab, 0, TITLE) > 20  # the title is drawn where the page says it is
    assert double_click_on(qtbot, tab, 0, "Abstract.") == "0:Abstract."


def test_turning_back_and_round_returns_to_the_page_as_it_was(qtbot, tab: PdfTab) -> None:
    view = tab.view
    before = view.page_rect(0)
    tab.rotate_left_action.trigger()  # Ctrl+Left
    assert view.rotation() == 270
    tab.rotate_right_action.trigger()
    assert view.rotation() == 0 and view.page_rect(0) == before
    wait_painted(qtbot, tab)
    assert ink_in(tab, 0, TITLE) > 20


def test_a_paper_reopens_turned_and_spread_as_it_was_left(qtbot, window, tmp_path: Path) -> None:
    paper = make_paper(tmp_path / "scan.pdf")
    window.open_files([str(paper)])
    tab = window.tabs.currentWidget()
    tab.rotate_right_action.trigger()
    tab.spread_action.trigger()
    tab.view.go_to(3)
    window.close_tab(window.tabs.indexOf(tab))

    window.open_files([str(paper)])
    again = window.tabs.currentWidget()
    assert again is not tab
    assert again.view.rotation() == 90 and again.view.spread()
    assert again.spread_action.isChecked()
    assert again.view.current_page() in (2, 3)


def test_an_underline_stays_under_the_text_of_a_turned_page(qtbot, tab: PdfTab) -> None:
    from PySide6.QtGui import QColor

    from readerapp.pdf.types import Overlay

    view = tab.view
    view.set_overlay_provider(
        lambda page: [Overlay(1, "underline", [TITLE], "#ff0000")] if page == 0 else []
    )
    tab.rotate_right_action.trigger()
    bar = view.verticalScrollBar()
    bar.setValue(bar.value() + round(view.map_from_page(0, TITLE).center().y()) - 200)
    wait_painted(qtbot, tab)
    shown = view.map_from_page(0, TITLE)
    image = view.viewport().grab().toImage()

    def red_at(x: float, y: float) -> bool:
        colour = QColor(image.pixel(round(x), round(y)))
        return colour.red() - colour.green() > 60  # red, even anti-aliased on white

    middle = shown.center().y()
    # The text's foot is on the left when the page is turned right, not at the bottom.
    assert any(red_at(shown.left() + dx, middle) for dx in (0, 1, 2))
    assert not any(red_at(shown.center().x(), shown.bottom() - dy) for dy in (0, 1, 2))


def test_ctrl_arrows_in_a_text_field_move_the_cursor_not_the_pages(qtbot, tab: PdfTab) -> None:
    tab.open_find()
    field = tab.find_bar.field
    field.setText("sparse probes")
    field.setCursorPosition(len(field.text()))
    tab.window().activateWindow()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(field, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    assert tab.view.rotation() == 0
    assert field.cursorPosition() == len("sparse ")
    tab.view.setFocus()
    qtbot.waitUntil(tab.view.hasFocus)
    qtbot.keyClick(tab.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert tab.view.rotation() == 90
