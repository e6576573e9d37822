"""A preview of where an internal link goes (a citation, a figure, a section), shown on hover.

Reading a paper, "as shown in [12]" or "see Figure 3" means a trip to another page and back; the
preview shows that place under the pointer instead, the way Sioyek does.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

from readerapp.pdf.document import PageRenderError, PdfDocument
from readerapp.pdf.types import PdfLink, Rect
from readerapp.qt.page_renderer import band_image

MAX_WIDTH = 760  # logical px: wide enough for a full text line at reading size
PREVIEW_HEIGHT_PT = 190.0  # how much of the target page, from just above the target point
ABOVE_TARGET_PT = 8.0  # a little above the target point, so its first line is never cut
MARGIN_PT = 12.0  # white kept around the text


def preview_area(document: PdfDocument, link: PdfLink, scale: float) -> tuple[int, Rect, float]:
    """(page, area in PDF points, logical scale) that the preview of ``link`` shows: the text
    there at the reader's own ``scale`` (smaller if it would not fit MAX_WIDTH), without the
    page's empty margins."""
    page = link.target_page if link.target_page is not None else 0
    width, height = document.page_sizes[page]
    top = max(0.0, min((link.target_y or 0.0) - ABOVE_TARGET_PT, height - PREVIEW_HEIGHT_PT))
    bottom = min(height, top + PREVIEW_HEIGHT_PT)
    inside = [w.rect for w in document.words(page) if w.rect[3] > top and w.rect[1] < bottom]
    left = max(0.0, min((r[0] for r in inside), default=0.0) - MARGIN_PT)
    right = min(width, max((r[2] for r in inside), default=width) + MARGIN_PT)
    return page, (left, top, right, bottom), min(scale, MAX_WIDTH / (right - left))


class LinkPreview(QLabel):
    """A borderless popup that shows part of a page; it never takes the keyboard."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.ToolTip)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFrameShape(QLabel.Shape.Box)
        self.setLineWidth(1)
        self.target: tuple[int, Rect] | None = None  # what it shows: (page, area)

    def show_link(
        self,
        document: PdfDocument,
        link: PdfLink,
        at: QPoint,
        *,
        scale: float,
        dpr: float,
        night: bool,
    ) -> bool:
        """Show where ``link`` leads at ``scale`` (the reader's), its top-left near ``at``
        (global px); False if that page cannot be rendered (the hint line names the page)."""
        page, area, scale = preview_area(document, link, scale)
        try:
            band = document.render_area(page, scale * dpr, area, invert=night)
        except PageRenderError:
            self.hide()
            return False
        pixmap = QPixmap.fromImage(band_image(band))  # a copy: the band's buffer may go now
        pixmap.setDevicePixelRatio(dpr)
        self.setPixmap(pixmap)
        self.adjustSize()
        self.target = (page, area)
        self.move(self._placed(at))
        self.show()
        return True

    def _placed(self, at: QPoint) -> QPoint:
        """Below and right of the pointer, or above it where the screen ends."""
        screen = QGuiApplication.screenAt(at) or QGuiApplication.primaryScreen()
        bounds: QRect = screen.availableGeometry() if screen is not None else QRect()
        x, y = at.x() + 12, at.y() + 20
        if bounds.isValid():
            if x + self.width() > bounds.right():
                x = max(bounds.left(), bounds.right() - self.width())
            if y + self.height() > bounds.bottom():
                y = max(bounds.top(), at.y() - 12 - self.height())
        return QPoint(x, y)

    def dismiss(self) -> None:
        self.target = None
        self.hide()
