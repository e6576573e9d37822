"""Adding a web page's address in the Add Feed dialog follows a feed the page names, asking
which one when there are several (a real server on 127.0.0.1, the real dialogs offscreen)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog

from readerapp.gui.feed_panel import AddFeedDialog
from readerapp.gui.main_window import MainWindow
from tests.net.hostile_answers import RSS_TYPE, html_page, rss
from tests.net.server import Reply, ScriptedServer


def test_the_add_feed_dialog_asks_which_feed_when_a_page_names_several(
    qtbot, window: MainWindow
) -> None:
    def pick_the_second() -> None:
        ask = QApplication.activeModalWidget()
        if not isinstance(ask, QInputDialog):
            QTimer.singleShot(20, pick_the_second)
            return
        ask.setTextValue(ask.comboBoxItems()[1])
        ask.accept()

    with ScriptedServer() as server:
        page = html_page("/feed.xml", "/comments.atom")
        server.route("/", Reply(200, page, {"Content-Type": "text/html"}))
        server.route("/comments.atom", Reply(200, rss("Comments"), RSS_TYPE))
        dialog = AddFeedDialog(window.services.feeds, window.services.library, window)
        qtbot.addWidget(dialog)
        dialog.spec.setText(server.url("/"))
        QTimer.singleShot(0, pick_the_second)
        dialog.accept()
        qtbot.waitUntil(lambda: dialog.feed is not None, timeout=10000)
    assert dialog.feed.source == server.url("/comments.atom")
