"""The main window: topic tree | item list | details pane, in the first tab of ``self.tabs``."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from readerapp.app import Services
from readerapp.core.errors import UserError
from readerapp.gui import library_commands as cmd
from readerapp.gui.tab_page import TabPage
from readerapp.gui.typed_widgets import application, named
from readerapp.qt.shown_as_written import plain_text
from readerapp.services import settings
from readerapp.services.library import ALL_ITEMS

log = logging.getLogger(__name__)

FEATURES_FALLBACK_MS = 1500
OUTSIDE_CHANGES_MS = 500  # how often to look for changes made by other processes (cheap)
FIRST_ROWS = 200  # items listed before the first paint: more than any screen shows at once
FEATURES_RETRY_MS = 20
APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)  # resources/icons/readerapp-N.png
SESSION_SAVE_MS = 1000  # the open tabs are saved this long after they last changed
# The library's panes (tree | list | details): their shares of the width, and their minimums.
LIBRARY_PANES = ([0.2, 0.48, 0.32], [180, 300, 230])
DETAILS_PANE = 2  # its index in the library's splitter

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent  # only a type here; its class comes with the event

    from readerapp.gui.annotation_actions import AnnotationActions
    from readerapp.gui.backups_dialog import BackupActions
    from readerapp.gui.details_pane import DetailsPane
    from readerapp.gui.empty_state import EmptyStateHint
    from readerapp.gui.feed_tab import FeedTab
    from readerapp.gui.import_export import ImportExportActions
    from readerapp.gui.item_list import ItemListView
    from readerapp.gui.item_menu import ItemMenu
    from readerapp.gui.paper_actions import PaperActions
    from readerapp.gui.pdf_tab import PdfTab
    from readerapp.gui.pdf_tabs import PdfTabs
    from readerapp.gui.reading_menu import ReadingMenu
    from readerapp.gui.search_ui import SearchUi
    from readerapp.gui.shortcuts_dialog import ShortcutsHelp
    from readerapp.gui.topic_tree import TopicTreeView
    from readerapp.qt.item_model import ItemTableModel
    from readerapp.qt.link_opener import LinkOpener
    from readerapp.qt.topic_model import TopicTreeModel
    from readerapp.services.viewer_state import Session


class _FirstPaint(QObject):
    """Calls ``then`` on the event-loop turn after ``window`` first paints, then removes itself."""

    def __init__(self, window: QMainWindow, then: Callable[[], None]) -> None:
        super().__init__(window)
        self.window, self.then = window, then
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.window and event.type() == QEvent.Type.Paint:
            self.window.removeEventFilter(self)
            QTimer.singleShot(0, self.then)  # after this paint has reached the screen
        return False


class MainWindow(QMainWindow):
    """Wires the panes to the library service; every edit goes through the undo stack.

    The library panes are built at once; the features that pull in PyMuPDF, feedparser and
    httpx (reading tabs, feeds, arXiv, import/export, search) are installed by
    :meth:`install_features`. With ``defer_features`` they arrive one per event-loop turn after
    the window's first paint (a paper being drawn goes first), so start-up shows the library
    without waiting for them; opening a paper installs only the reading tabs it needs. Their
    background work (the feed watch, the PDF text indexer) starts once they are all in.

    Started with ``papers`` (a file manager's "Open with") or a session with a paper in front,
    the window opens them first and, with ``defer_features``, builds the library panes (hidden
    behind the paper) when the Library tab first comes to the front; the pane attributes
    (``tree``, ``items``, ``details``, ...) build them on first use, and features that need them
    wait with :meth:`when_library_built`, so nothing has to wait for that.
    """

    featuresReady = Signal()
    # An error nothing caught, as a sentence; emitted from any thread, shown in the GUI thread.
    unexpectedError = Signal(str)

    def __init__(
        self,
        services: Services,
        *,
        defer_features: bool = False,
        remember_state: bool = True,
        papers: list[str] | None = None,
        log_folder: Path | None = None,
    ) -> None:
        super().__init__()
        self.services = services
        self.log_folder = log_folder  # Help -> Open Log Folder; None: no log is written
        self.unexpectedError.connect(self._show_unexpected_error)
        self.remember_state = remember_state
        self.library = services.library
        self.setWindowTitle("readerapp")
        self.setObjectName("mainWindow")
        self.setMinimumSize(720, 500)  # below this the panes cannot show their content
        self.undo_stack = QUndoStack(self)
        self.current_topic: int = ALL_ITEMS
        self._items_loaded_for: int | None = None  # the topic whose items the list shows
        # The papers open when the app last closed come back, unless it was given some.
        session = services.viewer.session() if remember_state and not papers else None
        paper_in_front = bool(papers) or (session is not None and session.current >= 0)
        self._first_screenful_only = defer_features and not paper_in_front
        # The library's first paint shows its tree and list; the details pane follows. Built
        # later (a paper in front), the library comes whole.
        self._details_after_paint = defer_features and not paper_in_front
        self._closed = False
        self._focus_placed = False
        self._library_built = False
        self._library_waiters: list[Callable[[], object]] = []  # see when_library_built
        self._feeds_watched = False  # see _start_feed_watch
        self._details: DetailsPane | None = None  # built by _build_details
        self.empty_list_hint: EmptyStateHint | None = None
        self._item_menu: ItemMenu | None = None  # the item list's copy/open entries, on first use

        # The Library tab's page; the tree, list and details go into it in _ensure_library.
        self.library_page = named(QWidget(), "libraryPage")
        QVBoxLayout(self.library_page).setContentsMargins(0, 0, 0, 0)
        self.tabs = named(QTabWidget(), "tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.addTab(self.library_page, "Library")
        self.tabs.tabBar().setTabButton(0, self.tabs.tabBar().ButtonPosition.RightSide, None)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.tabs.currentChanged.connect(self._tab_changed)
        # The session is kept as it changes, not only at quit: a logout or a crash keeps it too.
        self._session_timer = QTimer(self, singleShot=True, interval=SESSION_SAVE_MS)
        self._session_timer.timeout.connect(self._save_session)
        self.tabs.currentChanged.connect(lambda _index: self._session_changed())
        self.tabs.tabBar().tabMoved.connect(lambda _a, _b: self._session_changed())
        self.pdf_tabs: PdfTabs | None = None
        self._links: LinkOpener | None = None  # built on the first link followed
        # The features, each installed by its _install_* step (after the first paint when
        # deferred): None until then. They reach the window only through its public methods.
        self.feed_tab: FeedTab | None = None
        self.paper_ui: PaperActions | None = None
        self.import_export_ui: ImportExportActions | None = None
        self.backup_ui: BackupActions | None = None
        self.search_ui: SearchUi | None = None
        self.annotation_ui: AnnotationActions | None = None
        self.reading_menu: ReadingMenu | None = None
        self.shortcuts: ShortcutsHelp | None = None
        self.features_ready = False
        self.setAcceptDrops(True)
        self.setCentralWidget(self.tabs)
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)

        self._build_actions()
        self._build_menus()
        self._restore_geometry()
        # The command line, an import or a second window may change the library at any time:
        # what they did shows within a second, without F5.
        self.outside_changes = services.changes
        self._outside_timer = QTimer(self, interval=OUTSIDE_CHANGES_MS)
        self._outside_timer.timeout.connect(self.check_outside_changes)
        self._outside_timer.start()
        if papers:
            self.open_files(papers)
        elif session is not None and session.papers:
            self._restore_session(session)
        library_in_front = self.tabs.currentWidget() is self.library_page  # no paper opened?
        if not (defer_features and paper_in_front) or library_in_front:
            self._ensure_library()
        else:  # what the library showed last: Ctrl+N and dropped files go there meanwhile
            self.current_topic = self._remembered_topic()
        # With a paper in front, the Library tab is built when it first comes to the front (or
        # something needs its panes), like the Feeds tab's panel.
        self._feature_steps: list[Callable[[], object]] = [self._install_app_icon]
        if self._library_built:
            self._feature_steps += [
                self._build_details,
                self._install_empty_list_hint,
                lambda: self.item_model.complete(),  # the items below the first screenful
            ]
        self._feature_steps += [
            self.reading_tabs,
            self._install_annotations,
            self._install_feeds,
            self._install_papers,
            self._install_import_export,
            self._install_backups,
            self._install_about,
            self._install_search,
            self._install_help,
        ]
        # Work in the background, started once every tab and menu is in: the window is ready
        # for the reader first (with deferred features, one per event-loop turn after that).
        self._background_steps: list[Callable[[], object]] = [
            self._start_feed_watch,
            self._start_search_indexer,
        ]
        if defer_features:
            # Installed right after the first paint; the timer is the fallback for a window
            # that is never shown. The filter goes away once it has fired.
            self._first_paint = _FirstPaint(self, self._install_features_stepwise)
            QTimer.singleShot(FEATURES_FALLBACK_MS, self._install_features_stepwise)
        else:
            self.install_features()

    # ---- the library panes --------------------------------------------------------------------
    @property
    def topic_model(self) -> TopicTreeModel:
        self._ensure_library()
        return self._topic_model

    @property
    def item_model(self) -> ItemTableModel:
        self._ensure_library()
        return self._item_model

    @property
    def tree(self) -> TopicTreeView:
        self._ensure_library()
        return self._tree

    @property
    def items(self) -> ItemListView:
        self._ensure_library()
        return self._items

    @property
    def details(self) -> DetailsPane:
        self._ensure_library()
        if self._details is None:
            self._build_details()
        assert self._details is not None
        return self._details

    @property
    def splitter(self) -> QSplitter:
        self._ensure_library()
        return self._splitter

    def _ensure_library(self) -> None:
        """Build the topic tree, the item list and the details pane, once, and fill them."""
        if self._library_built:
            return
        self._library_built = True
        from readerapp.gui.item_list import ItemListView
        from readerapp.gui.layout import set_shares
        from readerapp.gui.topic_tree import TopicTreeView
        from readerapp.qt.item_model import ItemTableModel
        from readerapp.qt.topic_model import TopicTreeModel

        self._topic_model = TopicTreeModel(self)
        self._item_model = ItemTableModel(self)
        self._tree = TopicTreeView(self._topic_model)
        self._items = ItemListView(self._item_model)
        # At a launch the details pane comes right after the first paint (its editors are
        # ~15 ms of a start-up); until then an empty pane holds its place and size.
        self._splitter = named(QSplitter(Qt.Orientation.Horizontal), "librarySplitter")
        for pane in (self._tree, self._items, QWidget()):
            self._splitter.addWidget(pane)
        # Shares of the window, not fixed pixels: at 1024 px the list keeps its columns, on a
        # 4K screen the tree and details are not left narrow; no pane is squeezed below its
        # minimum when the Downloads dock opens beside them.
        set_shares(self._splitter, max(self.width(), 800), *LIBRARY_PANES)
        page_layout = self.library_page.layout()
        assert page_layout is not None  # set when the page was made
        page_layout.addWidget(self._splitter)
        self._splitter.show()  # now, if the page is showing already (a child added stays hidden)
        self._connect()
        self._restore_library_state()
        if not self._details_after_paint:
            self._build_details()
        if self._feeds_watched:
            self._tree.install_feeds()
        self.refresh()
        self._restore_selected_item()
        if not self._details_after_paint:
            self._install_empty_list_hint()
        waiters, self._library_waiters = self._library_waiters, []
        for callback in waiters:
            callback()

    def _remembered_topic(self) -> int:
        """The topic the library showed last, if it still exists."""
        topic = self.library.setting(settings.CURRENT_TOPIC)
        return topic if topic <= 0 or self.library.topic(topic) is not None else ALL_ITEMS

    def when_library_built(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` once the library's panes exist: now, or when they are built (with a
        paper in front, when the Library tab first comes to the front)."""
        if self._library_built:
            callback()
        else:
            self._library_waiters.append(callback)

    def _build_details(self) -> None:
        """Put the details pane in its place beside the list, wired, showing the current item."""
        if self._details is not None:
            return
        from readerapp.gui.details_pane import DetailsPane

        details = DetailsPane(self.services.item_edits)
        placeholder = self._splitter.replaceWidget(DETAILS_PANE, details)  # keeps its size
        if placeholder is not None:
            placeholder.deleteLater()
        details.setMinimumWidth(LIBRARY_PANES[1][DETAILS_PANE])
        self._details = details
        self.items.currentItemChanged.connect(details.show_item)
        details.itemEdited.connect(lambda _id: self.reload_items(keep_selection=True))
        details.fieldsEdited.connect(self._item_fields_edited)
        details.openUrlRequested.connect(self.open_url)
        details.saveFailed.connect(
            lambda sentence: self.statusBar().showMessage(
                f"{sentence} Your notes are kept in the editor and saved when possible.", 10000
            )
        )
        details.notice.connect(lambda sentence: self.statusBar().showMessage(sentence, 15000))
        if sizes := self.library.setting(settings.DETAILS_SPLITTER):
            details.splitter.restoreState(QByteArray.fromBase64(sizes.encode()))
        details.show_item(self.items.current_item_id())

    def install_features(self) -> None:
        """Install the reading tabs, feeds, arXiv, import/export, search and About now (once),
        and start their background work."""
        while self._feature_steps:
            self._feature_steps.pop(0)()
        while self._background_steps:
            self._background_steps.pop(0)()
        self._features_installed()

    def _install_features_stepwise(self) -> None:
        """One feature per event-loop turn: a page render or a click is served in between."""
        if self._closed:
            return
        if self._reading_busy():  # a page on screen is being drawn: it comes first
            QTimer.singleShot(FEATURES_RETRY_MS, self._install_features_stepwise)
            return
        if self._feature_steps:
            self._run_step(self._feature_steps.pop(0))
            QTimer.singleShot(0, self._install_features_stepwise)
        else:
            self._features_installed()
            QTimer.singleShot(0, self._start_background_stepwise)

    def _start_background_stepwise(self) -> None:
        if self._closed or not self._background_steps:
            return
        self._run_step(self._background_steps.pop(0))
        QTimer.singleShot(0, self._start_background_stepwise)

    def _run_step(self, step: Callable[[], object]) -> None:
        """One step of the stepwise installation. A step that fails (a bug of ours) is logged
        and said in the status bar; the others still come, and the window still gets ready."""
        try:
            step()
        except Exception:
            log.exception("A part of the window could not be set up (%s)", step)
            self._show_unexpected_error("A part of the window could not be set up; see the log.")

    def _reading_busy(self) -> bool:
        tabs = self.pdf_tabs.open_tabs() if self.pdf_tabs is not None else []
        # A tab that could not open its file (a sentence, no view) draws nothing.
        return any(tab.view is not None and tab.view.renderer.drawing_on_screen for tab in tabs)

    def _features_installed(self) -> None:
        if self.features_ready:
            return
        self.features_ready = True
        self.featuresReady.emit()

    def _install_app_icon(self) -> None:
        """The app's icon, for this window, its dialogs and the tray. Installed after the first
        paint: the window can show without it. The PNG sizes, each read when first drawn: the
        SVG needs Qt's SVG library and plugins, which the installer no longer ships."""
        from PySide6.QtGui import QIcon

        from readerapp.resource_files import resource_path

        icon = QIcon()
        for size in APP_ICON_SIZES:
            png = resource_path(f"icons/readerapp-{size}.png")
            if png.exists():
                icon.addFile(str(png))
        if not icon.isNull():
            application().setWindowIcon(icon)

    def _install_empty_list_hint(self) -> None:
        """The item list's sentence for when it is empty; after the first paint, which shows a
        library that has items (a new library starts with the starter list)."""
        from readerapp.gui.empty_state import EmptyStateHint

        if self.empty_list_hint is None:
            self.empty_list_hint = EmptyStateHint(self.items, self._empty_list_text)

    def _install_feeds(self) -> None:
        from readerapp.gui.feed_tab import FeedTab

        self.feed_tab = FeedTab(self, self.tabs)  # the Feeds tab; its panel when first shown
        self.feed_tab.countsChanged.connect(self.refresh_inbox_counts)

    def _start_feed_watch(self) -> None:
        """Background: the feeds are polled on schedule, and the topics show their new matches."""
        if self.feed_tab is None:
            return
        self._feeds_watched = True
        if self._library_built:  # else when it is built
            self._tree.install_feeds()  # "N new" badges; its menu opens a topic's inbox, rules
        self.feed_tab.start_watching()
        self.refresh_inbox_counts()

    def _install_papers(self) -> None:
        from readerapp.gui.paper_actions import install_paper_actions

        self.paper_ui = install_paper_actions(self)  # add by id/URL, downloads, new versions

    def _install_import_export(self) -> None:
        from readerapp.gui.import_export import install_import_export_actions

        self.import_export_ui = install_import_export_actions(self)  # File -> Import…/Export…

    def _install_backups(self) -> None:
        from readerapp.gui.backups_dialog import install_backup_actions

        self.backup_ui = install_backup_actions(self)  # File -> Restore from Backup…, daily copy

    def _install_about(self) -> None:
        from readerapp.gui.about_dialog import install_about_action

        self.about_action = install_about_action(self)  # Help -> About: version, licences

    def _install_help(self) -> None:
        from readerapp.gui.reading_menu import install_reading_menu
        from readerapp.gui.shortcuts_dialog import install_shortcuts_action

        self.reading_menu = install_reading_menu(self)  # View: zoom, find, night, Back, ...
        self.shortcuts = install_shortcuts_action(self)  # Help -> Keyboard Shortcuts
        self.log_folder_action = self.help_menu.addAction("Open &Log Folder")
        self.log_folder_action.setStatusTip("The folder where readerapp writes what went wrong")
        self.log_folder_action.setEnabled(self.log_folder is not None)
        self.log_folder_action.triggered.connect(self.open_log_folder)

    def open_log_folder(self) -> None:
        """Show the log folder (the log file and any crash reports) in the file manager."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        if self.log_folder is None:
            return
        self.log_folder.mkdir(parents=True, exist_ok=True)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_folder))):
            self.statusBar().showMessage(f"The log folder is {self.log_folder}.", 15000)

    def _show_unexpected_error(self, sentence: str) -> None:
        """An error nothing caught: the app keeps running and says where the report is."""
        self.statusBar().showMessage(f"{sentence} Nothing saved was lost.", 30000)

    def _install_search(self) -> None:
        from readerapp.gui.search_ui import SearchUi

        self.search_ui = SearchUi(self)  # Ctrl+K search; its popup is built on first use

    def _start_search_indexer(self) -> None:
        """Background: the text of PDFs not indexed yet is read, so Ctrl+K finds it."""
        if self.search_ui is not None:
            self.search_ui.start_indexing()

    def reading_tabs(self) -> PdfTabs:
        """The reading tabs with their highlight tools, installed on first need.

        Opening a paper needs only these, so ``--open`` and a double-click right after start-up
        do not wait for feeds, search and the rest.
        """
        if self.pdf_tabs is None:
            from readerapp.gui.pdf_tabs import PdfTabs

            self.pdf_tabs = PdfTabs(self, self.tabs)  # reading tabs, adding PDF files
            self.pdf_tabs.filesAdded.connect(self._pdfs_added)
        return self.pdf_tabs

    def _install_annotations(self) -> None:
        from readerapp.gui.annotation_actions import install_annotation_actions

        # Highlight tools and the annotation pane for every item's tab, those open already too.
        self.annotation_ui = install_annotation_actions(self)

    # ---- actions and menus --------------------------------------------------------------------
    def make_action(
        self,
        text: str,
        slot: Callable,
        shortcut: str | QKeySequence | QKeySequence.StandardKey | None = None,
        tip: str = "",
        *,
        library_only: bool = False,
    ) -> QAction:
        """An action for the menus; ``library_only`` keeps its key to the Library tab.

        Keys like Del, F2 and F5 mean something else in a reading or feeds tab, so there they
        must not reach the library's selection.
        """
        # Not QAction(text, self): ruling out its (icon, text) overload makes PySide build
        # QIcon's enums, 1-2 ms of a launch that shows no icon before its first paint.
        action = QAction(self)
        action.setText(text)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        if library_only:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.library_page.addAction(action)
        else:
            self.addAction(action)  # shortcuts work whatever pane has focus
        return action

    def _build_actions(self) -> None:
        self.new_topic_action = self.make_action(
            "New &Topic…",
            self.new_topic_under_selection,
            "Ctrl+Shift+N",
            "Create a topic under the selected one",
            library_only=True,  # in a reading tab the same keys switch night mode
        )
        self.rename_topic_action = self.make_action(
            "&Rename Topic…", self.rename_current_topic, "F2", library_only=True
        )
        self.delete_topic_action = self.make_action(
            "Delete Topic", self.delete_current_topic, None, "Delete the topic (its items stay)"
        )
        self.remove_from_topic_action = self.make_action(
            "Remove from Topic",
            self.remove_selected_from_topic,
            QKeySequence.StandardKey.Delete,
            "Take the selected items out of this topic; they stay in the library",
            library_only=True,
        )
        self.delete_items_action = self.make_action(
            "Delete Items",
            self.delete_selected_items,
            "Shift+Del",
            "Delete the selected items",
            library_only=True,
        )
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addActions([self.undo_action, self.redo_action])
        self.refresh_action = self.make_action(
            "&Refresh",
            self.refresh,
            "F5",
            "Show changes made by the command line",
            library_only=True,
        )
        self.add_pdf_action = self.make_action(
            "Add &PDF…",
            lambda: self.reading_tabs().add_with_dialog(self.current_topic),
            "Ctrl+O",
            "Copy PDF files into the library, under the selected topic",
        )
        self.close_tab_action = self.make_action(
            "&Close Tab",
            lambda: self.close_tab(self.tabs.currentIndex()),
            "Ctrl+W",
            "Close the paper or feed list in front; the Library tab stays",
        )
        self.close_tab_action.setShortcuts([QKeySequence("Ctrl+W"), QKeySequence("Ctrl+F4")])
        # Window-wide, as in browsers: from the Library tab too, whose lists would take Ctrl+Tab
        # as a move to their next cell.
        self.next_tab_action = self.make_action(
            "Next Tab", lambda: self.switch_tab(1), None, "Show the tab to the right"
        )
        self.next_tab_action.setShortcuts([QKeySequence("Ctrl+Tab"), QKeySequence("Ctrl+PgDown")])
        self.previous_tab_action = self.make_action(
            "Previous Tab", lambda: self.switch_tab(-1), None, "Show the tab to the left"
        )
        self.previous_tab_action.setShortcuts(
            [
                QKeySequence("Ctrl+Shift+Tab"),
                QKeySequence("Ctrl+Shift+Backtab"),
                QKeySequence("Ctrl+PgUp"),
            ]
        )
        self.quit_action = self.make_action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.subtopics_action = self.make_action(
            "Show Items from S&ubtopics",
            self._subtopics_toggled,
            tip="A topic lists the items of its subtopics too, and counts them",
        )
        self.subtopics_action.setCheckable(True)
        self.subtopics_action.setChecked(self.library.setting(settings.SUBTOPIC_ITEMS))

    def add_file_menu_group(self, *actions: QAction) -> None:
        """Put a feature's File-menu actions above Quit, as a group of their own."""
        self.file_menu.insertActions(self.quit_action, list(actions))
        self.file_menu.insertSeparator(self.quit_action)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.file_menu.addAction(self.new_topic_action)
        self.file_menu.addAction(self.add_pdf_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.close_tab_action)
        self.file_menu.addAction(self.quit_action)
        self.edit_menu = bar.addMenu("&Edit")
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addAction(self.redo_action)
        self.edit_menu.addSeparator()
        for action in (
            self.rename_topic_action,
            self.delete_topic_action,
            self.remove_from_topic_action,
            self.delete_items_action,
        ):
            self.edit_menu.addAction(action)
        self.view_menu = bar.addMenu("&View")
        self.view_menu.addAction(self.refresh_action)
        self.view_menu.addAction(self.subtopics_action)
        self.help_menu = bar.addMenu("&Help")

    def _connect(self) -> None:
        self.tree.topicSelected.connect(self.show_topic)
        self.tree.newTopicRequested.connect(self.new_topic)
        self.tree.renameRequested.connect(self.rename_topic)
        self.tree.deleteRequested.connect(self.delete_topic)
        self.tree.inboxRequested.connect(self.show_topic_inbox)
        self.tree.rulesRequested.connect(self.edit_watch_rules)
        self.topic_model.renameRequested.connect(self._rename_topic_to)
        self.topic_model.topicMoveRequested.connect(self.move_topic)
        self.topic_model.itemsDropped.connect(self.file_items)
        self.topic_model.filesDropped.connect(self.add_pdf_files)
        self.items.itemActivated.connect(self.open_item)
        self.items.contextMenuWanted.connect(self._item_context_menu)

    # ---- showing ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload everything from the database (F5; also after every undoable edit)."""
        if not self._library_built:  # it loads everything when it is built
            return
        counts = self.library.topic_counts()
        if self.with_subtopics:
            direct, counts = counts, {**counts, **self.library.subtree_counts()}
            self.topic_model.load(self.library.topics(), counts, direct)
        else:
            self.topic_model.load(self.library.topics(), counts)
        self._items_loaded_for = None
        if not self.tree.select_topic(self.current_topic):
            self.current_topic = ALL_ITEMS
            self.tree.select_topic(ALL_ITEMS)
        if self._items_loaded_for != self.current_topic:  # selecting did not reload the list
            self.reload_items(keep_selection=True)
        self.refresh_inbox_counts()

    def check_outside_changes(self) -> None:
        """Show what other processes changed (the timer's work; cheap when nothing did)."""
        from readerapp.services.changes import ANNOTATIONS, LIBRARY, RESTORED

        changed = self.outside_changes.changed_elsewhere()
        if not changed:
            return
        self.flush_typing()  # first: a save may merge, or put back an item deleted meanwhile
        if RESTORED in changed:  # `readerapp restore`, or a second window's File -> Restore
            self.library_replaced()
            return
        if LIBRARY in changed and self._library_built:
            self.refresh()
        for controller in self._annotation_controllers():
            controller.reload_from_elsewhere(ANNOTATIONS in changed)

    def library_replaced(self) -> None:
        """A backup replaced the library, here or in another process: the undo steps name rows
        of the library it replaced (undoing one would change or delete unrelated rows that took
        their ids), and every pane, the reading tabs' highlights too, shows the restored one."""
        self.undo_stack.clear()
        self.refresh()
        for controller in self._annotation_controllers():
            controller.reload_from_elsewhere(True)

    def flush_typing(self) -> bool:
        """Save everything typed but not yet saved, everywhere in the window; False if a save
        failed (its text stays in its editor)."""
        saved = self._details.flush_notes() if self._details is not None else True
        for controller in self._annotation_controllers():
            saved = controller.flush_typing() and saved
        return saved

    def unsaved_text(self) -> str:
        """Everything typed in the window that the library has not taken, as Markdown."""
        panes = [self._details] if self._details is not None else []
        panes += [controller.pane for controller in self._annotation_controllers()]
        return "\n".join(text for pane in panes if (text := pane.unsaved_text()))

    def _may_close_with_unsaved_text(self) -> bool:
        """The library could not take what was typed (a locked database, a full disk): keep it
        in a file, then ask whether to close (offscreen, with nobody to ask: close). True to
        close."""
        import tempfile
        from datetime import datetime

        from readerapp.services.unsaved_text import keep_unsaved_text

        text = self.unsaved_text()
        if not text:  # a save only put off (a pane being rebuilt): nothing typed is at risk
            return True
        folders = [self.log_folder or self.services.paths.root / "logs"]
        folders.append(Path(tempfile.gettempdir()))  # when the library's disk is the full one
        kept = keep_unsaved_text(text, folders, datetime.now())
        if kept is not None:
            sentence = (
                f"Some of what you typed could not be saved in the library. It is kept in {kept}."
            )
        else:
            sentence = (
                "Some of what you typed could not be saved in the library, nor kept in a file."
            )
        self.statusBar().showMessage(sentence)
        if QApplication.platformName() == "offscreen":
            return True
        from PySide6.QtWidgets import QMessageBox

        box = plain_text(QMessageBox(QMessageBox.Icon.Warning, "readerapp", sentence, parent=self))
        box.setInformativeText(
            "Keep the window open to try again once the library can be written"
            + (", or quit: the file keeps the text." if kept else ". Quitting loses that text.")
        )
        keep = box.addButton("Keep Window Open", QMessageBox.ButtonRole.RejectRole)
        box.addButton("Quit" if kept else "Quit Anyway", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is not keep

    def _annotation_controllers(self) -> list:
        """The highlight tools of the open reading tabs (those of library items)."""
        tabs = self.pdf_tabs.open_tabs() if self.pdf_tabs is not None else []
        return [tab.annotations for tab in tabs if tab.annotations is not None]

    def refresh_inbox_counts(self) -> None:
        """New feed matches per topic, shown in the tree ("Alignment (3) · 2 new")."""
        if self._feeds_watched and self._library_built:  # the feed service comes with the watch
            self._topic_model.set_inbox_counts(self.services.feeds.unread_match_counts())
        self._show_count()  # the Feeds tab's unread count moves with them

    @property
    def with_subtopics(self) -> bool:
        """Whether a topic lists its subtopics' items too (View -> Show Items from Subtopics)."""
        return self.subtopics_action.isChecked()

    def _subtopics_toggled(self) -> None:
        self.library.set_setting(settings.SUBTOPIC_ITEMS, self.with_subtopics)
        self.refresh()  # the counts, and the list (refresh always reloads it)

    def show_topic_inbox(self, topic_id: int) -> None:
        """The Feeds tab, showing the entries the topic's watch rules matched."""
        if self.feed_tab is not None:
            self.feed_tab.show_topic_inbox(topic_id)

    def edit_watch_rules(self, topic_id: int) -> None:
        if self.feed_tab is not None:
            self.feed_tab.panel.rules_dialog(topic_id)

    def show_topic(self, topic_id: int) -> None:
        if topic_id == self.current_topic and self._items_loaded_for == topic_id:
            return
        self.current_topic = topic_id
        self.reload_items(keep_selection=False)
        is_topic = topic_id > 0
        for action in (self.rename_topic_action, self.delete_topic_action):
            action.setEnabled(is_topic)
        self.remove_from_topic_action.setEnabled(is_topic)

    def reload_items(self, keep_selection: bool = True) -> None:
        current = self.items.current_item_id() if keep_selection else None
        scope = self.current_topic
        nested = self.with_subtopics
        if self._first_screenful_only:  # start-up: the rest comes right after the first paint
            self._first_screenful_only = False
            sort, descending = self.item_model.sort_order()
            self.item_model.set_first_rows(
                self.library.item_rows(
                    scope, sort=sort, descending=descending, limit=FIRST_ROWS, with_subtopics=nested
                ),
                self.library.item_count(scope, with_subtopics=nested),
                lambda: self.library.item_rows(scope, with_subtopics=nested),
            )
        else:
            self.item_model.set_rows(self.library.item_rows(scope, with_subtopics=nested))
        self._items_loaded_for = scope
        selected = current is not None and self.items.select_item(current)
        if self._details is not None:  # else it shows the current item when it is built
            self._details.show_item(current if selected else None)
        self._show_count()

    def _show_count(self) -> None:
        """The status bar's count is about the tab in front: items, feed entries, or nothing."""
        page = self.tabs.currentWidget()
        if page is self.library_page:
            n = self.item_model.rowCount() if self._library_built else 0
            self.status_label.setText(f"{n} item{'s' if n != 1 else ''}")
        elif isinstance(page, TabPage):
            self.status_label.setText(page.status_text())
        else:
            self.status_label.setText("")

    def _empty_list_text(self) -> str:
        """What the item list says when it is empty: why, and what to do."""
        if self.current_topic == ALL_ITEMS:
            return (
                "Your library is empty. Press Ctrl+N to add a paper by its arXiv id or any "
                "link, or drop PDF files here."
            )
        if self.current_topic < 0:  # the other fixed row: Unfiled
            return "Every item is filed under a topic."
        topic = self.library.topic(self.current_topic)
        name = topic.name if topic else "this topic"
        below = self.library.item_count(self.current_topic, with_subtopics=True)
        if below and not self.with_subtopics:
            return (
                f"Nothing is filed directly under “{name}”; its subtopics hold {below} "
                "item(s). View → Show Items from Subtopics lists them here."
            )
        return (
            f"No items in “{name}” yet. Drag items onto it from another topic's list, press "
            "Ctrl+N to add a paper by its arXiv id or any link, or drop PDF files here."
        )

    def select_item(self, item_id: int) -> bool:
        """Show an item: in the current topic if it is there, else in All items."""
        self.tabs.setCurrentWidget(self.library_page)
        if self.items.select_item(item_id):
            return True
        self.tree.select_topic(ALL_ITEMS)
        return self.items.select_item(item_id)

    def open_item(self, item_id: int) -> None:
        item = self.library.item(item_id)
        if item is None:
            return
        if item.has_pdf:
            self.open_pdf_item(item)
        elif item.url:
            self.open_url(item.url)
        else:
            self.statusBar().showMessage("This item has neither a PDF nor a link to open.", 5000)

    def open_pdf_item(self, item) -> PdfTab | None:
        """Open the item's PDF in its own tab (or bring that tab forward)."""
        return self.reading_tabs().open_item(item)

    def open_files(self, paths: list[str]) -> None:
        """PDFs handed to the app (a file manager's "Open with", ``readerapp paper.pdf``)."""
        for path in paths:
            try:
                self.reading_tabs().open_file(Path(path))
            except UserError as exc:
                self.show_error(str(exc))

    def open_for_screenshot(self, target: str, page: int | None):
        """``--screenshot --open X --page N``: a check that is true once page N is painted."""
        return self.reading_tabs().open_for_screenshot(target, page)

    def add_pdf_files(self, paths: Sequence[str | Path], topic_id: int | None = None) -> list[int]:
        topic = self.current_topic if topic_id is None else topic_id
        return self.reading_tabs().add_files(paths, topic)

    def _pdfs_added(self, item_ids: list[int]) -> None:
        self.refresh()
        if item_ids:
            self.select_item(item_ids[-1])

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        from readerapp.qt.topic_model import dropped_pdf_paths

        if dropped_pdf_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        from readerapp.qt.topic_model import dropped_pdf_paths

        paths = dropped_pdf_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.add_pdf_files(paths)

    def open_url(self, url: str) -> None:
        """Every link the window follows (items, notes, PDFs, feed entries) goes through here,
        so the link policy (see ``core/link_policy.py``) applies to all of them."""
        self.link_opener().open(url)

    def link_opener(self):
        # Built on first use: QUrl's class and enums cost start-up time (see start-up figures).
        if self._links is None:
            from readerapp.qt.link_opener import LinkOpener

            self._links = LinkOpener(self, show_arxiv=self._show_arxiv_paper)
            self._links.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        return self._links

    def _show_arxiv_paper(self, arxiv_id: str) -> bool:
        """An arXiv link to a paper the library holds with its PDF opens that PDF here."""
        item = self.library.find_by_arxiv_id(arxiv_id)
        if item is None or not item.has_pdf:
            return False  # its abs page, in the browser
        self.open_pdf_item(item)
        return True

    def _tab_changed(self, index: int) -> None:
        # The paper (or feeds) in front names the window: what the taskbar and Alt+Tab show.
        widget = self.tabs.widget(index)
        title = widget.title if isinstance(widget, TabPage) else ""
        library = widget is self.library_page  # wherever the user moved its tab
        name = "" if library else (title or self.tabs.tabText(index))
        self.setWindowTitle(f"{name} — readerapp" if name else "readerapp")
        if library:
            self._ensure_library()  # built now if the Library comes to the front for the first time
            if self._details is not None:  # a reading tab's pane may have changed its notes
                self._details.show_item(self.items.current_item_id())
        self._show_count()

    def switch_tab(self, step: int) -> None:
        """Show the tab ``step`` places to the right (left when negative), round the ends."""
        count = self.tabs.count()
        if count > 1:
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % count)

    def close_tab(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget is self.library_page:  # it has no close button; Ctrl+W on it does nothing
            return
        if self.pdf_tabs is not None:
            from readerapp.gui.pdf_tab import PdfTab  # loaded already when such a tab exists

            if isinstance(widget, PdfTab):
                # The notes and a comment being typed: a tab whose text the library could not
                # take stays open with it (the pane says why), to be saved when possible.
                if widget.annotations is not None and not widget.annotations.flush_typing():
                    self.statusBar().showMessage(
                        "The tab stays open: what you typed in it is not saved yet.", 10000
                    )
                    return
                self.pdf_tabs.close_tab(widget)
                self._session_changed()
                return
        self.tabs.removeTab(index)
        if widget is not None:
            widget.deleteLater()

    # ---- editing (all undoable) ---------------------------------------------------------------
    def _push(self, make: Callable[[], cmd._LibraryCommand], done: str = "") -> bool:
        """Perform an edit and put it on the undo stack; a refused edit is shown, not raised."""
        try:
            command = make()
        except UserError as exc:  # TopicError and friends: a sentence for the user
            self.show_error(str(exc))
            return False
        self.undo_stack.push(command)
        if done:
            self.statusBar().showMessage(f"{done} — Ctrl+Z to undo.", 8000)
        return True

    def _item_fields_edited(self, item_id: int, old: dict, new: dict) -> None:
        """A details-pane edit, made already: on the undo stack so Ctrl+Z takes it back."""
        self.undo_stack.push(cmd.EditItem(self.library, self._after_item_edit, item_id, old, new))

    def _after_item_edit(self) -> None:
        self.reload_items(keep_selection=True)  # the row, and the details pane, show the values

    def new_topic_under_selection(self) -> None:
        """File -> New Topic: under the selected topic, or at the top without one."""
        current = self.tree.current_topic_id()
        self.new_topic(current if current and current > 0 else None)

    def new_topic(self, parent_id: int | None) -> None:
        """Ask for a name and create the topic under ``parent_id`` (None: at the top)."""
        from PySide6.QtWidgets import QInputDialog  # dialogs load when first used

        name, ok = QInputDialog.getText(self, "New topic", "Name of the new topic:")
        if ok and name.strip():
            self.create_topic(name, parent_id)

    def create_topic(self, name: str, parent_id: int | None) -> int | None:
        created: list[int] = []

        def make():
            command = cmd.CreateTopic(self.library, self.refresh, name, parent_id)
            created.append(command.topic_id)
            return command

        if self._push(make):
            self.tree.select_topic(created[0])
            return created[0]
        return None

    def rename_current_topic(self) -> None:
        topic_id = self.tree.current_topic_id()
        if topic_id and topic_id > 0:
            self.rename_topic(topic_id)

    def rename_topic(self, topic_id: int) -> None:
        topic = self.library.topic(topic_id)
        if topic is None:
            return
        from PySide6.QtWidgets import QInputDialog

        name, ok = QInputDialog.getText(self, "Rename topic", "New name:", text=topic.name)
        if ok and name.strip() and name.strip() != topic.name:
            self._rename_topic_to(topic_id, name)

    def _rename_topic_to(self, topic_id: int, name: str) -> None:
        self._push(lambda: cmd.RenameTopic(self.library, self.refresh, topic_id, name))

    def move_topic(self, topic_id: int, parent_id: int | None, position: int) -> None:
        self._push(lambda: cmd.MoveTopic(self.library, self.refresh, topic_id, parent_id, position))

    def delete_current_topic(self) -> None:
        topic_id = self.tree.current_topic_id()
        if topic_id and topic_id > 0:
            self.delete_topic(topic_id)

    def delete_topic(self, topic_id: int) -> None:
        topic = self.library.topic(topic_id)
        if topic is None:
            return
        if self.current_topic in self.library.subtree_ids(topic_id):
            self.current_topic = topic.parent_id or ALL_ITEMS
        self._push(
            lambda: cmd.DeleteTopic(self.library, self.refresh, topic_id),
            f"Deleted topic “{topic.name}” (its items are still in the library)",
        )

    def file_items(self, item_ids: list[int], topic_id: int) -> None:
        topic = self.library.topic(topic_id)
        self._push(
            lambda: cmd.FileItems(self.library, self.refresh, item_ids, topic_id),
            f"Filed {len(item_ids)} item(s) under “{topic.name if topic else ''}”",
        )

    def remove_selected_from_topic(self) -> None:
        ids = self.items.selected_item_ids()
        if not ids:
            return
        if self.current_topic <= 0:
            self.statusBar().showMessage(
                "Select a topic to remove items from it; Shift+Del deletes items.", 6000
            )
            return
        # With subtopics' items shown, some of the selection may be filed only below this topic.
        filed_here = set(self.library.topic_item_ids(self.current_topic))
        here = [i for i in ids if i in filed_here]
        if not here:
            self.statusBar().showMessage(
                "These items are filed in a subtopic; select that topic to remove them.", 6000
            )
            return
        elsewhere = len(ids) - len(here)
        note = f"; {elsewhere} filed in a subtopic stay" if elsewhere else ""
        self._push(
            lambda: cmd.UnfileItems(self.library, self.refresh, here, self.current_topic),
            f"Removed {len(here)} item(s) from this topic (still in All items){note}",
        )

    def delete_selected_items(self) -> None:
        ids = self.items.selected_item_ids()
        if ids:
            self._push(
                lambda: cmd.TrashItems(self.library, self.refresh, ids),
                f"Deleted {len(ids)} item(s)",
            )

    def _item_context_menu(self, menu: QMenu, ids: list[int]) -> None:
        from readerapp.gui.item_menu import ItemMenu  # loads with the first context menu

        if self._item_menu is None:
            self._item_menu = ItemMenu(self)
        if len(ids) == 1:
            menu.addAction("Open", lambda: self.open_item(ids[0]))
        self._item_menu.add_open_actions(menu, ids)
        menu.addSeparator()
        self._item_menu.add_copy_actions(menu, ids)
        menu.addSeparator()
        file_menu = menu.addMenu("File Under")
        paths = self.library.topic_paths()
        for topic_id, path in sorted(paths.items(), key=lambda kv: kv[1].lower()):
            file_menu.addAction(path, partial(self.file_items, ids, topic_id))
        menu.addSeparator()
        if self.current_topic > 0:
            menu.addAction(self.remove_from_topic_action)
        menu.addAction(self.delete_items_action)

    def show_error(self, sentence: str) -> None:
        self.statusBar().showMessage(sentence, 10000)
        if QApplication.platformName() != "offscreen":
            from PySide6.QtWidgets import QMessageBox  # dialogs load when first used

            # It may quote a feed, a file, a link: as written.
            plain_text(
                QMessageBox(QMessageBox.Icon.Warning, "readerapp", sentence, parent=self)
            ).exec()

    # ---- remembered state ---------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        if geometry := self.library.setting(settings.WINDOW_GEOMETRY):
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode()))
        else:  # the first launch: a comfortable size, but never larger than the screen
            from readerapp.gui.layout import first_window_size

            available = self.screen().availableGeometry().size()
            self.resize(first_window_size(available, QApplication.platformName()))

    def _restore_session(self, session: Session) -> None:
        """Reopen the papers of the last session (each at its own place) and the tab in front."""
        tabs = self.reading_tabs()
        opened = []
        for paper in session.papers:
            try:
                if paper.item_id is not None:
                    item = self.library.item(paper.item_id)
                    opened.append(tabs.open_item(item) if item is not None else None)
                elif paper.path is not None:
                    opened.append(tabs.open_path(paper.path))
            except UserError as exc:  # the file went away between the check and now
                log.warning("a paper of the last session did not reopen: %s", exc)
                opened.append(None)
        front = opened[session.current] if 0 <= session.current < len(opened) else None
        self.tabs.setCurrentWidget(front if front is not None else self.library_page)

    def _session_changed(self) -> None:
        if self.remember_state and not self._closed:
            self._session_timer.start()

    def _save_session(self) -> None:
        if self._closed:
            return  # closing saves it with the rest
        try:
            self.services.viewer.save_session(self._session())
        except UserError as exc:  # a locked or full disk: tried again at the next change
            log.warning("the reading session was not saved: %s", exc)

    def _session(self) -> Session:
        """The reading tabs open now, left to right, and the one in front."""
        from readerapp.services.viewer_state import OpenPaper, Session

        tabs = self.pdf_tabs.open_tabs() if self.pdf_tabs is not None else []
        tabs.sort(key=self.tabs.indexOf)
        papers = [
            OpenPaper(item_id=t.item_id) if t.item_id is not None else OpenPaper(path=t.path)
            for t in tabs
        ]
        front = self.tabs.currentWidget()
        current = next((i for i, t in enumerate(tabs) if t is front), -1)
        return Session(papers, current)

    def _restore_library_state(self) -> None:
        get = self.library.setting
        if sizes := get(settings.SPLITTER):
            self.splitter.restoreState(QByteArray.fromBase64(sizes.encode()))
        self.current_topic = get(settings.CURRENT_TOPIC)
        try:
            expanded = set(json.loads(get(settings.EXPANDED_TOPICS) or "null") or [])
            column, order = json.loads(get(settings.ITEM_SORT) or "[4, 1]")
        except (ValueError, TypeError):
            expanded, self.current_topic, column, order = set(), ALL_ITEMS, 4, 1
        if not get(settings.EXPANDED_TOPICS):  # first launch: open the whole tree, the list shows
            expanded = {t.id for t in self.library.topics()}
        self.tree.set_expanded_topics(expanded)
        self.items.sortByColumn(int(column), Qt.SortOrder(int(order)))

    def _restore_selected_item(self) -> None:
        """Show the item the user last had selected (the first one on a first launch)."""
        remembered = self.library.setting(settings.CURRENT_ITEM)
        if remembered > 0 and self.items.select_item(remembered):
            return
        if self.item_model.rowCount():
            self.items.select_row(0)

    def save_state(self) -> None:
        def b64(data: QByteArray) -> str:
            return bytes(data.toBase64().data()).decode()

        self.library.set_setting(settings.WINDOW_GEOMETRY, b64(self.saveGeometry()))
        self.services.viewer.save_session(self._session())
        if not self._library_built:  # closed before it was ever built: nothing of it changed
            return
        header = self.items.horizontalHeader()
        put = self.library.set_setting
        put(settings.SPLITTER, b64(self.splitter.saveState()))
        if self._details is not None:
            put(settings.DETAILS_SPLITTER, b64(self._details.splitter.saveState()))
        put(settings.CURRENT_TOPIC, self.current_topic)
        put(settings.CURRENT_ITEM, self.items.current_item_id() or 0)
        put(settings.EXPANDED_TOPICS, json.dumps(sorted(self.tree.expanded_topics())))
        sort = [header.sortIndicatorSection(), header.sortIndicatorOrder().value]
        put(settings.ITEM_SORT, json.dumps(sort))

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if not self._focus_placed:
            # Otherwise the first focusable widget (the tab bar) gets the keys, and shortcuts
            # like Ctrl+F or F5 do nothing until the user clicks somewhere.
            self._focus_placed = True
            self._focus_current_page()

    def _focus_current_page(self) -> None:
        page = self.tabs.currentWidget()
        if page is self.library_page:
            if self._library_built:
                self.items.setFocus()
        elif isinstance(page, TabPage):
            page.take_focus()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.flush_typing() and not self._may_close_with_unsaved_text():
            event.ignore()  # the reader keeps the window, and the text, to try again
            return
        self._closed = True  # features still waiting to be installed are not wanted any more
        self._outside_timer.stop()
        if self.pdf_tabs is not None:
            self.pdf_tabs.close_all()  # saves each paper's reading position
        if self.feed_tab is not None:
            self.feed_tab.close()  # stops polling before the database closes
        if self.backup_ui is not None:
            self.backup_ui.close()  # a daily backup being made is finished, not cut off
        try:
            if self.remember_state:
                self.save_state()
        except UserError as exc:  # a full disk must not keep the window from closing
            self.statusBar().showMessage(str(exc))
        super().closeEvent(event)

    def bring_to_front(self) -> None:
        """A second launch knocked: show this window instead of opening the library twice."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()
