"""A continuous vertical view of a PDF's pages, rendered on demand off the GUI thread.

Besides reading (scroll, zoom, links with Back, text selection), it is the surface the annotation
layer builds on: overlays drawn from a provider, tools ('text', 'area', 'note') and signals for what
the user pointed at, in PDF coordinates.
"""

from __future__ import annotations

import bisect
import logging
import math
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QGuiApplication,
    QKeySequence,
    QPainter,
    QPen,
    QRegion,
)
from PySide6.QtWidgets import QAbstractScrollArea, QMenu, QWidget

from readerapp.gui.typed_widgets import application, named
from readerapp.pdf.document import PdfDocument
from readerapp.pdf.night import NIGHT_PAPER
from readerapp.pdf.types import Overlay, PdfLink, Point, Rect, TextSelection
from readerapp.qt.page_renderer import DEFAULT_CACHE_BYTES, PageImage, PageRenderer
from readerapp.qt.shown_as_written import as_written

if TYPE_CHECKING:  # PySide builds a class (and its enums) the first time it is imported:
    # these arrive with their first event instead of slowing the first page down.
    from PySide6.QtGui import QMouseEvent, QPaintEvent, QWheelEvent

    from readerapp.gui.link_preview import LinkPreview

log = logging.getLogger(__name__)

GAP = 12  # logical pixels between pages and around them
MIN_SCALE, MAX_SCALE = 0.1, 8.0
PREFETCH_PAGES = 1  # pages rendered beyond the visible ones, each side
HISTORY_LENGTH = 50  # jumps Back remembers
# Dragging a selection within AUTOSCROLL_EDGE px of the top or bottom edge, or past it, scrolls
# the view every AUTOSCROLL_MS, by up to AUTOSCROLL_MAX_STEP px: faster the further out.
AUTOSCROLL_EDGE, AUTOSCROLL_MS, AUTOSCROLL_MAX_STEP = 16, 30, 80
LINK_PREVIEW_DELAY_MS = 350  # resting on a link this long shows where it goes
PREVIEW_RETRY_MS = 50  # ... once the pages being rendered are done
# Ctrl+wheel notches this close together (ms, by the events' own clocks) at the same spot are one
# zoom: each is anchored on the point the first one was over, so a page that was re-centred or
# stopped at an edge on the way (zooming out, then in again) does not carry the point away. A
# scroll or another zoom in between ends the run: the next notch keeps the point under the
# pointer then, not one scrolled away from.
ZOOM_BURST_MS = 500
# Keys the view handles itself (keyPressEvent, wheelEvent), as Help -> Keyboard Shortcuts lists
# them: (keys, what they do).
VIEW_KEYS: tuple[tuple[str, str], ...] = (
    ("Page Down, Space", "Next screenful (in Fit Page, the next page)"),
    ("Page Up, Shift+Space", "Previous screenful (in Fit Page, the previous page)"),
    ("Home, End", "First page, last page"),
    ("Ctrl+wheel", "Zoom in or out around the pointer"),
    ("Double-click, triple-click", "Select a word, a line"),
    ("Ctrl+C", "Copy the selected text (or the selected highlight's)"),
)

OverlayProvider = Callable[[int], list[Overlay]]
CopyProvider = Callable[[], str]


def _fill(painter: QPainter, rect: QRect | QRectF, color: QColor) -> None:
    """``painter.fillRect(rect, color)``, without what its first call costs at start-up.

    To rule out fillRect's ``QGradient.Preset`` overload, PySide builds QGradient's enums (170
    names, 2-3 ms) the first time fillRect is called, which is during the window's first paint.
    A rectangle drawn with no pen fills the same pixels.
    """
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawRect(rect)
    painter.restore()


class PointerTool(StrEnum):
    """What a click or a drag on the page does."""

    TEXT = "text"  # select text, follow links
    AREA = "area"  # drag a box for an area highlight
    NOTE = "note"  # click where a sticky note goes


class PdfView(QAbstractScrollArea):
    """Shows every page of ``document`` one under the other; only visible pages are rendered."""

    selectionChanged = Signal()
    overlayClicked = Signal(object)  # Overlay.id
    areaSelected = Signal(int, object)  # page, rect in PDF points
    pointClicked = Signal(int, object)  # page, point in PDF points
    contextMenuRequested = Signal(QMenu, int, object)  # menu about to show, page, point
    # The target, "" when the pointer leaves a link, or a sentence when a link could not open.
    linkHovered = Signal(str)
    externalLinkActivated = Signal(str)  # a link out of the document was clicked
    currentPageChanged = Signal(int)
    scaleChanged = Signal(float)
    historyChanged = Signal(bool, bool)  # whether Back, and Forward, have somewhere to go
    toolChanged = Signal(str)  # a PointerTool's value
    layoutChanged = Signal()  # the spread or the rotation changed

    def __init__(
        self,
        document: PdfDocument,
        parent: QWidget | None = None,
        *,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.renderer = PageRenderer(document, cache_bytes, self)
        self.renderer.pageReady.connect(self._page_ready)
        self._scale = 1.0
        self._fit: str | None = "width"  # 'width' | 'page' | None
        self._night = False
        self._tops: list[int] = []
        self._widths: list[int] = []
        self._heights: list[int] = []
        self._content_w = 0
        self._xs: list[int] = []  # each page's left edge in the content, in pixels
        self._spread = False
        self._rotation = 0
        self._content_h = 0
        self._tool = PointerTool.TEXT
        self._selections: list[TextSelection] = []  # one per page, in reading order
        self._press: tuple[int, Point, QPoint] | None = None  # page, point, where (view px)
        self._pressed_link: PdfLink | None = None
        self._dragging = False
        self._area: tuple[int, Rect] | None = None
        self._overlay_provider: OverlayProvider | None = None
        self._copy_fallback: CopyProvider | None = None
        # The last Ctrl+wheel notch: its time in ms, where, the page point it was over, and the
        # scale it left. Forgotten when the reader scrolls (see _scrolled).
        self._zoom_burst: tuple[int, QPoint, tuple[int, Point], float] | None = None
        self._zooming = False  # the scroll bars move because the scale changes
        self._double_click: tuple[int, QPoint] | None = None  # when and where, for a triple
        self._overlay_cache: dict[int, list[Overlay]] = {}
        self._matches: dict[int, list[list[Rect]]] = {}  # page -> matches -> rect per line
        self._current_match: tuple[int, int] | None = None
        self._flash: tuple[int, Rect] | None = None
        self._flash_timer = QTimer(self, singleShot=True, interval=1200)
        self._flash_timer.timeout.connect(self._end_flash)
        self._history: list[tuple[int, float]] = []  # where Back goes, the latest last
        self._drag_pos = QPoint()
        self._preview: LinkPreview | None = None  # made on first use
        self._preview_guard: QObject | None = None  # ... and its watch on the scroll bars
        self._preview_at = QPoint()
        self._preview_timer = QTimer(self, singleShot=True, interval=LINK_PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._show_link_preview)
        self._autoscroll = QTimer(self, interval=AUTOSCROLL_MS)
        self._autoscroll.timeout.connect(self._autoscroll_tick)
        self._future: list[tuple[int, float]] = []  # where Forward goes, the next last
        self._hovered_link: PdfLink | None = None
        self._last_page = -1
        # A window being laid out resizes the view several times, the first at sizes it never
        # shows: pages are asked for once the size has settled (at the next paint, or the next
        # event-loop turn), so the first page is not rendered at a zoom nobody sees first.
        self._resizing = False
        self._schedule_pending = False
        # A place restored while the view is hidden (~100 px wide: a scroll offset at that scale
        # is ~8 points coarse), that its size cannot scroll to, or kept through a resize: held
        # exactly, and put back by every resize, until the reader scrolls, zooms or goes to a
        # page (position() returns it meanwhile).
        self._held_position: tuple[int, float] | None = None
        self._settled = QTimer(self, singleShot=True, interval=0)
        self._settled.timeout.connect(self._schedule_if_pending)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # A viewport of our own making: the one Qt makes has no Python object yet, and asking
        # for it the first time makes PySide resolve every QWidget subclass to find its type
        # (5-12 ms of a launch, before the first page can be painted).
        self.setViewport(named(QWidget(), "qt_scrollarea_viewport"))
        self.viewport().setMouseTracking(True)
        self.viewport().setAutoFillBackground(False)
        # paintEvent paints every pixel it is asked for (the gaps, then each page), so Qt need not
        # fill the whole viewport with the background first, which cost nearly as much as drawing
        # the page image itself.
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.horizontalScrollBar().valueChanged.connect(self._scrolled)
        self._relayout()

    # ---- the contract: pages, position, scale -------------------------------------------------
    @property
    def page_count(self) -> int:
        return self.document.page_count

    def scale(self) -> float:
        """Logical pixels per PDF point."""
        return self._scale

    def zoom_percent(self) -> float:
        """The scale as the user sees it: 100% is the paper's real size on this screen."""
        return self._scale / self._real_size_scale() * 100.0

    def fit_mode(self) -> str | None:
        return self._fit

    def current_page(self) -> int:
        """The page the reader is on (0-based): the one that fills most of the view, the first
        of several that fit whole. Not the one at the top edge: after Space, the page that now
        fills nine tenths of the view is the one being read."""
        if not self._tops:
            return 0
        top = self.verticalScrollBar().value()
        bottom = top + self.viewport().height()
        best, shown = 0, -1
        for page in self._visible_pages():
            height = min(bottom, self._tops[page] + self._heights[page]) - max(
                top, self._tops[page]
            )
            if height > shown:
                best, shown = page, height
        return best

    def position(self) -> tuple[int, float]:
        """(page, y in points) at the top edge of the view: what Back, Forward, a resize and
        reopening restore. The page at the top edge, not current_page(): with the end of page 1
        above page 2, that page-1 offset is where the reader was."""
        if self._held_position is not None:
            return self._held_position
        if not self._tops:
            return 0, 0.0
        top = self.verticalScrollBar().value()
        page = max(0, bisect.bisect_right(self._tops, top) - 1)
        if page + 1 < self.page_count and top >= self._tops[page] + self._heights[page]:
            page += 1  # in the gap above a page: that page, at a small negative y
        return page, (top - self._tops[page]) / self._scale

    def go_to(self, page: int, y: float | None = None, *, remember: bool = False) -> None:
        """Scroll so ``page`` (and point ``y`` of it, in PDF points) is at the top of the view."""
        page = max(0, min(self.page_count - 1, int(page)))
        if remember:
            self._push_history()
        self._held_position = None
        if y is None:
            target = self._tops[page] - GAP
        else:
            y = self._to_shown(page, 0.0, y)[1] if self._rotation else y
            target = self._tops[page] + round(y * self._scale) - GAP * 2
        self.verticalScrollBar().setValue(max(0, target))
        self._schedule()
        self.viewport().update()

    def shows_top_of(self, page: int) -> bool:
        """True when :meth:`go_to` ``(page)`` would not move the view: the page's top is at the
        top of the view, or as near as the scroll range allows (a short page before a tall one
        can never be the current page, yet it can be scrolled to)."""
        page = max(0, min(self.page_count - 1, int(page)))
        bar = self.verticalScrollBar()
        return bar.value() == max(0, min(bar.maximum(), self._tops[page] - GAP))

    def restore_position(self, page: int, y: float) -> None:
        """Put point ``y`` of ``page`` exactly at the top edge (the inverse of :meth:`position`)."""
        page = max(0, min(self.page_count - 1, int(page)))
        self._held_position = None
        bar, target = self.verticalScrollBar(), self._tops[page] + round(y * self._scale)
        bar.setValue(target)
        # Hidden, or near the end at a size that cannot scroll that far: the place is kept as
        # given, so the next resize puts it back instead of the scroll bar's nearest value.
        if not self.isVisible() or bar.value() != target:
            self._held_position = page, y
        self._schedule()

    def set_scale(self, scale: float, anchor: QPoint | None = None) -> None:
        """Zoom to ``scale`` keeping the point under ``anchor`` (default: the top-left) in place."""
        self._fit = None
        self._apply_scale(scale, anchor)

    def set_zoom_percent(self, percent: float, anchor: QPoint | None = None) -> None:
        self.set_scale(percent / 100.0 * self._real_size_scale(), anchor)

    def zoom_by(self, factor: float, anchor: QPoint | None = None) -> None:
        self.set_scale(self._scale * factor, anchor)

    def set_fit(self, mode: str | None) -> None:
        """'width' or 'page' keep the pages fitted as the view resizes; None keeps the scale.
        Fit Page shows the page being read whole, from its top."""
        page = self.current_page()
        self._fit = mode
        if mode is not None:
            self._apply_scale(self._fit_scale(mode), None)
        if mode == "page":
            self.go_to(page)

    def set_night_mode(self, on: bool) -> None:
        if on != self._night:
            self._night = on
            self._schedule()
            self.viewport().update()

    def night_mode(self) -> bool:
        return self._night

    def set_night_keeps_images(self, keep: bool) -> None:
        """In night mode, leave images (photos, raster figures) in their own colours."""
        if keep != self.renderer.keep_images:
            self.renderer.set_keep_images(keep)
            if self._night:
                self._schedule()
                self.viewport().update()

    def night_keeps_images(self) -> bool:
        return self.renderer.keep_images

    # ---- the contract: selection, overlays, tools ---------------------------------------------
    def selection(self) -> TextSelection | None:
        """The selected text on its first page (None when nothing is selected)."""
        return self._selections[0] if self._selections else None

    def selections(self) -> list[TextSelection]:
        """The selected text, one part per page it spans, in reading order."""
        return list(self._selections)

    def set_selections(self, selections: list[TextSelection]) -> None:
        """Select text made elsewhere (the same file's selection, carried to a new tab)."""
        self._selections = list(selections)
        self.viewport().update()
        self.selectionChanged.emit()

    def clear_selection(self) -> None:
        if self._selections:
            self._selections = []
            self.viewport().update()
            self.selectionChanged.emit()

    def selected_text(self) -> str:
        """The selection as it is read (and copied): ligatures spelled out, a paragraph's
        lines and its words broken at line ends joined; "" when nothing is selected."""
        text = "\n".join(s.text for s in self._selections if s.text)
        if not text:
            return ""
        from readerapp.core.reading_text import as_read  # here: not needed for the first page

        return as_read(text)

    def copy_selection(self) -> bool:
        """Copy the selected text, or, with none, what the copy fallback offers (the selected
        highlight's text). False when there is nothing to copy."""
        text = self.selected_text() or self._fallback_text()
        if not text:
            return False
        QGuiApplication.clipboard().setText(text)
        return True

    def set_copy_fallback(self, provider: CopyProvider | None) -> None:
        """What Copy copies when no text is selected (the annotation layer's selected mark)."""
        self._copy_fallback = provider

    def _fallback_text(self) -> str:
        return self._copy_fallback() if self._copy_fallback is not None else ""

    def _selection_made(self) -> None:
        """A selection was made with the mouse: say so, and offer it as the X11 primary
        selection (middle-click pastes it elsewhere), as text views do."""
        self.viewport().update()
        self.selectionChanged.emit()
        clipboard = QGuiApplication.clipboard()
        text = self.selected_text()
        if text and clipboard.supportsSelection():
            from PySide6.QtGui import QClipboard  # here: its enums cost start-up time

            clipboard.setText(text, QClipboard.Mode.Selection)

    def set_overlay_provider(self, provider: OverlayProvider | None) -> None:
        self._overlay_provider = provider
        self.refresh_overlays()

    def hide_file_marks(self, keys: dict[int, set[str]]) -> None:
        """Leave these annotations of the file (page -> their keys) off the pages: the overlays
        draw the library's version of them instead."""
        changed = self.document.hide_annotations(keys)
        if changed:
            self.renderer.redraw(changed)
            self._schedule()
            self.viewport().update()

    def refresh_overlays(self) -> None:
        self._overlay_cache.clear()
        self.viewport().update()

    def set_tool(self, tool: PointerTool | str) -> None:
        tool = PointerTool(tool)  # ValueError for a tool that does not exist
        changed, self._tool = tool != self._tool, tool
        cursor = {
            PointerTool.TEXT: Qt.CursorShape.IBeamCursor,
            PointerTool.AREA: Qt.CursorShape.CrossCursor,
            PointerTool.NOTE: Qt.CursorShape.PointingHandCursor,
        }[tool]
        self.viewport().setCursor(cursor)
        if changed:
            self.toolChanged.emit(tool)

    def tool(self) -> PointerTool:
        return self._tool

    def flash(self, page: int, rect_pdf: Rect) -> None:
        """Outline ``rect_pdf`` on ``page`` for a moment (after jumping to a highlight)."""
        self._flash = (page, tuple(rect_pdf))  # type: ignore[assignment]
        self._flash_timer.start()
        self.viewport().update()

    def flashed(self) -> tuple[int, Rect] | None:
        return self._flash

    # ---- find ---------------------------------------------------------------------------------
    def set_matches(
        self, matches: dict[int, list[list[Rect]]], current: tuple[int, int] | None
    ) -> None:
        """Mark every match (its rect on each line it covers); ``current`` (page, index) is
        drawn stronger and scrolled into view."""
        self._matches = matches
        self._current_match = current
        if current is not None:
            page, index = current
            self._ensure_visible(page, matches[page][index][0])
        self.viewport().update()

    # ---- links and history --------------------------------------------------------------------
    def follow_link(self, link: PdfLink) -> None:
        if link.is_internal:
            self.go_to(link.target_page, link.target_y, remember=True)  # type: ignore[arg-type]
            # The page moved from under the pointer: the link is no longer under it, even if
            # the pointer stays still (a later move finds whatever is there now).
            self._forget_hovered_link()
        elif link.uri:
            self.externalLinkActivated.emit(link.uri)  # the window's link opener decides

    def can_go_back(self) -> bool:
        return bool(self._history)

    def can_go_forward(self) -> bool:
        return bool(self._future)

    def back(self) -> None:
        """Return to where the reader was before the last jump (a link, the outline, a page)."""
        if self._history:
            self._future.append(self.position())
            self.restore_position(*self._history.pop())
            self._history_changed()

    def forward(self) -> None:
        """Undo a Back: go again to where the jump had led."""
        if self._future:
            self._history.append(self.position())
            self.restore_position(*self._future.pop())
            self._history_changed()

    def _push_history(self) -> None:
        self._history.append(self.position())
        del self._history[:-HISTORY_LENGTH]
        self._future.clear()  # a new jump starts a new path, as in a browser
        self._history_changed()

    def _history_changed(self) -> None:
        self.historyChanged.emit(bool(self._history), bool(self._future))

    # ---- geometry -----------------------------------------------------------------------------
    def _real_size_scale(self) -> float:
        return max(1.0, self.logicalDpiX()) / 72.0

    def _fit_scale(self, mode: str) -> float:
        if not self.document.page_sizes:
            return 1.0
        # The widest row (two pages and the gap between them, in a spread) fills the width.
        sizes = [self._shown_size(p) for p in range(self.page_count)]
        rows = self._rows()
        gaps = max(len(row) - 1 for row in rows) * GAP
        vw = max(50, self.viewport().width() - 2 * GAP - gaps)
        widest = max(sum(sizes[p][0] for p in row) for row in rows)
        scale = vw / widest
        if mode == "page":
            tallest = max(h for _, h in sizes)
            scale = min(scale, max(50, self.viewport().height() - 2 * GAP) / tallest)
        return scale

    def _apply_scale(
        self, scale: float, anchor: QPoint | None, hit: tuple[int, Point] | None = None
    ) -> None:
        """Zoom to ``scale`` keeping ``hit`` (default: the page point under ``anchor``, itself
        the top-left by default) under ``anchor``."""
        scale = max(MIN_SCALE, min(MAX_SCALE, scale))
        self._held_position = None  # the place is what the anchor keeps from now on
        anchor = anchor or QPoint(0, 0)
        hit = hit or self._page_at(anchor, clamp=True)
        self._scale = scale
        self._zooming = True
        try:
            self._relayout()
            if hit is not None:
                page, (x, y) = hit
                sx, sy = self._to_shown(page, x, y)
                self.verticalScrollBar().setValue(self._tops[page] + round(sy * scale) - anchor.y())
                self.horizontalScrollBar().setValue(self._xs[page] + round(sx * scale) - anchor.x())
        finally:
            self._zooming = False
        self._schedule()
        self.viewport().update()
        self.scaleChanged.emit(self._scale)

    # ---- layout: one page per row, or two (a spread); each turned by the view's rotation ------
    def spread(self) -> bool:
        return self._spread

    def set_spread(self, on: bool) -> None:
        """Show pages two by two, side by side (1-2, 3-4, ...), keeping the page being read."""
        if on != self._spread:
            self._change_layout(lambda: setattr(self, "_spread", on))

    def rotation(self) -> int:
        """How far the pages are turned clockwise, in degrees (0, 90, 180 or 270)."""
        return self._rotation

    def rotate_by(self, degrees: int) -> None:
        """Turn the pages (clockwise for positive ``degrees``, a multiple of 90)."""
        turned = (self._rotation + degrees) % 360
        if turned != self._rotation:

            def turn() -> None:
                self._rotation = turned
                self.renderer.set_rotation(turned)

            self._change_layout(turn)

    def _change_layout(self, change: Callable[[], None]) -> None:
        page = self.current_page()
        change()
        if self._fit is not None:
            self._scale = max(MIN_SCALE, min(MAX_SCALE, self._fit_scale(self._fit)))
        self._relayout()
        self.go_to(page)
        self.scaleChanged.emit(self._scale)
        self.layoutChanged.emit()

    def _rows(self) -> list[tuple[int, ...]]:
        step = 2 if self._spread else 1
        return [
            tuple(range(p, min(p + step, self.page_count))) for p in range(0, self.page_count, step)
        ]

    def _shown_size(self, page: int) -> tuple[float, float]:
        """The page's size in points as shown: width and height swap when turned a quarter."""
        w, h = self.document.page_sizes[page]
        return (h, w) if self._rotation in (90, 270) else (w, h)

    def _to_shown(self, page: int, x: float, y: float) -> Point:
        """A point of the page (PDF points) where it shows on the turned page."""
        w, h = self.document.page_sizes[page]
        if self._rotation == 90:
            return h - y, x
        if self._rotation == 180:
            return w - x, h - y
        if self._rotation == 270:
            return y, w - x
        return x, y

    def _from_shown(self, page: int, sx: float, sy: float) -> Point:
        """The inverse of :meth:`_to_shown`."""
        w, h = self.document.page_sizes[page]
        if self._rotation == 90:
            return sy, h - sx
        if self._rotation == 180:
            return w - sx, h - sy
        if self._rotation == 270:
            return w - sy, sx
        return sx, sy

    def _relayout(self) -> None:
        count = self.page_count
        shown = [self._shown_size(p) for p in range(count)]
        self._widths = [max(1, round(w * self._scale)) for w, _ in shown]
        self._heights = [max(1, round(h * self._scale)) for _, h in shown]
        rows = self._rows()
        row_widths = [sum(self._widths[p] for p in row) + GAP * (len(row) - 1) for row in rows]
        self._content_w = (max(row_widths) if row_widths else 0) + 2 * GAP
        # Pages of a row share their top (page lookups bisect the tops) and are centred as one.
        self._tops = [0] * count
        self._xs = [0] * count
        y = GAP
        for row, width in zip(rows, row_widths, strict=True):
            x = GAP + (self._content_w - 2 * GAP - width) // 2
            for page in row:
                self._tops[page] = y
                self._xs[page] = x
                x += self._widths[page] + GAP
            y += max(self._heights[p] for p in row) + GAP
        self._content_h = y
        vbar, hbar = self.verticalScrollBar(), self.horizontalScrollBar()
        vh, vw = self.viewport().height(), self.viewport().width()
        vbar.setRange(0, max(0, self._content_h - vh))
        vbar.setPageStep(max(1, vh - 40))
        vbar.setSingleStep(40)
        hbar.setRange(0, max(0, self._content_w - vw))
        hbar.setPageStep(max(1, vw))
        hbar.setSingleStep(40)

    def _page_x(self, page: int) -> int:
        """Left edge of ``page`` in viewport pixels: centred when the pages are narrower."""
        vw = self.viewport().width()
        if self._content_w <= vw:
            if not self._spread:
                return (vw - self._widths[page]) // 2
            return self._xs[page] + (vw - self._content_w) // 2
        return self._xs[page] - self.horizontalScrollBar().value()

    def page_rect(self, page: int) -> QRect:
        """Where ``page`` is, in viewport pixels."""
        top = self._tops[page] - self.verticalScrollBar().value()
        return QRect(self._page_x(page), top, self._widths[page], self._heights[page])

    def _visible_pages(self) -> list[int]:
        if not self._tops:
            return []
        top = self.verticalScrollBar().value()
        bottom = top + self.viewport().height()
        first = max(0, bisect.bisect_right(self._tops, top) - 1)
        if self._spread:
            first -= first % 2  # the row's left page
        pages = []
        for page in range(first, self.page_count):
            if self._tops[page] > bottom:
                break
            if self._tops[page] + self._heights[page] >= top:
                pages.append(page)
        return pages

    def visible_pages(self) -> list[int]:
        return self._visible_pages()

    def _page_at(self, pos: QPoint | QPointF, clamp: bool = False) -> tuple[int, Point] | None:
        """The page under ``pos`` (viewport px) and the point on it in PDF points."""
        if not self._tops:
            return None
        y = pos.y() + self.verticalScrollBar().value()
        page = max(0, min(self.page_count - 1, bisect.bisect_right(self._tops, y) - 1))
        if self._spread and page % 2 == 1 and pos.x() < self.page_rect(page).left() - GAP / 2:
            page -= 1  # the row's left page
        rect = self.page_rect(page)
        sx = (pos.x() - rect.x()) / self._scale
        sy = (pos.y() - rect.y()) / self._scale
        w, h = self._shown_size(page)
        if not clamp and not (0 <= sx <= w and 0 <= sy <= h):
            return None
        return page, self._from_shown(page, min(max(sx, 0.0), w), min(max(sy, 0.0), h))

    def point_at(self, pos: QPoint | QPointF) -> tuple[int, Point] | None:
        """The page nearest ``pos`` (viewport px) and the point of it there, in PDF points."""
        return self._page_at(pos, clamp=True)

    def point_on_page(self, page: int, pos: QPoint | QPointF) -> Point:
        rect = self.page_rect(page)
        w, h = self._shown_size(page)
        sx = (pos.x() - rect.x()) / self._scale
        sy = (pos.y() - rect.y()) / self._scale
        return self._from_shown(page, min(max(sx, 0.0), w), min(max(sy, 0.0), h))

    def map_from_page(self, page: int, rect_pdf: Rect) -> QRectF:
        """A PDF-point rect on ``page`` in viewport pixels."""
        r = self.page_rect(page)
        s = self._scale
        x0, y0, x1, y1 = rect_pdf
        if self._rotation:
            (ax, ay), (bx, by) = self._to_shown(page, x0, y0), self._to_shown(page, x1, y1)
            x0, y0, x1, y1 = min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)
        return QRectF(r.x() + x0 * s, r.y() + y0 * s, (x1 - x0) * s, (y1 - y0) * s)

    def _ensure_visible(self, page: int, rect: Rect) -> None:
        target = self.map_from_page(page, rect)
        vh = self.viewport().height()
        if target.top() < 0 or target.bottom() > vh:
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() + round(target.center().y() - vh / 2))

    # ---- rendering ----------------------------------------------------------------------------
    def _device_zoom(self) -> float:
        return self._scale * self.devicePixelRatioF()

    def _schedule(self) -> None:
        # A hidden view's size is not the one it will be shown at (a new tab's view is a
        # hundred pixels wide): pages drawn for it now would only be drawn again at the first
        # paint, and the drawing thread shares Python's lock with the window, which waits for
        # it in slices of up to 5 ms (measured: ~10 ms of a launch with a paper).
        if self._resizing or not self.isVisible():
            self._schedule_pending = True
            return
        visible = self._visible_pages()
        if not visible:
            return
        # Nearest the middle of the view first: that is where the reader is looking.
        middle = self.verticalScrollBar().value() + self.viewport().height() / 2
        visible.sort(key=lambda p: abs(self._tops[p] + self._heights[p] / 2 - middle))
        extra = [
            p
            for p in (
                *range(max(visible) + 1, min(self.page_count, max(visible) + 1 + PREFETCH_PAGES)),
                *range(min(visible) - 1, max(-1, min(visible) - 1 - PREFETCH_PAGES), -1),
            )
        ]
        self.renderer.request(visible + extra, self._device_zoom(), self._night, len(visible))

    def _page_ready(self, page: int) -> None:
        if page in self._visible_pages():
            # Now, not at the next event-loop turn: the reader is waiting for exactly this.
            self.viewport().repaint(self.page_rect(page))

    def _scrolled(self) -> None:
        if not (self._zooming or self._resizing):
            # The reader scrolled: a zoom now keeps what is under the pointer, and the view is
            # where its scroll bar says.
            self._zoom_burst = None
            if self.isVisible():
                self._held_position = None
        self._link_moved_away()
        self._schedule()
        self.viewport().update()
        page = self.current_page()
        if page != self._last_page:
            self._last_page = page
            self.currentPageChanged.emit(page)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().resizeEvent(event)
        self._link_moved_away()  # a relayout moves the pages under the pointer
        self._resizing = True
        try:
            place = self.position() if self._tops else (0, 0.0)
            if self._fit is not None:
                self._scale = max(MIN_SCALE, min(MAX_SCALE, self._fit_scale(self._fit)))
            self._relayout()
            self.restore_position(*place)
            # Kept as given through the next resizes too (a window settling, a dock opening):
            # read back from the scroll bar, each would move it by up to a pixel, or to where
            # a taller view had to stop.
            self._held_position = place
            if self._fit is not None:
                self.scaleChanged.emit(self._scale)
        finally:
            self._resizing = False
        self._schedule_pending = True
        self._settled.start()

    def _schedule_if_pending(self) -> None:
        if self._schedule_pending:
            self._schedule_pending = False
            self._schedule()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        # The size has settled by the time the view is painted: ask for the pages first, so the
        # worker renders them while the rest of the window paints.
        self._schedule_if_pending()
        painter = QPainter(self.viewport())
        area = event.rect()
        placed = [
            (p, r) for p in self._visible_pages() if (r := self.page_rect(p)).intersects(area)
        ]
        # Only the gaps get the background: the pages cover the rest, so no pixel is written twice.
        # (None when one page covers the area: the repaint of a page that has just rendered.)
        if not any(rect.contains(area) for _page, rect in placed):
            background = QRegion(area)
            for _page, rect in placed:
                background -= QRegion(rect)
            palette = self.palette()
            for gap in background:  # type: ignore[attr-defined]  # PySide iterates a QRegion; its stubs omit __iter__
                _fill(painter, gap, palette.color(palette.ColorRole.Dark))
        dpr = self.devicePixelRatioF()
        zoom = self._device_zoom()
        # The colour of blank paper as rendered: white, or night's dark paper, so any pixel the
        # image does not cover at a fractional scale matches the page around it.
        paper = QColor(*NIGHT_PAPER) if self._night else QColor(Qt.GlobalColor.white)
        for page, rect in placed:
            image = self.renderer.image(page, zoom, self._night)
            if image is not None and image.key.zoom_milli == round(zoom * 1000):
                self._draw_image(painter, rect, image, dpr, paper)
            elif image is not None:  # rendered at a capped zoom (a huge page zoomed far in)
                self._draw_scaled(painter, rect, image)
            else:
                _fill(painter, rect, paper)
                fallback = self.renderer.fallback_image(page, self._night)
                if fallback is not None:
                    self._draw_scaled(painter, rect, fallback)
            error = self.renderer.errors.get(page)
            if error:
                self._draw_error(painter, rect, error)
            self._draw_marks(painter, page)

    def _draw_image(
        self, painter: QPainter, rect: QRect, image: PageImage, dpr: float, paper: QColor
    ) -> None:
        # Whole device pixels at the image's own size: a straight blit, never a resample.
        for tx, ty, tile in image.tiles:
            target = QRectF(
                rect.x() + tx / dpr, rect.y() + ty / dpr, tile.width() / dpr, tile.height() / dpr
            )
            painter.drawImage(target, tile)
        # MuPDF rounds the page's pixel size and the layout its logical size: at some zooms and
        # device pixel ratios the image is a pixel short. The viewport paints opaquely, so that
        # sliver gets the paper colour rather than keeping whatever was on screen before.
        shown_w, shown_h = image.width / dpr, image.height / dpr
        if shown_w < rect.width():
            _fill(
                painter,
                QRectF(rect.x() + shown_w, rect.y(), rect.width() - shown_w, rect.height()),
                paper,
            )
        if shown_h < rect.height():
            _fill(
                painter,
                QRectF(rect.x(), rect.y() + shown_h, rect.width(), rect.height() - shown_h),
                paper,
            )

    def _draw_scaled(self, painter: QPainter, rect: QRect, image: PageImage) -> None:
        sx = rect.width() / image.width
        sy = rect.height() / image.height
        for tx, ty, tile in image.tiles:
            target = QRectF(
                rect.x() + tx * sx, rect.y() + ty * sy, tile.width() * sx, tile.height() * sy
            )
            painter.drawImage(target, tile)

    def _draw_error(self, painter: QPainter, rect: QRect, message: str) -> None:
        painter.save()
        painter.setPen(QPen(QColor("#b00020"), 2))
        painter.drawRect(rect.adjusted(1, 1, -1, -1))
        painter.setPen(QColor("#b00020"))
        painter.drawText(
            rect.adjusted(24, 24, -24, -24),
            int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
            message,
        )
        painter.restore()

    def _overlays(self, page: int) -> list[Overlay]:
        if self._overlay_provider is None:
            return []
        cached = self._overlay_cache.get(page)
        if cached is None:
            try:
                cached = list(self._overlay_provider(page))
            except Exception:  # a provider bug must not stop the page from painting
                log.exception("The highlights of page %d could not be drawn", page + 1)
                cached = []
            self._overlay_cache[page] = cached
        return cached

    def _draw_marks(self, painter: QPainter, page: int) -> None:
        overlays = self._overlays(page)
        matches = self._matches.get(page, [])
        selection = next((s for s in self._selections if s.page == page), None)
        area = self._area if self._area and self._area[0] == page else None
        flash = self._flash if self._flash and self._flash[0] == page else None
        if not (overlays or matches or selection or area or flash):
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setClipRect(self.page_rect(page))
        if not self._night:
            # Multiply tints the paper and leaves the ink black, like a real highlighter.
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
        for overlay in overlays:
            self._draw_overlay(painter, page, overlay)
        for i, match in enumerate(matches):
            current = self._current_match == (page, i)
            color = QColor(255, 150, 40) if current else QColor(255, 235, 90)
            if self._night:
                color.setAlpha(120)
            for rect in match:
                painter.fillRect(self.map_from_page(page, rect), color)
        if selection is not None:
            color = QColor(self.palette().color(self.palette().ColorRole.Highlight)).lighter(150)
            if self._night:
                color.setAlpha(110)
            for rect in selection.quads:
                painter.fillRect(self.map_from_page(page, rect), color)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
        if area is not None:
            painter.setPen(QPen(QColor("#1565c0"), 1.5, Qt.PenStyle.DashLine))
            painter.setBrush(QColor(21, 101, 192, 30))
            painter.drawRect(self.map_from_page(page, area[1]))
        if flash is not None:
            painter.setPen(QPen(QColor("#e53935"), 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.map_from_page(page, flash[1]).adjusted(-3, -3, 3, 3))
        painter.restore()

    def _draw_overlay(self, painter: QPainter, page: int, overlay: Overlay) -> None:
        color = QColor(overlay.color)
        if not color.isValid():
            color = QColor("#ffd400")
        rects = [self.map_from_page(page, r) for r in overlay.rects]
        line = max(1.0, 1.2 * self._scale)
        if overlay.kind == "highlight":
            fill = QColor(color)
            fill.setAlpha(110 if self._night else 255)
            for r in rects:
                painter.fillRect(r, fill)
        elif overlay.kind in ("underline", "strikeout"):
            painter.setPen(QPen(color, line))
            for r in rects:
                painter.drawLine(*self._text_line(r, overlay.kind == "underline", line))
        elif overlay.kind == "area":
            fill = QColor(color)
            fill.setAlpha(40)
            painter.setPen(QPen(color, 2))
            painter.setBrush(fill)
            for r in rects:
                painter.drawRect(r)
        elif overlay.kind == "note":
            size = 18.0
            painter.setPen(QPen(color.darker(160), 1))
            painter.setBrush(color)
            for r in rects:
                icon = QRectF(r.left(), r.top(), size, size)
                painter.drawRoundedRect(icon, 3, 3)
                for k in range(3):
                    y = icon.top() + 5 + k * 4
                    painter.drawLine(QPointF(icon.left() + 4, y), QPointF(icon.right() - 4, y))
        if overlay.selected and rects:
            union = rects[0]
            for r in rects[1:]:
                union = union.united(r)
            painter.setPen(QPen(QColor("#1565c0"), 1.5, Qt.PenStyle.DashLine))
            painter.setBrush(QBrush())
            painter.drawRect(union.adjusted(-2, -2, 2, 2))

    def _text_line(self, r: QRectF, under: bool, width: float) -> tuple[QPointF, QPointF]:
        """The line under (or through) a line of text shown in ``r``, however the page is
        turned: the text's foot is at the bottom, left, top or right of ``r``."""
        inset = width / 2
        if self._rotation in (90, 270):
            foot = r.left() + inset if self._rotation == 90 else r.right() - inset
            x = foot if under else r.center().x()
            return QPointF(x, r.top()), QPointF(x, r.bottom())
        foot = r.bottom() - inset if self._rotation == 0 else r.top() + inset
        y = foot if under else r.center().y()
        return QPointF(r.left(), y), QPointF(r.right(), y)

    def _end_flash(self) -> None:
        self._flash = None
        self.viewport().update()

    # ---- input --------------------------------------------------------------------------------
    def _overlay_at(self, page: int, point: Point) -> Overlay | None:
        x, y = point
        for overlay in reversed(self._overlays(page)):
            for x0, y0, x1, y1 in overlay.rects:
                if overlay.kind == "note":  # the icon is drawn at a fixed screen size
                    x1 = max(x1, x0 + 18 / self._scale)
                    y1 = max(y1, y0 + 18 / self._scale)
                if x0 - 1 <= x <= x1 + 1 and y0 - 1 <= y <= y1 + 1:
                    return overlay
        return None

    def _link_at(self, page: int, point: Point) -> PdfLink | None:
        x, y = point
        for link in self.document.links(page):
            x0, y0, x1, y1 = link.rect
            if x0 <= x <= x1 and y0 <= y <= y1:
                return link
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.dismiss_link_preview()
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        pos = event.position().toPoint()
        hit = self._page_at(pos)
        self._press = None
        self._pressed_link = None
        self._dragging = False
        if hit is None:
            self.clear_selection()
            return
        page, point = hit
        if self._tool is PointerTool.NOTE:
            self.pointClicked.emit(page, point)
            return
        if self._tool is PointerTool.TEXT and self._is_triple_click(event):
            line = self.document.line_at(page, point)
            self._selections = [line] if line is not None else []
            self._selection_made()
            return
        overlay = self._overlay_at(page, point)
        if self._tool is PointerTool.TEXT:
            # A click on a mark selects it; anywhere else, the mark selected before is let go.
            self.overlayClicked.emit(overlay.id if overlay is not None else None)
            if overlay is not None:
                return
        self._press = (page, point, pos)
        if self._tool is PointerTool.TEXT:
            self._pressed_link = self._link_at(page, point)
            self.clear_selection()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position().toPoint()
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            if not self._dragging and (pos - self._press[2]).manhattanLength() < 4:
                return
            self._dragging = True
            self._drag_pos = pos
            self._drag_to(pos)
            # Past the top or bottom edge, the view scrolls on by itself, as in a browser.
            if self._autoscroll_step() and not self._autoscroll.isActive():
                self._autoscroll.start()
            return
        self._hover(pos)

    def _drag_to(self, pos: QPoint) -> None:
        """Stretch the selection (or the area box) from where the press was to ``pos``."""
        assert self._press is not None
        page, start, _where = self._press
        if self._tool is PointerTool.TEXT:
            end = self._page_at(pos, clamp=True)
            if end is not None:  # text runs on across page breaks
                self._selections = self.document.selections_between((page, start), end)
        elif self._tool is PointerTool.AREA:  # a box stays on the page it started on
            self._area = (page, _normalised(start, self.point_on_page(page, pos)))
        self.viewport().update()

    def _autoscroll_step(self) -> int:
        """Pixels to scroll now for a drag at ``_drag_pos``: faster the further past the edge."""
        y, height = self._drag_pos.y(), self.viewport().height()
        if y < AUTOSCROLL_EDGE:
            past = y - AUTOSCROLL_EDGE  # up
        elif y > height - AUTOSCROLL_EDGE:
            past = y - (height - AUTOSCROLL_EDGE)  # down
        else:
            return 0
        step = int(past / 2) or (1 if past > 0 else -1)
        return max(-AUTOSCROLL_MAX_STEP, min(AUTOSCROLL_MAX_STEP, step))

    def _autoscroll_tick(self) -> None:
        step = self._autoscroll_step() if self._press is not None and self._dragging else 0
        bar = self.verticalScrollBar()
        at_end = bar.value() == (bar.minimum() if step < 0 else bar.maximum())
        if step == 0 or at_end:
            self._autoscroll.stop()
            return
        bar.setValue(bar.value() + step)
        self._drag_to(self._drag_pos)  # the page moved under a still pointer

    def autoscrolling(self) -> bool:
        return self._autoscroll.isActive()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            super().mouseReleaseEvent(event)
            return
        page, _start, _where = self._press
        self._press = None
        self._autoscroll.stop()
        if self._tool is PointerTool.TEXT:
            if self._dragging:
                self._selection_made()
            elif self._pressed_link is not None:
                self.follow_link(self._pressed_link)
        elif self._tool is PointerTool.AREA and self._area is not None:
            _, rect = self._area
            self._area = None
            self.viewport().update()
            if rect[2] - rect[0] > 2 and rect[3] - rect[1] > 2:
                self.areaSelected.emit(page, rect)
        self._pressed_link = None
        self._dragging = False

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        hit = self._page_at(event.position().toPoint())
        if hit is None or self._tool is not PointerTool.TEXT:
            return
        page, point = hit
        word = self.document.selection_between(page, point, point)
        self._selections = [word] if word is not None else []
        self._double_click = (event.timestamp(), event.position().toPoint())
        self._selection_made()

    def _is_triple_click(self, event: QMouseEvent) -> bool:
        """A press soon after a double-click, where it was: the third click of a triple."""
        if self._double_click is None:
            return False
        when, where = self._double_click
        self._double_click = None
        from PySide6.QtWidgets import QApplication  # here: not needed for the first page

        soon = 0 <= event.timestamp() - when <= QApplication.doubleClickInterval()
        return soon and (event.position().toPoint() - where).manhattanLength() <= 4

    def _hover(self, pos: QPoint) -> None:
        hit = self._page_at(pos)
        link = self._link_at(*hit) if hit is not None and self._tool is PointerTool.TEXT else None
        if link is self._hovered_link:
            if link is None:
                self._show_mark_tip(hit)
            return
        self._hovered_link = link
        self.dismiss_link_preview()
        if link is not None:
            self.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
            self.linkHovered.emit(link.describe())
            if link.is_internal:  # the target itself, previewed, once the pointer rests
                self.viewport().setToolTip("")  # not an external link's, hovered just before
                self._preview_at = pos
                self._preview_timer.start(LINK_PREVIEW_DELAY_MS)
            else:
                self.viewport().setToolTip(as_written(link.describe()))  # shown when the pointer rests
        else:
            self._forget_hovered_link()
            self._show_mark_tip(hit)

    def _show_mark_tip(self, hit: tuple[int, Point] | None) -> None:
        """Under the pointer, a mark with something to say (a highlight's comment, a sticky
        note's text): Qt shows it when the pointer rests, and it goes once the pointer leaves.

        The viewport's own tooltip, set here as the pointer moves: overriding viewportEvent to
        show it would take the GIL for every event of the viewport, and wait for a render."""
        overlay = self._overlay_at(*hit) if hit is not None else None
        tip = overlay.tip if overlay is not None else ""
        shown = self.viewport().toolTip()
        tip = as_written(tip)  # a comment, or a note another program left in the PDF
        if tip != shown:
            self.viewport().setToolTip(tip)
            if shown:
                from PySide6.QtWidgets import QToolTip  # here: only once a mark was rested on

                QToolTip.hideText()

    def _show_link_preview(self) -> None:
        link = self._hovered_link
        if link is None or not link.is_internal or not self.isVisible():
            return
        if self.renderer.busy:
            # The preview renders here, on the GUI thread: wait for the pages being drawn
            # rather than for MuPDF's lock (a dense figure's first render holds it 0.3 s).
            self._preview_timer.start(PREVIEW_RETRY_MS)
            return
        if self._preview is None:
            from readerapp.gui.link_preview import EnterWatch, LinkPreview  # once one is rested on

            self._preview = LinkPreview(self)
            # Typing elsewhere (the find field) puts it away too, and so does the pointer going
            # straight from a link onto a scroll bar (the view itself sees no event for that).
            application().focusChanged.connect(self._focus_moved)
            self._preview_guard = EnterWatch(self._link_moved_away, self)
            for bar in (self.verticalScrollBar(), self.horizontalScrollBar()):
                bar.installEventFilter(self._preview_guard)
        at = self.viewport().mapToGlobal(self._preview_at)
        self._preview.show_link(
            self.document,
            link,
            at,
            scale=self._scale,
            dpr=self.devicePixelRatioF(),
            night=self._night,
            keep_images=self.renderer.keep_images,
        )

    def _focus_moved(self, _old, new) -> None:
        if new is not None and new is not self:
            self.dismiss_link_preview()

    def link_preview(self):
        """The preview popup when it is showing (None otherwise)."""
        return self._preview if self._preview is not None and self._preview.isVisible() else None

    def dismiss_link_preview(self) -> None:
        self._preview_timer.stop()
        if self._preview is not None:
            self._preview.dismiss()

    def leaveEvent(self, event) -> None:  # noqa: N802
        self._link_moved_away()
        super().leaveEvent(event)

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == event.Type.ActivationChange and not self.isActiveWindow():
            self.dismiss_link_preview()  # another window has the keyboard: it is not looked at
        super().changeEvent(event)

    def _link_moved_away(self) -> None:
        """The page moved, or the pointer or the keyboard went elsewhere: forget the hovered
        link (its hint and preview) until the pointer finds it again."""
        if self._hovered_link is not None:
            self._forget_hovered_link()

    def hideEvent(self, event) -> None:  # noqa: N802
        self.dismiss_link_preview()
        super().hideEvent(event)

    def _forget_hovered_link(self) -> None:
        self.dismiss_link_preview()
        self._hovered_link = None
        self.set_tool(self._tool)  # restores the tool's cursor
        self.viewport().setToolTip("")
        self.linkHovered.emit("")

    def hovered_link(self) -> PdfLink | None:
        return self._hovered_link

    def contextMenuEvent(self, event) -> None:  # noqa: N802
        hit = self._page_at(event.pos())
        if hit is None:
            return
        page, point = hit
        menu = self.build_context_menu(page, point)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def build_context_menu(self, page: int, point: Point) -> QMenu:
        """The menu for a right-click at ``point``; others add actions through the signal."""
        menu = QMenu(self)
        if not self._selections:  # a right-click on a mark is about that mark, as a click is
            overlay = self._overlay_at(page, point)
            self.overlayClicked.emit(overlay.id if overlay is not None else None)
        copy = menu.addAction("Copy", self.copy_selection)
        copy.setEnabled(bool(self._selections) or bool(self._fallback_text()))
        self.contextMenuRequested.emit(menu, page, point)
        return menu

    def keyPressEvent(self, event) -> None:  # noqa: N802
        self._link_moved_away()  # resting on it again (a small move) brings the preview back
        bar = self.verticalScrollBar()
        key = event.key()
        shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
        elif key == Qt.Key.Key_PageDown or (key == Qt.Key.Key_Space and not shift):
            self.page_down()
        elif key == Qt.Key.Key_PageUp or (key == Qt.Key.Key_Space and shift):
            self.page_up()
        elif key == Qt.Key.Key_Home:
            bar.setValue(0)
        elif key == Qt.Key.Key_End:
            bar.setValue(bar.maximum())
        elif key == Qt.Key.Key_Escape:
            self.clear_selection()
        else:
            super().keyPressEvent(event)

    def page_down(self) -> None:
        """The next screenful; in Fit Page, the next whole page, its top at the top."""
        bar = self.verticalScrollBar()
        if self._fit != "page" or not self._tops:
            bar.setValue(bar.value() + bar.pageStep())
            return
        # The first page starting below the top edge (a page shown from mid-page counts as read).
        following = bisect.bisect_right(self._tops, bar.value() + GAP)
        if following < self.page_count:
            bar.setValue(self._tops[following] - GAP)
        else:
            bar.setValue(bar.maximum())

    def page_up(self) -> None:
        """The previous screenful; in Fit Page, the previous whole page (or this one's top)."""
        bar = self.verticalScrollBar()
        if self._fit != "page" or not self._tops:
            bar.setValue(bar.value() - bar.pageStep())
            return
        before = bisect.bisect_left(self._tops, bar.value() + GAP) - 1
        bar.setValue(max(0, self._tops[before] - GAP) if before >= 0 else 0)

    def centre(self) -> QPoint:
        """The middle of the view: what keyboard zoom keeps in place."""
        return self.viewport().rect().center()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        self._link_moved_away()  # even at the top, where nothing scrolls
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120.0
            if steps:
                pos = event.position().toPoint()
                hit = self._wheel_zoom_point(pos, event.timestamp())
                self._fit = None
                self._apply_scale(self._scale * math.pow(1.1, steps), pos, hit)
                if hit is not None:
                    self._zoom_burst = (event.timestamp(), pos, hit, self._scale)
            event.accept()
            return
        super().wheelEvent(event)

    def _wheel_zoom_point(self, pos: QPoint, timestamp: int) -> tuple[int, Point] | None:
        """The page point a Ctrl+wheel notch at ``pos`` zooms around: the one under the
        pointer, or, within a quick run of notches there, the one the run started on."""
        burst = self._zoom_burst
        if (
            burst is not None
            and 0 <= timestamp - burst[0] <= ZOOM_BURST_MS
            and (pos - burst[1]).manhattanLength() <= 4
            and burst[3] == self._scale
        ):
            return burst[2]
        return self._page_at(pos, clamp=True)

    def close_document(self) -> None:
        """Stop the renderer and close the file (the tab is going away)."""
        self.renderer.close()
        self.document.close()


def _normalised(a: Point, b: Point) -> Rect:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))
