"""Night mode's recolouring on real rendered pages: paper and ink swap lightness, every colour
keeps its hue (a plain inversion would turn blue orange), and images can be left as drawn."""

from __future__ import annotations

import colorsys
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest

import readerapp.pdf.document as document_module
from readerapp.pdf.document import PdfDocument
from readerapp.pdf.night import NIGHT_INK, NIGHT_PAPER
from readerapp.pdf.types import RenderedPage

RGB = tuple[int, int, int]

# Filled boxes, in PDF points (zoom 1: also pixels), and their colours by day.
SWATCHES: dict[str, tuple[pymupdf.Rect, RGB]] = {
    "blue": (pymupdf.Rect(20, 20, 60, 60), (31, 119, 180)),
    "bar-blue": (pymupdf.Rect(70, 20, 110, 60), (26, 77, 230)),
    "pure-blue": (pymupdf.Rect(120, 20, 160, 60), (0, 0, 255)),
    "orange": (pymupdf.Rect(170, 20, 210, 60), (255, 127, 14)),
    "green": (pymupdf.Rect(220, 20, 260, 60), (44, 160, 44)),
    "red": (pymupdf.Rect(20, 70, 60, 110), (214, 39, 40)),
    "purple": (pymupdf.Rect(70, 70, 110, 110), (148, 103, 189)),
    "yellow": (pymupdf.Rect(120, 70, 160, 110), (250, 240, 30)),
}
GREYS = [pymupdf.Rect(20 + 30 * i, 120, 45 + 30 * i, 145) for i in range(8)]
GREY_LEVELS = [255, 224, 192, 160, 128, 96, 64, 0]  # the last one is solid black ink
GREEN_CURVE = [(20, 200), (70, 170), (120, 210), (170, 165), (220, 205), (260, 180)]
TEXT_BOX = pymupdf.Rect(20, 230, 140, 265)  # "Ink" at 30 pt, in black
PHOTO = pymupdf.Rect(160, 230, 260, 290)  # a raster figure
PAPER_AT = (280, 290)  # nothing drawn there


def make_colour_page(path: Path) -> Path:
    doc = pymupdf.open()
    page = doc.new_page(width=300, height=300)
    for rect, (r, g, b) in SWATCHES.values():
        page.draw_rect(rect, color=None, fill=(r / 255, g / 255, b / 255))
    for rect, level in zip(GREYS, GREY_LEVELS, strict=True):
        page.draw_rect(rect, color=None, fill=(level / 255,) * 3)
    page.draw_polyline(GREEN_CURVE, color=(0.1, 0.6, 0.15), width=6)
    page.insert_text((TEXT_BOX.x0, TEXT_BOX.y1 - 8), "Ink", fontsize=30)
    gradient = bytes(v for y in range(30) for x in range(50) for v in (x * 5, y * 8, 250 - x * 4))
    page.insert_image(PHOTO, pixmap=pymupdf.Pixmap(pymupdf.csRGB, 50, 30, gradient, False))
    doc.save(path)
    doc.close()
    return path


@pytest.fixture
def document(tmp_path: Path) -> Iterator[PdfDocument]:
    doc = PdfDocument.open(make_colour_page(tmp_path / "colours.pdf"))
    yield doc
    doc.close()


def pixel(rendered: RenderedPage, x: float, y: float) -> RGB:
    """The colour of the page's pixel (x, y), from the band's B, G, R, A bytes."""
    x, y = int(x), int(y)
    band = next(b for b in rendered.bands if b.y <= y < b.y + b.height)
    at = (y - band.y) * band.stride + (x - band.x) * 4
    blue, green, red = band.samples[at : at + 3]
    return red, green, blue


def centre(rect: pymupdf.Rect) -> tuple[float, float]:
    return (rect.x0 + rect.x1) / 2, (rect.y0 + rect.y1) / 2


def hue_turn(a: RGB, b: RGB) -> float:
    """How far round the colour wheel ``b``'s hue is from ``a``'s, in degrees (0 to 180)."""
    turn = abs(hue(a) - hue(b))
    return min(turn, 1 - turn) * 360


def hue(rgb: RGB) -> float:
    return colorsys.rgb_to_hls(*(c / 255 for c in rgb))[0]


def lightness(rgb: RGB) -> float:
    return colorsys.rgb_to_hls(*(c / 255 for c in rgb))[1]


def inverted(rgb: RGB) -> RGB:
    red, green, blue = rgb
    return 255 - red, 255 - green, 255 - blue


def test_paper_turns_dark_and_black_ink_light(document: PdfDocument) -> None:
    night = document.render(0, 1.0, night=True)
    # Exactly the colour the view paints where a page's image does not reach: no sliver.
    assert pixel(night, *PAPER_AT) == NIGHT_PAPER
    assert pixel(night, *centre(GREYS[-1])) == NIGHT_INK  # a solid black fill
    text = [pixel(night, x, y) for x in range(20, 140) for y in range(230, 265)]
    assert max(lightness(c) for c in text) > lightness(NIGHT_INK) - 0.03  # the letters' cores
    assert min(lightness(c) for c in text) < lightness(NIGHT_PAPER) + 0.03  # the paper between


def test_greys_stay_grey_and_swap_their_order(document: PdfDocument) -> None:
    night = document.render(0, 1.0, night=True)
    greys = [pixel(night, *centre(rect)) for rect in GREYS]
    assert all(r == g == b for r, g, b in greys), greys
    levels = [r for r, _, _ in greys]
    assert levels == sorted(levels)  # lighter by day, darker by night
    assert len(set(levels)) == len(levels)  # and still told apart
    assert NIGHT_PAPER[0] <= levels[0] and levels[-1] <= NIGHT_INK[0]


@pytest.mark.parametrize("name", list(SWATCHES))
def test_colours_keep_their_hue(document: PdfDocument, name: str) -> None:
    rect, colour = SWATCHES[name]
    day = document.render(0, 1.0)
    night = document.render(0, 1.0, night=True)
    assert pixel(day, *centre(rect)) == colour
    shown = pixel(night, *centre(rect))
    assert hue_turn(colour, shown) < 10  # a plain inversion turns it round by 180
    assert max(shown) - min(shown) > 40  # still a colour, not a grey
    assert shown != colour  # recoloured: lightness is what changes


def test_a_blue_bar_stays_blue_where_an_inversion_would_make_it_orange(
    document: PdfDocument,
) -> None:
    rect, colour = SWATCHES["bar-blue"]
    night = pixel(document.render(0, 1.0, night=True), *centre(rect))
    assert night[2] > night[0] + 60 and night[2] > night[1] + 40  # blue leads
    # What the check above rules out: the inverted colour is orange, half-way round the wheel.
    orange = inverted(colour)
    assert orange[0] > orange[2] + 60 and hue_turn(colour, orange) > 170
    assert hue_turn(colour, night) < 10


def test_a_green_curve_stays_green(document: PdfDocument) -> None:
    day = document.render(0, 1.0)
    night = document.render(0, 1.0, night=True)
    x, y = GREEN_CURVE[1]  # a corner of the 6 pt line: its middle is solid colour
    day_green, night_green = pixel(day, x, y + 1), pixel(night, x, y + 1)
    assert day_green[1] > day_green[0] + 80  # the sample is on the curve
    assert night_green[1] > night_green[0] + 60 and night_green[1] > night_green[2] + 60
    assert hue_turn(day_green, night_green) < 10


def photo_rows(rendered: RenderedPage) -> list[bytes]:
    """The bytes of the photo's pixels, row by row."""
    rows = []
    for y in range(int(PHOTO.y0), int(PHOTO.y1)):
        band = next(b for b in rendered.bands if b.y <= y < b.y + b.height)
        start = (y - band.y) * band.stride + (int(PHOTO.x0) - band.x) * 4
        rows.append(bytes(band.samples[start : start + int(PHOTO.width) * 4]))
    return rows


@pytest.mark.parametrize("band_pixels", [1_200_000, 3_000], ids=["whole", "banded"])
def test_kept_images_are_byte_for_byte_the_day_render(
    monkeypatch: pytest.MonkeyPatch, document: PdfDocument, band_pixels: int
) -> None:
    monkeypatch.setattr(document_module, "BAND_PIXELS", band_pixels)
    assert document.image_rects(0) == [tuple(PHOTO)]
    day = document.render(0, 1.0)
    kept = document.render(0, 1.0, night=True, keep_images=True)
    recoloured = document.render(0, 1.0, night=True)
    if band_pixels < 1_200_000:
        assert len(kept.bands) > 5  # the photo spans several bands
    assert photo_rows(kept) == photo_rows(day)
    assert photo_rows(recoloured) != photo_rows(day)
    # Around the image the page is recoloured as usual.
    for rendered in (kept, recoloured):
        assert pixel(rendered, *PAPER_AT) == NIGHT_PAPER
        assert pixel(rendered, *centre(GREYS[-1])) == NIGHT_INK
        assert pixel(rendered, PHOTO.x0 - 3, PHOTO.y0 + 10) == NIGHT_PAPER  # just left of it
        rect, colour = SWATCHES["blue"]
        assert hue_turn(colour, pixel(rendered, *centre(rect))) < 10


def test_a_turned_page_keeps_its_image_too(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=200, height=300)
    photo = bytes((250, 240, 30)) * (10 * 10)
    page.insert_image(
        pymupdf.Rect(20, 20, 80, 60), pixmap=pymupdf.Pixmap(pymupdf.csRGB, 10, 10, photo, 0)
    )
    doc.save(tmp_path / "turned.pdf")
    doc.close()
    document = PdfDocument.open(tmp_path / "turned.pdf")
    try:
        rendered = document.render(0, 1.0, night=True, keep_images=True, rotation=90)
        assert (rendered.width, rendered.height) == (300, 200)
        band = rendered.bands[0]
        # Turned right, the image at the top left is now at the top right: x = 300 - y.
        at = 50 * band.stride + (300 - 40) * 4
        assert tuple(band.samples[at : at + 3]) == (30, 240, 250)  # B, G, R: as drawn
        assert tuple(band.samples[at + 3 : at + 4]) == (255,)  # still opaque
    finally:
        document.close()


def test_a_previewed_area_is_recoloured_like_the_page(document: PdfDocument) -> None:
    rect, colour = SWATCHES["blue"]
    area = document.render_area(0, 2.0, (10, 10, 120, 120), night=True)
    whole = document.render(0, 2.0, night=True)
    x, y = centre(rect)
    at = (int(y * 2) - area.y) * area.stride + (int(x * 2) - area.x) * 4
    assert tuple(reversed(area.samples[at : at + 3])) == pixel(whole, x * 2, y * 2)
    assert hue_turn(colour, pixel(whole, x * 2, y * 2)) < 10
