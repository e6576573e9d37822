"""Where the reader left each paper (page, offset, zoom), kept in the library's state table."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

from readerapp.storage.library import LibraryRepository


@dataclass(frozen=True, slots=True)
class ReadingPosition:
    page: int  # 0-based
    y: float = 0.0  # PDF points from the page's top to the view's top edge
    scale: float | None = None  # logical pixels per point when the zoom was the user's own
    fit: str | None = "width"  # 'width' | 'page' | None (then ``scale`` applies)
    night: bool = False
    spread: bool = False  # two pages side by side
    rotation: int = 0  # degrees clockwise the pages are turned: 0, 90, 180 or 270


def _key(paper: int | Path) -> str:
    """A library item by its id; a PDF from outside the library by its full path."""
    if isinstance(paper, Path):
        return f"reading:file:{paper}"
    return f"reading:{paper}"


# A y above a page's top is the gap above it (the view shows ~12 px there); PDF pages are at
# most 14,400 points tall. Anything beyond is a damaged value.
GAP_ABOVE_POINTS = 200.0
LARGEST_PAGE_POINTS = 14_400.0


def _point_on_page(y: float) -> float:
    if not math.isfinite(y):
        return 0.0
    return min(max(y, -GAP_ABOVE_POINTS), LARGEST_PAGE_POINTS)


def _scale(value: object) -> float | None:
    """A zoom the view can show (a positive finite number), else None: the paper opens fitted."""
    if value is None:
        return None
    scale = float(value)  # type: ignore[arg-type]  # a ValueError or TypeError: unreadable
    return scale if math.isfinite(scale) and scale > 0 else None


def load_position(library: LibraryRepository, paper: int | Path) -> ReadingPosition | None:
    """The saved position, or None (never saved, or unreadable: then the paper opens at page 1)."""
    raw = library.get_state(_key(paper))
    if not raw:
        return None
    try:
        data = json.loads(raw)
        fit = data.get("fit")
        scale = data.get("scale")
        return ReadingPosition(
            page=max(0, int(data["page"])),
            y=_point_on_page(float(data.get("y", 0.0))),
            scale=_scale(scale),
            fit=fit if fit in ("width", "page") else None,
            night=bool(data.get("night", False)),
            spread=bool(data.get("spread", False)),
            rotation=int(data.get("rotation", 0)) % 360 // 90 * 90,
        )
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
        return None


def save_position(library: LibraryRepository, paper: int | Path, position: ReadingPosition) -> None:
    library.set_state(_key(paper), json.dumps(asdict(position)))
