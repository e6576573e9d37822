"""Qt models of the feed panel: the entry table, loaded a page at a time.

A feed of 50,000 entries opens in milliseconds because only the first page is read; the view asks
for more (``canFetchMore``/``fetchMore``) as the user scrolls.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from readerapp.core.feed_scope import ALL_ENTRIES, FeedScope
from readerapp.core.latex_text import latex_title
from readerapp.qt.badges import BADGES_ROLE, Badge
from readerapp.qt.shown_as_written import as_written
from readerapp.services.feeds import EntryRow, FeedService

PAGE = 100
COLUMNS = ("", "Title", "Authors", "Date", "Categories", "Matched")
STAR, TITLE, AUTHORS, DATE, CATEGORY, MATCHED = range(len(COLUMNS))
EntryIdRole = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


class EntryTableModel(QAbstractTableModel):
    """Entries of one scope (a feed, a topic inbox, starred, all), newest first."""

    def __init__(self, feeds: FeedService, topic_names: Callable[[], dict[int, str]], parent=None):
        super().__init__(parent)
        self.feeds = feeds
        self._topic_names = topic_names
        self._names: dict[int, str] = {}
        self.scope: FeedScope = ALL_ENTRIES
        self.rows: list[EntryRow] = []
        self._texts: dict[int, tuple[str, ...]] = {}
        self._exhausted = True
        self._bold = QFont()
        self._bold.setBold(True)

    # ---- loading ------------------------------------------------------------------------------
    def set_scope(self, scope: FeedScope) -> None:
        self.beginResetModel()
        self.scope = scope
        self._names = self._topic_names()
        self.rows = self.feeds.entry_rows(scope, limit=PAGE)
        self._texts.clear()
        self._exhausted = len(self.rows) < PAGE
        self.endResetModel()

    def reload(self) -> None:
        """Re-read the rows shown so far (after a refresh or a change of state)."""
        self.beginResetModel()
        self._names = self._topic_names()
        count = max(PAGE, len(self.rows))
        self.rows = self.feeds.entry_rows(self.scope, limit=count)
        self._texts.clear()
        self._exhausted = len(self.rows) < count
        self.endResetModel()

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: N802, B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: N802, B008
        more = self.feeds.entry_rows(self.scope, limit=PAGE, offset=len(self.rows))
        self._exhausted = len(more) < PAGE
        if more:
            start = len(self.rows)
            self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
            self.rows.extend(more)
            self.endInsertRows()

    def update_row(self, entry_id: int) -> None:
        """Refresh one row in place (read/star/added changed)."""
        for i, row in enumerate(self.rows):
            if row.id == entry_id:
                fresh = self.feeds.entry_rows_by_id([entry_id])
                if fresh:
                    self.rows[i] = fresh[0]
                    self._texts.pop(i, None)
                    self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))
                return

    def row_of(self, entry_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == entry_id), -1)

    # ---- the model ----------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = index.row()
        if role == Qt.ItemDataRole.DisplayRole:
            # Painting asks for every visible cell several times: build a row's texts once.
            texts = self._texts.get(r)
            if texts is None:
                texts = self._texts[r] = self._row_texts(self.rows[r])
            return texts[index.column()]
        row = self.rows[r]
        col = index.column()
        if role == Qt.ItemDataRole.FontRole:
            return None if row.read else self._bold
        if role == BADGES_ROLE:
            return self.badges(row) if col == TITLE else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == MATCHED and row.matches:
                return as_written(self.matches_text(row, long=True))
            if col == TITLE:
                # The badges' words in full: "new v2" is short for the cell's sake.
                long = {"version": f"new version v{row.version}"} if row.version else {}
                marks = "; ".join(long.get(key, text) for key, text, _colour in self.badges(row))
                title = latex_title(row.title)
                return as_written(f"{title}\n({marks})" if marks else title)
        elif role == EntryIdRole:
            return row.id
        elif role == Qt.ItemDataRole.AccessibleTextRole and col == STAR:
            return "starred" if row.starred else "not starred"
        return None

    def _row_texts(self, row: EntryRow) -> tuple[str, ...]:
        return (
            "★" if row.starred else "",
            self.title_text(row),
            row.authors,
            row.published[:10],
            row.categories,
            self.matches_text(row),
        )

    def title_text(self, row: EntryRow) -> str:
        """The title as a reader sees it on arXiv: its LaTeX rendered, its marks left to badges."""
        title = latex_title(row.title)
        return title if len(title) <= 300 else title[:300] + "…"

    @staticmethod
    def badges(row: EntryRow) -> list[Badge]:
        """What the title cell shows after the title: in the library, a new version, a cross-list."""
        marks: list[Badge] = []
        if row.announce_type.startswith("replace"):
            text = f"new v{row.version}" if row.version else "new version"
            marks.append(("version", text, "#b35900"))
        elif row.announce_type.endswith("cross"):
            marks.append(("cross", "cross-list", "#607d8b"))
        if row.in_library:
            marks.append(("library", "✓ in library", "#2e7d32"))
        return marks

    def matches_text(self, row: EntryRow, long: bool = False) -> str:
        parts = []
        for topic_id, reasons in row.matches:
            path = self._names.get(topic_id, "?")
            # The cell shows the topic's own name; the tooltip its full path and the reasons.
            parts.append(f"{path}: {', '.join(reasons)}" if long else path.rsplit("/", 1)[-1])
        return ("\n" if long else ", ").join(parts)
