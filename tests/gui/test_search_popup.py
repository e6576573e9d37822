"""Ctrl+K search in the real main window, offscreen: typing, choosing, PDFs read in the background."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from readerapp.app import open_services
from readerapp.gui.main_window import MainWindow
from readerapp.gui.search_popup import SearchPopup
from readerapp.storage.pdf_text import PDF_TEXT_INDEXED
from tests.search_helpers import pdf_bytes


@pytest.fixture
def window(qtbot, home: Path) -> Iterator[MainWindow]:
    services = open_services(str(home))
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    # the start-up catch-up pass reads the starter PDF in the background
    indexer = win.search_ui.indexer
    qtbot.waitUntil(
        lambda: services.search.summary().pending == 0 and indexer.pending_count == 0,
        timeout=10000,
    )
    yield win
    if win.isVisible():
        win.close()
    services.close()


def popup_of(win: MainWindow) -> SearchPopup:
    return win.search_ui.popup


def result_titles(popup: SearchPopup) -> list[str]:
    assert popup.last_results is not None
    return [r.title for r in popup.last_results.items]


def type_query(qtbot, popup: SearchPopup, text: str) -> None:
    """Type like a user; wait until the answer to the last keystroke is shown."""
    popup.field.clear()
    qtbot.keyClicks(popup.field, text)
    qtbot.waitUntil(
        lambda: popup.last_results is not None and popup.last_results.query == text, timeout=5000
    )


def test_ctrl_k_opens_the_field_and_results_come_as_you_type(qtbot, window, tmp_path) -> None:
    popup = popup_of(window)
    assert not popup.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert popup.isVisible() and popup.field.hasFocus()
    type_query(qtbot, popup, "induc")  # a prefix while typing
    assert result_titles(popup)[0] == "In-context Learning and Induction Heads"
    top = popup.results.topLevelItem(0)
    assert "In-context Learning and Induction Heads" in top.text(0)
    assert top.childCount() == 0  # a title-only match is not repeated under the title
    type_query(qtbot, popup, "double-click")  # in the starter paper's notes and its PDF
    top = popup.results.topLevelItem(0)
    rows = [top.child(n).text(0) for n in range(top.childCount())]
    assert any("notes:" in r and "<b>double-click</b>" in r for r in rows)
    assert any("page " in r for r in rows)
    assert popup.message.text().startswith("1 item") or "items" in popup.message.text()
    shot = tmp_path / "search.png"
    assert window.grab().save(str(shot)) and shot.stat().st_size > 0


def test_enter_selects_the_item_in_the_library(qtbot, window) -> None:
    popup = popup_of(window)
    popup.open()
    type_query(qtbot, popup, "gamegan")
    qtbot.keyClick(popup.field, Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert window.tabs.currentIndex() == 0
    chosen = window.items.current_item_id()
    assert (
        window.library.item(chosen).title
        == "Learning to Simulate Dynamic Environments with GameGAN"
    )


def test_escape_closes_and_a_bad_filter_is_a_sentence(qtbot, window) -> None:
    popup = popup_of(window)
    popup.open()
    type_query(qtbot, popup, "status:later ")
    assert popup.last_results.items == []
    assert popup.message.text().startswith("“status:later” is not a status")
    for hostile in ['"', "NEAR(", "*", "col:", "AND"]:
        type_query(qtbot, popup, hostile)
        assert popup.isVisible()
    qtbot.keyClick(popup.field, Qt.Key.Key_Escape)
    assert not popup.isVisible()


def test_a_pdf_text_hit_opens_the_paper_at_that_page_with_the_words_marked(qtbot, window) -> None:
    popup = popup_of(window)
    popup.open()
    type_query(qtbot, popup, '"scroll continuously"')  # on page 3 of the starter PDF
    result = popup.last_results.items[0]
    assert result.title == "Getting started with readerapp"
    assert result.pdf_text == PDF_TEXT_INDEXED
    hit_row = next(
        popup.results.topLevelItem(0).child(n)
        for n in range(popup.results.topLevelItem(0).childCount())
        if "page 3" in popup.results.topLevelItem(0).child(n).text(0)
    )
    popup.results.setCurrentItem(hit_row)
    qtbot.keyClick(popup.field, Qt.Key.Key_Return)
    tab = window.pdf_tabs.tab_for_item(result.item_id)
    assert tab is not None and window.tabs.currentWidget() is tab
    qtbot.waitUntil(lambda: tab.match_count() > 0, timeout=5000)
    page, _ = tab.current_match()
    assert page == 2  # 0-based: the third page
    assert tab.find_bar.field.text().lower() == "scroll continuously"


def test_a_highlight_hit_opens_the_paper_at_the_highlight(qtbot, window) -> None:
    services = window.services
    item = next(i for i in services.library.items() if i.has_pdf)
    with services.db.transaction() as conn:
        ann_id = conn.execute(
            "INSERT INTO annotations(item_id, kind, page, color, quote, comment, quads) "
            "VALUES (?, 'highlight', 2, '#ffd400', 'a quokka sentence', '', "
            "'[[72, 300, 400, 314]]')",
            (item.id,),
        ).lastrowid
    popup = popup_of(window)
    popup.open()
    type_query(qtbot, popup, "quokka")
    (result,) = popup.last_results.items
    (hit,) = result.hits
    assert (hit.field, hit.page, hit.annotation_id) == ("highlight", 2, ann_id)
    popup.go_to(result.item_id, hit)
    tab = window.pdf_tabs.tab_for_item(item.id)
    assert tab is not None and window.tabs.currentWidget() is tab
    flashed = tab.view.flashed()
    assert flashed is not None and flashed[0] == 1  # 0-based: the highlight's page 2
    assert tab.view.current_page() == 1


def test_a_pdf_that_arrives_is_read_in_the_background(qtbot, window) -> None:
    services = window.services
    item = services.library.add_item("A paper about nothing yet", [])
    services.files.store_bytes(pdf_bytes(["intro", "the axolotl appendix"]), "items/axo.pdf")
    # Any code that sets pdf_path (a download, an import) is noticed; nobody calls search.
    services.library.update_item(item.id, pdf_path="items/axo.pdf")
    qtbot.waitUntil(lambda: services.search.summary().pending == 0, timeout=10000)
    popup = popup_of(window)
    popup.open()
    type_query(qtbot, popup, "axolotl")
    (result,) = popup.last_results.items
    assert result.item_id == item.id
    assert [(h.field, h.page) for h in result.hits] == [("pdf", 2)]


def test_queries_run_off_the_gui_thread_and_stale_answers_are_dropped(qtbot, window) -> None:
    popup = popup_of(window)
    popup.open()
    popup.field.setText("transformer")
    popup.field.setText("gamegan")  # typed on before the first answer came back
    qtbot.waitUntil(
        lambda: popup.last_results is not None and popup.last_results.query == "gamegan",
        timeout=5000,
    )
    assert result_titles(popup) == ["Learning to Simulate Dynamic Environments with GameGAN"]


def test_a_redownload_to_the_same_file_name_is_read_again(qtbot, window) -> None:
    services = window.services
    item = services.library.add_item("A paper downloaded twice", [])
    indexer = window.search_ui.indexer
    for word in ("narwhal", "beluga"):  # the second download replaces the first, same name
        services.files.store_bytes(pdf_bytes([f"the {word} section"]), "items/twice.pdf")
        services.library.update_item(item.id, pdf_path="items/twice.pdf")
        qtbot.waitUntil(lambda w=word: services.search.search(w).items != [], timeout=10000)
    qtbot.waitUntil(lambda: indexer.pending_count == 0, timeout=10000)
    assert services.search.search("narwhal").items == []
    assert [r.item_id for r in services.search.search("beluga").items] == [item.id]


def test_a_scanned_pdf_says_it_is_found_by_its_details_only(qtbot, window) -> None:
    services = window.services
    item = services.library.add_item("Scanned lecture notes on dolphins", [])
    services.files.store_bytes(pdf_bytes(["invisible", "words"], text_layer=False), "items/s.pdf")
    services.library.update_item(item.id, pdf_path="items/s.pdf")
    qtbot.waitUntil(lambda: services.search.summary().pending == 0, timeout=10000)
    popup = popup_of(window)
    popup.open()
    type_query(qtbot, popup, "dolphins")
    top = popup.results.topLevelItem(0)
    rows = [top.child(n).text(0) for n in range(top.childCount())]
    assert rows == [
        '<i style="color:gray">This PDF has no text layer; it is found by its details and notes '
        "only.</i>"
    ]


def test_focus_moving_elsewhere_puts_the_popup_away(qtbot, window) -> None:
    window.activateWindow()
    popup = popup_of(window)
    popup.open()
    qtbot.waitUntil(popup.field.hasFocus, timeout=2000)
    window.items.setFocus()
    qtbot.waitUntil(lambda: not popup.isVisible(), timeout=2000)
