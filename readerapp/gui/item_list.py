"""The item list pane: sortable columns, multi-select, drag items onto topics."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView

from readerapp.gui.layout import FittedColumns
from readerapp.gui.typed_widgets import own_viewport
from readerapp.qt.item_model import ItemTableModel

# Keys the list handles itself, for the shortcut list: (keys, what they do).
ITEM_LIST_KEYS = (("Enter, double-click", "Open the selected paper (its PDF in a tab)"),)


class ItemListView(QTableView):
    itemActivated = Signal(int)  # double-click / Enter
    currentItemChanged = Signal(object)  # item id or None
    contextMenuWanted = Signal(QMenu, list)  # a menu about to show, the selected item ids

    def __init__(self, model: ItemTableModel, parent=None) -> None:
        super().__init__(parent)
        own_viewport(self)  # before anything asks for viewport(): see own_viewport
        self.setObjectName("itemList")
        self.setModel(model)
        self.setSortingEnabled(True)
        self.sortByColumn(4, Qt.SortOrder.DescendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Year, status and date as wide as their text in this font (right on a 4K screen too);
        # the authors take a share of the list, so all five columns fit a 1024-px window.
        fm = self.fontMetrics()
        pad = 2 * fm.horizontalAdvance("M")
        for col, sample in ((2, "Year"), (3, "to-read"), (4, "2026-12-07")):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, fm.horizontalAdvance(sample) + pad)
        header.setMinimumSectionSize(fm.horizontalAdvance("2026") + fm.horizontalAdvance("M"))
        self.fitted_columns = FittedColumns(self, {1: (0.24, 80, 320)})
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.doubleClicked.connect(
            lambda index: self.itemActivated.emit(model.item_id(index.row()))
        )
        self.selectionModel().currentRowChanged.connect(self._on_current)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)

    def item_model(self) -> ItemTableModel:
        return self.model()  # type: ignore[return-value]

    def selected_item_ids(self) -> list[int]:
        model = self.item_model()
        return sorted({model.item_id(i.row()) for i in self.selectionModel().selectedRows()})

    def current_item_id(self) -> int | None:
        index = self.currentIndex()
        return self.item_model().item_id(index.row()) if index.isValid() else None

    def select_item(self, item_id: int) -> bool:
        row = self.item_model().row_of(item_id)
        if row < 0:
            return False
        self.select_row(row)
        return True

    def select_row(self, row: int) -> None:
        """Make ``row`` the one selected, current row.

        Not ``selectRow``: that reads the keyboard modifiers held at the time, so a selection
        made by the program while Ctrl is down (a Ctrl shortcut that shows an item) would toggle
        the row instead, or add it to the rows already selected.
        """
        index = self.item_model().index(row, 0)
        flags = QItemSelectionModel.SelectionFlag
        self.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
        self.scrollTo(index)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            item_id = self.current_item_id()
            if item_id is not None:
                self.itemActivated.emit(item_id)
                return
        super().keyPressEvent(event)

    def _on_current(self, current, _previous) -> None:
        self.currentItemChanged.emit(
            self.item_model().item_id(current.row()) if current.isValid() else None
        )

    def _context_menu(self, pos) -> None:
        ids = self.selected_item_ids()
        if not ids:
            return
        menu = QMenu(self)
        self.contextMenuWanted.emit(menu, ids)
        if not menu.isEmpty():
            menu.exec(self.viewport().mapToGlobal(pos))
