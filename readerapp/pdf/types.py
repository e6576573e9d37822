"""Plain values the viewer hands to the rest of the app (and the annotation layer draws with)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF points, y grows downwards
Point = tuple[float, float]

# "drawn": the page draws it itself (another program's ink or text box, with its own
# appearance): only its selection outline is painted over it.
OverlayKind = Literal["highlight", "underline", "strikeout", "area", "note", "drawn"]


@dataclass(frozen=True, slots=True)
class TextSelection:
    """Text the user selected on one page: one rect per line (PDF points) and the text itself."""

    page: int  # 0-based
    quads: list[Rect]
    text: str


@dataclass(slots=True)
class Overlay:
    """Something painted over a page (a highlight, a note icon...); the view knows only this."""

    id: int | str
    kind: OverlayKind
    rects: list[Rect]
    color: str = "#ffd400"
    selected: bool = False
    tip: str = ""  # shown when the pointer rests on it (a comment, a note's text)


@dataclass(frozen=True, slots=True)
class Word:
    rect: Rect
    text: str
    block: int
    line: int


@dataclass(frozen=True, slots=True)
class PdfLink:
    """A link area on a page: internal (to a page and y) or external (a URI)."""

    rect: Rect
    uri: str = ""
    target_page: int | None = None  # 0-based, internal links only
    target_y: float | None = None  # PDF points from the top of the target page
    target_x: float | None = None  # ... and from its left edge

    @property
    def is_internal(self) -> bool:
        return self.target_page is not None

    def describe(self) -> str:
        """What hovering the link shows."""
        if self.is_internal:
            return f"Go to page {self.target_page + 1}"  # type: ignore[operator]
        return self.uri


@dataclass(frozen=True, slots=True)
class OutlineEntry:
    level: int  # 1 = top level
    title: str
    page: int  # 0-based, -1 when the entry points nowhere in this file
    y: float | None = None


@dataclass(frozen=True, slots=True)
class Band:
    """A horizontal strip of a rendered page at pixel offset (x, y) in the page image.

    Each pixel is four bytes B, G, R, 255 (``stride`` bytes per row). ``samples`` is a view of a
    Python buffer that MuPDF drew into: it stays valid as long as anything refers to it.
    """

    x: int
    y: int
    width: int
    height: int
    stride: int
    samples: memoryview  # writable: night mode recolours it in place


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """A page rendered at ``zoom`` (pixels per point) as one or more bands of 32-bit pixels."""

    page: int
    zoom: float
    width: int
    height: int
    bands: list[Band] = field(default_factory=list)
