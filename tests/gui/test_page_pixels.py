"""The viewer's page pixels are MuPDF's own: colours, night mode and banded pages match get_pixmap.

The render path draws straight into 32-bit buffers that Qt shows without a copy or conversion,
so a wrong byte order, a lost alpha byte or a buffer freed too early shows here as wrong colours.
"""

from __future__ import annotations

import colorsys
import gc
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtGui import QImage, QPainter

import readerapp.pdf.document as document_module
from readerapp.pdf.document import MUPDF_LOCK, PdfDocument
from readerapp.pdf.night import recolour_band
from readerapp.pdf.types import Band
from readerapp.qt.page_renderer import PageImage, key_for, to_page_image

RED, GREEN, BLUE, YELLOW = (1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 0)
# Where each colour is filled, in PDF points: the middle of each is checked by name.
SWATCHES = {
    RED: pymupdf.Rect(10, 10, 60, 60),
    GREEN: pymupdf.Rect(70, 10, 120, 60),
    BLUE: pymupdf.Rect(130, 10, 180, 60),
    YELLOW: pymupdf.Rect(190, 10, 240, 60),
}


def make_colour_page(path: Path) -> Path:
    """One page with colour swatches, an anti-aliased ring, coloured text and a raster image."""
    doc = pymupdf.open()
    page = doc.new_page(width=300, height=400)
    for colour, rect in SWATCHES.items():
        page.draw_rect(rect, color=None, fill=colour)
    page.draw_rect(pymupdf.Rect(250, 10, 290, 60), color=None, fill=(0.5, 0.5, 0.5))
    page.draw_circle((150, 200), 60.3, color=(0.8, 0.1, 0.5), fill=(0.1, 0.6, 0.9), width=3)
    page.insert_text((20, 330), "Night and day", fontsize=20, color=(0.6, 0.2, 0))
    gradient = bytes(v for y in range(40) for x in range(60) for v in (x * 4, y * 6, 200 - x * 3))
    page.insert_image(
        pymupdf.Rect(200, 300, 290, 360),
        pixmap=pymupdf.Pixmap(pymupdf.csRGB, 60, 40, gradient, False),
    )
    doc.save(path)
    doc.close()
    return path


@pytest.fixture
def colour_pdf(tmp_path: Path) -> Path:
    return make_colour_page(tmp_path / "colours.pdf")


@pytest.fixture
def document(colour_pdf: Path) -> Iterator[PdfDocument]:
    doc = PdfDocument.open(colour_pdf)
    yield doc
    doc.close()


def reference(path: Path, zoom: float, night: bool, page: int = 0) -> QImage:
    """What raw PyMuPDF renders at ``zoom``, as an RGB32 image."""
    with pymupdf.open(path) as doc:
        pix = doc[page].get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
    raw = QImage(pix.samples, pix.width, pix.height, pix.stride, QImage.Format.Format_RGB888)
    day = raw.convertToFormat(QImage.Format.Format_RGB32)
    return recoloured(day) if night else day


def recoloured(image: QImage) -> QImage:
    """``image`` (RGB32) in night mode's colours, by the same function the renderer uses."""
    pixels = bytearray(image.constBits())
    band = Band(0, 0, image.width(), image.height(), image.bytesPerLine(), memoryview(pixels))
    with MUPDF_LOCK:
        recolour_band(band)
    out = QImage(pixels, image.width(), image.height(), image.bytesPerLine(), image.format())
    return out.copy()  # its own pixels: ``pixels`` goes away with this function


def assert_shows(
    shown: tuple[int, int, int], colour: tuple[float, float, float], night: bool
) -> None:
    """``shown`` is ``colour`` (0..1 fractions) by day, and of the same hue at night."""
    day = tuple(round(255 * c) for c in colour)
    if not night:
        assert shown == day
        return
    hues = [colorsys.rgb_to_hls(*(c / 255 for c in rgb))[0] for rgb in (day, shown)]
    turn = abs(hues[0] - hues[1])
    assert min(turn, 1 - turn) * 360 < 10, (day, shown)  # an inversion turns it round by 180
    assert max(shown) - min(shown) > 40  # still a colour


def assembled(image: PageImage) -> QImage:
    """The page's tiles put together, as the view paints them."""
    whole = QImage(image.width, image.height, QImage.Format.Format_RGB32)
    whole.fill(0)
    painter = QPainter(whole)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
    for x, y, tile in image.tiles:
        painter.drawImage(x, y, tile)
    painter.end()
    return whole


def differences(ours: QImage, theirs: QImage) -> list[int]:
    """How far apart each differing byte of two same-sized RGB32 images is."""
    assert (ours.width(), ours.height()) == (theirs.width(), theirs.height())
    a, b = bytes(ours.constBits()), bytes(theirs.constBits())
    return [] if a == b else [abs(x - y) for x, y in zip(a, b, strict=True) if x != y]


def colour_at(image: QImage, zoom: float, rect: pymupdf.Rect) -> tuple[int, int, int]:
    centre = rect.tl + (rect.br - rect.tl) / 2
    colour = image.pixelColor(round(centre.x * zoom), round(centre.y * zoom))
    return colour.red(), colour.green(), colour.blue()


@pytest.mark.parametrize("night", [False, True], ids=["day", "night"])
def test_a_page_shows_the_colours_mupdf_renders(
    qapp, colour_pdf: Path, document: PdfDocument, night: bool
) -> None:
    zoom = 1.3
    rendered = document.render(0, zoom, night=night)
    assert len(rendered.bands) == 1
    band = rendered.bands[0]
    assert band.stride == band.width * 4
    assert all(a == 255 for a in band.samples[3::4])  # opaque, as RGB32 requires
    image = to_page_image(key_for(0, zoom, night), rendered)
    assert image.nbytes == band.stride * band.height

    shown = assembled(image)
    assert differences(shown, reference(colour_pdf, zoom, night)) == []
    for colour, rect in SWATCHES.items():
        assert_shows(colour_at(shown, zoom, rect), colour, night)


@pytest.mark.parametrize("night", [False, True], ids=["day", "night"])
def test_a_banded_page_matches_a_whole_one(
    qapp, monkeypatch: pytest.MonkeyPatch, colour_pdf: Path, document: PdfDocument, night: bool
) -> None:
    monkeypatch.setattr(document_module, "BAND_PIXELS", 40_000)
    zoom = 2.0
    rendered = document.render(0, zoom, night=night)
    assert len(rendered.bands) > 5
    assert [b.y for b in rendered.bands] == sorted({b.y for b in rendered.bands})
    assert all(b.height * b.stride == len(b.samples) for b in rendered.bands)
    shown = assembled(to_page_image(key_for(0, zoom, night), rendered))
    assert all(a == 255 for a in bytes(shown.constBits())[3::4])

    # MuPDF's anti-aliasing differs by a few levels on a band's edge rows (it always did: the
    # bands were clipped renders before too); everything else is byte for byte the same.
    off = differences(shown, reference(colour_pdf, zoom, night))
    assert max(off, default=0) <= 8
    assert len(off) < shown.sizeInBytes() / 1000
    for colour, rect in SWATCHES.items():
        assert_shows(colour_at(shown, zoom, rect), colour, night)


def test_the_image_keeps_its_pixels_after_the_render_is_gone(
    qapp, colour_pdf: Path, document: PdfDocument
) -> None:
    """Qt shows the render's buffer in place; the image alone must keep that buffer alive."""
    image = to_page_image(key_for(0, 1.0, False), document.render(0, 1.0))
    gc.collect()
    document.render(0, 3.0)  # reuses freed memory, would overwrite a dangling buffer
    assert differences(assembled(image), reference(colour_pdf, 1.0, False)) == []


@pytest.mark.parametrize("band_pixels", [1_200_000, 20_000], ids=["whole", "banded"])
def test_rotated_and_cropped_pages_match_too(
    qapp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, band_pixels: int
) -> None:
    """The pixel box comes from MuPDF's page bounds, which rotation and a crop box change."""
    doc = pymupdf.open()
    for rotation, crop in ((90, None), (0, pymupdf.Rect(50, 80, 250, 380)), (270, None)):
        page = doc.new_page(width=300, height=400)
        page.draw_rect(pymupdf.Rect(60, 90, 120, 150), color=None, fill=RED)
        page.insert_text((70, 200), "Turned", fontsize=18, color=BLUE)
        if crop is not None:
            page.set_cropbox(crop)
        page.set_rotation(rotation)
    path = tmp_path / "turned.pdf"
    doc.save(path)
    doc.close()
    monkeypatch.setattr(document_module, "BAND_PIXELS", band_pixels)
    document = PdfDocument.open(path)
    try:
        for number in range(3):
            rendered = document.render(number, 1.7)
            width, height = document.page_sizes[number]
            assert (rendered.width, rendered.height) == (round(width * 1.7), round(height * 1.7))
            shown = assembled(to_page_image(key_for(number, 1.7, False), rendered))
            assert differences(shown, reference(path, 1.7, False, number)) == []
    finally:
        document.close()
