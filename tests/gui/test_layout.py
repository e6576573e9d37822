"""The window laid out for a 1024x700 laptop: every column, count, title and error sentence
on screen, and docks that do not squeeze the panes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QStyleOptionViewItem

from readerapp.gui.feed_panel import AddFeedDialog
from readerapp.gui.layout import CountsKeptDelegate, first_window_size
from readerapp.gui.paper_actions import AddPaperDialog

LONG_TITLE = (
    "Towards Monosemanticity: Decomposing Language Models With Dictionary Learning, "
    "and what the features mean"
)


@pytest.fixture
def small(qtbot, window):
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    return window


def shown_text(view, index) -> str:
    """The text the view's delegate draws for ``index``, counts kept or not."""
    delegate = view.itemDelegate()
    assert isinstance(delegate, CountsKeptDelegate)
    option = QStyleOptionViewItem()
    option.initFrom(view.viewport())
    option.rect = view.visualRect(index)
    option.widget = view
    delegate.initStyleOption(option, index)
    return delegate.shown_text(option)


def test_every_item_column_is_on_screen(qtbot, small):
    items = small.items
    header = items.horizontalHeader()
    last = header.logicalIndex(header.count() - 1)
    right = header.sectionViewportPosition(last) + header.sectionSize(last)
    assert right <= items.viewport().width()  # Title, Authors, Year, Status, Added
    assert header.sectionSize(0) >= 120  # and the title keeps room to be read


def test_the_downloads_dock_leaves_the_panes_their_room(qtbot, small):
    small.paper_ui.downloads_action.trigger()
    qtbot.waitUntil(lambda: small.paper_ui.dock.isVisible())
    qtbot.waitUntil(lambda: small.paper_ui.dock.width() > 0)
    tree, items, details = (small.splitter.widget(i) for i in range(3))
    assert items.width() >= 300 and tree.width() >= 180 and details.width() >= 230


def test_tree_counts_are_never_cut(qtbot, small):
    lib = small.library
    topic = lib.find_topic("Research focus/Interpretability")
    small.topic_model.set_inbox_counts({topic.id: 16})  # a bold row, with its "16 new" badge
    small.paper_ui.downloads_action.trigger()  # the tree at its narrowest
    qtbot.waitUntil(lambda: small.paper_ui.dock.isVisible())
    small.splitter.setSizes([0, 500, 344])
    index = small.topic_model.index_for_topic(topic.id)
    option = QStyleOptionViewItem()
    option.rect = small.tree.visualRect(index)
    option.widget = small.tree
    delegate = small.tree.itemDelegate()
    delegate.initStyleOption(option, index)
    badges = delegate.badge_rects(option, index)
    assert badges and badges[-1][1].right() <= option.rect.right()  # the badge is whole
    room = badges[0][1].left() - option.rect.left() - 8
    shown = QFontMetrics(option.font).elidedText(option.text, small.tree.textElideMode(), room)
    assert shown != option.text and shown.endswith("(1)")  # the name is cut, not the count


def test_a_long_feed_title_shows_more_than_twenty_characters_and_its_count(qtbot, small):
    store = small.services.feeds.store
    store.add_feed(
        "url", "https://gradient.example/rss", title="The Gradient: Perspectives on AI Research"
    )
    panel = small.feed_tab.panel
    small.feed_tab.show()
    panel.reload()
    item = next(i for i in panel._iter_sources() if i.text(0).startswith("The Gradient"))
    index = panel.sources.indexFromItem(item)
    shown = shown_text(panel.sources, index)
    assert shown.endswith(" (0)")  # the count whole, and well over 20 characters of the title
    assert len(shown.split("…")[0]) > 20 and shown.startswith("The Gradient: Perspect")
    assert "The Gradient: Perspectives on AI Research" in item.toolTip(0)
    header = panel.table.horizontalHeader()
    right = header.sectionViewportPosition(header.count() - 1) + header.sectionSize(
        header.count() - 1
    )
    assert right <= panel.table.viewport().width()  # every entry column too


def whole(label: QLabel) -> bool:
    """The label is as tall as its wrapped text, and inside its dialog."""
    bottom = label.mapTo(label.window(), label.rect().bottomLeft()).y()
    return (
        label.height() >= label.heightForWidth(label.width()) and bottom <= label.window().height()
    )


def test_dialog_errors_show_whole(qtbot, small):
    paper = AddPaperDialog([], None, small)
    qtbot.addWidget(paper)
    paper.show()
    qtbot.waitExposed(paper)
    paper.text.setText("https://arxiv.org/abs/2001.083613 is the paper I wanted to add")
    assert "does not name a paper" in paper.hint.text()
    assert whole(paper.hint)
    feed = AddFeedDialog(small.services.feeds, small.library, small)
    qtbot.addWidget(feed)
    feed.show()
    qtbot.waitExposed(feed)
    feed.spec.setText("arxiv:cs.XYZ+cs.ABC+cs.DEF+cs.GHI+cs.JKL+cs.MNO+cs.PQR+cs.STU+cs.VWX")
    feed.accept()
    assert feed.error.text() and whole(feed.error)


def test_the_details_title_wraps(qtbot, small):
    item = small.library.add_item(LONG_TITLE, authors=["Trenton Bricken"], year=2023)
    small.refresh()
    small.select_item(item.id)
    title = small.details.title
    assert title.text() == LONG_TITLE
    qtbot.waitUntil(lambda: title.height() >= 2 * title.fontMetrics().lineSpacing())
    assert title.width() < title.fontMetrics().horizontalAdvance(LONG_TITLE)  # it did wrap


@pytest.mark.parametrize(
    ("available", "platform", "expected"),
    [
        (QSize(1024, 700), "xcb", QSize(1024, 700)),  # a small laptop: the whole screen
        (QSize(1920, 1040), "wayland", QSize(1280, 800)),
        (QSize(800, 600), "offscreen", QSize(1280, 800)),  # screenshots keep their size
    ],
)
def test_the_first_window_fits_the_screen(available, platform, expected):
    assert first_window_size(available, platform) == expected
