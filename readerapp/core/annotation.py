"""An annotation on an item's PDF, its kinds, and the colour palette with nameable meanings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF page space, y down (PyMuPDF)


class AnnotationKind(StrEnum):
    HIGHLIGHT = "highlight"
    UNDERLINE = "underline"
    STRIKEOUT = "strikeout"
    SQUIGGLY = "squiggly"
    NOTE = "note"  # a sticky note at a point
    FREETEXT = "freetext"  # text written on the page (imported)
    INK = "ink"  # a freehand drawing (imported)
    AREA = "area"  # a rectangle over a figure or an equation

    @property
    def is_text_markup(self) -> bool:
        return self in TEXT_MARKUP


TEXT_MARKUP = frozenset(
    {
        AnnotationKind.HIGHLIGHT,
        AnnotationKind.UNDERLINE,
        AnnotationKind.STRIKEOUT,
        AnnotationKind.SQUIGGLY,
    }
)


@dataclass(frozen=True, slots=True)
class PaletteColor:
    color: str  # '#rrggbb'
    meaning: str
    shortcut: str  # a digit the viewer binds to "highlight in this colour"


# Zotero's reader colours, so a user moving over recognises them; meanings are renameable.
DEFAULT_PALETTE: tuple[PaletteColor, ...] = (
    PaletteColor("#ffd400", "claim", "1"),
    PaletteColor("#5fb236", "method", "2"),
    PaletteColor("#2ea8e5", "result", "3"),
    PaletteColor("#ff6666", "limitation", "4"),
    PaletteColor("#a28ae5", "question", "5"),
    PaletteColor("#f19837", "other", "6"),
)
DEFAULT_COLOR = DEFAULT_PALETTE[0].color


FLOW_KEY = "flow"  # Annotation.extra's key for its place in its page's text flow


@dataclass(slots=True)
class Annotation:
    """One mark on a page. ``rects`` are the line boxes of a text markup, or the box of an area,
    note, free text or ink; ``page`` is 1-based. A detached annotation lost its place when the
    PDF changed: it keeps its quote and comment and waits to be placed again."""

    id: int
    item_id: int
    kind: AnnotationKind
    page: int
    color: str = DEFAULT_COLOR
    quote: str = ""
    comment: str = ""
    rects: list[Rect] = field(default_factory=list)
    prefix: str = ""
    suffix: str = ""
    detached: bool = False
    source: str = "readerapp"  # or "pdf" for one imported from the file
    external_key: str | None = None
    author: str = ""
    created: str = ""
    modified: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # kind-specific: ink strokes, note icon
    revision: int = 0  # counts the row's changes: a write says which one it started from

    @property
    def top(self) -> float:
        return min((r[1] for r in self.rects), default=0.0)

    @property
    def left(self) -> float:
        return min((r[0] for r in self.rects), default=0.0)

    @property
    def reading_key(self) -> tuple[int, float, float, int]:
        """Page, then top to bottom, then left to right; ties by creation order (id)."""
        return (self.page, round(self.top, 1), round(self.left, 1), self.id)

    @property
    def flow(self) -> int | None:
        """Where on its page the text flow reaches it (characters from the page's first word,
        in reading order: a two-column page's left column before its right), when known."""
        value = self.extra.get(FLOW_KEY)  # -1: looked for, but the page has no text
        return value if isinstance(value, int) and value >= 0 else None

    def copy(self, **changes: object) -> Annotation:
        return replace(self, **changes)  # type: ignore[arg-type]


def in_reading_order(annotations: Iterable[Annotation]) -> list[Annotation]:
    """Page by page; on a page, in the order its text is read (column, then line) when every
    annotation there knows its place in it, else top to bottom, then left to right."""
    by_page: dict[int, list[Annotation]] = {}
    for ann in annotations:
        by_page.setdefault(ann.page, []).append(ann)
    ordered: list[Annotation] = []
    for page in sorted(by_page):
        members = by_page[page]
        if all(a.flow is not None for a in members):
            members.sort(key=lambda a: (a.flow, a.reading_key))
        else:
            members.sort(key=lambda a: a.reading_key)
        ordered.extend(members)
    return ordered


def normalize_color(text: str) -> str | None:
    """'#RGB', '#rrggbb' or 'rrggbb' as '#rrggbb'; None when it is not a colour."""
    value = text.strip().lower().lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    if len(value) != 6 or any(c not in "0123456789abcdef" for c in value):
        return None
    return f"#{value}"
