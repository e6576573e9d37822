"""An editable title that wraps: a long paper title shows whole, on as many lines as it needs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QSizePolicy, QWidget

if TYPE_CHECKING:  # types only: their classes cost start-up time to build
    from PySide6.QtGui import QFocusEvent, QKeyEvent


class TitleEdit(QPlainTextEdit):
    """A one-paragraph text field with QLineEdit's API (``text``, ``setText``,
    ``editingFinished``) whose height follows its wrapped text. Enter ends the edit."""

    editingFinished = Signal()
    textEdited = Signal(str)  # a change not made by setText (the user's, as for QLineEdit)

    def __init__(self, parent: QWidget | None = None, *, objectName: str = "") -> None:  # noqa: N803
        super().__init__(parent)
        if objectName:
            self.setObjectName(objectName)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabChangesFocus(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().setDocumentMargin(2)
        self._edited = False
        self._setting = False
        self.textChanged.connect(self._changed)

    # ---- QLineEdit's API ------------------------------------------------------------------------
    def text(self) -> str:
        return " ".join(self.toPlainText().split())  # a title is one line, however it wraps

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self._setting = True
        try:
            self.setPlainText(text)
        finally:
            self._setting = False
        self._edited = False

    def setCursorPosition(self, position: int) -> None:  # noqa: N802 (Qt's name)
        cursor = self.textCursor()
        cursor.setPosition(min(position, len(self.toPlainText())))
        self.setTextCursor(cursor)

    # ---- height follows the text ----------------------------------------------------------------
    def _changed(self) -> None:
        self.updateGeometry()
        self._fit_height()
        if not self._setting:
            self._edited = True
            self.textEdited.emit(self.text())

    def _fit_height(self) -> None:
        margin = int(self.document().documentMargin())
        width = max(20, self.viewport().width() - 2 * margin - 4)
        flags = Qt.TextFlag.TextWordWrap
        text = self.toPlainText() or " "
        wrapped = self.fontMetrics().boundingRect(QRect(0, 0, width, 100000), flags, text)
        margins = self.contentsMargins()
        height = wrapped.height() + 2 * margin + margins.top() + margins.bottom() + 4
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_height()  # a narrower pane wraps the title on more lines

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(super().sizeHint().width(), self.height())

    # ---- ending an edit -------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._finish()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt's name)
        super().focusOutEvent(event)
        self._finish()

    def _finish(self) -> None:
        if self._edited:
            self._edited = False
            self.editingFinished.emit()

    def insertFromMimeData(self, source) -> None:  # noqa: N802 (Qt's name)
        # A pasted title with line breaks stays one title.
        self.insertPlainText(" ".join(source.text().split()))
