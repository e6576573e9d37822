"""The feed panel: sources (inboxes, feeds with unread counts and state in words) | entries |
a sanitized preview, with read/star/add-to-library actions and F5 to refresh."""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from readerapp.core.arxiv_categories import CATEGORIES, label
from readerapp.core.errors import UserError
from readerapp.core.feed_rules import MatchMode, WatchRule, check_categories, parse_terms
from readerapp.core.feed_schedule import DEFAULT_INTERVAL_MINUTES
from readerapp.core.feed_scope import ALL_ENTRIES, STARRED, FeedScope, FeedScopeKind
from readerapp.core.html_text import sanitize_html, text_to_html
from readerapp.core.latex_text import latex_title, latex_to_text
from readerapp.core.models import FeedKind
from readerapp.gui.empty_state import EmptyStateHint
from readerapp.gui.feed_commands import MarkAllRead, RemoveFeed
from readerapp.gui.layout import CountsKeptDelegate, FittedColumns, fit_to_text, set_shares
from readerapp.gui.safe_text_browser import SafeTextBrowser
from readerapp.gui.typed_widgets import child_items, named, top_level_items
from readerapp.qt.badge_delegate import BadgeDelegate
from readerapp.qt.feed_models import (
    AUTHORS,
    CATEGORY,
    DATE,
    MATCHED,
    STAR,
    TITLE,
    EntryIdRole,
    EntryTableModel,
)
from readerapp.qt.feed_poller import FeedPoller
from readerapp.qt.shown_as_written import as_written, plain_text
from readerapp.qt.tasks import TaskRunner
from readerapp.services import settings
from readerapp.services.feeds import (
    Feed,
    FeedService,
    feed_spec,
    feed_state_text,
    parse_feed_spec,
)
from readerapp.services.library import LibraryService

ScopeRole = Qt.ItemDataRole.UserRole + 1  # a source's FeedScope, as its text ("feed:12")


def _scope_of(item: QTreeWidgetItem) -> FeedScope | None:
    """The scope a source in the list shows; None for a group heading ("Feeds")."""
    text = item.data(0, ScopeRole)
    return FeedScope.parse(text) if text else None


class FeedPanel(QWidget):
    """Everything about feeds in one tab."""

    libraryChanged = Signal()  # an entry was added to the library
    itemAdded = Signal(int)  # the library item an entry became (the window may fetch its PDF)
    countsChanged = Signal()  # unread or inbox counts changed (the topic tree shows them)
    message = Signal(str)  # a sentence for the status bar
    linkActivated = Signal(str)  # an entry's link or a link in its text: the window follows it

    title = "Feeds"  # the tab's text and, while it is in front, the window's title

    def __init__(
        self,
        service: FeedService,
        library: LibraryService,
        poller: FeedPoller | None = None,
        parent: QWidget | None = None,
        undo_stack: QUndoStack | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("feedPanel")
        # The window's stack, so Ctrl+Z takes back a removed feed like a deleted topic.
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self.service = service
        self.library = library
        self.poller = poller or FeedPoller(service, self)
        self.model = EntryTableModel(self.service, self.library.topic_paths, self)

        self.toolbar = QToolBar("Feeds", self)
        self.sources = named(QTreeWidget(), "feedSources")
        self.sources.setHeaderHidden(True)
        self.sources.setColumnCount(1)
        # A long feed title is shortened before its unread count, never the count itself.
        self.sources.setItemDelegate(CountsKeptDelegate(self.sources, _source_counts_start))
        self.state_label = plain_text(named(QLabel(), "feedState"))
        self.state_label.setWordWrap(True)
        self.state_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.sources, 1)
        left_layout.addWidget(self.state_label)

        self.table = named(QTableView(), "feedEntries")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        fm = self.table.fontMetrics()
        for col, sample in ((STAR, "★M"), (DATE, "2026-12-07MM")):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, fm.horizontalAdvance(sample))
        # Shares of the table, so the title keeps most of it from 1024 px to 4K.
        self.fitted_columns = FittedColumns(
            self.table,
            {AUTHORS: (0.18, 70, 260), CATEGORY: (0.08, 70, 160), MATCHED: (0.1, 70, 200)},
        )
        self.table.setItemDelegateForColumn(TITLE, BadgeDelegate(self.table))
        self.empty_hint = EmptyStateHint(self.table, self._empty_text)

        self.preview = SafeTextBrowser()
        self.preview.linkActivated.connect(self.linkActivated)
        self.preview.setObjectName("feedPreview")
        self.add_button = QPushButton("Add to Library")
        self.add_menu = QMenu(self.add_button)
        self.add_under_button = QPushButton("Add under…")
        self.add_under_button.setMenu(self.add_menu)
        self.star_button = QPushButton("Star")
        self.read_button = QPushButton("Mark Unread")
        self.open_button = QPushButton("Open Page")
        self.entry_buttons = (
            self.add_button,
            self.add_under_button,
            self.star_button,
            self.read_button,
            self.open_button,
        )
        # Two rows (filing; reading): all five fit beside the entries in a 1024-px window.
        buttons = QGridLayout()
        for index, b in enumerate(self.entry_buttons):
            row, column = (0, index) if index < 2 else (1, index - 2)
            buttons.addWidget(b, row, column)
        buttons.setColumnStretch(3, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.preview, 1)
        right_layout.addLayout(buttons)

        self.splitter = named(QSplitter(Qt.Orientation.Horizontal), "feedSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(right)
        self._shared = False  # the panes get their shares once the panel has its real width
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.splitter, 1)

        self._build_actions()
        self.sources.currentItemChanged.connect(self._source_changed)
        self.table.selectionModel().currentRowChanged.connect(self._entry_changed)
        self.table.doubleClicked.connect(lambda _i: self.open_current())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._entry_menu)
        self.add_button.clicked.connect(lambda: self.add_current_to_library())
        self.star_button.clicked.connect(self.toggle_star)
        self.read_button.clicked.connect(self.toggle_read)
        self.open_button.clicked.connect(self.open_current)
        self.add_menu.aboutToShow.connect(self._fill_add_menu)
        self.poller.feedRefreshed.connect(lambda _id: self._after_refresh())
        self.poller.busyChanged.connect(self._busy_changed)
        self.poller.roundFinished.connect(self._round_finished)
        self.current_entry: int | None = None
        self._starred: int | None = None  # see starred_count()
        self.reload()
        self._show_entry(None)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if not self._shared:
            self._shared = True
            set_shares(self.splitter, self.width(), [0.23, 0.47, 0.3], [200, 320, 240])

    # ---- actions ------------------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut: QKeySequence | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.refresh_action = self._action("Refresh All Feeds", self.refresh_all_feeds, "F5")
        self.refresh_action.setToolTip("Fetch every feed that is not paused (F5)")
        self.refresh_selected_action = self._action(
            "Refresh Selected Feed", self.refresh_selected_feed, "Shift+F5"
        )
        self.refresh_selected_action.setToolTip("Fetch only the feed selected on the left")
        self.add_feed_action = self._action("Add Feed…", self.add_feed_dialog)
        self.edit_feed_action = self._action("Edit Feed…", self.edit_feed_dialog)
        self.remove_feed_action = self._action("Remove Feed", self.remove_current_feed)
        self.pause_action = self._action("Pause Feed", self.toggle_pause)
        self.rules_action = self._action("Watch Rules…", self.rules_dialog)
        self.mark_all_action = self._action("Mark All Read", self.mark_all_read, "Ctrl+Shift+A")
        self.toggle_read_action = self._action("Mark Read/Unread", self.toggle_read, "M")
        self.star_action = self._action("Star", self.toggle_star, "S")
        self.download_action = self._action("Download PDF When Adding", self._download_toggled)
        self.download_action.setCheckable(True)
        self.download_action.setChecked(self.library.setting(settings.DOWNLOAD_PDF_ON_ADD))
        for a in (
            self.refresh_action,
            self.refresh_selected_action,
            self.add_feed_action,
            self.edit_feed_action,
            self.remove_feed_action,
            self.pause_action,
            self.rules_action,
            self.mark_all_action,
            self.download_action,
        ):
            self.toolbar.addAction(a)

    def _download_toggled(self) -> None:
        self.library.set_setting(settings.DOWNLOAD_PDF_ON_ADD, self.download_action.isChecked())

    @property
    def download_on_add(self) -> bool:
        return self.download_action.isChecked()

    # ---- sources ------------------------------------------------------------------------------
    def reload(self) -> None:
        """Rebuild the sources list (counts, states) and the entries shown, keeping selection."""
        scope = self.current_scope()
        now = datetime.now(UTC)
        unread = self.service.unread_counts()
        inbox = self.service.unread_match_counts()
        paths = self.library.topic_paths()
        self.sources.blockSignals(True)
        self.sources.clear()
        total = self.service.total_unread()
        self._add_source(None, f"All entries ({total})", ALL_ENTRIES)
        self._add_source(None, f"Starred ({self.starred_count()})", STARRED)
        rule_topics = {r.topic_id for r in self.service.rules()} | set(inbox)
        if rule_topics:
            group = QTreeWidgetItem(self.sources, ["Topic inboxes"])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for topic_id in sorted(rule_topics, key=lambda t: paths.get(t, "").lower()):
                if topic_id in paths:
                    count = inbox.get(topic_id, 0)
                    name = paths[topic_id].rsplit("/", 1)[-1]
                    item = self._add_source(group, f"{name} ({count})", FeedScope.topic(topic_id))
                    item.setToolTip(0, as_written(paths[topic_id]))
        feeds = self.service.feeds()
        group = QTreeWidgetItem(self.sources, ["Feeds"])
        group.setFlags(Qt.ItemFlag.ItemIsEnabled)
        for feed in feeds:
            text = f"{feed.display_title} ({unread.get(feed.id, 0)})"
            if feed.last_error:
                text = "⚠ " + text
            elif feed.paused:
                text += " — paused"
            item = self._add_source(group, text, FeedScope.feed(feed.id))
            item.setToolTip(0, as_written(f"{feed.display_title}\n{feed_state_text(feed, now)}"))
        self.sources.expandAll()
        self.sources.blockSignals(False)
        self._select_scope(scope)
        self._update_state_label()
        if self.model.scope == self.current_scope():
            self.model.reload()
        else:
            self.show_scope(self.current_scope())

    def _add_source(self, parent, text: str, scope: FeedScope) -> QTreeWidgetItem:
        item = QTreeWidgetItem([text])
        item.setData(0, ScopeRole, str(scope))
        if parent is None:
            self.sources.addTopLevelItem(item)
        else:
            parent.addChild(item)
        return item

    def _iter_sources(self) -> Iterator[QTreeWidgetItem]:
        stack = top_level_items(self.sources)
        while stack:
            item = stack.pop(0)
            yield item
            stack[0:0] = child_items(item)

    def _select_scope(self, scope: FeedScope) -> None:
        for item in self._iter_sources():
            if _scope_of(item) == scope:
                self.sources.blockSignals(True)
                self.sources.setCurrentItem(item)
                self.sources.blockSignals(False)
                return
        self.sources.blockSignals(True)
        self.sources.setCurrentIndex(self.sources.model().index(0, 0))
        self.sources.blockSignals(False)

    def current_scope(self) -> FeedScope:
        item = self.sources.currentItem()
        return (_scope_of(item) if item is not None else None) or ALL_ENTRIES

    def select_scope(self, scope: FeedScope) -> None:
        self._select_scope(scope)
        self.show_scope(self.current_scope())

    def show_topic_inbox(self, topic_id: int) -> None:
        """Show what the topic's watch rules matched; a topic without rules gets its rules dialog."""
        scope = FeedScope.topic(topic_id)
        if any(_scope_of(item) == scope for item in self._iter_sources()):
            self.select_scope(scope)
            return
        self.message.emit("This topic has no watch rules yet: add one to fill its inbox.")
        self.rules_dialog(topic_id)

    def _empty_text(self) -> str:
        """What the entry list says when it is empty: why, and what to do."""
        kind = self.model.scope.kind
        feed = self.current_feed()
        if not self.service.feeds():
            return (
                "You follow no feeds yet. Click Add Feed… to follow an arXiv category "
                "(such as cs.LG), an arXiv search or any RSS/Atom address, or import an OPML "
                "file (File → Import…)."
            )
        if kind is FeedScopeKind.STARRED:
            return "No starred entries. Select an entry and press S to star it."
        if kind is FeedScopeKind.TOPIC:
            return (
                "Nothing in the feeds matches this topic's watch rules yet. New matches appear "
                "here after a refresh (F5); Watch Rules… changes what matches."
            )
        if feed is not None and feed.last_error:  # the state line above says what failed
            return "No entries from this feed yet: its last refresh failed. F5 tries again."
        if feed is not None and feed.last_success is None:
            return "This feed has not been fetched yet: press F5 to refresh it."
        return "No entries here. Press F5 to refresh the feeds."

    def show_scope(self, scope: FeedScope) -> None:
        self.model.set_scope(scope)
        self._update_state_label()
        self._show_entry(None)

    def _source_changed(self, current, _previous) -> None:
        if current is not None and _scope_of(current) is not None:
            self.show_scope(self.current_scope())

    def status_text(self) -> str:
        """What the window's status bar counts while this tab is in front."""
        unread = self.service.total_unread()
        return f"{unread} unread {'entry' if unread == 1 else 'entries'}"

    def take_focus(self) -> None:
        """The entry list takes the keys: arrows move through entries, S stars, Enter opens."""
        self.table.setFocus()

    def current_feed(self) -> Feed | None:
        scope = self.current_scope()
        return self.service.feed(scope.ident) if scope.kind is FeedScopeKind.FEED else None

    def _update_state_label(self) -> None:
        feed = self.current_feed()
        self.refresh_selected_action.setEnabled(feed is not None and not self.poller.busy)
        self.remove_feed_action.setEnabled(feed is not None)
        self.edit_feed_action.setEnabled(feed is not None)
        self.pause_action.setEnabled(feed is not None)
        if feed is None:
            self.state_label.setText("")
            return
        self.pause_action.setText("Resume Feed" if feed.paused else "Pause Feed")
        self.state_label.setText(feed_state_text(feed))

    # ---- entries ------------------------------------------------------------------------------
    def selected_entry_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        ids = [self.model.rows[r].id for r in rows if r < len(self.model.rows)]
        if not ids and self.current_entry is not None:
            ids = [self.current_entry]
        return ids

    def select_entry(self, entry_id: int) -> bool:
        row = self.model.row_of(entry_id)
        if row < 0:
            return False
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, TITLE),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        return True

    def _entry_changed(self, current, _previous) -> None:
        if not current.isValid():
            self._show_entry(None)
            return
        entry_id = self.model.data(current, EntryIdRole)
        row = self.model.rows[current.row()]
        if not row.read:  # reading the preview is reading the entry
            self.service.set_read([entry_id], True)
            self.model.update_row(entry_id)
            QTimer.singleShot(0, self._counts_changed)
        self._show_entry(entry_id)

    def _show_entry(self, entry_id: int | None) -> None:
        self.current_entry = entry_id
        stored = self.service.entry(entry_id) if entry_id is not None else None
        for b in self.entry_buttons:
            b.setEnabled(stored is not None)
        if stored is None:
            self.preview.setHtml("<p style='color:gray'>Select an entry to read its abstract.</p>")
            # Disabled, but still readable: name what they would do, not the last entry's state.
            self.star_button.setText("Star")
            self.read_button.setText("Mark Read")
            return
        e = stored.entry
        paths = self.library.topic_paths()
        bits = [f"<h3>{html.escape(latex_title(e.title))}</h3>"]
        if e.authors:
            bits.append(f"<p><i>{html.escape(', '.join(e.authors))}</i></p>")
        meta = []
        if e.arxiv_id:
            meta.append(f"arXiv:{html.escape(e.arxiv_id)}" + (f"v{e.version}" if e.version else ""))
        if e.announce_type:
            meta.append(html.escape(_announce_words(e.announce_type, e.version)))
        if e.published:
            meta.append(html.escape(e.published[:10]))
        if e.categories:
            meta.append(html.escape(" ".join(e.categories)))
        if meta:
            bits.append(f"<p>{' · '.join(meta)}</p>")
        if stored.library_item_id is not None:
            bits.append("<p><b>✓ In your library.</b></p>")
        for topic_id, reasons in stored.matches:
            bits.append(
                f"<p>Matches <b>{html.escape(paths.get(topic_id, '?'))}</b>: "
                f"{html.escape(', '.join(reasons))}</p>"
            )
        bits.append("<hr>")
        bits.append(
            sanitize_html(e.summary)
            if e.summary_is_html
            else text_to_html(latex_to_text(e.summary))
        )
        if e.link:
            link = html.escape(e.link, quote=True)
            bits.append(f'<p><a href="{link}">{link}</a></p>')
        self.preview.setHtml("".join(bits))
        self.star_button.setText("Unstar" if stored.starred else "Star")
        self.read_button.setText("Mark Unread" if stored.read else "Mark Read")
        self.add_button.setEnabled(stored.library_item_id is None)

    def toggle_read(self) -> None:
        ids = self.selected_entry_ids()
        if not ids:
            return
        rows = self.service.entry_rows_by_id(ids)
        make_read = not all(r.read for r in rows)
        self.service.set_read(ids, make_read)
        for i in ids:
            self.model.update_row(i)
        self._show_entry(self.current_entry)
        self._counts_changed()

    def toggle_star(self) -> None:
        ids = self.selected_entry_ids()
        if not ids:
            return
        rows = self.service.entry_rows_by_id(ids)
        star = not all(r.starred for r in rows)
        self.service.set_starred(ids, star)
        if self._starred is not None:  # only this panel stars entries: count the change
            changed = sum(r.starred != star for r in rows)
            self._starred += changed if star else -changed
        for i in ids:
            self.model.update_row(i)
        self._show_entry(self.current_entry)
        self._refresh_source_texts()  # the Starred count

    def starred_count(self) -> int:
        """Starred entries, counted once (a scan of every entry) and then kept up to date."""
        if self._starred is None:
            self._starred = self.service.starred_count()
        return self._starred

    def mark_all_read(self) -> None:
        scope = self.current_scope()
        item = self.sources.currentItem()
        name = item.text(0).rsplit(" (", 1)[0] if item is not None else "All entries"
        command = MarkAllRead(self.service, self._entries_changed, self.message.emit, scope, name)
        if not command.entry_ids:
            self.message.emit("Every entry here is read already.")
            return
        self.undo_stack.push(command)
        count = len(command.entry_ids)
        self.message.emit(
            f"Marked {count} {'entry' if count == 1 else 'entries'} read — Ctrl+Z to undo."
        )

    def _entries_changed(self) -> None:
        """After a change or its undo: the rows' bold and every count follow."""
        self.model.reload()
        self._counts_changed()

    def open_current(self) -> None:
        stored = self.service.entry(self.current_entry) if self.current_entry else None
        if stored is not None and stored.entry.link:
            self.linkActivated.emit(stored.entry.link)

    def add_current_to_library(self, topic_id: int | None = None) -> int | None:
        """File the selected entries in the library (under their matching rule's topic unless
        ``topic_id`` says otherwise); returns the last item id."""
        item_id = None
        added = 0
        for entry_id in self.selected_entry_ids():
            try:
                item_id = self.service.add_to_library(entry_id, topic_id).id
                added += 1
                self.itemAdded.emit(item_id)
            except UserError as exc:
                self.message.emit(str(exc))
            self.model.update_row(entry_id)
        self._show_entry(self.current_entry)
        if added:
            self.message.emit(
                f"Added {added} {'entry' if added == 1 else 'entries'} to the library."
            )
            self.libraryChanged.emit()
            self._counts_changed()
        return item_id

    def entry_menu(self) -> QMenu:
        """The entries' context menu: the same actions as the buttons."""
        menu = QMenu(self)
        menu.addAction("Add to Library", lambda: self.add_current_to_library())
        under = menu.addMenu("Add Under")
        for topic_id, path in sorted(self.library.topic_paths().items(), key=lambda p: p[1]):
            under.addAction(path, partial(self.add_current_to_library, topic_id))
        menu.addSeparator()
        menu.addAction(self.toggle_read_action)
        menu.addAction(self.star_action)
        menu.addAction("Open Page", self.open_current)
        return menu

    def _entry_menu(self, pos) -> None:
        if self.table.indexAt(pos).isValid():
            self.entry_menu().exec(self.table.viewport().mapToGlobal(pos))

    def _fill_add_menu(self) -> None:
        self.add_menu.clear()
        paths = self.library.topic_paths()
        for topic_id, path in sorted(paths.items(), key=lambda p: p[1].lower()):
            self.add_menu.addAction(path, partial(self.add_current_to_library, topic_id))

    # ---- feeds --------------------------------------------------------------------------------
    def refresh_all_feeds(self) -> None:
        """Every feed that is not paused, whatever is selected."""
        self.poller.refresh_all()
        if not self.poller.busy:
            self.message.emit("No feeds to refresh; add one with Add Feed….")

    def refresh_selected_feed(self) -> None:
        """Only the feed selected in the sources list (paused or not: the user asked for it)."""
        feed = self.current_feed()
        if feed is None:
            self.message.emit("Select a feed on the left to refresh it alone.")
            return
        self.poller.refresh([feed])

    def _busy_changed(self, busy: bool) -> None:
        self.refresh_action.setEnabled(not busy)
        self.refresh_selected_action.setEnabled(not busy and self.current_feed() is not None)
        if busy:
            self.message.emit("Refreshing feeds…")

    def _after_refresh(self) -> None:
        selected = self.current_entry
        self.reload()
        if selected is not None:
            self.select_entry(selected)

    def _round_finished(self, report) -> None:
        self._counts_changed()
        errors = report.errors
        text = (
            f"Feeds refreshed: {report.new_entries} new entries, {report.new_matches} new matches."
        )
        if errors:
            text += f" {len(errors)} failed: {errors[0].title}: {errors[0].error}"
        self.message.emit(text)

    def _counts_changed(self) -> None:
        self._refresh_source_texts()
        self.countsChanged.emit()

    def _refresh_source_texts(self) -> None:
        scope = self.current_scope()
        entry = self.current_entry
        self.sources.blockSignals(True)
        self.reload_sources_only()
        self._select_scope(scope)
        self.sources.blockSignals(False)
        self.current_entry = entry

    def reload_sources_only(self) -> None:
        unread = self.service.unread_counts()
        inbox = self.service.unread_match_counts()
        total = self.service.total_unread()
        paths = self.library.topic_paths()
        for item in self._iter_sources():
            scope = _scope_of(item)
            if scope is None:  # a group heading
                continue
            kind, ident = scope.kind, scope.ident
            if kind is FeedScopeKind.ALL:
                item.setText(0, f"All entries ({total})")
            elif kind is FeedScopeKind.STARRED:
                item.setText(0, f"Starred ({self.starred_count()})")
            elif kind is FeedScopeKind.TOPIC and ident in paths:
                name = paths[ident].rsplit("/", 1)[-1]
                item.setText(0, f"{name} ({inbox.get(ident, 0)})")
            elif kind is FeedScopeKind.FEED:
                text = item.text(0)
                item.setText(
                    0,
                    text[: text.rfind("(")]
                    + f"({unread.get(ident, 0)})"
                    + text[text.rfind(")") + 1 :],
                )

    def feeds_added(self) -> None:
        """Feeds came from elsewhere (an OPML import): list them now and fetch the due ones,
        which every feed never fetched is, instead of waiting for the next poll or F5."""
        self.reload()
        self.poller.refresh_due()

    def add_feed_dialog(self) -> None:
        dialog = AddFeedDialog(self.service, self.library, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.feed is not None:
            self.reload()
            self.select_scope(FeedScope.feed(dialog.feed.id))
            self.poller.refresh([dialog.feed])

    def edit_feed_dialog(self) -> None:
        feed = self.current_feed()
        if feed is None:
            return
        dialog = EditFeedDialog(self.service, self.library, feed, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload()

    def remove_current_feed(self) -> None:
        feed = self.current_feed()
        if feed is None:
            return
        self._select_scope(ALL_ENTRIES)
        command = RemoveFeed(
            self.service, self._feeds_changed, self.message.emit, feed.id, feed.display_title
        )
        self.undo_stack.push(command)
        count = command.removed.entry_count
        self.message.emit(
            f"Stopped following {feed.display_title} ({count} "
            f"{'entry' if count == 1 else 'entries'}) — Ctrl+Z to undo."
        )

    def _feeds_changed(self) -> None:
        self.reload()
        self.countsChanged.emit()

    def toggle_pause(self) -> None:
        feed = self.current_feed()
        if feed is not None:
            self.service.update_feed(feed.id, paused=int(not feed.paused))
            self.reload()

    def rules_dialog(self, topic_id: int | None = None) -> WatchRulesDialog:
        """Open the watch rules (of ``topic_id``, else of the inbox shown); counts follow on close."""
        scope = self.current_scope()
        if topic_id is None and scope.kind is FeedScopeKind.TOPIC:
            topic_id = scope.ident
        dialog = WatchRulesDialog(self.service, self.library, topic_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self._rules_closed())
        dialog.open()
        return dialog

    def _rules_closed(self) -> None:
        self.reload()
        self.countsChanged.emit()


def _source_counts_start(text: str) -> int:
    """Where a source's count begins in its text ("A long feed (12) — paused"), or -1."""
    return text.rfind(" (")


ERROR_STYLE = "color: #b00020"  # a dialog's sentence about what is wrong with the input


def _announce_words(kind: str, version: int | None) -> str:
    if kind.startswith("replace"):
        return f"new version v{version}" if version else "new version"
    return {"new": "new paper", "cross": "cross-list"}.get(kind, kind)


class AddFeedDialog(QDialog):
    """A URL, an arXiv category (picked from the list) or an arXiv search."""

    def __init__(self, service: FeedService, library: LibraryService, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add Feed")
        self.service = service
        self.feed: Feed | None = None
        self.spec = QLineEdit(placeholderText="https://…/feed.xml, arxiv:cs.LG or query:words")
        self.category = QComboBox()
        self.category.addItem("Pick an arXiv category…", "")
        for code in CATEGORIES:
            self.category.addItem(label(code), code)
        self.category.currentIndexChanged.connect(self._category_picked)
        self.topic = QComboBox()
        self.topic.addItem("(no topic)", None)
        for topic_id, path in sorted(library.topic_paths().items(), key=lambda p: p[1].lower()):
            self.topic.addItem(path, topic_id)
        self.error = plain_text(named(QLabel(), "addFeedError"))
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        form = QFormLayout(self)
        form.addRow("Feed:", self.spec)
        form.addRow("arXiv category:", self.category)
        form.addRow("Topic:", self.topic)
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        # Owned by the panel when there is one: a look still under way when the dialog is
        # cancelled then reports to a live object (and is ignored).
        self.runner = TaskRunner("feed-discovery", 1, parent or self)
        self._finished = False

    def done(self, result: int) -> None:
        self._finished = True
        super().done(result)

    def _category_picked(self, index: int) -> None:
        code = self.category.itemData(index)
        if code:
            self.spec.setText(f"arxiv:{code}")

    def accept(self) -> None:
        """A web page's address is first looked at (off the GUI thread) for the feeds it
        names; then the subscription is made."""
        spec = self.spec.text()
        try:
            kind, _source = parse_feed_spec(spec)
        except UserError as exc:  # stays open with the sentence, so the user can fix the input
            self.error.setText(str(exc))
            return
        if kind != FeedKind.URL:
            self._subscribe(spec)
            return
        self.error.setStyleSheet("")  # progress, not a problem
        self.error.setText("Looking at that address…")
        self.ok_button.setEnabled(False)
        # Built here, on the GUI thread: building it reads the database (see FeedPoller.refresh).
        self.service.fetcher  # noqa: B018
        self.runner.submit(
            lambda: self.service.discover_feeds(spec),
            on_result=lambda found: self._discovered(spec, found),
            on_error=lambda _exc: self._discovered(spec, []),
        )

    def _discovered(self, spec: str, found: list[str]) -> None:
        if self._finished:  # cancelled while the page was being looked at
            return
        self.ok_button.setEnabled(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setText("")
        if len(found) > 1:
            chosen = self.choose_feed(found)
            if chosen is None:
                self.error.setText("That page names several feeds; choose one to follow.")
                return
            spec = chosen
        elif found:
            spec = found[0]
        self._subscribe(spec)

    def choose_feed(self, found: list[str]) -> str | None:
        """Ask which of a page's feeds to follow; None when the user cancels."""
        ask = named(QInputDialog(self), "chooseFeed")
        ask.setWindowTitle("Choose a Feed")
        ask.setLabelText("This page names several feeds. Follow which one?")
        ask.setComboBoxItems(found)
        ask.setComboBoxEditable(False)
        if ask.exec() != QDialog.DialogCode.Accepted:
            return None
        return ask.textValue()

    def _subscribe(self, spec: str) -> None:
        topic_id = self.topic.currentData()
        try:
            feed = self.service.add(spec)
        except UserError as exc:  # stays open with the sentence, so the user can fix the input
            self.error.setText(str(exc))
            fit_to_text(self)
            return
        if topic_id is not None:
            self.service.update_feed(feed.id, topic_id=topic_id)
        self.feed = feed
        super().accept()


class EditFeedDialog(QDialog):
    """A feed's name, topic and polling interval (arXiv feeds follow arXiv's daily update)."""

    def __init__(self, service: FeedService, library: LibraryService, feed, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Edit Feed")
        self.service = service
        self.feed = feed
        self.title = QLineEdit(feed.title, placeholderText=feed.display_title)
        self.topic = QComboBox()
        self.topic.addItem("(no topic)", None)
        for topic_id, path in sorted(library.topic_paths().items(), key=lambda p: p[1].lower()):
            self.topic.addItem(path, topic_id)
        self.topic.setCurrentIndex(max(0, self.topic.findData(feed.topic_id)))
        self.interval = QSpinBox(minimum=5, maximum=7 * 24 * 60, suffix=" minutes")
        self.interval.setValue(feed.interval_minutes or DEFAULT_INTERVAL_MINUTES)
        self.interval.setEnabled(not feed.daily_arxiv)
        form = QFormLayout(self)
        form.addRow("Address:", plain_text(QLabel(feed_spec(feed))))
        form.addRow("Name:", self.title)
        form.addRow("Topic:", self.topic)
        form.addRow("Check every:", self.interval)
        if feed.daily_arxiv:
            form.addRow(QLabel("arXiv feeds are fetched once a day, after arXiv's update."))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        fields = {"title": self.title.text().strip(), "topic_id": self.topic.currentData()}
        if not self.feed.daily_arxiv:
            fields["interval_minutes"] = self.interval.value()
        self.service.update_feed(self.feed.id, **fields)
        super().accept()


class WatchRulesDialog(QDialog):
    """A topic's watch rules: how they match (one way per topic), the existing ones (removable,
    with Undo) and a form for a new one."""

    def __init__(
        self, service: FeedService, library: LibraryService, topic_id: int | None, parent=None
    ):
        super().__init__(parent)
        self.setWindowTitle("Watch Rules")
        self.service = service
        self.topic = QComboBox()
        for tid, path in sorted(library.topic_paths().items(), key=lambda p: p[1].lower()):
            self.topic.addItem(path, tid)
        if topic_id is not None:
            self.topic.setCurrentIndex(max(0, self.topic.findData(topic_id)))
        self.mode = named(QComboBox(), "ruleMode")
        self.mode.addItem("any one term matches", MatchMode.ANY.value)
        self.mode.addItem("a term of every kind given matches", MatchMode.ALL.value)
        self.mode.setToolTip(
            "For all of this topic's rules. With “every kind”, a rule giving categories and "
            "keywords needs a matching category and a matching keyword."
        )
        self.rules = named(QListWidget(), "ruleList")
        self.remove = QPushButton("Remove Rule")
        self.undo = named(QPushButton("Undo Remove"), "undoRemoveRule")
        self.undo.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.undo.hide()
        self._removed: WatchRule | None = None  # the last rule removed, for Undo
        self.categories = QLineEdit(placeholderText="cs.LG, cs.CL")
        self.keywords = QLineEdit(placeholderText="induction heads, sparse autoencoders")
        self.authors = QLineEdit(placeholderText="Neel Nanda, Chris Olah")
        self.error = plain_text(QLabel())
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.add = QPushButton("Add Rule")
        form = QFormLayout(self)
        form.addRow("Topic:", self.topic)
        form.addRow("Match when:", self.mode)
        form.addRow(self.rules)
        removing = QHBoxLayout()
        removing.addWidget(self.remove)
        removing.addWidget(self.undo)
        removing.addStretch(1)
        form.addRow(removing)
        form.addRow("Categories:", self.categories)
        form.addRow("Keywords:", self.keywords)
        form.addRow("Authors:", self.authors)
        form.addRow(self.error)
        form.addRow(self.add)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        form.addRow(close)
        self.topic.currentIndexChanged.connect(lambda _i: self._load())
        self.mode.currentIndexChanged.connect(lambda _i: self._mode_changed())
        self.add.clicked.connect(self.add_rule)
        self.remove.clicked.connect(self.remove_rule)
        self.undo.clicked.connect(self.undo_remove)
        self._load()

    def _load(self) -> None:
        self.rules.clear()
        topic_id = self.topic.currentData()
        if topic_id is None:
            return
        self.mode.blockSignals(True)
        self.mode.setCurrentIndex(max(0, self.mode.findData(self.service.match_mode(topic_id).value)))
        self.mode.blockSignals(False)
        for rule in self.service.rules(topic_id):
            item = QListWidgetItem(rule.describe())
            item.setData(Qt.ItemDataRole.UserRole, rule.id)
            self.rules.addItem(item)
        self.remove.setEnabled(self.rules.count() > 0)

    def _mode_changed(self) -> None:
        topic_id = self.topic.currentData()
        if topic_id is not None:
            self.service.set_match_mode(topic_id, self.mode.currentData())
            self._load()

    def add_rule(self) -> WatchRule | None:
        topic_id = self.topic.currentData()
        if topic_id is None:
            self.error.setText("Create a topic first: rules file their matches under a topic.")
            return None
        try:
            categories = check_categories(parse_terms(self.categories.text()))
        except UserError as exc:
            self.error.setText(str(exc))
            return None
        rule = WatchRule(
            topic_id=topic_id,
            categories=categories,
            keywords=parse_terms(self.keywords.text()),
            authors=parse_terms(self.authors.text()),
            mode=MatchMode(self.mode.currentData()),
        )
        if rule.is_empty():
            self.error.setText("Give at least one category, keyword or author.")
            return None
        self.service.add_rule(rule)
        self.error.setText("")
        for field in (self.categories, self.keywords, self.authors):
            field.clear()
        self._load()
        return rule

    def remove_rule(self) -> None:
        item = self.rules.currentItem() or self.rules.item(0)
        if item is None:
            return
        rule_id = item.data(Qt.ItemDataRole.UserRole)
        self._removed = next((r for r in self.service.rules() if r.id == rule_id), None)
        self.service.delete_rule(rule_id)
        self.undo.setVisible(self._removed is not None)
        self.undo.setToolTip(as_written(f"Bring back: {item.text()}"))
        self._load()

    def undo_remove(self) -> None:
        """Bring back the rule just removed; its inbox is matched again."""
        if self._removed is None:
            return
        rule, self._removed = self._removed, None
        rule.id = None
        self.service.save_rule(rule)
        self.undo.hide()
        if self.topic.currentData() != rule.topic_id:
            self.topic.setCurrentIndex(max(0, self.topic.findData(rule.topic_id)))
        self._load()
