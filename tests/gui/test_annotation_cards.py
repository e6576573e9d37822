"""The annotation pane's cards: another program's drawings named by kind and page (not by a hex
colour), and area highlights with a picture of the area."""

from __future__ import annotations

from pathlib import Path

import pymupdf
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from readerapp.core.annotation import AnnotationKind
from readerapp.gui.main_window import MainWindow
from readerapp.gui.pdf_tab import PdfTab
from readerapp.services.local_files import add_pdf_file
from tests.annotation_helpers import PAGE_ONE, PAGE_TWO, make_pdf
from tests.gui.test_annotation_highlighting import _viewport_point
from tests.gui.test_pdf_view import wait_painted

FIGURE = pymupdf.Rect(100, 300, 260, 420)  # a blue figure on page 2


def make_drawn_on(path: Path) -> Path:
    """Two pages; someone drew a red ink loop and a box of text on page 1 in another program."""
    make_pdf(path.with_name("plain.pdf"), [PAGE_ONE, PAGE_TWO])
    doc = pymupdf.open(path.with_name("plain.pdf"))
    doc[1].draw_rect(FIGURE, color=None, fill=(0.1, 0.2, 0.9))
    ink = doc[0].add_ink_annot([[(100, 500), (150, 540), (200, 500), (100, 500)]])
    ink.set_colors(stroke=(0.9, 0.1, 0.1))
    ink.set_info(title="Alice")
    ink.update()
    box = doc[0].add_freetext_annot(pymupdf.Rect(300, 400, 500, 440), "Hello", fontsize=10)
    box.update()
    doc.save(path)
    doc.close()
    return path


def open_paper(qtbot, window: MainWindow, pdf: Path) -> PdfTab:
    item = add_pdf_file(window.services, pdf)
    tab = window.open_pdf_item(item)
    wait_painted(qtbot, tab)
    return tab


def test_drawings_from_another_program_are_named_by_kind_and_page(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    tab = open_paper(qtbot, window, make_drawn_on(tmp_path / "drawn.pdf"))
    pane = tab.annotations.pane  # type: ignore[attr-defined]
    titles = {a.kind: pane.card(a.id).header.text() for a in pane.annotations()}
    assert titles[AnnotationKind.INK] == "Ink drawing, p. 1 · Alice"
    assert titles[AnnotationKind.FREETEXT].startswith("Text box, p. 1")
    assert not any("#" in title for title in titles.values())
    # The drawing's card shows the drawing: red ink on white paper.
    ink = next(a for a in pane.annotations() if a.kind is AnnotationKind.INK)
    picture = pane.card(ink.id).picture
    assert picture.isVisible() and not picture.pixmap().isNull()
    image = picture.pixmap().toImage()
    assert any(
        (c := QColor(image.pixel(x, y))).red() > 180 and c.green() < 90
        for x in range(image.width())
        for y in range(image.height())
    )


def test_an_area_highlight_shows_a_picture_of_the_area(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    tab = open_paper(qtbot, window, make_drawn_on(tmp_path / "drawn.pdf"))
    view = tab.view
    view.go_to(1)
    wait_painted(qtbot, tab)
    qtbot.keyClick(view, Qt.Key.Key_A)
    viewport = view.viewport()
    start = _viewport_point(view, 1, FIGURE.x0, FIGURE.y0)
    end = _viewport_point(view, 1, FIGURE.x1, FIGURE.y1)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, (start + end) / 2)
    qtbot.mouseMove(viewport, end)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)

    pane = tab.annotations.pane  # type: ignore[attr-defined]
    area = next(a for a in pane.annotations() if a.kind is AnnotationKind.AREA)
    card = pane.card(area.id)
    assert card.header.text().startswith("p. 2 · ")  # a palette colour: its meaning
    pixmap = card.picture.pixmap()
    assert card.picture.isVisible() and not pixmap.isNull()
    size = pixmap.deviceIndependentSize()
    assert size.width() <= 241 and size.height() <= 111
    middle = QColor(pixmap.toImage().pixel(pixmap.width() // 2, pixmap.height() // 2))
    assert middle.blue() > 180 and middle.red() < 80  # the figure itself
    # A plain highlight has no picture.
    plain = [a for a in pane.annotations() if a.kind is AnnotationKind.FREETEXT]
    assert all(not pane.card(a.id).picture.isVisible() for a in plain)
