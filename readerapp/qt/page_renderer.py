"""Pages rendered off the GUI thread into a cache bounded in bytes.

The view says which pages it wants (most wanted first); the renderer keeps at most one job in flight
per document and always picks the most wanted page next, so pages scrolled past are never rendered.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from readerapp.pdf.document import PdfDocument, RenderCancelled, shrink_mupdf_store
from readerapp.pdf.types import Band, RenderedPage
from readerapp.qt.tasks import TaskRunner

DEFAULT_CACHE_BYTES = 96 * 1024 * 1024
# One page image never exceeds this many device pixels (64 MB at 4 bytes each): past it the page is
# rendered at a lower zoom and drawn scaled, so one zoomed page cannot eat the memory budget.
MAX_PAGE_PIXELS = 16_000_000
THUMB_ZOOM = 0.18
THUMBS_WANTED_MAX = 40  # thumbnails waiting at most: rows scrolled past long ago drop out
# Page images further than this many pages from every page on screen are freed when the view
# moves: paging through a book then holds a dozen pages, not the whole budget's worth of pages
# already read (measured: peak memory paging a 352-page book fell from 285 to about 215 MB).
NEAR_PAGES = 6


@dataclass(frozen=True, slots=True)
class RenderKey:
    page: int
    zoom_milli: int  # device pixels per point x 1000: one cache entry per zoom step
    night: bool

    @property
    def zoom(self) -> float:
        return self.zoom_milli / 1000.0


@dataclass(slots=True)
class PageImage:
    """A rendered page as Qt images (one per band) in device pixels, placed at pixel offsets."""

    key: RenderKey
    width: int
    height: int
    tiles: list[tuple[int, int, QImage]]
    nbytes: int


def key_for(page: int, zoom: float, night: bool) -> RenderKey:
    return RenderKey(page, max(1, round(zoom * 1000)), night)


def to_page_image(key: RenderKey, rendered: RenderedPage) -> PageImage:
    """Show the rendered bands to Qt as images, without copying or converting a pixel.

    The bands' bytes are B, G, R, 255: on little-endian machines (every platform the app ships
    for) that is opaque premultiplied ARGB32, the raster paint engine's own format, which it draws
    without converting (measured: about a fifth faster to paint than the same bytes declared as
    RGB32, onto an RGB32 or an ARGB32 backing store alike). The QImage uses the band's buffer in
    place and holds a reference to it (PySide releases it when the last copy of the image goes),
    so the pixels live exactly as long as the image.
    """
    tiles = []
    nbytes = 0
    for band in rendered.bands:
        tiles.append((band.x, band.y, band_image(band)))
        nbytes += band.stride * band.height
    return PageImage(key, rendered.width, rendered.height, tiles, nbytes)


def band_image(band: Band) -> QImage:
    """The band as a QImage over its own bytes (see to_page_image for the format)."""
    return QImage(
        band.samples,
        band.width,
        band.height,
        band.stride,
        QImage.Format.Format_ARGB32_Premultiplied,
    )


class PageImageCache:
    """Least-recently-used page images, evicted once their total size passes ``max_bytes``."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.nbytes = 0
        self._entries: OrderedDict[RenderKey, PageImage] = OrderedDict()

    def get(self, key: RenderKey) -> PageImage | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def any_for_page(self, page: int, night: bool) -> PageImage | None:
        """Some image of ``page`` at another zoom: shown scaled while the right one renders."""
        best = None
        for key, entry in self._entries.items():
            if (
                key.page == page
                and key.night == night
                and (best is None or key.zoom_milli > best.key.zoom_milli)
            ):
                best = entry
        return best

    def put(self, image: PageImage, keep: set[RenderKey] = frozenset()) -> None:  # type: ignore[assignment]
        old = self._entries.pop(image.key, None)
        if old is not None:
            self.nbytes -= old.nbytes
        self._entries[image.key] = image
        self.nbytes += image.nbytes
        for key in list(self._entries):
            if self.nbytes <= self.max_bytes:
                break
            if key in keep:
                continue
            # Oldest first; the image just put goes too if it is not kept and does not fit.
            self.nbytes -= self._entries.pop(key).nbytes

    def drop_far(self, pages: set[int], distance: int) -> None:
        """Free the images of pages more than ``distance`` pages away from all of ``pages``."""
        low, high = min(pages) - distance, max(pages) + distance
        for key in [k for k in self._entries if not low <= k.page <= high]:
            self.nbytes -= self._entries.pop(key).nbytes

    def take_page(self, page: int) -> list[PageImage]:
        """Remove and return every image of ``page``."""
        keys = [k for k in self._entries if k.page == page]
        taken = [self._entries.pop(k) for k in keys]
        self.nbytes -= sum(image.nbytes for image in taken)
        return taken

    def drop_night(self) -> None:
        """Forget the night images (their colours changed)."""
        for key in [k for k in self._entries if k.night]:
            self.nbytes -= self._entries.pop(key).nbytes

    def __contains__(self, key: RenderKey) -> bool:
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        self._entries.clear()
        self.nbytes = 0


class PageRenderer(QObject):
    """Renders the pages a view asks for, most wanted first, on a worker thread."""

    pageReady = Signal(int)  # a page image (or its error) became available
    thumbnailReady = Signal(int)
    pagesChanged = Signal(object)  # set of pages that look different now: drawn again when asked

    def __init__(
        self,
        document: PdfDocument,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.cache = PageImageCache(cache_bytes)
        self.thumbs = PageImageCache(max(4 * 1024 * 1024, cache_bytes // 8))
        self.errors: dict[int, str] = {}
        self._runner = TaskRunner("pdf-render", 1, self)
        self._wanted: list[RenderKey] = []
        self._wanted_thumbs: list[RenderKey] = []
        # The pages (at their zoom) the view asked for last, the one in flight included: a slow
        # page that drops out (scrolled past, zoomed again) stops at its next band. The ones on
        # screen among them are never pushed out of the cache by the others (prefetched ones).
        self._wish: frozenset[RenderKey] = frozenset()
        self._on_screen: frozenset[RenderKey] = frozenset()
        self._in_flight: RenderKey | None = None
        # Thumbnails wait for the view's first wish list: a sidebar laid out before the view has
        # its size must not put the first page behind a thumbnail.
        self._pages_asked = False
        self._rendered_since_shrink = 0
        self._closed = False
        self.keep_images = False  # night mode leaves images (figures, photos) in their colours
        self.rotation = 0  # pages are turned clockwise by this many degrees
        # Bumped when the pages' look changes (rotation): a page rendered before is dropped.
        self._generation = 0
        # The same for one page at a time (a mark of the file left off it), with what it looked
        # like before: shown until it is drawn again, rather than a blank page.
        self._page_looks: dict[int, int] = {}
        self._outdated: dict[int, PageImage] = {}

    # ---- what the view wants ------------------------------------------------------------------
    def zoom_for(self, page: int, zoom: float) -> float:
        """``zoom``, lowered if the page would exceed MAX_PAGE_PIXELS at it."""
        width, height = self.document.page_sizes[page]
        pixels = width * height * zoom * zoom
        if pixels <= MAX_PAGE_PIXELS:
            return zoom
        return zoom * (MAX_PAGE_PIXELS / pixels) ** 0.5

    def request(
        self, pages: list[int], zoom: float, night: bool, on_screen: int | None = None
    ) -> None:
        """Replace the wish list: ``pages`` in priority order at ``zoom`` device pixels per point,
        the first ``on_screen`` of them (default: all) shown, the rest prefetched."""
        self._pages_asked = True
        keys = [key_for(p, self.zoom_for(p, zoom), night) for p in pages]
        self._wanted = [k for k in keys if k not in self.cache and k.page not in self.errors]
        self._wish = frozenset(keys)
        self._on_screen = frozenset(keys if on_screen is None else keys[:on_screen])
        for page in [p for p in self._outdated if p not in pages]:  # scrolled away from
            del self._outdated[page]
        if self._on_screen:
            self.cache.drop_far({k.page for k in self._on_screen}, NEAR_PAGES)
        self._pump()

    def set_keep_images(self, keep: bool) -> None:
        """Night pages keep their images' colours, or not; night images drawn the other way go."""
        if keep == self.keep_images:
            return
        self.keep_images = keep
        self.cache.drop_night()

    def set_rotation(self, degrees: int) -> None:
        """Turn the pages; every page image drawn the other way goes."""
        if degrees % 360 != self.rotation:
            self.rotation = degrees % 360
            self._generation += 1
            self.cache.clear()
            self._outdated.clear()

    def redraw(self, pages: set[int]) -> None:
        """``pages`` look different now (see PdfDocument.hide_annotations): their images go,
        and are drawn again when next asked for."""
        for page in pages:
            self._page_looks[page] = self._page_looks.get(page, 0) + 1
            images = [i for i in self.cache.take_page(page) if not i.key.night]
            if images:
                self._outdated[page] = max(images, key=lambda i: i.key.zoom_milli)
            self.thumbs.take_page(page)
        self.pagesChanged.emit(set(pages))

    def request_thumbnails(self, pages: list[int]) -> None:
        """The thumbnails of ``pages`` (rows just shown) first, then those still wanted: a
        repaint of one row must not drop the rows shown before it. Only the newest
        THUMBS_WANTED_MAX stay, so rows scrolled past quickly are not all drawn."""
        keys = [
            k
            for k in (key_for(p, THUMB_ZOOM, False) for p in pages)
            if k not in self.thumbs and k.page not in self.errors
        ]
        keys += [k for k in self._wanted_thumbs if k not in keys]
        self._wanted_thumbs = keys[:THUMBS_WANTED_MAX]
        self._pump()

    def image(self, page: int, zoom: float, night: bool) -> PageImage | None:
        return self.cache.get(key_for(page, self.zoom_for(page, zoom), night))

    def fallback_image(self, page: int, night: bool) -> PageImage | None:
        image = self.cache.any_for_page(page, night)
        return image if image is not None or night else self._outdated.get(page)

    def thumbnail(self, page: int) -> PageImage | None:
        return self.thumbs.get(key_for(page, THUMB_ZOOM, False))

    @property
    def busy(self) -> bool:
        return self._in_flight is not None or bool(self._wanted)

    @property
    def drawing_on_screen(self) -> bool:
        """A page the view shows is still being drawn (prefetched neighbours do not count)."""
        if self._in_flight is not None and self._in_flight in self._on_screen:
            return True
        return any(key in self._on_screen for key in self._wanted)

    # ---- the worker ---------------------------------------------------------------------------
    def _pump(self) -> None:
        if self._closed or self._in_flight is not None:
            return
        if self._wanted:
            key, thumb = self._wanted.pop(0), False
        elif self._wanted_thumbs and self._pages_asked:
            key, thumb = self._wanted_thumbs.pop(0), True
        else:
            return
        self._in_flight = key
        document = self.document
        keep, rotation = self.keep_images, self.rotation
        generation = (self._generation, self._page_looks.get(key.page, 0))
        shrink = self._rendered_since_shrink >= 24
        if shrink:
            self._rendered_since_shrink = 0

        def job() -> PageImage:
            if shrink:  # MuPDF's own store grows to 256 MB unless trimmed now and then
                shrink_mupdf_store()
            # Thumbnails are small and never stale enough to stop; pages can be.
            cancelled = None if thumb else (lambda: key not in self._wish)
            rendered = document.render(
                key.page,
                key.zoom,
                night=key.night,
                keep_images=keep,
                rotation=0 if thumb else rotation,
                cancelled=cancelled,
            )
            return to_page_image(key, rendered)

        self._runner.submit(
            job,
            lambda image: self._done(key, thumb, image, generation),
            lambda exc: self._failed(key, thumb, exc),
        )

    def _done(
        self, key: RenderKey, thumb: bool, image: PageImage, generation: tuple[int, int]
    ) -> None:
        self._in_flight = None
        self._rendered_since_shrink += 1
        if self._closed:
            return
        turned, look = generation
        if (not thumb and turned != self._generation) or look != self._page_looks.get(
            key.page, 0
        ):  # drawn before the pages turned, or before the page changed
            self._pump()
            return
        if thumb:
            self.thumbs.put(image)
            self.thumbnailReady.emit(key.page)
        else:
            # A prefetched neighbour must not push out a page on screen: nothing would ask for
            # that page again, and it would stay blank.
            self.cache.put(image, keep=set(self._on_screen))
            self._outdated.pop(key.page, None)
            self.pageReady.emit(key.page)
        self._pump()

    def _failed(self, key: RenderKey, thumb: bool, exc: BaseException) -> None:
        self._in_flight = None
        if self._closed:
            return
        if isinstance(exc, RenderCancelled):  # nobody wants it any more: not an error
            self._pump()
            return
        message = str(exc) if str(exc) else f"Page {key.page + 1} could not be shown."
        self.errors[key.page] = message
        self.pageReady.emit(key.page)
        if thumb:
            self.thumbnailReady.emit(key.page)
        self._pump()

    def clear(self) -> None:
        """Forget every image (e.g. night mode changed colours)."""
        self.cache.clear()
        self.thumbs.clear()
        self._outdated.clear()

    def wait(self, msecs: int = -1) -> bool:
        return self._runner.wait(msecs)

    def close(self) -> None:
        """Stop rendering, wait for the job in flight, drop the images."""
        self._closed = True
        self._wanted.clear()
        self._wanted_thumbs.clear()
        self._wish = frozenset()  # a slow page in flight stops at its next band
        self._runner.wait()
        self.cache.clear()
        self.thumbs.clear()
        self._outdated.clear()
