"""An open PDF: pages, pixels, words, links, outline and metadata, with MuPDF errors turned into sentences.

PyMuPDF is not thread-safe and holds the GIL while it renders, so every call into it goes through one
lock, and large pages are rendered in bands (each call short) so the GUI thread never waits long.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pymupdf
import pymupdf.mupdf as mupdf

from readerapp.core.arxiv_ids import ArxivId, parse_arxiv_id
from readerapp.core.errors import BadInputError
from readerapp.pdf.annotation_keys import external_key
from readerapp.pdf.bands import (
    BAND_PAUSE_SECONDS,
    BAND_SECONDS,
    MIN_BAND_ROWS,
    MIN_PROFILE_PIXELS,
    MOST_UNPROFILED_ROWS,
    Profile,
    Sample,
    measured_profile,
    next_rows,
    planned_rows,
    predicted_seconds,
)
from readerapp.pdf.night import PixelBox, recolour_band
from readerapp.pdf.types import (
    Band,
    OutlineEntry,
    PdfLink,
    Point,
    Rect,
    RenderedPage,
    TextSelection,
    Word,
)

if TYPE_CHECKING:
    from readerapp.pdf.find_text import PageText

log = logging.getLogger(__name__)

# One lock for the whole MuPDF context: documents opened by different tabs share it.
MUPDF_LOCK = threading.RLock()

# A band of at most this many pixels renders in a few milliseconds on a slow core (the GUI thread
# waits for the GIL at most that long).
BAND_PIXELS = 1_200_000
# Once a page has taken this long to draw or to interpret (a dense vector figure: tens of
# thousands of points), its display list is kept (for a few such pages) and it is drawn in bands
# sized to take BAND_SECONDS each (see bands.py): zooming it again costs only the drawing, in
# short pieces between which the GUI thread gets the GIL back.
HEAVY_PAGE_SECONDS = 0.05
KEPT_DISPLAY_LISTS = 3

pymupdf.TOOLS.mupdf_display_errors(False)  # MuPDF's own stderr chatter is not for users
pymupdf.TOOLS.mupdf_display_warnings(False)


class PdfError(BadInputError):
    """A PDF that cannot be opened or read; str() says why in a sentence."""


class PasswordRequired(PdfError):
    """The PDF is encrypted and needs a password."""


class WrongPassword(PdfError):
    """The password given does not open the PDF."""


class PageRenderError(PdfError):
    """One page could not be rendered (the rest of the document is fine)."""


class RenderCancelled(Exception):
    """A render was stopped between two bands because nobody wants the page any more."""


def _describe_unopenable(path: Path) -> str:
    name = path.name
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return f"There is no file “{path}”."
    except OSError as exc:
        return f"“{name}” cannot be read ({exc.strerror or exc})."
    if path.is_dir():
        return f"“{name}” is a folder, not a PDF file."
    if size == 0:
        return f"“{name}” is empty (0 bytes), so it is not a PDF."
    try:
        with open(path, "rb") as fh:
            head = fh.read(2048)
    except OSError as exc:
        return f"“{name}” cannot be read ({exc.strerror or exc})."
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")) or (
        b"<html" in lowered
    ):
        return f"“{name}” is a web page saved with a .pdf name, not a PDF; download the PDF itself."
    if b"%PDF-" not in head[:1024]:
        return f"“{name}” is not a PDF file."
    return (
        f"“{name}” is damaged or incomplete (a download cut short?) and cannot be opened as a PDF."
    )


def _has_pdf_header(path: Path) -> bool:
    """True when ``%PDF-`` appears in the first KiB, the rule PDF readers have always applied."""
    try:
        with open(path, "rb") as fh:
            return b"%PDF-" in fh.read(1024)
    except OSError:
        return False


def open_pdf_file(path: str | Path, password: str | None = None) -> pymupdf.Document:
    """Open a PDF file with the checks every reader needs; the caller holds ``MUPDF_LOCK``.

    Raises PasswordRequired / WrongPassword / PdfError with a sentence. Used by the viewer and by
    annotation import/export, so an HTML page saved as .pdf or a locked file is refused the same
    way everywhere (MuPDF itself would "repair" HTML into a blank page).
    """
    path = Path(path)
    if not path.is_file() or not _has_pdf_header(path):
        raise PdfError(_describe_unopenable(path))
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception as exc:  # MuPDF raises several types; the user needs one sentence
        log.warning("MuPDF could not open %s", path, exc_info=True)
        raise PdfError(_describe_unopenable(path)) from exc
    try:
        if doc.needs_pass:
            if password is None:
                raise PasswordRequired(f"“{path.name}” is protected by a password.")
            if not doc.authenticate(password):
                raise WrongPassword(f"That password does not open “{path.name}”.")
        if doc.page_count == 0:
            message = _describe_unopenable(path)
            if "damaged" not in message and "not a PDF" not in message:
                message = f"“{path.name}” has no pages (it may be truncated)."
            raise PdfError(message)
    except PdfError:
        doc.close()
        raise
    except Exception as exc:
        log.warning("MuPDF could not read %s", path, exc_info=True)
        doc.close()
        raise PdfError(_describe_unopenable(path)) from exc
    return doc


class PdfDocument:
    """A PDF opened from a file. All methods are safe to call from any thread (they serialise)."""

    def __init__(self, doc: pymupdf.Document, path: Path, password: str | None) -> None:
        self._doc = doc
        self.path = path
        self.password = password
        with MUPDF_LOCK:
            self.page_count: int = doc.page_count
            # MuPDF rebuilt a broken file (a download cut short...): pages may be incomplete.
            self.repaired: bool = bool(doc.is_repaired)
            self.page_sizes: list[tuple[float, float]] = [
                (r.width, r.height) for r in (doc[i].rect for i in range(doc.page_count))
            ]
        self._words: dict[int, list[Word]] = {}
        self._page_texts: dict[int, PageText] = {}  # find's view of each page's words
        self._links: dict[int, list[PdfLink]] = {}
        self._images: dict[int, list[Rect]] = {}
        # Slow pages: where they were slow when last drawn, and the display lists kept.
        self.heavy_page_seconds = HEAVY_PAGE_SECONDS
        self._profiles: dict[int, Profile] = {}
        self._display_lists: OrderedDict[int, mupdf.FzDisplayList] = OrderedDict()
        # Annotations of the file left off the pages (see hide_annotations): page -> their keys,
        # and each one's xref with the flags it had.
        self._hidden_keys: dict[int, frozenset[str]] = {}
        self._hidden_flags: dict[int, dict[int, int]] = {}

    # ---- opening ------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, password: str | None = None) -> PdfDocument:
        """Open ``path``; raises PasswordRequired / WrongPassword / PdfError with a sentence."""
        path = Path(path)
        with MUPDF_LOCK:
            doc = open_pdf_file(path, password)
            try:
                return cls(doc, path, password)
            except Exception as exc:
                log.warning("MuPDF could not read the pages of %s", path, exc_info=True)
                doc.close()
                raise PdfError(_describe_unopenable(path)) from exc

    def close(self) -> None:
        with MUPDF_LOCK:
            self._display_lists.clear()  # dropped under the lock, like every MuPDF object
            if not self._doc.is_closed:
                self._doc.close()

    @property
    def closed(self) -> bool:
        return self._doc.is_closed

    # ---- pixels -------------------------------------------------------------------------------
    def render(
        self,
        page: int,
        zoom: float,
        *,
        night: bool = False,
        keep_images: bool = False,
        rotation: int = 0,
        cancelled: Callable[[], bool] | None = None,
    ) -> RenderedPage:
        """Render ``page`` at ``zoom`` pixels per point into bands of 32-bit pixels.

        Each pixel is four bytes B, G, R, 255 (opaque): the memory layout of Qt's 32-bit
        ``QImage`` formats on little-endian machines, so the viewer shows the bands as they are,
        without a conversion pass. ``night`` recolours the page dark with light text, keeping
        hues (see night.py), and the page's images too unless ``keep_images``. ``rotation``
        turns the page clockwise by that many degrees (a multiple of 90).

        A page larger than BAND_PIXELS, or known to be slow to draw, is drawn from a display list
        in bands; ``cancelled`` is asked between bands, and RenderCancelled raised if it says so.
        Raises PageRenderError with a sentence if MuPDF cannot render the page.
        """
        ctm = mupdf.FzMatrix(zoom, 0, 0, zoom, 0, 0)
        fz_page: mupdf.FzPage | None = None
        dlist: mupdf.FzDisplayList | None = None
        try:
            with MUPDF_LOCK:
                dlist = self._display_lists.get(page)
                if dlist is not None:
                    self._display_lists.move_to_end(page)
                    bounds = mupdf.fz_bound_display_list(dlist)
                else:
                    fz_page = mupdf.fz_load_page(self._doc.this, page)
                    bounds = mupdf.fz_bound_page(fz_page)
                if rotation % 360:
                    ctm = _turned(ctm, bounds, rotation)
                # The pixel box MuPDF's own get_pixmap uses, so the sizes agree with it.
                area = mupdf.fz_round_rect(mupdf.fz_transform_rect(bounds, ctm))
                width, height = area.x1 - area.x0, area.y1 - area.y0
                slow = page in self._profiles
                if dlist is None and not slow and width * height <= BAND_PIXELS:
                    # Straight from the page to the pixels: no display list to record and replay.
                    assert fz_page is not None  # loaded above: there was no display list
                    started = time.perf_counter()
                    bands = [_draw(fz_page, area, ctm)]
                    seconds = time.perf_counter() - started
                    self._note(page, zoom, [(area.y0, area.y1, seconds, width)])
                elif dlist is None:
                    started = time.perf_counter()
                    dlist = mupdf.fz_new_display_list_from_page(fz_page)
                    if slow or time.perf_counter() - started >= self.heavy_page_seconds:
                        self._keep_display_list(page, dlist)
            if dlist is not None:
                bands = self._draw_bands(page, zoom, dlist, area, ctm, cancelled)
        except RenderCancelled:
            raise
        except Exception as exc:
            log.warning("MuPDF could not render page %d of %s", page + 1, self.path, exc_info=True)
            raise PageRenderError(f"Page {page + 1} could not be shown ({_short(exc)}).") from exc
        finally:
            with MUPDF_LOCK:  # MuPDF objects are dropped under the lock too (even on errors)
                fz_page = dlist = None
        if night:
            keep = self._image_boxes(page, ctm) if keep_images else []
            for band in bands:
                _to_night(band, keep)
        return RenderedPage(page=page, zoom=zoom, width=width, height=height, bands=bands)

    def render_area(
        self, page: int, zoom: float, area: Rect, *, night: bool = False, keep_images: bool = False
    ) -> Band:
        """Render the part ``area`` (PDF points) of ``page`` at ``zoom`` into one band: a link's
        target, previewed. Raises PageRenderError with a sentence if MuPDF cannot render it."""
        ctm = mupdf.FzMatrix(zoom, 0, 0, zoom, 0, 0)
        source: mupdf.FzPage | mupdf.FzDisplayList | None = None
        try:
            with MUPDF_LOCK:
                source = self._display_lists.get(page)  # a slow page's, kept: no re-reading
                if source is None:
                    source = mupdf.fz_load_page(self._doc.this, page)
                box = mupdf.fz_round_rect(mupdf.fz_transform_rect(mupdf.FzRect(*area), ctm))
                if box.x1 <= box.x0 or box.y1 <= box.y0:
                    raise ValueError("an empty area")
                band = _draw(source, box, ctm)
        except Exception as exc:
            log.warning("MuPDF could not render page %d of %s", page + 1, self.path, exc_info=True)
            raise PageRenderError(f"Page {page + 1} could not be shown ({_short(exc)}).") from exc
        finally:
            with MUPDF_LOCK:  # MuPDF objects are dropped under the lock, as in render()
                source = None
        if night:
            keep = self._image_boxes(page, ctm) if keep_images else []
            _to_night(band, keep)
        return band

    def _draw_bands(
        self,
        page: int,
        zoom: float,
        dlist: mupdf.FzDisplayList,
        area: mupdf.FzIrect,
        ctm: mupdf.FzMatrix,
        cancelled: Callable[[], bool] | None,
    ) -> list[Band]:
        width = int(area.x1 - area.x0)
        most = max(16, BAND_PIXELS // width)
        profile = self._profiles.get(page)  # None: not slow; []: slow, not yet measured where

        def rows_from(top: int, last: tuple[int, float] | None, pace: float) -> int:
            if profile:
                return planned_rows(profile, top, zoom, width, most, BAND_SECONDS / pace)
            if profile is None:  # not a slow page: as few bands as BAND_PIXELS allows
                return most
            # Slow, but where is not measured yet: short bands, each sized by the last.
            short = min(most, MOST_UNPROFILED_ROWS)
            return min(short, 4 * MIN_BAND_ROWS) if last is None else next_rows(*last, short)

        bands: list[Band] = []
        samples: list[Sample] = []
        top, rows = area.y0, rows_from(area.y0, None, 1.0)
        pace = 1.0  # how much slower than the profile this zoom draws (cost is not per pixel)
        while top < area.y1:
            if cancelled is not None and cancelled():
                raise RenderCancelled
            box = mupdf.FzIrect(area.x0, top, area.x1, min(area.y1, top + rows))
            started = time.perf_counter()
            with MUPDF_LOCK:  # released between bands so others get a turn
                bands.append(_draw(dlist, box, ctm))
            seconds = time.perf_counter() - started
            samples.append((box.y0, box.y1, seconds, width))
            if profile and (predicted := predicted_seconds(profile, box.y0, box.y1, zoom, width)):
                pace = min(10.0, max(0.5, seconds / predicted))
            top = box.y1
            rows = rows_from(top, (box.y1 - box.y0, seconds), pace)
            if profile is not None and top < area.y1:
                time.sleep(BAND_PAUSE_SECONDS)  # the GUI thread's turn (see bands.py)
        with MUPDF_LOCK:
            self._note(page, zoom, samples)
        return bands

    def _note(self, page: int, zoom: float, samples: list[Sample]) -> None:
        """Remember where a slow page is slow to draw (caller holds the lock)."""
        if page not in self._profiles and sum(s[2] for s in samples) < self.heavy_page_seconds:
            return
        if sum((bottom - top) * width for top, bottom, _s, width in samples) >= MIN_PROFILE_PIXELS:
            self._profiles[page] = measured_profile(zoom, samples)
        else:
            self._profiles.setdefault(page, [])  # slow, but too small a render to say where

    def _keep_display_list(self, page: int, dlist: mupdf.FzDisplayList) -> None:
        """Keep a slow page's display list, the least recently used beyond a few dropped
        (caller holds the lock)."""
        self._display_lists[page] = dlist
        self._profiles.setdefault(page, [])  # slow, though where is not measured yet
        while len(self._display_lists) > KEPT_DISPLAY_LISTS:
            self._display_lists.popitem(last=False)

    def hide_annotations(self, keys: dict[int, set[str]]) -> set[int]:
        """Leave off the pages the file's annotations that ``keys`` names (page -> their
        external_key), and put back the ones left off before and not named now. Only this open
        copy changes: nothing is saved. Returns the pages whose look changed."""
        wanted = {
            page: frozenset(k) for page, k in keys.items() if k and 0 <= page < self.page_count
        }
        asked = {
            page
            for page in wanted.keys() | self._hidden_keys.keys()
            if wanted.get(page) != self._hidden_keys.get(page)
        }
        hidden_flag = mupdf.PDF_ANNOT_IS_HIDDEN
        changed = set()
        with MUPDF_LOCK:
            for page in asked:
                before = self._hidden_flags.pop(page, {})
                left_off: dict[int, int] = {}
                loaded = self._doc[page]  # kept alive while its annotations change
                for annot in loaded.annots() or ():
                    flags = before.get(annot.xref, annot.flags)
                    if external_key(annot, page) in wanted.get(page, ()):
                        left_off[annot.xref] = flags
                        flags |= hidden_flag
                    if flags != annot.flags:
                        # In the annotation's dictionary itself: set_flags would mark it changed,
                        # and MuPDF would draw it anew in its own way the next time it updates
                        # the page (another program's text box or ink would not look the same).
                        self._doc.xref_set_key(annot.xref, "F", str(flags))
                        changed.add(page)
                if left_off:
                    self._hidden_flags[page] = left_off
                if page in changed:
                    self._display_lists.pop(page, None)  # recorded with the old annotations
        self._hidden_keys = wanted
        return changed

    def image_rects(self, page: int) -> list[Rect]:
        """Where ``page`` shows raster images (photos, plotted figures), in PDF points."""
        rects = self._images.get(page)
        if rects is None:
            with MUPDF_LOCK:
                infos = self._doc[page].get_image_info()
            rects = [tuple(info["bbox"]) for info in infos]
            self._images[page] = rects
        return rects

    def _image_boxes(self, page: int, ctm: mupdf.FzMatrix) -> list[PixelBox]:
        """The page's images in the device pixels of a render through ``ctm`` (zoomed, maybe
        turned), whole pixels out."""
        boxes = []
        for rect in self.image_rects(page):
            box = mupdf.fz_transform_rect(mupdf.FzRect(*rect), ctm)
            boxes.append(
                (math.floor(box.x0), math.floor(box.y0), math.ceil(box.x1), math.ceil(box.y1))
            )
        return boxes

    def kept_display_lists(self) -> list[int]:
        """The pages whose display lists are kept, least recently used first."""
        with MUPDF_LOCK:
            return list(self._display_lists)

    # ---- text ---------------------------------------------------------------------------------
    def words(self, page: int) -> list[Word]:
        """The page's words in reading (content) order; cached."""
        cached = self._words.get(page)
        if cached is not None:
            return cached
        try:
            with MUPDF_LOCK:
                raw = shown_words(self._doc.load_page(page))
        except Exception:  # the page shows no selectable words rather than failing
            log.warning(
                "MuPDF could not read the words of page %d of %s",
                page + 1,
                self.path,
                exc_info=True,
            )
            raw = []
        words = [Word((w[0], w[1], w[2], w[3]), w[4], w[5], w[6]) for w in raw]
        self._words[page] = words
        return words

    def text(self, page: int) -> str:
        try:
            with MUPDF_LOCK:
                return page_text(self._doc.load_page(page))
        except Exception:
            log.warning(
                "MuPDF could not read the text of page %d of %s", page + 1, self.path, exc_info=True
            )
            return ""

    def word_index_at(self, page: int, point: Point) -> int | None:
        """The index of the word under (or nearest in its line to) ``point``, or None."""
        words = self.words(page)
        if not words:
            return None
        x, y = point
        best, best_d = None, math.inf
        for i, w in enumerate(words):
            x0, y0, x1, y1 = w.rect
            dx = 0.0 if x0 <= x <= x1 else min(abs(x - x0), abs(x - x1))
            dy = 0.0 if y0 <= y <= y1 else min(abs(y - y0), abs(y - y1))
            d = dy * 4 + dx  # prefer the same line over a nearer word on another line
            if d < best_d:
                best, best_d = i, d
        return best

    def selection_between(self, page: int, start: Point, end: Point) -> TextSelection | None:
        """The words from the one at ``start`` to the one at ``end`` (either order)."""
        a = self.word_index_at(page, start)
        b = self.word_index_at(page, end)
        if a is None or b is None:
            return None
        lo, hi = min(a, b), max(a, b)
        return selection_from_words(page, self.words(page)[lo : hi + 1])

    def line_at(self, page: int, point: Point) -> TextSelection | None:
        """The line of text under (or nearest to) ``point``: what a triple-click selects."""
        index = self.word_index_at(page, point)
        if index is None:
            return None
        words = self.words(page)
        key = (words[index].block, words[index].line)
        line = [w for w in words if (w.block, w.line) == key]
        return selection_from_words(page, line)

    def selections_between(
        self, start: tuple[int, Point], end: tuple[int, Point]
    ) -> list[TextSelection]:
        """The words from ``start`` to ``end`` ((page, point) each, either order), across page
        breaks: one selection per page that has words, in reading order."""
        if start[0] == end[0]:
            one = self.selection_between(start[0], start[1], end[1])
            return [one] if one is not None else []
        (first, a), (last, b) = sorted((start, end), key=lambda s: s[0])
        selections = []
        for page in range(first, last + 1):
            words = self.words(page)
            if not words:
                continue
            lo = self.word_index_at(page, a) if page == first else 0
            hi = self.word_index_at(page, b) if page == last else len(words) - 1
            if lo is None or hi is None:  # not for a page with words: there is a nearest one
                continue
            one = selection_from_words(page, words[lo : hi + 1])
            if one is not None:
                selections.append(one)
        return selections

    def search_page(self, page: int, query: str) -> list[list[Rect]]:
        """Every match of ``query`` on ``page`` (case, ligatures and line-end hyphens ignored),
        each as one rect per line it covers."""
        if not query.strip():
            return []
        from readerapp.pdf.find_text import PageText  # here: not needed to show a first page

        text = self._page_texts.get(page)
        if text is None:
            text = self._page_texts[page] = PageText(self.words(page))
        return text.find(query)

    # ---- navigation ---------------------------------------------------------------------------
    def links(self, page: int) -> list[PdfLink]:
        cached = self._links.get(page)
        if cached is not None:
            return cached
        result: list[PdfLink] = []
        try:
            with MUPDF_LOCK:
                raw = self._doc.load_page(page).get_links()
        except Exception:
            log.warning(
                "MuPDF could not read the links of page %d of %s",
                page + 1,
                self.path,
                exc_info=True,
            )
            raw = []
        for link in raw:
            r = link.get("from")
            if r is None:
                continue
            rect = (r.x0, r.y0, r.x1, r.y1)
            kind = link.get("kind")
            target = link.get("page", -1)
            if kind in (pymupdf.LINK_GOTO, pymupdf.LINK_NAMED) and isinstance(target, int):
                if 0 <= target < self.page_count:
                    to = link.get("to")
                    x, y = (float(to.x), float(to.y)) if to is not None else (None, None)
                    result.append(PdfLink(rect, target_page=target, target_y=y, target_x=x))
            elif kind == pymupdf.LINK_URI and link.get("uri"):
                result.append(PdfLink(rect, uri=str(link["uri"])))
        self._links[page] = result
        return result

    def outline(self) -> list[OutlineEntry]:
        try:
            with MUPDF_LOCK:
                toc = self._doc.get_toc(simple=False)
        except Exception:
            log.warning("MuPDF could not read the outline of %s", self.path, exc_info=True)
            return []
        entries = []
        for level, title, page, dest in toc:
            to = dest.get("to") if isinstance(dest, dict) else None
            y = float(to.y) if to is not None and hasattr(to, "y") else None
            entries.append(OutlineEntry(int(level), str(title).strip(), int(page) - 1, y))
        return entries

    # ---- what the document is -----------------------------------------------------------------
    def metadata(self) -> dict[str, str]:
        with MUPDF_LOCK:
            return {k: (v or "").strip() for k, v in (self._doc.metadata or {}).items()}

    def title_and_authors(self) -> tuple[str, list[str]]:
        """The title and authors from the metadata, else from the first page's typography."""
        meta = self.metadata()
        title = meta.get("title", "")
        authors = split_authors(meta.get("author", ""))
        if not _plausible_title(title):
            title = ""
        if not title:
            title, first_page_authors = self._first_page_title_authors()
            authors = authors or first_page_authors
        return title, authors

    def _first_page_title_authors(self) -> tuple[str, list[str]]:
        try:
            with MUPDF_LOCK:
                info = self._doc.load_page(0).get_text("dict")
        except Exception:
            log.warning("MuPDF could not read the first page of %s", self.path, exc_info=True)
            return "", []
        # ((bottom, left), (size, y0, text)): names side by side on a row, each with its raised
        # affiliation mark, are read left to right (their tops differ with the marks).
        rows: list[tuple[tuple[int, float], tuple[float, float, str]]] = []
        page_height = self.page_sizes[0][1]
        for block in info.get("blocks", []):
            for line in block.get("lines", []):
                if line.get("dir", (1, 0))[0] < 0.9:  # vertical text: the arXiv stamp, margins
                    continue
                spans = [s for s in line.get("spans", []) if s.get("text", "").strip()]
                if not spans:
                    continue
                text = " ".join(s["text"].strip() for s in spans)
                size = max(s["size"] for s in spans)
                y0 = line["bbox"][1]
                if y0 < page_height * 0.6:
                    where = (round(line["bbox"][3]), line["bbox"][0])
                    rows.append((where, (round(size, 1), y0, text)))
        if not rows:
            return "", []
        lines = [entry for _where, entry in sorted(rows, key=lambda row: row[0])]
        sizes = [size for size, _, text in lines if len(text) > 3]
        if not sizes:
            return "", []
        top_size = max(sizes)
        title_lines = [(y, t) for size, y, t in lines if size == top_size]
        title = " ".join(t for _, t in title_lines)
        title = re.sub(r"\s+", " ", title).strip()
        last_title_y = max(y for y, _ in title_lines)
        authors: list[str] = []
        for size, y, text in lines:
            if y <= last_title_y or size >= top_size:
                continue
            if re.match(r"(?i)^\s*abstract\b", text):
                break
            candidates = split_authors(text)
            names = [c for c in candidates if _looks_like_name(c)]
            if names:
                authors.extend(names)
            elif authors:
                break
            if len(authors) > 30:
                break
        return title[:300], authors

    def find_arxiv_id(self) -> ArxivId | None:
        """The arXiv id this file names: the margin stamp on page 1, its metadata, or its name."""
        try:
            with MUPDF_LOCK:
                text = self._doc.load_page(0).get_text("text") if self.page_count else ""
        except Exception:
            log.warning("MuPDF could not read the first page of %s", self.path, exc_info=True)
            text = ""
        for m in re.finditer(r"arXiv:\s*([A-Za-z.\-]*/?\d{4}\.?\d{3,5}(?:v\d+)?)", text):
            found = parse_arxiv_id(m.group(1))
            if found:
                return found
        meta = self.metadata()
        for field in ("subject", "title", "keywords"):
            for m in re.finditer(r"arXiv:\s*(\S+)", meta.get(field, "")):
                found = parse_arxiv_id(m.group(1).rstrip(".,;)"))
                if found:
                    return found
        stem = self.path.stem
        return parse_arxiv_id(stem) or parse_arxiv_id(stem.replace("_", "/"))


def page_text_layer(page: pymupdf.Page, flags: int) -> pymupdf.TextPage:
    """The text of the page itself, without its annotations' (a FreeText box's "Hello World",
    a note's icon label): what a selection, a quote and the search index take.

    ``page.get_text`` runs the annotations too (``fz_run_page``); this runs only the contents.
    """
    fz_page = page.this
    if isinstance(fz_page, mupdf.PdfPage):
        fz_page = fz_page.super()
    stext = mupdf.FzStextPage(mupdf.fz_bound_page(fz_page))
    device = mupdf.fz_new_stext_device(stext, mupdf.FzStextOptions(flags))
    try:
        mupdf.fz_run_page_contents(fz_page, device, mupdf.FzMatrix(), mupdf.FzCookie())
        mupdf.fz_close_device(device)
    finally:
        del device
    layer = pymupdf.TextPage(stext)
    layer.parent = page
    return layer


def page_text(page: pymupdf.Page) -> str:
    """``page.get_text()`` of the page's own text (see :func:`page_text_layer`)."""
    text: str = page.get_text(textpage=page_text_layer(page, pymupdf.TEXTFLAGS_TEXT))
    return text


# What ``page.get_text("words")`` lists: x0, y0, x1, y1, text, block, line, word number.
RawWord = tuple[float, float, float, float, str, int, int, int]


def shown_words(page: pymupdf.Page) -> list[RawWord]:
    """``page.get_text("words")`` of the page's own text (see :func:`page_text_layer`), placed
    where the page shows them: on a page with /Rotate (a landscape table in an appendix), where
    its links and annotations are placed too (the contents are run through the page's rotation,
    unlike ``get_text``, which gives positions on the unrotated page)."""
    words: list[RawWord] = page.get_text(
        "words", sort=False, textpage=page_text_layer(page, pymupdf.TEXTFLAGS_WORDS)
    )
    return words


def selection_from_words(page: int, words: list[Word]) -> TextSelection | None:
    """Merge words into one rect per line, and their text into lines."""
    if not words:
        return None
    rects: list[list[float]] = []
    lines: list[list[str]] = []
    last_key = None
    for w in words:
        key = (w.block, w.line)
        if key != last_key:
            if last_key is not None and w.block != last_key[0] and _paragraph_gap(rects[-1], w):
                lines.append([])  # a paragraph break: a blank line in the text
            rects.append(list(w.rect))
            lines.append([w.text])
            last_key = key
        else:
            r = rects[-1]
            r[0], r[1] = min(r[0], w.rect[0]), min(r[1], w.rect[1])
            r[2], r[3] = max(r[2], w.rect[2]), max(r[3], w.rect[3])
            lines[-1].append(w.text)
    text = "\n".join(" ".join(line) for line in lines)
    return TextSelection(page=page, quads=[(r[0], r[1], r[2], r[3]) for r in rects], text=text)


def _paragraph_gap(previous_line: list[float], word: Word) -> bool:
    """Whether ``word``, starting a new text block, is a line below ``previous_line`` with
    a paragraph's space between them. A block next to or above it (the next column) continues
    the paragraph, and so does a block that merely sits a line below (MuPDF splits some)."""
    height = word.rect[3] - word.rect[1]
    return word.rect[1] - previous_line[3] > 0.8 * height


# Footnote and affiliation marks after an author's name ("Andreas Gal +", "Ada Lovelace∗†").
_MARKS = r"\d*+†‡§¶∗⋆★♠♣♦♥♮♯#‖"


def split_authors(text: str) -> list[str]:
    """'A, B and C' / 'A; B' / 'A and B' -> names, footnote marks dropped."""
    if not text:
        return []
    text = re.sub(rf"[{_MARKS},]+(?=\s*(,|;|\band\b|$))", "", text)
    parts = re.split(r"\s*(?:,|;|\band\b|&|·)\s*", text)
    names = []
    for part in parts:
        part = re.sub(rf"[{_MARKS}]+", "", part).strip(" .")
        if part:
            names.append(" ".join(part.split()))
    return names


def _looks_like_name(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 4 or "@" in text:
        return False
    stop = {"university", "institute", "department", "lab", "laboratory", "school", "inc", "google"}
    if any(w.lower().strip(".,") in stop for w in words):
        return False
    return all(w[0].isupper() for w in words if w[0].isalpha())


def _plausible_title(title: str) -> bool:
    if len(title) < 4:
        return False
    lowered = title.lower()
    junk = ("untitled", "microsoft word", ".dvi", ".tex", ".pdf", "arxiv:")
    return not any(j in lowered for j in junk)


def _draw(
    source: mupdf.FzPage | mupdf.FzDisplayList,
    box: mupdf.FzIrect,
    ctm: mupdf.FzMatrix,
) -> Band:
    """Draw the part of ``source`` inside ``box`` (device pixels) into a band.

    The caller holds MUPDF_LOCK. The pixels live in a Python bytearray that MuPDF draws into, not
    in MuPDF's memory: the image the viewer makes of them may outlive this call and be dropped on
    any thread (Python frees it), and it never points at freed memory.
    """
    width, height = box.x1 - box.x0, box.y1 - box.y0
    stride = width * 4
    # All 0xFF is white, opaque paper, in one pass (MuPDF's own clear would be a second one).
    samples = bytearray(b"\xff") * (stride * height)
    pix = mupdf.fz_new_pixmap_with_bbox_and_data(
        mupdf.fz_device_bgr(),
        box,
        mupdf.FzSeparations(),
        1,  # the fourth byte is alpha; it stays 255 because the paper under everything is opaque
        mupdf.python_mutable_buffer_data(samples),
    )
    try:
        dev = mupdf.fz_new_draw_device(ctm, pix)
        try:
            if isinstance(source, mupdf.FzDisplayList):
                # Only what falls inside this band is run through the draw device.
                scissor = mupdf.fz_transform_rect(
                    mupdf.fz_rect_from_irect(box), mupdf.fz_invert_matrix(ctm)
                )
                mupdf.fz_run_display_list(source, dev, mupdf.FzMatrix(), scissor, mupdf.FzCookie())
            else:
                mupdf.fz_run_page(source, dev, mupdf.FzMatrix(), mupdf.FzCookie())
            mupdf.fz_close_device(dev)
        finally:
            del dev  # dropped now, under the caller's lock
    finally:
        del pix  # it does not own ``samples``: dropping it leaves them alone
    return Band(box.x0, box.y0, width, height, stride, memoryview(samples))


def _turned(ctm: mupdf.FzMatrix, bounds: mupdf.FzRect, rotation: int) -> mupdf.FzMatrix:
    """``ctm`` turned clockwise by ``rotation`` degrees, moved so the page starts at (0, 0)."""
    turned = mupdf.fz_concat(ctm, mupdf.fz_rotate(rotation % 360))
    box = mupdf.fz_transform_rect(bounds, turned)
    placed: mupdf.FzMatrix = mupdf.fz_concat(turned, mupdf.fz_translate(-box.x0, -box.y0))
    return placed


def _to_night(band: Band, keep: list[PixelBox]) -> None:
    """Recolour a band of a page for night mode; ``keep`` is in the page's pixels."""
    in_band = [(x0 - band.x, y0 - band.y, x1 - band.x, y1 - band.y) for x0, y0, x1, y1 in keep]
    with MUPDF_LOCK:
        recolour_band(band, in_band)


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]


def shrink_mupdf_store() -> None:
    """Give back most of MuPDF's resource store (fonts, images), which otherwise grows to 256 MB."""
    with MUPDF_LOCK:
        pymupdf.TOOLS.store_shrink(75)
