"""The topic tree pane: drag topics to nest them, drop items on a topic to file them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QMenu, QTreeView

from readerapp.gui.typed_widgets import own_viewport
from readerapp.qt.topic_model import INBOX_BADGE, TopicTreeModel

if TYPE_CHECKING:
    from readerapp.qt.badge_delegate import BadgeDelegate


class TopicTreeView(QTreeView):
    """A QTreeView over TopicTreeModel that remembers which topics are expanded across reloads."""

    topicSelected = Signal(int)  # topic id (ALL_ITEMS / UNFILED for the fixed rows)
    newTopicRequested = Signal(object)  # parent topic id or None
    renameRequested = Signal(int)
    deleteRequested = Signal(int)
    inboxRequested = Signal(int)  # topic id: show its feed inbox (the "N new" badge)
    rulesRequested = Signal(int)  # topic id: edit its watch rules

    def __init__(self, model: TopicTreeModel, parent=None) -> None:
        super().__init__(parent)
        own_viewport(self)  # before anything asks for viewport(): see own_viewport
        self.setObjectName("topicTree")
        self.setModel(model)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)  # all rows are one line of text: no per-row size hints
        # A narrow tree shortens a long name in its middle, keeping the item count at its end
        # (the "N new" badge is drawn whole beside it).
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.badges: BadgeDelegate | None = None  # drawn once feeds are there: install_feeds()
        self.feeds_available = False  # until then there is no inbox or rules to go to
        self._expanded: set[int] = set()
        self._restoring = False
        self.expanded.connect(lambda i: self._remember(i, True))
        self.collapsed.connect(lambda i: self._remember(i, False))
        model.modelAboutToBeReset.connect(self._before_reset)
        model.modelReset.connect(self._after_reset)
        self.selectionModel().currentChanged.connect(self._on_current)
        self._pending_select: int | None = None

    def topic_model(self) -> TopicTreeModel:
        return self.model()  # type: ignore[return-value]

    def current_topic_id(self) -> int | None:
        return self.topic_model().topic_id(self.currentIndex())

    def select_topic(self, topic_id: int) -> bool:
        index = self.topic_model().index_for_topic(topic_id)
        if not index.isValid():
            return False
        parent = index.parent()
        while parent.isValid():
            self.expand(parent)
            parent = parent.parent()
        self.setCurrentIndex(index)
        self.scrollTo(index)
        return True

    def expanded_topics(self) -> set[int]:
        return set(self._expanded)

    def set_expanded_topics(self, ids: set[int]) -> None:
        self._expanded = set(ids)
        self._after_reset()

    def _remember(self, index: QModelIndex, is_expanded: bool) -> None:
        if self._restoring:
            return
        topic_id = self.topic_model().topic_id(index)
        if topic_id is None:
            return
        if is_expanded:
            self._expanded.add(topic_id)
        else:
            self._expanded.discard(topic_id)

    def _before_reset(self) -> None:
        self._pending_select = self.current_topic_id()

    def _after_reset(self) -> None:
        self._restoring = True
        try:
            for topic_id in self._expanded:
                index = self.topic_model().index_for_topic(topic_id)
                if index.isValid():
                    self.expand(index)
        finally:
            self._restoring = False
        if self._pending_select is not None:
            if not self.select_topic(self._pending_select):
                self.setCurrentIndex(self.topic_model().index(0, 0))
            self._pending_select = None

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        topic_id = self.topic_model().topic_id(current)
        if topic_id is not None:
            self.topicSelected.emit(topic_id)

    def install_feeds(self) -> None:
        """Feeds are installed after the first paint: from then on a topic's "N new" badge is
        drawn and opens its inbox, and its menu reaches the inbox and the watch rules."""
        from readerapp.qt.badge_delegate import BadgeDelegate  # not needed for the first paint

        self.feeds_available = True
        self.badges = BadgeDelegate(self, clickable=(INBOX_BADGE,))
        self.badges.badgeClicked.connect(self._badge_clicked)
        self.setItemDelegate(self.badges)

    def _badge_clicked(self, index: QModelIndex, key: str) -> None:
        topic_id = self.topic_model().topic_id(index)
        if key == INBOX_BADGE and topic_id is not None:
            self.inboxRequested.emit(topic_id)

    def context_menu(self, topic_id: int | None) -> QMenu:
        """The menu for ``topic_id`` (None: the empty area below the topics)."""
        menu = QMenu(self)
        if topic_id is not None and topic_id > 0:
            menu.addAction("New Subtopic…", lambda: self.newTopicRequested.emit(topic_id))
            menu.addAction("Rename…", lambda: self.renameRequested.emit(topic_id))
            if self.feeds_available:
                menu.addSeparator()
                new = self.topic_model().inbox_count(topic_id)
                inbox = menu.addAction(
                    f"Show {new} New in Feeds" if new else "Show Feed Inbox",
                    lambda: self.inboxRequested.emit(topic_id),
                )
                inbox.setObjectName("topicInboxAction")
                menu.addAction("Watch Rules…", lambda: self.rulesRequested.emit(topic_id))
            menu.addSeparator()
            menu.addAction("Delete Topic", lambda: self.deleteRequested.emit(topic_id))
        else:
            menu.addAction("New Topic…", lambda: self.newTopicRequested.emit(None))
        return menu

    def _context_menu(self, pos) -> None:
        topic_id = self.topic_model().topic_id(self.indexAt(pos))
        menu = self.context_menu(topic_id)
        menu.exec(self.viewport().mapToGlobal(pos))
        menu.deleteLater()
