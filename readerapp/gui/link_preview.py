"""A preview of where an internal link goes (a citation, a figure, a section), shown on hover.

Reading a paper, "as shown in [12]" or "see Figure 3" means a trip to another page and back; the
preview shows that place under the pointer instead, the way Sioyek does.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

from readerapp.pdf.document import PageRenderError, PdfDocument
from readerapp.pdf.types import PdfLink, Rect
from readerapp.qt.page_renderer import band_image

MAX_WIDTH, MAX_HEIGHT = 760, 340  # logical px: a full text line at reading size, a few lines
MIN_SCALE = 1.0  # px per point: zoomed far out, the preview is still readable
PREVIEW_HEIGHT_PT = 190.0  # how much of the target page, from just above the target point
ABOVE_TARGET_PT = 8.0  # a little above the target point, so its first line is never cut
MARGIN_PT = 12.0  # white kept around the page's text
MARKER = QColor(255, 150, 40)  # the find bar's current-match orange: "it is here"


def preview_area(document: PdfDocument, link: PdfLink, scale: float) -> tuple[int, Rect, float]:
    """(page, area in PDF points, logical scale) that the preview of ``link`` shows: the width
    of the page's text (its empty margins left out; a figure as wide as the text fits), at the
    reader's own ``scale`` within MIN_SCALE and what fits MAX_WIDTH by MAX_HEIGHT."""
    page = link.target_page if link.target_page is not None else 0
    width, height = document.page_sizes[page]
    rects = [w.rect for w in document.words(page)]
    left = max(0.0, min((r[0] for r in rects), default=0.0) - MARGIN_PT)
    right = min(width, max((r[2] for r in rects), default=width) + MARGIN_PT)
    # No target point: the top of the page's text, not its blank top margin.
    target = link.target_y if link.target_y is not None else min((r[1] for r in rects), default=0)
    scale = min(max(scale, MIN_SCALE), MAX_WIDTH / (right - left))
    tall = min(PREVIEW_HEIGHT_PT, MAX_HEIGHT / scale, height)
    top = max(0.0, min(target - ABOVE_TARGET_PT, height - tall))
    return page, (left, top, right, top + tall), scale


class LinkPreview(QLabel):
    """A popup without window decorations that shows part of a page; it never takes the
    keyboard."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.ToolTip)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # Grey shows against white paper and against night mode's black alike.
        self.setStyleSheet("QLabel { border: 1px solid #8a8a8a; }")
        self.target: tuple[int, Rect] | None = None  # what it shows: (page, area)
        self._cached: tuple[tuple, QPixmap] | None = None  # the last one: hovering it again is free

    def show_link(
        self,
        document: PdfDocument,
        link: PdfLink,
        at: QPoint,
        *,
        scale: float,
        dpr: float,
        night: bool,
        keep_images: bool = False,
    ) -> bool:
        """Show where ``link`` leads, its top-left near ``at`` (global px); False if that page
        cannot be rendered (the hint line names the page all the same)."""
        page, area, scale = preview_area(document, link, scale)
        key = (
            id(document),
            page,
            area,
            scale,
            dpr,
            night,
            keep_images,
            link.target_x,
            link.target_y,
        )
        if self._cached is not None and self._cached[0] == key:
            pixmap = self._cached[1]
        else:
            try:
                band = document.render_area(
                    page, scale * dpr, area, night=night, keep_images=keep_images
                )
            except PageRenderError:
                self.dismiss()
                return False
            pixmap = QPixmap.fromImage(band_image(band))  # a copy: the band's buffer may go now
            pixmap.setDevicePixelRatio(dpr)
            self._mark_target(pixmap, link, area, scale)
            self._cached = (key, pixmap)
        self.setPixmap(pixmap)
        size = pixmap.deviceIndependentSize().toSize()
        self.resize(size.width() + 2, size.height() + 2)  # the border; never Qt's 2/3-screen cap
        self.target = (page, area)
        self.move(self._placed(at))
        self.show()
        return True

    @staticmethod
    def _mark_target(pixmap: QPixmap, link: PdfLink, area: Rect, scale: float) -> None:
        """A bar left of the target point: in a two-column list of references, [15] and [5] sit
        side by side, and the bar says which one the link means."""
        if link.target_y is None:
            return
        x = ((link.target_x if link.target_x is not None else area[0]) - area[0]) * scale
        y = (link.target_y - area[1]) * scale
        painter = QPainter(pixmap)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(MARKER)
        painter.drawRect(QRectF(max(0.0, x - 7), y, 3, 11 * scale))
        painter.end()

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


class EnterWatch(QObject):
    """Calls ``entered`` when the pointer enters a watched widget (the view's scroll bars: the
    view itself sees no event when the pointer crosses from a link onto them)."""

    def __init__(self, entered: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self.entered = entered

    def eventFilter(self, watched: QObject, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == event.Type.Enter:
            self.entered()
        return False
