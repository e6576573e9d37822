"""Night mode's recolouring on pixels: paper and ink swap lightness, every colour keeps its hue,
and images can be left as drawn."""

from __future__ import annotations

import colorsys
from pathlib import Path

import numpy as np
import pymupdf
import pytest

from readerapp.pdf.document import PdfDocument
from readerapp.pdf.night import NIGHT_INK, NIGHT_PAPER, recolour_bgr


def night(r: int, g: int, b: int) -> tuple[int, int, int]:
    blue, green, red = recolour_bgr(np.array([[b, g, r]], dtype=np.uint8))[0]
    return int(red), int(green), int(blue)


def hue(rgb: tuple[int, int, int]) -> float:
    return colorsys.rgb_to_hls(*(c / 255 for c in rgb))[0]


def lightness(rgb: tuple[int, int, int]) -> float:
    return colorsys.rgb_to_hls(*(c / 255 for c in rgb))[1]


def test_white_paper_turns_dark_and_black_ink_light() -> None:
    assert night(255, 255, 255) == NIGHT_PAPER
    assert night(0, 0, 0) == NIGHT_INK
    greys = [lightness(night(v, v, v)) for v in range(0, 256, 15)]
    assert greys == sorted(greys, reverse=True)  # lighter by day, darker by night


@pytest.mark.parametrize(
    "colour",
    [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (0, 0, 255), (148, 103, 189)],
    ids=["blue", "orange", "green", "red", "pure-blue", "purple"],
)
def test_colours_keep_their_hue(colour: tuple[int, int, int]) -> None:
    shown = night(*colour)
    turn = abs(hue(shown) - hue(colour))
    assert min(turn, 1 - turn) < 0.02  # an inversion would turn it half-way round (0.5)
    assert max(shown) - min(shown) > 40  # still a colour, not a grey


def test_a_page_image_is_kept_when_asked(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=200, height=200)
    page.insert_text((20, 40), "Text", fontsize=20)
    photo = bytes((250, 240, 30)) * (10 * 10)
    page.insert_image(
        pymupdf.Rect(100, 100, 180, 180), pixmap=pymupdf.Pixmap(pymupdf.csRGB, 10, 10, photo, 0)
    )
    doc.save(tmp_path / "photo.pdf")
    doc.close()
    document = PdfDocument.open(tmp_path / "photo.pdf")
    try:
        assert document.image_rects(0) == [(100.0, 100.0, 180.0, 180.0)]

        def pixel(rendered, x: int, y: int) -> tuple[int, int, int]:
            band = rendered.bands[0]
            at = y * band.stride + x * 4
            b, g, r = band.samples[at : at + 3]
            return r, g, b

        kept = document.render(0, 1.0, night=True, keep_images=True)
        recoloured = document.render(0, 1.0, night=True)
        assert pixel(kept, 140, 140) == (250, 240, 30)
        assert pixel(recoloured, 140, 140) != (250, 240, 30)
        assert pixel(kept, 60, 150) == NIGHT_PAPER == pixel(recoloured, 60, 150)
    finally:
        document.close()


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
    finally:
        document.close()
