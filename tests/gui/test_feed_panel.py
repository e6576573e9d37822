"""The feed panel with real widgets offscreen, a real server and a day of arXiv RSS as large as a\nreal multi-category one."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from readerapp.core.feed_rules import WatchRule
from readerapp.core.feed_scope import ALL_ENTRIES, STARRED, FeedScope
from readerapp.gui.feed_panel import AddFeedDialog, FeedPanel, WatchRulesDialog
from readerapp.gui.safe_text_browser import SafeTextBrowser
from readerapp.qt.badges import BADGES_ROLE
from readerapp.qt.feed_models import TITLE
from tests.feed_samples import LARGE_FEED_SIZE, large_arxiv_rss
from tests.net.feed_server import Route, feed_server

RSS = large_arxiv_rss()
N = LARGE_FEED_SIZE


@pytest.fixture
def server(monkeypatch):
    with feed_server() as s:
        monkeypatch.setenv("READERAPP_ARXIV_RSS", s.url("/rss/"))
        s.routes["/rss/cs"] = Route(RSS, etag='"d1"')
        yield s


@pytest.fixture
def panel(qtbot, server, services):
    widget = FeedPanel(services.feeds, services.library)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    yield widget
    widget.poller.stop()


def source_texts(panel: FeedPanel) -> list[str]:
    return [item.text(0) for item in panel._iter_sources()]


def refresh_and_wait(qtbot, panel: FeedPanel) -> object:
    with qtbot.waitSignal(panel.poller.roundFinished, timeout=20000) as blocker:
        panel.refresh_action.trigger()
    return blocker.args[0]


def test_refresh_fills_feed_and_inbox_with_counts_and_reasons(qtbot, panel, services):
    topic = services.library.ensure_topic("Research focus/Robots")
    services.feeds.store.save_rule(WatchRule(topic.id, categories=["cs.RO"]))
    feed = services.feeds.add("arxiv:cs")
    panel.reload()
    assert "arXiv cs (0)" in source_texts(panel)
    report = refresh_and_wait(qtbot, panel)
    assert report.new_entries == N and not report.errors
    inbox = services.feeds.unread_match_counts()[topic.id]
    assert f"arXiv cs ({N})" in source_texts(panel)
    assert f"Robots ({inbox})" in source_texts(panel)
    panel.select_scope(FeedScope.topic(topic.id))
    first = panel.model.index(0, 5)
    assert panel.model.data(first) == "Robots"
    assert "category: cs.RO" in panel.model.data(first, Qt.ItemDataRole.ToolTipRole)
    panel.select_scope(FeedScope.feed(feed.id))
    assert panel.state_label.text().startswith("Updated just now")
    assert panel.model.rowCount() == 100 and panel.model.canFetchMore()
    panel.table.scrollToBottom()
    qtbot.waitUntil(lambda: panel.model.rowCount() > 100)


def test_reading_starring_and_mark_all_read(qtbot, panel, services):
    feed = services.feeds.add("arxiv:cs")
    refresh_and_wait(qtbot, panel)
    panel.select_scope(FeedScope.feed(feed.id))
    entry_id = panel.model.rows[0].id
    assert panel.select_entry(entry_id)
    qtbot.waitUntil(lambda: f"arXiv cs ({N - 1})" in source_texts(panel))  # the preview read it
    html = panel.preview.toHtml()
    assert "Announce Type" not in html and panel.model.rows[0].title[:30] in html
    panel.toggle_read()
    assert f"arXiv cs ({N})" in source_texts(panel)
    panel.star_button.click()
    assert panel.model.data(panel.model.index(0, 0)) == "★"
    panel.select_scope(STARRED)
    assert [r.id for r in panel.model.rows] == [entry_id]
    panel.select_scope(FeedScope.feed(feed.id))
    panel.mark_all_action.trigger()
    assert "arXiv cs (0)" in source_texts(panel)
    assert not panel.model.data(panel.model.index(3, TITLE), Qt.ItemDataRole.FontRole)


def test_add_to_library_under_the_matching_topic(qtbot, panel, services):
    topic = services.library.ensure_topic("Robots")
    services.feeds.store.save_rule(WatchRule(topic.id, categories=["cs.RO"]))
    services.feeds.add("arxiv:cs")
    refresh_and_wait(qtbot, panel)
    panel.select_scope(FeedScope.topic(topic.id))
    row = panel.model.rows[0]
    panel.select_entry(row.id)
    with qtbot.waitSignal(panel.libraryChanged):
        panel.add_button.click()
    item = services.library.find_by_arxiv_id(services.feeds.store.entry(row.id).entry.arxiv_id)
    assert item is not None and services.library.item_topic_ids(item.id) == [topic.id]
    badges = panel.model.data(panel.model.index(0, TITLE), BADGES_ROLE)
    assert ("library", "✓ in library", "#2e7d32") in badges
    assert "In your library" in panel.preview.toPlainText()
    assert not panel.add_button.isEnabled()
    texts = [a.text() for a in panel.entry_menu().actions()]
    assert texts[:2] == ["Add to Library", "Add Under"] and "Star" in texts


def test_a_failing_feed_says_why_and_keeps_its_entries(qtbot, panel, services, server):
    feed = services.feeds.add("arxiv:cs")
    refresh_and_wait(qtbot, panel)
    server.routes["/rss/cs"] = Route(b"<!doctype html><html></html>", content_type="text/html")
    services.feeds.store.conn.execute("UPDATE feeds SET etag = NULL")
    panel.select_scope(FeedScope.feed(feed.id))
    report = refresh_and_wait(qtbot, panel)
    assert report.errors[0].error == "Not a feed: this is an HTML page."
    assert panel.state_label.text().startswith("Failed: Not a feed: this is an HTML page.")
    assert f"⚠ arXiv cs ({N})" in source_texts(panel)
    assert panel.model.rowCount() == 100


def test_preview_is_sanitized_and_loads_nothing(qtbot, panel, services):
    from readerapp.core.feed_entries import FeedEntry

    feed = services.feeds.store.add_feed("url", "https://blog.example/feed")
    evil = FeedEntry(
        key="guid:1",
        title="Post",
        summary='<p>Hello<script>alert(1)</script><img src="https://t.example/p.gif" alt="pic">'
        '<a href="javascript:x()">bad</a></p>',
        summary_is_html=True,
    )
    services.feeds.store.ingest(feed.id, [evil])
    panel.reload()
    panel.select_scope(FeedScope.feed(feed.id))
    panel.select_entry(panel.model.rows[0].id)
    html = panel.preview.toHtml()
    assert "alert" not in html and "t.example" not in html and "javascript" not in html
    assert "[pic]" in panel.preview.toPlainText()
    assert isinstance(panel.preview, SafeTextBrowser)  # and loads nothing (test_notes_preview)


def test_add_feed_dialog_keeps_a_bad_entry_open_with_a_sentence(qtbot, services):
    dialog = AddFeedDialog(services.feeds, services.library)
    qtbot.addWidget(dialog)
    dialog.spec.setText("arxiv:cs.NOPE")
    dialog.accept()
    assert dialog.result() == 0 and "no category" in dialog.error.text()
    dialog.category.setCurrentIndex(dialog.category.findData("cs.LG"))
    assert dialog.spec.text() == "arxiv:cs.LG"
    dialog.accept()
    assert dialog.feed is not None and dialog.feed.source == "cs.LG"


def test_watch_rules_dialog_adds_and_removes(qtbot, services):
    topic = services.library.ensure_topic("Interp")
    dialog = WatchRulesDialog(services.feeds, services.library, topic.id)
    qtbot.addWidget(dialog)
    dialog.add_rule()
    assert "at least one" in dialog.error.text()
    dialog.categories.setText("cs.lg, cs.NOPE")
    dialog.add_rule()
    assert "no category “cs.NOPE”" in dialog.error.text()
    dialog.categories.setText("")
    dialog.keywords.setText("induction heads, grokking")
    dialog.authors.setText("Neel Nanda")
    rule = dialog.add_rule()
    assert rule is not None and rule.keywords == ["induction heads", "grokking"]
    assert dialog.rules.count() == 1 and "induction heads" in dialog.rules.item(0).text()
    dialog.rules.setCurrentRow(0)
    dialog.remove.click()
    assert dialog.rules.count() == 0 and services.feeds.store.rules(topic.id) == []


def test_all_entries_scope_is_the_default(qtbot, panel):
    assert panel.current_scope() == ALL_ENTRIES
    assert "All entries (0)" in source_texts(panel)


def test_main_window_has_a_feeds_tab_that_catches_up_and_notifies(qtbot, server, home):
    from readerapp.app import open_services
    from readerapp.gui.main_window import MainWindow

    services = open_services(str(home))
    topic = services.library.ensure_topic("Robots")
    services.feeds.store.save_rule(WatchRule(topic.id, categories=["cs.RO"]))
    services.feeds.add("arxiv:cs")  # never fetched: due at start-up
    win = MainWindow(services)
    qtbot.addWidget(win)
    try:
        with qtbot.waitSignal(win.feed_tab.poller.roundFinished, timeout=20000) as blocker:
            win.show()
        matches = blocker.args[0].new_matches
        assert matches == services.feeds.unread_match_counts()[topic.id] > 0
        assert win.statusBar().currentMessage() == (
            f"{matches} new feed entries match your topics."
        )
        assert win.tabs.tabText(1) == "Feeds"
        win.feed_tab.show_action.trigger()
        assert win.tabs.currentWidget() is win.feed_tab.page
        assert f"arXiv cs ({N})" in source_texts(win.feed_tab.panel)
        assert len(server.hits("/rss/cs")) == 1
    finally:
        win.close()
        services.close()


def test_f5_refreshes_and_edit_feed_dialog_saves(qtbot, panel, services):
    from readerapp.gui.feed_panel import EditFeedDialog

    feed = services.feeds.store.add_feed("url", panel_url := "https://blog.example/x")
    services.feeds.add("arxiv:cs")
    panel.reload()
    services.feeds.store.update_feed(feed.id, paused=1)  # only arXiv cs is fetched
    # F5 is the panel's refresh key (key delivery itself needs an active window, which the
    # offscreen platform does not always grant).
    assert panel.refresh_action.shortcut() == QKeySequence("F5")
    assert panel.refresh_action in panel.actions()
    with qtbot.waitSignal(panel.poller.roundFinished, timeout=20000):
        panel.refresh_action.trigger()
    assert f"arXiv cs ({N})" in source_texts(panel)
    topic = services.library.ensure_topic("Blogs")
    dialog = EditFeedDialog(services.feeds, services.library, services.feeds.store.feed(feed.id))
    qtbot.addWidget(dialog)
    dialog.title.setText("A good blog")
    dialog.topic.setCurrentIndex(dialog.topic.findData(topic.id))
    dialog.interval.setValue(240)
    dialog.accept()
    saved = services.feeds.store.feed(feed.id)
    assert (saved.title, saved.topic_id, saved.interval_minutes) == ("A good blog", topic.id, 240)
    assert saved.source == panel_url


def test_adding_an_arxiv_entry_from_the_window_downloads_its_pdf(qtbot, server, home, monkeypatch):
    import pymupdf

    from readerapp.app import open_services
    from readerapp.gui.main_window import MainWindow

    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "A robot paper")
    pdf = doc.tobytes()
    monkeypatch.setenv("READERAPP_ARXIV_PDF", server.url("/pdf/"))
    monkeypatch.setenv("READERAPP_ARXIV_API", server.url("/api/query"))
    services = open_services(str(home))
    topic = services.library.ensure_topic("Robots")
    services.feeds.store.save_rule(WatchRule(topic.id, categories=["cs.RO"]))
    services.feeds.add("arxiv:cs")
    win = MainWindow(services)
    qtbot.addWidget(win)
    try:
        with qtbot.waitSignal(win.feed_tab.poller.roundFinished, timeout=20000):
            win.show()
        panel = win.feed_tab.panel
        win.feed_tab.show()
        panel.select_scope(FeedScope.topic(topic.id))
        row = panel.model.rows[0]
        entry = services.feeds.store.entry(row.id).entry
        server.routes[f"/pdf/{entry.arxiv_id}v{entry.version}"] = Route(
            pdf, content_type="application/pdf"
        )
        server.routes["/api/query"] = Route(atom_for(entry), content_type="application/atom+xml")
        panel.select_entry(row.id)
        assert panel.download_on_add
        panel.add_button.click()
        item = services.library.find_by_arxiv_id(entry.arxiv_id)
        assert services.library.item_topic_ids(item.id) == [topic.id]
        qtbot.waitUntil(lambda: services.library.item(item.id).pdf_path is not None, timeout=20000)
        assert services.files.absolute(services.library.item(item.id).pdf_path).exists()
        # The API's metadata arrives too: this comment is only in the API's answer.
        qtbot.waitUntil(
            lambda: services.library.item(item.id).comment == "12 pages, from the API",
            timeout=20000,
        )
    finally:
        win.close()
        services.close()


def atom_for(entry) -> bytes:
    """A one-entry arXiv API answer for ``entry`` (current format)."""
    from xml.sax.saxutils import escape

    authors = "".join(f"<author><name>{escape(a)}</name></author>" for a in entry.authors)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom"
 xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
<title>arXiv Query</title><id>https://arxiv.org/api/x</id>
<opensearch:totalResults>1</opensearch:totalResults>
<entry><id>http://arxiv.org/abs/{entry.arxiv_id}v{entry.version}</id>
<updated>2024-11-27T10:00:00Z</updated><published>2024-06-01T10:00:00Z</published>
<title>{escape(entry.title)}</title><summary>{escape(entry.summary)}</summary>{authors}
<arxiv:comment>12 pages, from the API</arxiv:comment>
<category term="cs.RO" scheme="http://arxiv.org/schemas/atom"/>
<arxiv:primary_category term="cs.RO"/>
</entry></feed>""".encode()


def test_poller_fetches_only_due_feeds(qtbot, server, services):
    from datetime import UTC, datetime

    from readerapp.core.feed_schedule import format_time
    from readerapp.qt.feed_poller import FeedPoller

    fresh = services.feeds.add("arxiv:cs")
    stamp = format_time(datetime.now(UTC))
    with services.db.transaction() as conn:  # fetched after arXiv's latest update: not due
        conn.execute(
            "UPDATE feeds SET last_attempt = ?, last_success = ? WHERE id = ?",
            (stamp, stamp, fresh.id),
        )
    poller = FeedPoller(services.feeds)
    try:
        with qtbot.waitSignal(poller.startup.timeout):
            poller.start()
        assert not poller.busy and server.hits("/rss/cs") == []
        services.feeds.add("arxiv:cs.LG")  # never fetched: due
        server.routes["/rss/cs.LG"] = Route(RSS)
        with qtbot.waitSignal(poller.roundFinished, timeout=20000) as blocker:
            poller.timer.timeout.emit()
        assert [r.title for r in blocker.args[0].results] == ["arXiv cs.LG"]
        assert server.hits("/rss/cs") == []
    finally:
        poller.stop()
