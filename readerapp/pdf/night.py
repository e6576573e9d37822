"""Night mode's colours: a dark page with light text that keeps every colour's hue.

A plain inversion turns a blue bar orange and a green curve pink. Like Zathura's "recolor keep
hue" and Sioyek's custom colour mode, each pixel's lightness is mapped instead (white paper to
NIGHT_PAPER, black ink to NIGHT_INK) and its colour (its difference from grey) is added back, scaled
down only as far as the result must stay a real colour. Images (photos, raster figures) can be left
as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

from readerapp.pdf.types import Band

if TYPE_CHECKING:  # numpy itself is imported where night mode first needs it (start-up time)
    import numpy as np
    from numpy.typing import NDArray

NIGHT_PAPER = (30, 30, 30)  # what white paper becomes (R, G, B)
NIGHT_INK = (222, 222, 222)  # what black ink becomes
# Rec. 601 luma weights, in the bands' byte order (B, G, R).
_LUMA_BGR = (0.114, 0.587, 0.299)

PixelBox = tuple[int, int, int, int]  # x0, y0, x1, y1 in the band's own pixels


def recolour_band(band: Band, keep: Iterable[PixelBox] = ()) -> None:
    """Recolour ``band`` in place for night mode, leaving the pixels inside ``keep`` as drawn."""
    import numpy as np  # here: only night mode needs it, and it costs start-up time

    rows = np.frombuffer(band.samples, dtype=np.uint8).reshape(band.height, band.stride)
    pixels = rows[:, : band.width * 4].view(np.uint32)  # one B, G, R, A word per pixel
    kept: list[tuple[PixelBox, NDArray[np.uint32]]] = []
    for box in keep:
        x0, y0, x1, y1 = _clipped(box, band.width, band.height)
        if x1 > x0 and y1 > y0:
            kept.append(((x0, y0, x1, y1), pixels[y0:y1, x0:x1].copy()))
    pixels[...] = recolour_words(pixels)
    for (x0, y0, x1, y1), original in kept:
        pixels[y0:y1, x0:x1] = original


def recolour_words(words: NDArray[np.uint32]) -> NDArray[np.uint32]:
    """The night colours of pixels packed as Qt's 32-bit words (B, G, R, A, little-endian);
    alpha is kept."""
    import numpy as np

    # Most of a page is grey (paper, text, its anti-aliased edges): a grey pixel's night colour
    # is a table look-up. Only the coloured ones take the slower way that keeps their hue.
    green = (words >> 8) & 0xFF
    out: NDArray[np.uint32] = _grey_words()[green] | (words & 0xFF000000)
    coloured = ((words ^ (words >> 8)) & 0xFFFF) != 0  # B != G or G != R
    if coloured.any():
        chosen = words[coloured]
        bgr = np.stack([(chosen >> shift) & 0xFF for shift in (0, 8, 16)], axis=-1)
        night = recolour_bgr(bgr.astype(np.uint8)).astype(np.uint32)
        out[coloured] = (
            night[:, 0] | (night[:, 1] << 8) | (night[:, 2] << 16) | (chosen & 0xFF000000)
        )
    return out


@cache
def _grey_words() -> NDArray[np.uint32]:
    """Each grey level's night colour as a B, G, R word (alpha 0, or-ed in by the caller)."""
    table = _grey_table().astype("uint32")
    words: NDArray[np.uint32] = table[:, 0] | (table[:, 1] << 8) | (table[:, 2] << 16)
    return words


def recolour_bgr(bgr: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """The night colours of ``bgr`` pixels ((n, 3) B, G, R): their lightness mapped, their hue
    kept."""
    import numpy as np

    colour = bgr.astype(np.float32)
    luma = colour @ np.array(_LUMA_BGR, dtype=np.float32)
    paper = np.array(NIGHT_PAPER[::-1], dtype=np.float32)
    ink = np.array(NIGHT_INK[::-1], dtype=np.float32)
    grey = ink + np.multiply.outer(luma / 255.0, paper - ink)
    chroma = colour - luma[..., None]
    # How much of the colour fits on top of that grey in every channel (1: all of it). Scaling
    # all three channels by one factor keeps the hue, where clipping each channel would shift it.
    with np.errstate(divide="ignore", invalid="ignore"):
        room = np.where(
            chroma > 0, (255.0 - grey) / chroma, np.where(chroma < 0, -grey / chroma, 1)
        )
    fit = np.clip(room.min(axis=-1, initial=1.0), 0.0, 1.0)
    rounded = np.clip(grey + chroma * fit[..., None] + 0.5, 0, 255)
    night: NDArray[np.uint8] = rounded.astype(np.uint8)
    return night


@cache
def _grey_table() -> NDArray[np.uint8]:
    """Night colour (B, G, R) of each grey level: white -> paper, black -> ink, linearly between."""
    import numpy as np

    paper = np.array(NIGHT_PAPER[::-1], dtype=np.float32)
    ink = np.array(NIGHT_INK[::-1], dtype=np.float32)
    levels = np.arange(256, dtype=np.float32) / 255.0
    rounded = np.clip(ink + np.multiply.outer(levels, paper - ink) + 0.5, 0, 255)
    table: NDArray[np.uint8] = rounded.astype(np.uint8)
    return table


def _clipped(box: PixelBox, width: int, height: int) -> PixelBox:
    x0, y0, x1, y1 = box
    return max(0, x0), max(0, y0), min(width, x1), min(height, y1)
