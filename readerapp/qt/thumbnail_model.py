"""A list model of page thumbnails, rendered only for the rows a view actually shows."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPixmap

from readerapp.qt.page_renderer import THUMB_ZOOM, PageRenderer

Index = QModelIndex | QPersistentModelIndex


class ThumbnailModel(QAbstractListModel):
    """Row ``i`` is page ``i``; its decoration is rendered on first display."""

    def __init__(self, renderer: PageRenderer, parent=None) -> None:
        super().__init__(parent)
        self.renderer = renderer
        self._pixmaps: dict[int, QPixmap] = {}
        self._outdated: set[int] = set()  # pages being drawn anew: their old pixmap shows till then
        self._asked: list[int] = []
        self._ask_timer = QTimer(self, singleShot=True, interval=0)
        self._ask_timer.timeout.connect(self._ask)
        renderer.thumbnailReady.connect(self._ready)
        renderer.pagesChanged.connect(self._changed)
        sizes = renderer.document.page_sizes
        w = max((s[0] for s in sizes), default=612)
        h = max((s[1] for s in sizes), default=792)
        self._placeholder = QPixmap(QSize(round(w * THUMB_ZOOM), round(h * THUMB_ZOOM)))
        self._placeholder.fill(QColor("#f4f4f4"))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self.renderer.document.page_count

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        page = index.row()
        if role == Qt.ItemDataRole.DisplayRole:
            return str(page + 1)
        if role == Qt.ItemDataRole.DecorationRole:
            pixmap = self._pixmaps.get(page)
            if pixmap is None:
                image = self.renderer.thumbnail(page)
                if image is not None and image.tiles:
                    pixmap = QPixmap.fromImage(image.tiles[0][2])
                    self._pixmaps[page] = pixmap
                else:
                    if page not in self._asked:
                        self._asked.append(page)
                        self._ask_timer.start()
                    return self._placeholder
            return pixmap
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Page {page + 1}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignHCenter)
        return None

    def is_drawn(self, page: int) -> bool:
        """The thumbnail of ``page`` is rendered (or could not be: that page has an error)."""
        return (
            page in self._pixmaps
            or self.renderer.thumbnail(page) is not None
            or page in self.renderer.errors
        )

    def _ask(self) -> None:
        # Only the rows shown since the last ask: scrolling past pages never queues them all.
        pages, self._asked = self._asked[-40:], []
        self.renderer.request_thumbnails(pages)

    def _changed(self, pages: set[int]) -> None:
        """``pages`` look different now: their thumbnails are drawn again."""
        for page in pages:
            if page in self._pixmaps:
                self._outdated.add(page)
                self._asked.append(page)
        if self._asked:
            self._ask_timer.start()

    def _ready(self, page: int) -> None:
        if page in self._outdated:
            self._outdated.discard(page)
            self._pixmaps.pop(page, None)
        if 0 <= page < self.rowCount():
            index = self.index(page)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])
