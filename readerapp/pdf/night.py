"""Night mode's colours: a dark page with light text that keeps every colour's hue.

A plain inversion turns a blue bar orange and a green curve pink. MuPDF's own pixmap functions
do better, in C, on the band's bytes in place: ``fz_invert_pixmap_luminance`` inverts each
pixel's luminance but keeps its chroma (white paper turns black, black ink white, a blue bar stays
blue), then ``fz_tint_pixmap`` maps that black to NIGHT_PAPER and that white to NIGHT_INK with the
same scale on every channel, which keeps the hue too. Images (photos, raster figures) can be left
as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from pymupdf import mupdf

from readerapp.pdf.types import Band

NIGHT_PAPER = (30, 30, 30)  # what white paper becomes (R, G, B)
NIGHT_INK = (222, 222, 222)  # what black ink becomes

PixelBox = tuple[int, int, int, int]  # x0, y0, x1, y1 in the band's own pixels


def _hex(red: int, green: int, blue: int) -> int:
    """A colour as fz_tint_pixmap reads it: 0xRRGGBB, also for a BGR pixmap (MuPDF swaps the
    channels itself)."""
    return red << 16 | green << 8 | blue


@cache
def _tint() -> tuple[int, int]:
    """The black and white handed to fz_tint_pixmap after the luminance inversion.

    MuPDF's inversion takes a grey level v to about 259 - v (clamped; older releases computed it
    differently), so white paper comes out a few levels above black, and the tint would lift it
    the same way above its black. The black handed to the tint is darkened to match, so that
    paper ends up exactly NIGHT_PAPER: the colour the view paints where a page's image does not
    reach (its last pixel at a fractional scale, a page not drawn yet), which must not show as a
    lighter sliver or block. The caller holds MUPDF_LOCK.
    """
    white = _inverted(bytearray(b"\xff\xff\xff\xff"))[0]
    black = [
        round((paper * 255 - white * ink) / (255 - white))
        for paper, ink in zip(NIGHT_PAPER, NIGHT_INK, strict=True)
    ]
    return _hex(*black), _hex(*NIGHT_INK)


def recolour_band(band: Band, keep: Iterable[PixelBox] = ()) -> None:
    """Recolour ``band`` in place for night mode, leaving the pixels inside ``keep`` as drawn.

    The caller holds MUPDF_LOCK. The band's four bytes a pixel are B, G, R, A (see _draw in
    document.py); alpha is left alone.
    """
    if band.stride != band.width * 4:  # MuPDF would take the rows' padding for pixels
        raise ValueError(f"a band with padded rows ({band.stride} bytes for {band.width} pixels)")
    samples = band.samples
    kept = _saved(band, keep)
    black, white = _tint()
    _inverted(samples, band.width, band.height, tint=(black, white))
    for start, original in kept:
        samples[start : start + len(original)] = original


def _inverted(
    samples: bytearray | memoryview,
    width: int = 1,
    height: int = 1,
    tint: tuple[int, int] | None = None,
) -> bytearray | memoryview:
    """``samples`` (B, G, R, A pixels, rows without padding) with their luminance inverted in
    place, then tinted from ``tint``'s black to its white if given. The caller holds MUPDF_LOCK."""
    pix = mupdf.fz_new_pixmap_with_bbox_and_data(
        mupdf.fz_device_bgr(),
        mupdf.FzIrect(0, 0, width, height),
        mupdf.FzSeparations(),
        1,  # the fourth byte is alpha, left as it is
        mupdf.python_mutable_buffer_data(samples),  # the caller's own bytes: no copy
    )
    try:
        mupdf.fz_invert_pixmap_luminance(pix)
        if tint is not None:
            mupdf.fz_tint_pixmap(pix, *tint)
    finally:
        del pix  # it does not own ``samples``: dropping it leaves them alone
    return samples


def _saved(band: Band, keep: Iterable[PixelBox]) -> list[tuple[int, bytes]]:
    """A copy of every row of every ``keep`` box, with where in the band's bytes it starts."""
    saved: list[tuple[int, bytes]] = []
    for x0, y0, x1, y1 in keep:
        x0, y0, x1, y1 = max(0, x0), max(0, y0), min(band.width, x1), min(band.height, y1)
        if x1 <= x0 or y1 <= y0:
            continue
        for y in range(y0, y1):
            start = y * band.stride + x0 * 4
            saved.append((start, bytes(band.samples[start : y * band.stride + x1 * 4])))
    return saved
