"""TopicTreeModel: the topic tree with its fixed rows ("All items", "Unfiled") and item counts.

Hand-written QAbstractItemModel over plain Topic objects (as novelWriter does). Drops do not change
the database themselves: they emit a request signal, so the window can run them through its undo
stack and report errors in words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from readerapp.core.models import Topic
from readerapp.qt.badges import BADGES_ROLE
from readerapp.qt.shown_as_written import as_written
from readerapp.services.library import ALL_ITEMS, UNFILED

TOPIC_MIME = "application/x-readerapp-topic"
ITEMS_MIME = "application/x-readerapp-items"
TOPIC_ID_ROLE = Qt.ItemDataRole.UserRole + 1
COUNT_ROLE = Qt.ItemDataRole.UserRole + 2
INBOX_BADGE = "inbox"  # the key of the "3 new" badge, a link to the topic's feed inbox
INBOX_COLOUR = "#1565c0"

_FIXED = {ALL_ITEMS: "All items", UNFILED: "Unfiled"}
# Combined once: or-ing Python enum flags on every call is slow for a view asking per row.
_FIXED_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_TOPIC_FLAGS = (
    _FIXED_ROW_FLAGS
    | Qt.ItemFlag.ItemIsEditable
    | Qt.ItemFlag.ItemIsDragEnabled
    | Qt.ItemFlag.ItemIsDropEnabled
)
_KEY_OFFSET = 16  # internal ids: 1 = All items, 2 = Unfiled, topic id + 16 for topics

Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()  # the invalid index, as a shared default argument


@dataclass(eq=False)
class _Node:
    topic_id: int
    name: str
    parent: _Node | None
    children: list[_Node] = field(default_factory=list)
    # Both asked for hundreds of times per repaint (parent(), index()): kept, not computed.
    key: int = field(init=False)
    row_in_parent: int = field(default=0, init=False)  # set by TopicTreeModel._attach

    def __post_init__(self) -> None:
        if self.topic_id == ALL_ITEMS:
            self.key = 1
        elif self.topic_id == UNFILED:
            self.key = 2
        else:
            self.key = self.topic_id + _KEY_OFFSET

    def row(self) -> int:
        return self.row_in_parent


def dropped_pdf_paths(data: QMimeData) -> list[str]:
    """The local .pdf files in a drag (from a file manager), as paths."""
    if not data.hasUrls():
        return []
    return [
        url.toLocalFile()
        for url in data.urls()
        if url.isLocalFile() and url.toLocalFile().lower().endswith(".pdf")
    ]


def encode_ids(ids: list[int]) -> QByteArray:
    return QByteArray(json.dumps(ids).encode())


def decode_ids(data: QByteArray | bytes) -> list[int]:
    try:
        raw = bytes(data.data()) if isinstance(data, QByteArray) else data
        value = json.loads(raw.decode())
    except (ValueError, UnicodeDecodeError):
        return []
    return [int(v) for v in value if isinstance(v, int)] if isinstance(value, list) else []


class TopicTreeModel(QAbstractItemModel):
    """Fixed rows first, then the user's topics, nested; each shows its item count."""

    topicMoveRequested = Signal(int, object, int)  # topic id, new parent id or None, position
    itemsDropped = Signal(list, int)  # item ids, topic id
    filesDropped = Signal(list, int)  # local PDF paths, topic id (or ALL_ITEMS/UNFILED)
    renameRequested = Signal(int, str)  # topic id, new name

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._root = _Node(0, "", None)
        self._by_key: dict[int, _Node] = {}
        self._counts: dict[int, int] = {}
        self._direct: dict[int, int] | None = None  # with subtopics shown: the topics' own counts
        self._inbox: dict[int, int] = {}  # unread feed matches per topic (its watch rules)
        self._signature: tuple = ()

    # ---- loading ------------------------------------------------------------------------------
    def load(
        self,
        topics: list[Topic],
        counts: dict[int, int],
        direct: dict[int, int] | None = None,
    ) -> None:
        """Show ``topics``; a change of counts alone updates rows in place (keeps expansion).

        With items from subtopics shown, ``counts`` are the subtrees' counts and ``direct`` each
        topic's own, which the tooltip tells apart.
        """
        signature = tuple((t.id, t.parent_id, t.name, t.position) for t in topics)
        self._direct = dict(direct) if direct is not None else None
        if signature == self._signature:
            old, self._counts = self._counts, dict(counts)
            for key, node in self._by_key.items():
                index = self.createIndex(node.row(), 0, key)
                if old.get(node.topic_id) != counts.get(node.topic_id):
                    self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])
                elif node.children:  # the tooltip may now speak of subtopics, or stop to
                    self.dataChanged.emit(index, index, [Qt.ItemDataRole.ToolTipRole])
            return
        self.beginResetModel()
        self._signature = signature
        self._counts = dict(counts)
        self._root = _Node(0, "", None)
        self._by_key = {}
        for fixed_id, name in _FIXED.items():
            self._attach(_Node(fixed_id, name, self._root))
        nodes = {t.id: _Node(t.id, t.name, None) for t in topics}
        for t in topics:  # topics() is ordered by position, so children keep their order
            node = nodes[t.id]
            node.parent = nodes.get(t.parent_id, self._root) if t.parent_id else self._root
            self._attach(node)
        self.endResetModel()

    def set_inbox_counts(self, counts: dict[int, int]) -> None:
        """Show each topic's unread feed matches ("3 new") without resetting the tree."""
        old, self._inbox = self._inbox, {k: v for k, v in counts.items() if v}
        for key, node in self._by_key.items():
            if old.get(node.topic_id) != self._inbox.get(node.topic_id):
                index = self.createIndex(node.row(), 0, key)
                self.dataChanged.emit(index, index)

    def inbox_count(self, topic_id: int) -> int:
        return self._inbox.get(topic_id, 0)

    def _attach(self, node: _Node) -> None:
        assert node.parent is not None
        # Children are only ever appended (any other change rebuilds the tree in load()).
        node.row_in_parent = len(node.parent.children)
        node.parent.children.append(node)
        self._by_key[node.key] = node

    # ---- lookups ------------------------------------------------------------------------------
    def index_for_topic(self, topic_id: int) -> QModelIndex:
        node = self._by_key.get(_Node(topic_id, "", None).key)
        return self.createIndex(node.row(), 0, node.key) if node else QModelIndex()

    def topic_id(self, index: Index) -> int | None:
        node = self._node(index)
        return node.topic_id if node else None

    def _node(self, index: Index) -> _Node | None:
        if not index.isValid():
            return None
        return self._by_key.get(index.internalId())

    # ---- QAbstractItemModel -------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = _NO_PARENT) -> QModelIndex:
        node = self._node(parent) or self._root
        if column != 0 or not 0 <= row < len(node.children):
            return QModelIndex()
        return self.createIndex(row, 0, node.children[row].key)

    def parent(self, index: Index = _NO_PARENT) -> QModelIndex:  # type: ignore[override]
        node = self._node(index)
        if node is None or node.parent is None or node.parent is self._root:
            return QModelIndex()
        return self.createIndex(node.parent.row(), 0, node.parent.key)

    def rowCount(self, parent: Index = _NO_PARENT) -> int:
        if parent.column() > 0:
            return 0
        node = self._node(parent) if parent.isValid() else self._root
        return len(node.children) if node else 0

    def columnCount(self, parent: Index = _NO_PARENT) -> int:
        return 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        node = self._node(index)
        if node is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            count = self._counts.get(node.topic_id, 0)
            return f"{node.name}  ({count})" if count else node.name
        if role == BADGES_ROLE:  # drawn whole after the name; a click opens the topic's inbox
            new = self._inbox.get(node.topic_id)
            return [(INBOX_BADGE, f"{new} new", INBOX_COLOUR)] if new else None
        if role == Qt.ItemDataRole.EditRole:
            return node.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(node)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self.data(index, Qt.ItemDataRole.DisplayRole)
            new = self._inbox.get(node.topic_id)
            return f"{text}, {new} new" if new else text
        if role == TOPIC_ID_ROLE:
            return node.topic_id
        if role == COUNT_ROLE:
            return self._counts.get(node.topic_id, 0)
        if role == Qt.ItemDataRole.FontRole and (node.topic_id < 0 or node.topic_id in self._inbox):
            font = QFont()
            font.setItalic(node.topic_id < 0)
            font.setBold(node.topic_id in self._inbox)
            return font
        return None

    def _tooltip(self, node: _Node) -> str:
        count = self._counts.get(node.topic_id, 0)
        items = f"{count} item{'s' if count != 1 else ''}"
        own = self._direct.get(node.topic_id, 0) if self._direct is not None else count
        if node.topic_id > 0 and node.children and self._direct is not None:
            tip = f"{node.name}: {items} here and in its subtopics ({own} filed here directly)"
        else:
            tip = f"{node.name}: {items}"
        if new := self._inbox.get(node.topic_id):
            tip += (
                f"; {new} new paper{'s' if new != 1 else ''} matched its watch rules"
                " (click “new” to read them)"
            )
        return as_written(tip)  # a topic's name may come from an imported file

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        node = self._node(index)
        if node is None or node.topic_id < 0 or role != Qt.ItemDataRole.EditRole:
            return False
        name = str(value).strip()
        if name and name != node.name:
            self.renameRequested.emit(node.topic_id, name)
        return False  # the window renames through the undo stack, then reloads

    def flags(self, index: Index) -> Qt.ItemFlag:
        node = self._node(index)
        if node is None:
            return Qt.ItemFlag.ItemIsDropEnabled  # the empty area: drop a topic to the top level
        return _FIXED_ROW_FLAGS if node.topic_id < 0 else _TOPIC_FLAGS

    # ---- drag and drop ------------------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [TOPIC_MIME, ITEMS_MIME, "text/uri-list"]

    def mimeData(self, indexes) -> QMimeData:
        ids = [n.topic_id for n in (self._node(i) for i in indexes) if n and n.topic_id > 0]
        mime = QMimeData()
        mime.setData(TOPIC_MIME, encode_ids(ids[:1]))
        return mime

    def canDropMimeData(self, data, action, row, column, parent) -> bool:
        node = self._node(parent)
        if dropped_pdf_paths(data):  # PDF files from a file manager: added under the topic
            return node is not None
        if data.hasFormat(ITEMS_MIME):
            return node is not None and node.topic_id > 0
        if data.hasFormat(TOPIC_MIME):
            return node is None or node.topic_id > 0
        return False

    def dropMimeData(self, data, action, row, column, parent) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        node = self._node(parent)
        paths = dropped_pdf_paths(data)
        if paths and node is not None:
            self.filesDropped.emit(paths, node.topic_id)
            return False
        if data.hasFormat(ITEMS_MIME) and node is not None:
            ids = decode_ids(data.data(ITEMS_MIME))
            if ids:
                self.itemsDropped.emit(ids, node.topic_id)
            return False
        ids = decode_ids(data.data(TOPIC_MIME))
        if ids:
            new_parent = node.topic_id if node else None
            position = row
            if node is None and row >= 0:
                position = max(0, row - len(_FIXED))  # fixed rows sit above the top level
            self.topicMoveRequested.emit(ids[0], new_parent, position)
        # The window moves the topic and reloads; returning False stops the view from also
        # removing the source row itself.
        return False
