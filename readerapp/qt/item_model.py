"""ItemTableModel: the items of one topic, sortable in the model (fast for 10,000 rows)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)

from readerapp.qt.kind_icons import kind_icon, kind_legend, kind_name
from readerapp.qt.shown_as_written import as_written
from readerapp.qt.topic_model import ITEMS_MIME, encode_ids
from readerapp.services.library import ItemRow

ITEM_ID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Title", "Authors", "Year", "Status", "Added")
COLUMN_SORTS = ("title", "authors", "year", "status", "added")  # LibraryRepository.ROW_SORTS
_STATUS_ORDER = {"to-read": 0, "reading": 1, "read": 2}
# A table row's flags (QAbstractTableModel's) plus dragging; combined once, not per call.
_ROW_FLAGS = (
    Qt.ItemFlag.ItemIsSelectable
    | Qt.ItemFlag.ItemIsEnabled
    | Qt.ItemFlag.ItemNeverHasChildren
    | Qt.ItemFlag.ItemIsDragEnabled
)

Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()  # the invalid index, as a shared default argument
# The roles data() answers, as plain ints: Qt asks ~1,000 times per repaint of the list, and
# each look-up of a Qt.ItemDataRole member goes through the enum's descriptor.
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_DECORATION = Qt.ItemDataRole.DecorationRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value


def _sort_keys(column: int, rows: list[ItemRow], descending: bool = False) -> list:
    """One key per row for ``column``: computed once per loaded list, reused by every sort.

    Undated items go last whichever way the years run: a list sorted by year should open on
    dated papers, not on a block of blanks (``descending`` flips only the dated ones).
    """
    if column == 0:
        return [r.title.casefold() for r in rows]
    if column == 1:  # the stored JSON list sorts by its first author, like the joined text
        return [r.authors_json.casefold() for r in rows]
    if column == 2:
        if descending:  # the list is reversed: undated must sort *below* every year first
            return [(r.year is not None, r.year or 0) for r in rows]
        return [(r.year is None, r.year or 0) for r in rows]
    if column == 3:
        return [_STATUS_ORDER.get(r.status, 9) for r in rows]
    return [r.added for r in rows]


class ItemTableModel(QAbstractTableModel):
    """Rows are ItemRow tuples in the loaded order (``_loaded``) and the shown order (``_rows``).

    Sort keys are computed once per column for the loaded rows, so re-sorting 10,000 items is a
    sort of integers by a precomputed list, well inside one frame.

    At start-up the list can begin with only its first screenful (:meth:`set_first_rows`): the
    row count is already the full one, and the rest is loaded by :meth:`complete`, which the
    window calls right after its first paint; anything that needs rows not yet there completes
    the list first.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._loaded: list[ItemRow] = []
        self._rows: list[ItemRow] = []
        self._order: list[int] = []  # shown row -> index into _loaded
        self._keys: dict[tuple[int, bool], list] = {}  # (column, descending) -> key per row
        self._orders: dict[tuple[int, Qt.SortOrder], list[int]] = {}  # sort -> _order
        self._sort: tuple[int, Qt.SortOrder] = (4, Qt.SortOrder.DescendingOrder)
        self._load_rest: Callable[[], list[ItemRow]] | None = None  # set while incomplete
        self._total = 0

    def set_rows(self, rows: list[ItemRow]) -> None:
        self.beginResetModel()
        self._load_rest = None
        self._loaded = list(rows)
        self._keys, self._orders = {}, {}
        self._apply_sort()
        self.endResetModel()

    def sort_order(self) -> tuple[str, bool]:
        """The list's order as ``LibraryRepository.item_rows(sort=..., descending=...)`` takes it."""
        column, order = self._sort
        return COLUMN_SORTS[column], order == Qt.SortOrder.DescendingOrder

    def set_first_rows(
        self, first: list[ItemRow], total: int, load_all: Callable[[], list[ItemRow]]
    ) -> None:
        """Show ``first`` (the first rows in :meth:`sort_order`) of ``total``; ``load_all``
        fetches every row (in id order) when :meth:`complete` runs."""
        if len(first) >= total:
            self.set_rows(sorted(first, key=lambda r: r.id))
            return
        self.beginResetModel()
        self._loaded = self._rows = list(first)
        self._order = list(range(len(first)))
        self._keys, self._orders = {}, {}
        self._total = total
        self._load_rest = load_all
        self.endResetModel()

    def is_complete(self) -> bool:
        return self._load_rest is None

    def complete(self) -> None:
        """Load the rows :meth:`set_first_rows` left out; the view keeps its selection."""
        if self._load_rest is None:
            return
        load_all, self._load_rest = self._load_rest, None
        rows = load_all()
        if len(rows) != self._total:  # the library changed in between (the command line)
            self.set_rows(rows)
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        first = self._rows
        self._loaded, self._keys, self._orders = rows, {}, {}
        self._apply_sort()
        shown_at = {r.id: row for row, r in enumerate(self._rows)}
        # A loaded row follows its item; a row that was not loaded yet (the user pressed End
        # before the rest arrived) keeps its place, which the full list now fills.
        self.changePersistentIndexList(
            persistent,
            [
                self.index(shown_at.get(first[p.row()].id, p.row()), p.column())
                if p.row() < len(first)
                else self.index(p.row(), p.column())
                for p in persistent
            ],
        )
        self.layoutChanged.emit()

    def row_of(self, item_id: int) -> int:
        for i, r in enumerate(self._rows):
            if r.id == item_id:
                return i
        if self._load_rest is not None:
            self.complete()
            return self.row_of(item_id)
        return -1

    def item_id(self, row: int) -> int:
        return self.row_data(row).id

    def row_data(self, row: int) -> ItemRow:
        if row >= len(self._rows):
            self.complete()
        return self._rows[row]

    def rowCount(self, parent: Index = _NO_PARENT) -> int:
        if parent.isValid():
            return 0
        return len(self._rows) if self._load_rest is None else self._total

    def columnCount(self, parent: Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = _DISPLAY):
        if not index.isValid():
            return None
        row = index.row()
        if row >= len(self._rows):  # not loaded yet: never change rows while painting
            QTimer.singleShot(0, self.complete)
            return None
        r = self._rows[row]
        col = index.column()
        if role == _DISPLAY:
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
        if role == _DECORATION and col == 0:
            return kind_icon("pdf" if r.has_pdf else r.kind)
        if role == _TOOLTIP and col in (0, 1):
            if col == 1:
                return as_written(r.authors)
            kind = "pdf" if r.has_pdf else r.kind
            # The badge's legend: the letters mean nothing until someone says what they stand for.
            return as_written(f"{r.title}\n\n{kind_name(kind)}\n\nAll badges:\n{kind_legend()}")
        if role == ITEM_ID_ROLE:
            return r.id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else super().flags(index)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.complete()
        if (column, order) == self._sort:  # the rows are in this order already
            return  # (QTableView.sortByColumn asks twice: once through its header)
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        old_order = self._order
        self._apply_sort()
        if len(persistent) <= 64:  # the usual case (the current row): look each one up
            new_rows = [self._order.index(old_order[p.row()]) for p in persistent]
        else:  # a big selection: invert the new order once
            shown_at = [0] * len(self._order)  # index into _loaded -> new shown row
            for row, loaded in enumerate(self._order):
                shown_at[loaded] = row
            new_rows = [shown_at[old_order[p.row()]] for p in persistent]
        self.changePersistentIndexList(
            persistent,
            [self.index(row, p.column()) for row, p in zip(new_rows, persistent, strict=True)],
        )
        self.layoutChanged.emit()

    def _apply_sort(self) -> None:
        """Order the loaded rows by ``self._sort``; each order is computed once per loaded list."""
        column, order = self._sort
        self._order = self._orders.get(self._sort)  # type: ignore[assignment]
        if self._order is None:
            descending = order == Qt.SortOrder.DescendingOrder
            # Only the year's keys depend on the direction; the others are shared by both.
            cache = (column, descending and column == 2)
            keys = self._keys.get(cache)
            if keys is None:
                keys = self._keys[cache] = _sort_keys(column, self._loaded, descending)
            self._order = self._orders[self._sort] = sorted(
                range(len(self._loaded)),
                key=keys.__getitem__,
                reverse=order == Qt.SortOrder.DescendingOrder,
            )
        loaded = self._loaded
        self._rows = [loaded[i] for i in self._order]

    def mimeTypes(self) -> list[str]:
        return [ITEMS_MIME]

    def mimeData(self, indexes) -> QMimeData:
        ids = sorted({self.row_data(i.row()).id for i in indexes if i.isValid()})
        mime = QMimeData()
        mime.setData(ITEMS_MIME, encode_ids(ids))
        return mime

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
