"""Feed entries as a feed reader shows them: LaTeX read as text, marks as badges, Starred with
its count, a topic's "N new" opening its inbox (real widgets offscreen, a real local server, an
invented arXiv RSS file)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QStyleOptionViewItem

from readerapp.core.feed_rules import WatchRule
from readerapp.core.feed_scope import FeedScope
from readerapp.gui.feed_panel import FeedPanel, WatchRulesDialog
from readerapp.qt.badges import BADGES_ROLE
from readerapp.qt.feed_models import TITLE
from readerapp.qt.topic_model import INBOX_BADGE
from tests.net.feed_server import Route, arxiv_rss_server

RSS = (Path(__file__).parents[1] / "fixtures" / "libfeatures" / "latex_rss.xml").read_bytes()


@pytest.fixture
def server(monkeypatch):
    with arxiv_rss_server(monkeypatch, {"/rss/cs.LG": Route(RSS)}) as s:
        yield s


@pytest.fixture
def panel(qtbot, server, services):
    widget = FeedPanel(services.feeds, services.library)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    services.feeds.add("arxiv:cs.LG")
    widget.reload()
    with qtbot.waitSignal(widget.poller.roundFinished, timeout=20000):
        widget.refresh_action.trigger()
    yield widget
    widget.poller.stop()


def badge_rect(view, delegate, index) -> QRect:
    """Where ``delegate`` draws the one badge of ``index`` in ``view``."""
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(index)
    ((_badge, rect),) = delegate.badge_rects(option, index)
    return rect


def row_of_title(panel: FeedPanel, start: str) -> int:
    texts = [panel.model.data(panel.model.index(r, TITLE)) for r in range(panel.model.rowCount())]
    return next(r for r, text in enumerate(texts) if text.startswith(start))


def test_titles_and_abstracts_show_latex_as_text(qtbot, panel, services):
    row = row_of_title(panel, "Learning")
    assert panel.model.data(panel.model.index(row, TITLE)) == (
        "Learning q-Functions with α-Divergences"
    )
    panel.select_entry(panel.model.rows[row].id)
    text = panel.preview.toPlainText()
    assert "Learning q-Functions with α-Divergences" in text
    assert "We bound the ℓ_1 error by 𝒪(√(n)) and gain 12% over the baseline;" in text
    assert "$" not in text and "footnote" not in text and "Invented for a test" not in text
    with qtbot.waitSignal(panel.libraryChanged):
        panel.add_button.click()
    item = services.library.find_by_arxiv_id("2612.00101")
    assert item.title == "Learning q-Functions with α-Divergences"
    assert item.abstract.startswith("We bound the ℓ_1 error by 𝒪(√(n))")


def test_a_new_version_is_a_badge_not_part_of_the_title(qtbot, panel):
    replaced = row_of_title(panel, "Sparse Probes")
    index = panel.model.index(replaced, TITLE)
    assert panel.model.data(index) == "Sparse Probes for Toy Transformers"
    assert panel.model.data(index, BADGES_ROLE) == [("version", "new v2", "#b35900")]
    assert panel.model.data(index, Qt.ItemDataRole.ToolTipRole).endswith("(new version v2)")
    cross = panel.model.index(row_of_title(panel, "A Plain Title"), TITLE)
    assert panel.model.data(cross) == "A Plain Title at 100% Strength & More"
    assert panel.model.data(cross, BADGES_ROLE)[0][1] == "cross-list"
    # Drawn at the cell's right end, whole, with the title elided before it.
    panel.show()
    qtbot.waitExposed(panel)
    rect = panel.table.visualRect(index)
    spot = badge_rect(panel.table, panel.table.itemDelegateForColumn(TITLE), index)
    assert rect.contains(spot) and spot.right() >= rect.right() - 8


def test_starred_shows_its_count(qtbot, panel):
    texts = lambda: [item.text(0) for item in panel._iter_sources()]  # noqa: E731
    assert "Starred (0)" in texts()
    panel.select_entry(panel.model.rows[0].id)
    panel.star_button.click()
    assert "Starred (1)" in texts()
    panel.star_button.click()
    assert "Starred (0)" in texts()


def test_topic_new_badge_opens_its_inbox_and_its_menu_reaches_the_rules(qtbot, server, window):
    services = window.services  # built after the server: its arXiv address is the server's
    topic = services.library.find_topic("Research focus/Interpretability")
    services.feeds.store.save_rule(WatchRule(topic.id, keywords=["sparse probes"]))
    services.feeds.add("arxiv:cs.LG")
    panel = window.feed_tab.panel
    panel.reload()
    with qtbot.waitSignal(panel.poller.roundFinished, timeout=20000):
        panel.refresh_action.trigger()
    qtbot.waitUntil(lambda: window.topic_model.inbox_count(topic.id) == 1)
    tree = window.tree
    index = window.topic_model.index_for_topic(topic.id)
    assert index.data(BADGES_ROLE) == [(INBOX_BADGE, "1 new", "#1565c0")]

    # A click on the badge (where the delegate draws it) brings the Feeds tab on the inbox.
    tree.scrollTo(index)
    spot = badge_rect(tree, tree.badges, index).center()
    qtbot.mouseMove(tree.viewport(), spot)  # a link: the pointer says so
    qtbot.waitUntil(lambda: tree.viewport().cursor().shape() == Qt.CursorShape.PointingHandCursor)
    qtbot.mouseMove(tree.viewport(), QPoint(spot.x(), tree.viewport().height() - 5))
    qtbot.waitUntil(lambda: tree.viewport().cursor().shape() == Qt.CursorShape.ArrowCursor)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    assert window.tabs.currentWidget() is window.feed_tab.page
    assert panel.current_scope() == FeedScope.topic(topic.id)
    assert [r.title for r in panel.model.rows] == ["Sparse Probes for Toy Transformers"]

    # Clicking the name beside it only selects the topic.
    window.tabs.setCurrentIndex(0)
    name_spot = QPoint(tree.visualRect(index).left() + 20, tree.visualRect(index).center().y())
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=name_spot)
    assert window.tabs.currentIndex() == 0

    menu = tree.context_menu(topic.id)
    texts = [a.text() for a in menu.actions()]
    assert "Show 1 New in Feeds" in texts and "Watch Rules…" in texts
    next(a for a in menu.actions() if a.text() == "Watch Rules…").trigger()
    dialog = panel.findChild(WatchRulesDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.topic.currentData() == topic.id and dialog.rules.count() == 1
    dialog.reject()


def test_match_when_is_per_topic_and_a_removed_rule_can_be_undone(qtbot, panel, services):
    topic = services.library.ensure_topic("Probing")
    counts = services.feeds.unread_match_counts
    dialog = panel.rules_dialog(topic.id)
    dialog.categories.setText("cs.LG")
    dialog.keywords.setText("sparse probes")
    dialog.add_rule()
    assert counts()[topic.id] == 3  # any one term: every cs.LG entry
    dialog.mode.setCurrentIndex(dialog.mode.findData("all"))
    assert counts()[topic.id] == 1  # a category and a keyword: only the probes paper
    dialog.categories.setText("stat.ML")
    dialog.add_rule()
    assert [r.mode for r in services.feeds.store.rules(topic.id)] == ["all", "all"]

    dialog.rules.setCurrentRow(0)
    dialog.remove.click()
    assert dialog.rules.count() == 1 and dialog.undo.isVisible()
    assert counts().get(topic.id, 0) == 1  # stat.ML: the cross-listed paper
    dialog.undo.click()
    assert dialog.rules.count() == 2 and not dialog.undo.isVisible()
    assert counts()[topic.id] == 2
    dialog.reject()
    assert f"Probing ({counts()[topic.id]})" in [i.text(0) for i in panel._iter_sources()]


def test_undoing_a_topic_deletion_brings_back_its_watch_rules_inbox_and_feeds(qtbot, window):
    import feedparser

    from readerapp.core.feed_entries import normalise_feed

    services = window.services
    store = services.feeds.store
    topic = services.library.ensure_topic("Probing")
    feed = services.feeds.add("arxiv:cs.LG", topic_path="Probing")
    store.ingest(feed.id, normalise_feed(feedparser.parse(RSS)).entries)
    store.save_rule(WatchRule(topic.id, keywords=["sparse probes"]))
    inbox = services.feeds.unread_match_counts()
    assert inbox[topic.id] == 1
    window.refresh()

    window.delete_topic(topic.id)
    assert store.rules(topic.id) == [] and topic.id not in services.feeds.unread_match_counts()
    assert store.feed(feed.id).topic_id is None
    window.undo_action.trigger()
    assert [r.keywords for r in store.rules(topic.id)] == [["sparse probes"]]
    assert services.feeds.unread_match_counts() == inbox
    assert store.feed(feed.id).topic_id == topic.id
    assert window.topic_model.inbox_count(topic.id) == 1
    window.redo_action.trigger()
    assert store.rules(topic.id) == []
