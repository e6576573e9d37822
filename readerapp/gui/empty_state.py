"""What an empty list says: a sentence in its middle telling the user what to do next.

Installed on any item view without subclassing it: a label over the view's viewport, shown only
while the view's model has no rows. Clicks and drops pass through it to the view.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractItemView, QLabel

from readerapp.gui.typed_widgets import named

MARGIN = 24
MAX_LINE_CHARS = 70


class EmptyStateHint(QObject):
    """Shows ``text()`` centred in ``view`` while its model is empty; :meth:`update` re-reads it."""

    def __init__(self, view: QAbstractItemView, text: Callable[[], str]) -> None:
        # A child of the viewport, which outlives its view for a moment when a window closes.
        self.viewport = view.viewport()
        super().__init__(self.viewport)
        self.view = view
        self.text = text
        self.label = named(QLabel(self.viewport), "emptyStateHint")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        # Greyed, like a placeholder: a hint, not content. Half way from the text colour to the
        # list's background reads as grey in light and dark themes alike.
        palette = self.label.palette()
        ink = palette.color(QPalette.ColorRole.Text)
        base = palette.color(QPalette.ColorRole.Base)
        grey = QColor(
            (ink.red() + base.red()) // 2,
            (ink.green() + base.green()) // 2,
            (ink.blue() + base.blue()) // 2,
        )
        self.label.setForegroundRole(QPalette.ColorRole.WindowText)  # not the viewport's Text
        palette.setColor(QPalette.ColorRole.WindowText, grey)
        self.label.setPalette(palette)
        self.label.hide()
        self.viewport.installEventFilter(self)
        model = view.model()
        for signal in (
            model.modelReset,
            model.rowsInserted,
            model.rowsRemoved,
            model.layoutChanged,
        ):
            signal.connect(self.update)
        self.update()

    def current_text(self) -> str:
        """The sentence shown now ("" while the list has rows)."""
        return self.label.text() if self.label.isVisibleTo(self.view) else ""

    def update(self) -> None:
        model = self.view.model()
        empty = model is not None and model.rowCount() == 0
        if empty:
            self.label.setText(self.text())
            self._place()
        self.label.setVisible(empty)

    def _place(self) -> None:
        area = self.viewport.rect().adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        # A sentence reads in lines of a comfortable length, not across a 4K-wide list.
        width = min(area.width(), self.label.fontMetrics().averageCharWidth() * MAX_LINE_CHARS)
        area.setLeft(area.left() + (area.width() - width) // 2)
        area.setWidth(width)
        self.label.setGeometry(area)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Resize and watched is self.viewport:
            self._place()
        return False
