"""Small coloured badges drawn at the right end of a cell ("v2", "✓ in library", "3 new").

A model gives a cell's badges under :data:`BADGES_ROLE` as ``(key, text, colour)`` tuples; the
text of the cell is elided before them instead of being cut, so a badge is always seen whole. A
badge can be a link: clicking it emits :attr:`BadgeDelegate.badgeClicked` with its key, and the
pointer turns into a hand over it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from readerapp.qt.badges import BADGES_ROLE, Badge

_PAD_X, _GAP, _MARGIN = 6, 4, 4


class BadgeDelegate(QStyledItemDelegate):
    """Paints a cell's text, then its badges as rounded pills at the right end of the cell."""

    badgeClicked = Signal(QModelIndex, str)  # the cell, the badge's key

    def __init__(self, view: QAbstractItemView, *, clickable: tuple[str, ...] = ()) -> None:
        super().__init__(view)
        self.view = view
        self.clickable = set(clickable)  # keys of the badges that act as links
        if self.clickable:
            view.setMouseTracking(True)  # the hand pointer over a link badge
            # Off every row (or out of the view) no editorEvent comes: the viewport tells.
            view.viewport().installEventFilter(self)
        self._viewport = view.viewport()

    # ---- geometry -----------------------------------------------------------------------------
    def _font(self, option: QStyleOptionViewItem) -> QFont:
        font = QFont(option.font)
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        font.setBold(True)
        return font

    def badge_rects(
        self, option: QStyleOptionViewItem, index: QModelIndex
    ) -> list[tuple[Badge, QRect]]:
        """Where each badge of ``index`` is drawn within ``option.rect``, rightmost last."""
        badges: list[Badge] = index.data(BADGES_ROLE) or []
        if not badges:
            return []
        metrics = QFontMetrics(self._font(option))
        height = min(option.rect.height() - 4, metrics.height() + 2)
        top = option.rect.top() + (option.rect.height() - height) // 2
        right = option.rect.right() - _MARGIN
        placed: list[tuple[Badge, QRect]] = []
        for badge in reversed(badges):
            width = metrics.horizontalAdvance(badge[1]) + 2 * _PAD_X
            placed.append((badge, QRect(right - width + 1, top, width, height)))
            right -= width + _GAP
        placed.reverse()
        return placed

    def badge_at(self, option: QStyleOptionViewItem, index: QModelIndex, pos) -> str | None:
        return next(
            (b[0] for b, rect in self.badge_rects(option, index) if rect.contains(pos)), None
        )

    # ---- painting -----------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        placed = self.badge_rects(option, index)
        if not placed:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget is not None else self.view.style()
        # The row's background and selection across the whole cell, then the text before the
        # badges, elided there.
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, opt.widget)
        text_opt = QStyleOptionViewItem(opt)
        text_opt.rect = QRect(opt.rect)
        text_opt.rect.setRight(placed[0][1].left() - _GAP)
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, text_opt, painter, opt.widget)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self._font(option))
        for (key, text, colour), rect in placed:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colour))
            painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
            painter.setPen(QColor("white"))
            font = painter.font()
            font.setUnderline(key in self.clickable)
            painter.setFont(font)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:  # noqa: N802 (Qt's name)
        size = super().sizeHint(option, index)
        badges: list[Badge] = index.data(BADGES_ROLE) or []
        if badges:
            metrics = QFontMetrics(self._font(option))
            size.setWidth(
                size.width()
                + _MARGIN
                + sum(metrics.horizontalAdvance(b[1]) + 2 * _PAD_X + _GAP for b in badges)
            )
        return size

    # ---- links --------------------------------------------------------------------------------
    def eventFilter(self, watched, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is not self._viewport:  # an editor: the delegate's own handling (Enter, Esc)
            return super().eventFilter(watched, event)
        kind = event.type()
        if kind == QEvent.Type.Leave or (
            kind == QEvent.Type.MouseMove
            and isinstance(event, QMouseEvent)
            and not self.view.indexAt(event.position().toPoint()).isValid()
        ):
            watched.unsetCursor()
        return False

    def editorEvent(self, event: QEvent, model, option, index) -> bool:  # noqa: N802 (Qt's name)
        if not self.clickable or not isinstance(event, QMouseEvent):
            return super().editorEvent(event, model, option, index)
        key = self.badge_at(option, index, event.position().toPoint())
        link = key in self.clickable
        if event.type() == QEvent.Type.MouseMove:
            if link:
                self.view.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
            else:
                self.view.viewport().unsetCursor()
        elif (
            link
            and event.type() == QEvent.Type.MouseButtonRelease
            and event.button() == Qt.MouseButton.LeftButton
        ):
            self.badgeClicked.emit(index.sibling(index.row(), index.column()), key)
            return True
        return super().editorEvent(event, model, option, index)
