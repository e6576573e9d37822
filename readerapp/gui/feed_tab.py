"""The main window's "Feeds" tab: the feed panel, its background poller, and the notification
of new matches (system tray when there is one, else the status bar).

Kept out of the main window class, like the reading tabs, so the window stays a thin assembly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QSystemTrayIcon, QTabWidget, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QShowEvent

    from readerapp.gui.feed_panel import FeedPanel
    from readerapp.gui.main_window import MainWindow
    from readerapp.qt.feed_poller import FeedPoller


class FeedsPage(QWidget):
    """The Feeds tab's page. The feed panel is built into it when the tab first comes to the
    front, or when something first asks for the panel: its module and widgets are ~25 ms that a
    launch need not wait for (``python -m benchmarks peers``, whole window ready)."""

    title = "Feeds"  # the tab's text and, while it is in front, the window's title

    def __init__(self, build: Callable[[], FeedPanel]) -> None:
        super().__init__()
        self.setObjectName("feedsPage")
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)
        self._build = build
        self._panel: FeedPanel | None = None
        self.built_by_showing = False  # built for the showing under way: it has just loaded

    @property
    def built(self) -> bool:
        return self._panel is not None

    @property
    def panel(self) -> FeedPanel:
        if self._panel is None:
            self._panel = self._build()
            layout = self.layout()
            assert layout is not None  # made in __init__
            layout.addWidget(self._panel)
            # Its page's size now, not at the next layout pass: the panel shares its width
            # among its panes when first shown. And shown now, with the page (a child added to
            # a shown page would stay hidden).
            self._panel.setGeometry(self.contentsRect())
            self._panel.show()
        return self._panel

    def status_text(self) -> str:
        return self.panel.status_text()

    def take_focus(self) -> None:
        self.panel.take_focus()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        if self._panel is None:
            self.built_by_showing = True
            self.panel  # noqa: B018 (built by being asked for)
        super().showEvent(event)


class FeedTab(QObject):
    """Adds the Feeds tab to ``window.tabs``; polls the feeds on schedule from
    :meth:`start_watching` (background work, started once the window is ready)."""

    countsChanged = Signal()  # inbox counts changed: services.feeds.unread_match_counts()

    def __init__(self, window: MainWindow, tabs: QTabWidget, *, poll: bool = True) -> None:
        super().__init__(window)
        self.window = window
        self.tabs = tabs
        self._poll = poll
        self._poller: FeedPoller | None = None
        self.page = FeedsPage(self._build_panel)
        index = tabs.insertTab(1, self.page, self.page.title)
        tabs.tabBar().setTabButton(index, tabs.tabBar().ButtonPosition.RightSide, None)
        self._tray: QSystemTrayIcon | None = None

        self.show_action = QAction("&Feeds", window)
        self.show_action.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.show_action.triggered.connect(self.show)
        window.view_menu.addAction(self.show_action)
        window.addAction(self.show_action)

        tabs.currentChanged.connect(self._tab_changed)

    @property
    def poller(self) -> FeedPoller:
        """The feed watcher, made when the watch starts, the panel is built or feeds are
        imported, whichever comes first."""
        if self._poller is None:
            from readerapp.qt.feed_poller import FeedPoller

            self._poller = FeedPoller(self.window.services.feeds, self)
            self._poller.roundFinished.connect(self._round_finished)
        return self._poller

    def start_watching(self) -> None:
        """Poll the feeds on schedule (unless made with ``poll=False``)."""
        if self._poll:
            self.poller.start()

    @property
    def panel(self) -> FeedPanel:
        """The feed panel, built now if it was not yet."""
        return self.page.panel

    def _build_panel(self) -> FeedPanel:
        from readerapp.gui.feed_panel import FeedPanel

        window = self.window
        panel = FeedPanel(
            window.services.feeds,
            window.services.library,
            self.poller,
            undo_stack=window.undo_stack,
        )
        panel.message.connect(lambda text: window.statusBar().showMessage(text, 8000))
        panel.linkActivated.connect(window.open_url)
        panel.libraryChanged.connect(self._library_changed)
        panel.itemAdded.connect(self._item_added)
        panel.countsChanged.connect(self.countsChanged)
        return panel

    def show(self) -> None:
        self.tabs.setCurrentWidget(self.page)

    def feeds_added(self) -> None:
        """Feeds came from elsewhere (an OPML import): fetched now, listed when the tab shows."""
        if self.page.built:
            self.panel.feeds_added()
        else:
            self.poller.refresh_due()

    def show_topic_inbox(self, topic_id: int) -> None:
        """Bring the Feeds tab forward on the topic's inbox (its rules, if it has none yet)."""
        self.show()
        self.panel.show_topic_inbox(topic_id)

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is not self.page:
            return
        if self.page.built_by_showing:  # it has just loaded everything
            self.page.built_by_showing = False
        else:
            self.panel.reload()  # counts may have moved while it was hidden

    def close(self) -> None:
        if self._poller is not None:
            self._poller.stop()
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
