"""ItemTableModel: the items of one topic, sortable in the model (fast for 10,000 rows)."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from readerapp.qt.kind_icons import kind_icon
from readerapp.qt.topic_model import ITEMS_MIME, encode_ids
from readerapp.storage.library import ItemRow

ITEM_ID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Title", "Authors", "Year", "Status", "Added")
_STATUS_ORDER = {"to-read": 0, "reading": 1, "read": 2}

Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()  # the invalid index, as a shared default argument


def _sort_keys(column: int, rows: list[ItemRow]) -> list:
    """One key per row for ``column``: computed once per loaded list, reused by every sort."""
    if column == 0:
        return [r.title.casefold() for r in rows]
    if column == 1:  # the stored JSON list sorts by its first author, like the joined text
        return [r.authors_json.casefold() for r in rows]
    if column == 2:
        return [(r.year is None, r.year or 0) for r in rows]
    if column == 3:
        return [_STATUS_ORDER.get(r.status, 9) for r in rows]
    return [r.added for r in rows]


class ItemTableModel(QAbstractTableModel):
    """Rows are ItemRow tuples in the loaded order (``_loaded``) and the shown order (``_rows``).

    Sort keys are computed once per column for the loaded rows, so re-sorting 10,000 items is a
    sort of integers by a precomputed list, well inside one frame.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._loaded: list[ItemRow] = []
        self._rows: list[ItemRow] = []
        self._order: list[int] = []  # shown row -> index into _loaded
        self._keys: dict[int, list] = {}
        self._sort: tuple[int, Qt.SortOrder] = (4, Qt.SortOrder.DescendingOrder)

    def set_rows(self, rows: list[ItemRow]) -> None:
        self.beginResetModel()
        self._loaded = list(rows)
        self._keys = {}
        self._apply_sort()
        self.endResetModel()

    def row_of(self, item_id: int) -> int:
        for i, r in enumerate(self._rows):
            if r.id == item_id:
                return i
        return -1

    def item_id(self, row: int) -> int:
        return self._rows[row].id

    def row_data(self, row: int) -> ItemRow:
        return self._rows[row]

    def rowCount(self, parent: Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                badge = f"   [v{r.new_version} available]" if r.new_version else ""
                return f"{r.title}{badge}"
            if col == 1:
                return r.authors
            if col == 2:
                return "" if r.year is None else str(r.year)
            if col == 3:
                return r.status
            return r.added[:10]
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return kind_icon("pdf" if r.has_pdf else r.kind)
        if role == Qt.ItemDataRole.ToolTipRole and col in (0, 1):
            return r.title if col == 0 else r.authors
        if role == ITEM_ID_ROLE:
            return r.id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        old_order = self._order
        self._apply_sort()
        shown_at = [0] * len(self._order)  # index into _loaded -> new shown row
        for row, loaded in enumerate(self._order):
            shown_at[loaded] = row
        self.changePersistentIndexList(
            persistent,
            [self.index(shown_at[old_order[p.row()]], p.column()) for p in persistent],
        )
        self.layoutChanged.emit()

    def _apply_sort(self) -> None:
        column, order = self._sort
        keys = self._keys.get(column)
        if keys is None:
            keys = self._keys[column] = _sort_keys(column, self._loaded)
        self._order = sorted(
            range(len(self._loaded)),
            key=keys.__getitem__,
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        loaded = self._loaded
        self._rows = [loaded[i] for i in self._order]

    def mimeTypes(self) -> list[str]:
        return [ITEMS_MIME]

    def mimeData(self, indexes) -> QMimeData:
        ids = sorted({self._rows[i.row()].id for i in indexes if i.isValid()})
        mime = QMimeData()
        mime.setData(ITEMS_MIME, encode_ids(ids))
        return mime

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
