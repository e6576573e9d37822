"""Layout that holds from a 1024x700 laptop to a 4K screen: panes and columns sized as shares
of the space there is (with floors), dialogs that grow with the sentence they show."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QHeaderView, QStyledItemDelegate

if TYPE_CHECKING:  # types only: building these classes costs start-up time (see below)
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QDialog, QSplitter, QStyleOptionViewItem, QTableView


FIRST_WINDOW = QSize(1280, 800)


def first_window_size(available: QSize, platform: str) -> QSize:
    """The window's size on a first launch: 1280x800, or the screen's room when that is less.
    The offscreen platform's 800x600 "screen" is no screen: screenshots keep 1280x800."""
    if platform == "offscreen":
        return QSize(FIRST_WINDOW)
    return FIRST_WINDOW.boundedTo(available)


def share(total: int, fractions: list[float], minimums: list[int]) -> list[int]:
    """``total`` pixels split by ``fractions`` (the last one takes the rest), none below its
    minimum."""
    sizes = [max(lo, int(total * f)) for f, lo in zip(fractions[:-1], minimums[:-1], strict=True)]
    sizes.append(max(minimums[-1], total - sum(sizes)))
    return sizes


def set_shares(splitter: QSplitter, total: int, fractions: list[float], minimums: list[int]):
    """Give each pane of ``splitter`` its share of ``total`` and keep every pane above its
    minimum when the window or a dock beside it takes space later."""
    splitter.setChildrenCollapsible(False)
    for index, minimum in enumerate(minimums):
        pane = splitter.widget(index)
        if pane is None:  # fewer panes than minimums
            continue
        pane.setMinimumWidth(minimum)
        # Every pane grows and shrinks with the window, in proportion: a dock opening beside
        # the panes takes its width from all of them, not from the middle one alone.
        splitter.setStretchFactor(index, max(1, round(fractions[index] * 10)))
    splitter.setSizes(share(total, fractions, minimums))


class FittedColumns(QObject):
    """Columns of a table that take a share of its width (between a floor and a ceiling) as
    the table is resized, so every column stays on screen; a column the user drags keeps the
    width they gave it."""

    def __init__(self, table: QTableView, shares: dict[int, tuple[float, int, int]]) -> None:
        super().__init__(table)
        self.table = table
        self.shares = shares  # column -> (share of the width, least, most)
        self.user_sized: set[int] = set()
        self._fitting = False
        header = table.horizontalHeader()
        for column in shares:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.sectionResized.connect(self._resized_by_user)
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        width = self.table.viewport().width()
        header = self.table.horizontalHeader()
        self._fitting = True
        try:
            for column, (fraction, least, most) in self.shares.items():
                if column not in self.user_sized:
                    header.resizeSection(column, max(least, min(most, int(width * fraction))))
        finally:
            self._fitting = False

    def _resized_by_user(self, column: int, _old: int, _new: int) -> None:
        if not self._fitting and column in self.shares:
            self.user_sized.add(column)


def fit_to_text(dialog: QDialog) -> None:
    """Grow ``dialog`` so a sentence just put in one of its wrapping labels shows whole."""
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    needed = layout.totalHeightForWidth(dialog.width())
    if needed < 0:
        needed = layout.totalSizeHint().height()
    if needed > dialog.height():
        dialog.resize(dialog.width(), needed)


class CountsKeptDelegate(QStyledItemDelegate):
    """Draws a row with its counts whole: when the row is too narrow the name is cut
    ("Interpretab…  (1)  · 16 new"), not the numbers the user looks for. ``counts_start``
    says where a row's counts begin in its text (-1: none)."""

    def __init__(self, parent: QObject, counts_start: Callable[[str], int]) -> None:
        super().__init__(parent)
        self.counts_start = counts_start

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        # The usual case, a row with room to spare, goes straight to Qt: this runs for every
        # row at every repaint. (The margin covers bold rows and the icon.)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not text or option.fontMetrics.horizontalAdvance(text) * 1.25 + 24 < option.rect.width():
            super().paint(painter, option, index)
            return
        # Imported here: PySide builds QStyle's class and its many enums on first use, which the
        # window's first paint need not wait for.
        from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        shown = self.shown_text(opt)
        if shown == opt.text:
            super().paint(painter, option, index)
            return
        opt.text = shown
        style = opt.widget.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)

    def shown_text(self, opt: QStyleOptionViewItem) -> str:
        """The row's text as drawn in ``opt`` (set up by ``initStyleOption``)."""
        from PySide6.QtGui import QFontMetrics

        text = opt.text
        cut = self.counts_start(text)
        width = _text_width(opt)
        fm = QFontMetrics(opt.font)  # the row's own font: a bold row is wider than the view's
        if cut < 0 or fm.horizontalAdvance(text) <= width:
            return text
        name, counts = text[:cut], text[cut:]
        room = width - fm.horizontalAdvance(counts)
        name = fm.elidedText(name, Qt.TextElideMode.ElideRight, max(0, room))
        if fm.horizontalAdvance(name) > room:  # not even "N…" fits: the counts come first
            name = ""
        return name + counts


def _text_width(opt: QStyleOptionViewItem) -> int:
    from PySide6.QtWidgets import QStyle

    style = opt.widget.style()
    rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, opt.widget) + 1
    # A few pixels short of the style's text rectangle: text laid out at fractional widths is
    # elided by Qt when it fills the rectangle to the last whole pixel.
    return rect.width() - 2 * margin - 4
