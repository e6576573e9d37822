"""The feed panel's commands as a user meets them: OPML imports that show at once, undoable
removal and Mark All Read, two clear refresh commands, and the small things around them.

Real widgets offscreen, a real HTTP server on 127.0.0.1 serving the invented feeds in
``tests/fixtures/library``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QKeySequence

from readerapp.core.feed_scope import FeedScope
from readerapp.gui.main_window import MainWindow
from tests.net.feed_server import Route, feed_server

FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "library"


@pytest.fixture
def server():
    with feed_server() as s:
        s.routes["/lab.rss"] = Route((FEEDS / "lab-notes.rss").read_bytes())
        s.routes["/evals.rss"] = Route((FEEDS / "eval-digest.rss").read_bytes())
        yield s


def source_texts(window: MainWindow) -> list[str]:
    return [item.text(0) for item in window.feed_tab.panel._iter_sources()]


def opml(tmp_path: Path, server) -> Path:
    path = tmp_path / "subscriptions.opml"
    path.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>'
        f'<outline type="rss" text="Lab Notes" xmlUrl="{server.url("/lab.rss")}"/>'
        f'<outline type="rss" text="Eval Digest" xmlUrl="{server.url("/evals.rss")}"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    return path


def test_an_opml_import_lists_its_feeds_and_fetches_them_at_once(qtbot, window, server, tmp_path):
    poller = window.feed_tab.poller
    with qtbot.waitSignal(poller.roundFinished, timeout=20000) as round_done:
        assert window.import_export_ui.import_path(opml(tmp_path, server))
        texts = source_texts(window)  # listed before any fetch ended
        assert "Lab Notes (0)" in texts and "Eval Digest (0)" in texts
    assert round_done.args[0].new_entries == 5
    assert "Lab Notes (3)" in source_texts(window) and "Eval Digest (2)" in source_texts(window)
    assert len(server.hits("/lab.rss")) == 1 and len(server.hits("/evals.rss")) == 1


def follow_both(window: MainWindow, server) -> tuple[int, int]:
    store = window.services.feeds.store
    lab = store.add_feed("url", server.url("/lab.rss"), title="Lab Notes")
    evals = store.add_feed("url", server.url("/evals.rss"), title="Eval Digest")
    window.feed_tab.panel.reload()
    return lab.id, evals.id


def test_refresh_all_and_refresh_selected_are_two_commands(qtbot, window, server):
    lab, _evals = follow_both(window, server)
    panel = window.feed_tab.panel
    assert panel.refresh_action.text() == "Refresh All Feeds"
    assert not panel.refresh_selected_action.isEnabled()  # no feed selected yet
    panel.select_scope(FeedScope.feed(lab))
    assert panel.refresh_selected_action.isEnabled()
    with qtbot.waitSignal(panel.poller.roundFinished, timeout=20000):
        panel.refresh_selected_action.trigger()
    assert (len(server.hits("/lab.rss")), len(server.hits("/evals.rss"))) == (1, 0)
    # F5 refreshes every feed even while one is selected
    assert panel.refresh_action.shortcut() == QKeySequence("F5")
    with qtbot.waitSignal(panel.poller.roundFinished, timeout=20000):
        panel.refresh_action.trigger()
    assert (len(server.hits("/lab.rss")), len(server.hits("/evals.rss"))) == (2, 1)
    toolbar = [a.text() for a in panel.toolbar.actions()]
    assert toolbar[:2] == ["Refresh All Feeds", "Refresh Selected Feed"]


def fetch_both(qtbot, window: MainWindow, server) -> tuple[int, int]:
    ids = follow_both(window, server)
    panel = window.feed_tab.panel
    with qtbot.waitSignal(panel.poller.roundFinished, timeout=20000):
        panel.refresh_action.trigger()
    return ids


def test_remove_feed_is_undone_with_its_entries_as_they_were(qtbot, window, server):
    lab, _evals = fetch_both(qtbot, window, server)
    panel, store = window.feed_tab.panel, window.services.feeds.store
    panel.select_scope(FeedScope.feed(lab))
    first = panel.model.rows[0].id
    panel.select_entry(first)  # reading it in the preview marks it read
    qtbot.waitUntil(lambda: "Lab Notes (2)" in source_texts(window))
    panel.remove_feed_action.trigger()
    assert not any(t.startswith("Lab Notes") for t in source_texts(window))
    assert store.entry(first) is None
    assert "Ctrl+Z to undo" in window.statusBar().currentMessage()
    window.undo_action.trigger()
    assert "Lab Notes (2)" in source_texts(window)  # the read entry stays read
    assert store.entry(first).read and store.feed(lab) is not None
    assert "All entries (4)" in source_texts(window)
    window.redo_action.trigger()
    assert store.feed(lab) is None and "All entries (2)" in source_texts(window)


def test_mark_all_read_is_undone(qtbot, window, server):
    fetch_both(qtbot, window, server)
    panel = window.feed_tab.panel
    assert "All entries (5)" in source_texts(window)
    panel.mark_all_action.trigger()
    assert "All entries (0)" in source_texts(window)
    assert window.undo_action.text() == "&Undo Mark all read in All entries"
    window.undo_action.trigger()
    assert "All entries (5)" in source_texts(window)
    assert "Lab Notes (3)" in source_texts(window)
    assert all(not r.read for r in panel.model.rows)


def test_buttons_and_status_bar_speak_of_what_is_in_front(qtbot, window, server):
    fetch_both(qtbot, window, server)
    panel = window.feed_tab.panel
    window.feed_tab.show()
    assert window.status_label.text() == "5 unread entries"  # not the library's item count
    panel.select_entry(panel.model.rows[0].id)
    panel.star_button.click()
    assert panel.star_button.text() == "Unstar"
    panel.select_scope(FeedScope.feed(follow_ids(window)[1]))  # another feed: nothing selected
    assert not panel.star_button.isEnabled()
    assert (panel.star_button.text(), panel.read_button.text()) == ("Star", "Mark Read")
    qtbot.waitUntil(lambda: window.status_label.text() == "4 unread entries")
    window.tabs.setCurrentWidget(window.library_page)
    assert window.status_label.text() == f"{window.item_model.rowCount()} items"


def follow_ids(window: MainWindow) -> list[int]:
    return [f.id for f in window.services.feeds.store.feeds()]


def test_export_from_the_feeds_tab_offers_the_whole_library(window):
    topic = window.library.find_topic("Research focus")
    window.tree.select_topic(topic.id)
    ui = window.import_export_ui
    dialog = ui.export_dialog()
    assert dialog.topic == "Research focus"  # from the Library tab: the topic shown there
    dialog.deleteLater()
    window.feed_tab.show()
    dialog = ui.export_dialog()
    assert dialog.topic is None  # from the Feeds tab: no unrelated topic
    dialog.deleteLater()
