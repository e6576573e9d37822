"""Empty lists say what to do, and the kind badges explain themselves (real widgets offscreen)."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt

from readerapp.core.errors import UserError
from readerapp.core.feed_scope import STARRED, FeedScope
from readerapp.gui.feed_panel import FeedPanel
from tests.gui.test_search_popup import popup_of, type_query
from tests.gui.test_search_popup import window as search_window  # noqa: F401 (a fixture)

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def test_an_empty_topic_says_how_to_fill_it(qtbot, window):
    hint = window.empty_list_hint
    assert hint.current_text() == ""  # All items is full
    research = window.library.find_topic("Research focus")
    window.tree.select_topic(research.id)
    assert "its subtopics hold 9 item(s)" in hint.current_text()
    assert "Show Items from Subtopics" in hint.current_text()
    assert hint.label.isVisible() and window.items.viewport().rect().contains(hint.label.geometry())
    window.subtopics_action.trigger()
    assert hint.current_text() == ""
    created = window.create_topic("Reading group", None)
    assert window.current_topic == created
    assert hint.current_text().startswith("No items in “Reading group” yet. Drag items onto it")
    assert "Ctrl+N" in hint.current_text()


def test_the_empty_feeds_tab_says_how_to_follow_a_feed(qtbot, services):
    panel = FeedPanel(services.feeds, services.library)
    qtbot.addWidget(panel)
    panel.resize(1024, 600)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.empty_hint.current_text().startswith("You follow no feeds yet. Click Add Feed…")
    assert "OPML" in panel.empty_hint.current_text()
    feed = services.feeds.add("arxiv:cs.LG")
    panel.reload()
    panel.select_scope(FeedScope.feed(feed.id))
    assert panel.empty_hint.current_text() == (
        "This feed has not been fetched yet: press F5 to refresh it."
    )
    # Its first refresh failed: the hint no longer says it was never fetched.
    services.feeds.apply_fetch(feed, UserError("Not a feed: this is an HTML page."), now=NOW)
    panel.reload()
    panel.select_scope(FeedScope.feed(feed.id))
    assert panel.empty_hint.current_text() == (
        "No entries from this feed yet: its last refresh failed. F5 tries again."
    )
    assert panel.state_label.text().startswith("Failed: Not a feed")
    panel.select_scope(STARRED)
    assert panel.empty_hint.current_text().startswith("No starred entries.")
    panel.poller.stop()


def test_no_search_results_say_what_to_try(qtbot, search_window):  # noqa: F811
    popup = popup_of(search_window)
    popup.open()
    type_query(qtbot, popup, "zyxwvut")
    assert popup.message.text() == "Nothing matches “zyxwvut”."
    hint = popup.no_results_hint.current_text()
    assert hint.startswith("Nothing matches “zyxwvut”.") and "Try fewer or shorter words" in hint
    assert "author:name" in hint
    type_query(qtbot, popup, "induc")
    assert popup.no_results_hint.current_text() == ""


def test_kind_badges_have_a_legend_in_their_tooltip(window):
    model = window.item_model
    row = next(r for r in range(model.rowCount()) if model.row_data(r).kind == "post")
    tip = model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith(model.row_data(row).title)
    assert "B  blog post" in tip.split("All badges:")[0]
    for line in ("P  paper", "B  blog post", "A  article", "T  thread", "W  web page"):
        assert line in tip.split("All badges:")[1]
