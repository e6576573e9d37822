"""The main window driven as a user would: tree, list, details, undo, restart."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QIcon, QKeySequence
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit

from readerapp.app import open_services
from readerapp.gui.details_pane import DetailsPane
from readerapp.gui.main_window import MainWindow
from readerapp.qt.badges import BADGES_ROLE
from readerapp.qt.topic_model import INBOX_BADGE, INBOX_COLOUR, ITEMS_MIME, TOPIC_MIME
from readerapp.storage.library import ALL_ITEMS


def reopen(qtbot, home: Path, old: MainWindow) -> MainWindow:
    """Close the window and the library, then start again on the same folder (a restart)."""
    old.close()
    old.services.close()
    services = open_services(str(home))
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def visible_titles(win: MainWindow) -> list[str]:
    model = win.item_model
    return [model.row_data(r).title for r in range(model.rowCount())]


def answer_next_input_dialog(qtbot, text: str) -> None:
    """Type into the QInputDialog that is about to open, and press OK (a real dialog)."""

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(10, fill)
            return
        editor = dialog.findChild(QLineEdit)
        editor.selectAll()
        qtbot.keyClicks(editor, text)
        qtbot.keyClick(editor, Qt.Key.Key_Return)

    QTimer.singleShot(0, fill)


def test_first_launch_shows_the_starter_library(window: MainWindow) -> None:
    model = window.topic_model
    labels = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert labels[0].startswith("All items") and labels[1].startswith("Unfiled")
    assert any(label.startswith("Research focus") for label in labels)
    assert window.tree.select_topic(window.library.find_topic("Research focus/World Models").id)
    assert "Mastering Atari with Discrete World Models" in visible_titles(window)
    assert (
        window.topic_model.index_for_topic(
            window.library.find_topic("Research focus/World Models").id
        ).data()
        == "World Models  (4)"
    )


def test_selecting_an_item_shows_its_details(window: MainWindow, qtbot) -> None:
    window.tree.select_topic(window.library.find_topic("Favourites").id)
    row = visible_titles(window).index("Are Emergent Abilities of Large Language Models a Mirage?")
    qtbot.mouseClick(
        window.items.viewport(),
        Qt.MouseButton.LeftButton,
        pos=window.items.visualRect(window.item_model.index(row, 0)).center(),
    )
    assert (
        window.details.title.text() == "Are Emergent Abilities of Large Language Models a Mirage?"
    )
    assert "Rylan Schaeffer" in window.details.authors.text()
    assert "2304.15004" in window.details.arxiv.text()


@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_sorting_by_year_puts_undated_items_last_both_ways(
    window: MainWindow, order: Qt.SortOrder
) -> None:
    window.items.sortByColumn(2, order)
    years = [window.item_model.row_data(r).year for r in range(window.item_model.rowCount())]
    assert None in years and years[0] is not None
    dated = years[: years.index(None)]
    assert all(y is None for y in years[len(dated) :])  # every undated item after every year
    assert dated == sorted(dated, reverse=order == Qt.SortOrder.DescendingOrder)


def test_create_rename_and_delete_topics_with_undo(window: MainWindow, qtbot) -> None:
    window.tree.select_topic(window.library.find_topic("Research focus").id)
    answer_next_input_dialog(qtbot, "Reasoning")
    window.new_topic_action.trigger()
    created = window.library.find_topic("Research focus/Reasoning")
    assert created is not None and window.tree.current_topic_id() == created.id

    # Rename in place: F2 opens the editor in the tree
    window.tree.setFocus()
    window.tree.edit(window.tree.currentIndex())
    editor = window.tree.findChild(QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Reasoning and planning")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.library.topic(created.id).name == "Reasoning and planning")

    window.activateWindow()  # the input dialog took activation; a user clicks back in
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.tree.setFocus()
    window.delete_topic_action.trigger()
    assert window.library.topic(created.id) is None
    qtbot.keyClick(window.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.library.topic(created.id).name == "Reasoning and planning"
    window.undo_action.trigger()
    assert window.library.topic(created.id).name == "Reasoning"
    window.redo_action.trigger()
    assert window.library.topic(created.id).name == "Reasoning and planning"


def test_a_duplicate_name_is_refused_with_a_sentence(window: MainWindow) -> None:
    focus = window.library.find_topic("Research focus")
    assert window.create_topic("Alignment", focus.id) is None
    assert "already a topic" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 0


def test_moving_a_topic_by_drag_and_drop_nests_it(window: MainWindow) -> None:
    model = window.topic_model
    favourites = window.library.find_topic("Favourites")
    focus = window.library.find_topic("Research focus")
    mime = model.mimeData([model.index_for_topic(favourites.id)])
    assert mime.hasFormat(TOPIC_MIME)
    target = model.index_for_topic(focus.id)
    assert model.canDropMimeData(mime, Qt.DropAction.MoveAction, -1, 0, target)
    model.dropMimeData(mime, Qt.DropAction.MoveAction, -1, 0, target)
    assert window.library.topic_path(favourites.id) == "Research focus/Favourites"
    # dropping a topic into its own child is refused in words
    alignment = window.library.find_topic("Research focus/Alignment")
    mime = model.mimeData([model.index_for_topic(focus.id)])
    model.dropMimeData(mime, Qt.DropAction.MoveAction, -1, 0, model.index_for_topic(alignment.id))
    assert "inside itself" in window.statusBar().currentMessage()
    window.undo_action.trigger()
    assert window.library.topic_path(favourites.id) == "Favourites"
    # drop on the empty area: back to the top level
    model.dropMimeData(
        model.mimeData([model.index_for_topic(alignment.id)]),
        Qt.DropAction.MoveAction,
        -1,
        0,
        QModelIndex(),
    )
    assert window.library.topic_path(alignment.id) == "Alignment"


def test_dragging_items_onto_a_topic_files_them_there_too(window: MainWindow) -> None:
    lib = window.library
    window.tree.select_topic(lib.find_topic("Favourites").id)
    window.items.selectAll()
    ids = window.items.selected_item_ids()
    assert len(ids) == 5
    mime = window.item_model.mimeData(window.items.selectionModel().selectedIndexes())
    assert mime.hasFormat(ITEMS_MIME)
    alignment = lib.find_topic("Research focus/Alignment")
    target = window.topic_model.index_for_topic(alignment.id)
    window.topic_model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, 0, target)
    assert set(ids) <= set(lib.topic_item_ids(alignment.id))
    assert set(ids) <= set(lib.topic_item_ids(lib.find_topic("Favourites").id))
    assert window.topic_model.index_for_topic(alignment.id).data() == "Alignment  (6)"
    window.undo_action.trigger()
    assert lib.topic_item_ids(alignment.id) and not set(ids) & set(lib.topic_item_ids(alignment.id))


def test_removing_from_a_topic_keeps_the_item_and_deleting_is_undoable(
    window: MainWindow, qtbot
) -> None:
    lib = window.library
    alignment = lib.find_topic("Research focus/Alignment")
    window.tree.select_topic(alignment.id)
    window.items.select_row(0)
    item_id = window.items.current_item_id()
    window.items.setFocus()
    qtbot.keyClick(window.items, Qt.Key.Key_Delete)
    assert visible_titles(window) == []
    assert lib.item(item_id) is not None
    window.tree.select_topic(ALL_ITEMS)
    assert window.items.select_item(item_id)
    window.delete_items_action.trigger()
    assert lib.item(item_id) is None and item_id not in [
        window.item_model.item_id(r) for r in range(window.item_model.rowCount())
    ]
    window.undo_action.trigger()
    assert lib.item(item_id) is not None
    window.undo_action.trigger()
    assert item_id in lib.topic_item_ids(alignment.id)


def test_showing_an_item_while_ctrl_is_down_selects_only_that_item(
    window: MainWindow, qtbot
) -> None:
    """A Ctrl shortcut that shows an item (search, a reading tab's "show in library") must
    select that item alone: Ctrl held at that moment once made the list toggle the row instead."""
    window.tree.select_topic(ALL_ITEMS)
    first, second = (window.item_model.item_id(r) for r in (0, 1))
    window.items.select_item(first)
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyPress(window.items, Qt.Key.Key_Control, ctrl)  # Ctrl is down from here on
    try:
        assert window.items.select_item(second)
        assert window.items.selected_item_ids() == [second]
        assert window.items.select_item(second)  # again: it stays selected
        assert window.items.selected_item_ids() == [second]
    finally:
        qtbot.keyRelease(window.items, Qt.Key.Key_Control)


def test_notes_are_saved_as_you_type_and_survive_a_restart(
    window: MainWindow, qtbot, home: Path
) -> None:
    window.tree.select_topic(window.library.find_topic("Research focus/Scaling Laws").id)
    window.items.select_row(0)
    item_id = window.items.current_item_id()
    notes = window.details.notes
    notes.setFocus()
    qtbot.keyClicks(notes, "Loss falls as a power law in *compute*.")
    qtbot.waitUntil(lambda: window.library.item(item_id).notes.endswith("*compute*."))
    window.details.status.setCurrentIndex(window.details.status.findData("reading"))
    assert str(window.library.item(item_id).status) == "reading"

    window = reopen(qtbot, home, window)
    assert (
        window.tree.current_topic_id()
        == window.library.find_topic("Research focus/Scaling Laws").id
    )
    window.items.select_item(item_id)
    assert window.details.notes.toPlainText() == "Loss falls as a power law in *compute*."
    window.details.preview_button.setChecked(True)
    assert "<em>compute</em>" in window.details.preview.toHtml() or "compute" in (
        window.details.preview.toPlainText()
    )
    window.close()
    window.services.close()


def test_window_geometry_and_splitter_sizes_are_remembered(
    window: MainWindow, qtbot, home: Path
) -> None:
    window.resize(760, 560)  # the offscreen screen is 800 x 600
    window.splitter.setSizes([300, 400, 300])
    sizes = window.splitter.sizes()
    window = reopen(qtbot, home, window)
    assert (window.size().width(), window.size().height()) == (760, 560)
    assert window.splitter.sizes() == sizes
    window.close()
    window.services.close()


def test_refresh_shows_changes_made_by_the_command_line(window: MainWindow, home: Path) -> None:
    from readerapp.cli import main as cli_main

    window.tree.select_topic(ALL_ITEMS)
    before = window.item_model.rowCount()
    other = open_services(str(home))  # what `readerapp add` would do, on its own connection
    topic = other.library.ensure_topic("Research focus/Reasoning")
    other.library.add_item("Chain-of-Thought Prompting", [topic.id], arxiv_id="2201.11903")
    other.close()
    assert cli_main(["--home", str(home), "topics"]) == 0
    assert window.item_model.rowCount() == before
    window.refresh_action.trigger()
    assert window.item_model.rowCount() == before + 1
    assert window.topic_model.index_for_topic(topic.id).data() == "Reasoning  (1)"


def test_keyboard_shortcuts_are_the_standard_ones(window: MainWindow) -> None:
    assert window.undo_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    assert QKeySequence("Ctrl+Shift+Z") in window.redo_action.shortcuts()
    assert window.refresh_action.shortcut() == QKeySequence("F5")


def test_models_pass_qt_model_tester(window: MainWindow, qtmodeltester) -> None:
    qtmodeltester.check(window.topic_model)
    qtmodeltester.check(window.item_model)


def test_library_keys_stay_in_the_library_tab(window: MainWindow, qtbot) -> None:
    """Del in a reading tab must not take the library's selected item out of its topic."""
    lib = window.library
    topic = lib.find_topic("Getting started")
    window.tree.select_topic(topic.id)
    window.items.select_row(0)
    item_id = window.items.current_item_id()
    window.open_item(item_id)
    assert window.tabs.currentIndex() != 0
    reading = window.tabs.currentWidget()
    reading.setFocus()
    qtbot.keyClick(reading, Qt.Key.Key_Delete)
    assert item_id in lib.topic_item_ids(topic.id)
    window.tabs.setCurrentIndex(0)
    window.items.setFocus()
    qtbot.keyClick(window.items, Qt.Key.Key_Delete)
    assert item_id not in lib.topic_item_ids(topic.id)


def test_topics_show_their_new_feed_matches(window: MainWindow) -> None:
    import io

    import feedparser

    from readerapp.core.feed_entries import normalise_feed
    from readerapp.core.feed_rules import WatchRule
    from tests.feed_samples import large_arxiv_rss

    entries = normalise_feed(feedparser.parse(io.BytesIO(large_arxiv_rss()))).entries[:200]
    topic = window.library.find_topic("Research focus/Interpretability")
    store = window.services.feeds.store
    store.save_rule(WatchRule(topic.id, keywords=["interpretability", "neural"]))
    store.ingest(store.add_feed("arxiv", "cs").id, entries)
    new = window.services.feeds.unread_match_counts()[topic.id]
    assert new > 0
    window.refresh_action.trigger()
    index = window.topic_model.index_for_topic(topic.id)
    assert index.data() == "Interpretability  (1)"
    assert index.data(BADGES_ROLE) == [(INBOX_BADGE, f"{new} new", INBOX_COLOUR)]


def test_features_arrive_right_after_the_first_paint(qtbot, home: Path) -> None:
    """Start-up shows the library first; reading, feeds, search and the app's icon follow on
    the next loop turns."""
    QApplication.setWindowIcon(QIcon())  # as in a new process
    services = open_services(str(home))
    win = MainWindow(services, defer_features=True)
    qtbot.addWidget(win)
    assert not win.features_ready and win.tabs.count() == 1
    assert win.item_model.rowCount() == 19  # the library itself is there at once
    assert QApplication.windowIcon().isNull()
    # The details pane's editors follow the first paint; an empty pane holds their place.
    assert win.library_page.findChild(DetailsPane) is None
    win.show()
    with qtbot.waitSignal(win.featuresReady, timeout=10000):
        pass
    assert not win.windowIcon().isNull() and not QApplication.windowIcon().isNull()
    pane = win.library_page.findChild(DetailsPane)
    assert pane is win.details and pane.isVisible()
    assert pane.item is not None and pane.item.id == win.items.current_item_id()
    sizes = win.splitter.sizes()
    assert abs(sizes[2] / sum(sizes) - 0.32) < 0.05  # it took its place's share of the width
    labels = [win.tabs.tabText(i) for i in range(win.tabs.count())]
    assert labels[:2] == ["Library", "Feeds"]
    guide = services.library.find_topic("Getting started")
    win.tree.select_topic(guide.id)
    win.items.select_row(0)
    win.open_item(win.items.current_item_id())
    assert win.tabs.count() == 3
    win.close()
    services.close()


def test_features_still_arrive_when_a_paper_opens_first(qtbot, home: Path) -> None:
    """`readerapp --open X`: the paper is drawn first, then the other features follow."""
    services = open_services(str(home))
    win = MainWindow(services, defer_features=True)
    qtbot.addWidget(win)
    win.show()
    guide = services.library.items(services.library.find_topic("Getting started").id)[0]
    tab = win.open_pdf_item(guide)
    assert tab is not None
    with qtbot.waitSignal(win.featuresReady, timeout=15000):
        pass
    assert not tab.view.renderer.drawing_on_screen  # the pages shown came first
    assert tab.view.renderer.image(0, tab.view.scale() * tab.view.devicePixelRatioF(), False)
    assert [win.tabs.tabText(i) for i in range(2)] == ["Library", "Feeds"]
    win.close()
    services.close()
