"""The main window's "Feeds" tab: the feed panel, its background poller, and the notification
of new matches (system tray when there is one, else the status bar).

Kept out of the main window class, like the reading tabs, so the window stays a thin assembly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QSystemTrayIcon, QTabWidget

from readerapp.gui.feed_panel import FeedPanel
from readerapp.qt.feed_poller import FeedPoller

if TYPE_CHECKING:
    from readerapp.gui.main_window import MainWindow


class FeedTab(QObject):
    """Adds the feed panel as a tab of ``window.tabs`` and starts polling on schedule."""

    countsChanged = Signal()  # inbox counts changed: services.feeds.unread_match_counts()

    def __init__(self, window: MainWindow, tabs: QTabWidget, *, poll: bool = True) -> None:
        super().__init__(window)
        self.window = window
        self.tabs = tabs
        services = window.services
        self.poller = FeedPoller(services.feeds, self)
        self.panel = FeedPanel(
            services.feeds,
            services.library,
            self.poller,
            undo_stack=window.undo_stack,
        )
        index = tabs.insertTab(1, self.panel, self.panel.title)
        tabs.tabBar().setTabButton(index, tabs.tabBar().ButtonPosition.RightSide, None)
        self._tray: QSystemTrayIcon | None = None

        self.show_action = QAction("&Feeds", window)
        self.show_action.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.show_action.triggered.connect(self.show)
        window.view_menu.addAction(self.show_action)
        window.addAction(self.show_action)

        self.panel.message.connect(lambda text: window.statusBar().showMessage(text, 8000))
        self.panel.linkActivated.connect(window.open_url)
        tabs.currentChanged.connect(self._tab_changed)
        self.panel.libraryChanged.connect(self._library_changed)
        self.panel.itemAdded.connect(self._item_added)
        self.panel.countsChanged.connect(self.countsChanged)
        self.poller.roundFinished.connect(self._round_finished)
        if poll:
            self.poller.start()

    def show(self) -> None:
        self.tabs.setCurrentWidget(self.panel)

    def show_topic_inbox(self, topic_id: int) -> None:
        """Bring the Feeds tab forward on the topic's inbox (its rules, if it has none yet)."""
        self.show()
        self.panel.show_topic_inbox(topic_id)

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.panel:  # counts may have moved while it was hidden
            self.panel.reload()

    def close(self) -> None:
        self.poller.stop()
        if self._tray is not None:
            self._tray.hide()

    def _library_changed(self) -> None:
        self.window.refresh()

    def _item_added(self, item_id: int) -> None:
        """An arXiv paper added from a feed gets the API's full metadata (comment, first
        version's date, ...) and, if wanted, its PDF, through the papers' own queue, which
        retries both later when offline."""
        if self.window.paper_ui is None:  # not installed yet: its queue retries pending items
            return
        tasks = self.window.paper_ui.tasks
        item = self.window.services.library.item(item_id)
        if item is None or not item.arxiv_id:
            return
        tasks.service.state.mark_pending(item.id, metadata=True)
        if self.panel.download_on_add and not item.pdf_path:
            tasks.download_pdf(item)
        tasks.retry_pending()

    def _round_finished(self, report) -> None:
        self.countsChanged.emit()
        if report.new_matches:
            self.notify(report.new_matches)

    def notify(self, count: int) -> str:
        """Tell the user how many new entries match their topics; returns the sentence."""
        text = f"{count} new feed {'entry matches' if count == 1 else 'entries match'} your topics."
        if QSystemTrayIcon.isSystemTrayAvailable():
            if self._tray is None:
                self._tray = QSystemTrayIcon(self.window.windowIcon(), self)
                self._tray.messageClicked.connect(self.show)
            self._tray.show()
            self._tray.showMessage("readerapp", text)
        else:
            self.window.statusBar().showMessage(text, 15000)
        return text
