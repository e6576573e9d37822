"""Night mode as the reader sees it: dark paper, light text, colours that keep their hue, and
figures (images) left in their own colours when asked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor

from readerapp.gui.pdf_tab import PdfTab
from tests.gui.test_pdf_view import open_tab, wait_painted

BLUE_BAR = pymupdf.Rect(72, 200, 300, 260)  # a bar chart's bar, drawn as vector graphics
PHOTO = pymupdf.Rect(320, 200, 520, 330)  # a raster figure
PHOTO_RGB = (240, 200, 40)
TEXT_AT = (72, 120)


def make_figure_page(path: Path) -> Path:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text(TEXT_AT, "Results", fontsize=40)
    page.draw_rect(BLUE_BAR, color=None, fill=(0.1, 0.3, 0.9))
    photo = bytes(PHOTO_RGB) * (40 * 30)
    page.insert_image(PHOTO, pixmap=pymupdf.Pixmap(pymupdf.csRGB, 40, 30, photo, False))
    doc.save(path)
    doc.close()
    return path


@pytest.fixture
def tab(qtbot, tmp_path: Path) -> Iterator[PdfTab]:
    t = open_tab(qtbot, make_figure_page(tmp_path / "figure.pdf"))
    wait_painted(qtbot, t)
    yield t
    t.close_document()


def shown(tab: PdfTab, x: float, y: float) -> QColor:
    """The colour the view shows at point (x, y) of the first page."""
    view = tab.view
    spot = view.map_from_page(0, (x, y, x, y)).topLeft().toPoint()
    return QColor(view.viewport().grab().toImage().pixel(spot))


def centre(rect: pymupdf.Rect) -> tuple[float, float]:
    return (rect.x0 + rect.x1) / 2, (rect.y0 + rect.y1) / 2


def lightest_in_text(tab: PdfTab) -> int:
    view = tab.view
    image = view.viewport().grab().toImage()
    area = view.map_from_page(0, (72, 85, 220, 125)).toRect()
    return max(
        QColor(image.pixel(x, y)).lightness()
        for x in range(area.left(), area.right(), 2)
        for y in range(area.top(), area.bottom(), 2)
    )


def test_night_mode_darkens_the_paper_lightens_the_text_and_keeps_blue_blue(
    qtbot, tab: PdfTab
) -> None:
    assert shown(tab, 400, 420).lightness() > 240
    tab.night_action.trigger()
    wait_painted(qtbot, tab)
    assert tab.view.night_mode() and tab.night_action.isChecked()

    assert shown(tab, 400, 420).lightness() < 50  # the paper
    assert lightest_in_text(tab) > 190  # black text shows light
    bar = shown(tab, *centre(BLUE_BAR))
    # Still blue (an inversion makes it orange, red above blue), lighter than by day.
    assert bar.blue() > bar.red() + 60 and bar.blue() > bar.green() + 40
    assert abs(bar.hueF() - QColor.fromRgbF(0.1, 0.3, 0.9).hueF()) < 0.03
    # The page's edge pixels match the paper: no white sliver around a night page.
    corner = tab.view.page_rect(0).topRight() + QPoint(-1, 1)
    assert QColor(tab.view.viewport().grab().toImage().pixel(corner)).lightness() < 50


def test_night_mode_can_keep_figures_in_their_colours(qtbot, tab: PdfTab) -> None:
    tab.night_action.trigger()
    wait_painted(qtbot, tab)
    recoloured = shown(tab, *centre(PHOTO))
    assert abs(recoloured.red() - PHOTO_RGB[0]) > 60  # recoloured with the page

    tab.night_images_action.trigger()  # View -> Keep Figure Colours at Night
    assert tab.view.night_keeps_images()
    wait_painted(qtbot, tab)
    kept = shown(tab, *centre(PHOTO))
    assert all(abs(a - b) <= 3 for a, b in zip(kept.getRgb()[:3], PHOTO_RGB, strict=True))
    assert shown(tab, 400, 420).lightness() < 50  # the page around it is still dark
    assert lightest_in_text(tab) > 190

    tab.night_images_action.trigger()
    wait_painted(qtbot, tab)
    assert abs(shown(tab, *centre(PHOTO)).red() - PHOTO_RGB[0]) > 60
