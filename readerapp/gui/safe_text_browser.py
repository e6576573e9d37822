"""A rich-text view that loads nothing: for text the user or a feed wrote (notes, feed entries).

Qt's rich text reads any local path an ``<img>`` names (``/dev/zero`` would eat the memory, a
FIFO would hang the window): QTextBrowser through its ``loadResource``, and Qt's image handler
directly when no resource came back. So the document here answers every image with a blank one
of its own and every style sheet with nothing; nothing is read, local or remote. The HTML shown
has no images anyway (feeds and notes show them as words); this is the second line. Links are
handed on for the window's link opener to decide (it refuses unsafe schemes).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QColor, QImage, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget


class NothingLoadedDocument(QTextDocument):
    """A text document that never loads an image or style sheet it names."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._blank = QImage(1, 1, QImage.Format.Format_ARGB32)
        self._blank.fill(QColor(0, 0, 0, 0))

    def loadResource(self, kind: int, name: QUrl | str) -> object:  # noqa: N802 (Qt naming)
        # A null answer would make Qt's image handler read the file itself.
        if kind == QTextDocument.ResourceType.ImageResource.value:
            return self._blank
        return ""


class SafeTextBrowser(QTextBrowser):
    """Shows HTML without loading anything: no remote images, no local files."""

    linkActivated = Signal(str)  # for the window's link opener, which decides what opens

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocument(NothingLoadedDocument(self))
        self.setOpenLinks(False)  # links are never followed inside the app
        self.anchorClicked.connect(lambda url: self.linkActivated.emit(url.toString()))
