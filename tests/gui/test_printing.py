"""Printing (File -> Print…, Ctrl+P): the pages chosen come out, one per sheet, as they look on
screen; checked by printing to a PDF file with Qt's own PDF printer."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QMarginsF, QTimer
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication

from readerapp.gui.main_window import MainWindow
from readerapp.gui.pdf_tab import PdfTab
from readerapp.gui.printing import pages_to_print
from tests.gui.test_pdf_view import open_tab, wait_painted
from tests.pdf_samples import make_paper


@pytest.fixture
def tab(qtbot, tmp_path: Path) -> Iterator[PdfTab]:
    t = open_tab(qtbot, make_paper(tmp_path / "paper.pdf"))
    wait_painted(qtbot, t)
    yield t
    t.close_document()


def pdf_printer(out: Path) -> QPrinter:
    """Qt's PDF printer on a Letter sheet with no margins: the paper's own page size."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.Letter),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
        )
    )
    printer.setFullPage(True)
    return printer


def grey(pdf: Path, page: int) -> bytes:
    with pymupdf.open(pdf) as doc:
        page_ = doc[page]
        zoom = 100 / page_.rect.width
        return doc[page].get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace="gray").samples


def unlike(a: bytes, b: bytes) -> float:
    """Mean difference of two grey images of one size (0: the same, 255: opposite)."""
    assert len(a) == len(b)
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)


def test_a_page_range_prints_those_pages_as_they_look(qtbot, tab: PdfTab, tmp_path: Path) -> None:
    out = tmp_path / "printed.pdf"
    printer = pdf_printer(out)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 4)
    pages = pages_to_print(printer, tab.view.page_count, tab.view.current_page())
    assert pages == [1, 2, 3]
    tab.printer().start(tab.view.document, printer, pages)
    qtbot.waitUntil(lambda: tab.hint.text() == "Sent 3 pages to the printer.", timeout=20000)

    with pymupdf.open(out) as printed:
        assert printed.page_count == 3
    source = tab.view.document.path
    for sheet, page in enumerate(pages):
        shown = grey(out, sheet)
        assert unlike(shown, grey(source, page)) < 3  # the same page...
        other = 0 if page != 0 else 5
        assert unlike(shown, grey(source, other)) > unlike(
            shown, grey(source, page)
        )  # ...not another


def test_the_current_page_or_every_page(qtbot, tab: PdfTab, tmp_path: Path) -> None:
    printer = pdf_printer(tmp_path / "x.pdf")
    assert pages_to_print(printer, 6, 2) == list(range(6))
    printer.setPrintRange(QPrinter.PrintRange.CurrentPage)
    assert pages_to_print(printer, 6, 2) == [2]


def test_ctrl_p_opens_the_print_dialog_in_the_file_menu_too(qtbot, window: MainWindow, tmp_path):
    window.open_files([str(make_paper(tmp_path / "p.pdf"))])
    tab = window.tabs.currentWidget()
    assert isinstance(tab, PdfTab)
    entry = window.reading_menu.actions["print"]
    assert entry in window.file_menu.actions()
    window.reading_menu.sync()
    assert entry.isEnabled()
    seen: list[QPrintDialog] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        seen.append(dialog)
        dialog.reject()  # Cancel: nothing is printed

    QTimer.singleShot(0, answer)
    entry.trigger()
    assert isinstance(seen[0], QPrintDialog)
    assert seen[0].minPage() == 1 and seen[0].maxPage() == tab.view.page_count
    assert not tab.hint.text().startswith("Printing")
    window.tabs.setCurrentIndex(0)
    window.reading_menu.sync()
    assert not entry.isEnabled()  # no paper in front, nothing to print


def test_a_library_paper_prints_with_its_highlights(
    qtbot, window: MainWindow, tmp_path, monkeypatch
) -> None:
    from readerapp.services.local_files import add_pdf_file

    # A temporary folder of this test's own: another run's print copies are not counted.
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))

    item = add_pdf_file(window.services, make_paper(tmp_path / "p.pdf"))
    title = (72, 70, 300, 95)
    window.services.annotations.create_text(item.id, 0, [title], "Sparse Probing", color="#ffd400")
    tab = window.open_pdf_item(item)
    wait_painted(qtbot, tab)
    out = tmp_path / "printed.pdf"
    tab.print_to(pdf_printer(out), [0, 1])
    qtbot.waitUntil(lambda: tab.hint.text() == "Sent 2 pages to the printer.", timeout=20000)

    with pymupdf.open(out) as printed:
        assert printed.page_count == 2
        pixmap = printed[0].get_pixmap(clip=pymupdf.Rect(75, 72, 90, 78))
        r, g, b = pixmap.pixel(pixmap.width // 2, pixmap.height // 2)
    assert r > 200 and g > 170 and b < 120  # the yellow of the highlight, on paper
    assert list(temporary.iterdir()) == []  # the copy made to print it is gone
