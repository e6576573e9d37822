"""Printing a PDF (File -> Print…, Ctrl+P) through Qt's print support.

Each page is rendered by MuPDF at the printer's resolution (at most PRINT_DPI) and drawn to fit
the printable area, centred, one page per sheet. A library paper prints with its highlights and
notes: they are written into a temporary copy first, as File -> Export Annotated PDF does. The work runs off the GUI thread (QPainter on a
QPrinter is allowed there), so a long document does not freeze the window.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget

from readerapp.pdf.document import PdfDocument, PdfError
from readerapp.qt.page_renderer import band_image
from readerapp.qt.tasks import TaskRunner

log = logging.getLogger(__name__)

PRINT_DPI = 300  # enough for text and figures; more only makes the job slower and bigger


def pages_to_print(printer: QPrinter, page_count: int, current: int) -> list[int]:
    """The 0-based pages the print dialog's choice names (all, a range, the current page)."""
    chosen = printer.printRange()
    if chosen == QPrinter.PrintRange.CurrentPage:
        return [current]
    if chosen == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(1, printer.fromPage())
        last = min(page_count, printer.toPage() or page_count)
        return list(range(first - 1, last))
    return list(range(page_count))


def print_pages(document: PdfDocument, printer: QPrinter, pages: list[int]) -> int:
    """Draw ``pages`` on ``printer``, one per sheet; returns how many were printed.

    Raises PdfError with a sentence when a page cannot be rendered or the printer refuses."""
    painter = QPainter()
    if not painter.begin(printer):
        raise PdfError("The printer could not be started (is it connected?).")
    zoom = min(printer.resolution(), PRINT_DPI) / 72.0
    printed = 0
    try:
        for n, page in enumerate(pages):
            if n > 0 and not printer.newPage():
                raise PdfError("The printer stopped taking pages.")
            rendered = document.render(page, zoom)
            area = painter.viewport()  # the printable area, in device pixels
            fit = min(area.width() / rendered.width, area.height() / rendered.height)
            width, height = rendered.width * fit, rendered.height * fit
            left = area.x() + (area.width() - width) / 2
            top = area.y() + (area.height() - height) / 2
            for band in rendered.bands:
                target = QRectF(
                    left + band.x * fit, top + band.y * fit, band.width * fit, band.height * fit
                )
                painter.drawImage(target, band_image(band))
            printed += 1
    finally:
        painter.end()
    return printed


class DocumentPrinter:
    """Asks where and what to print, then prints in the background and reports in a sentence."""

    def __init__(self, parent: QWidget, report: Callable[[str], None]) -> None:
        self.parent = parent
        self.report = report
        self.printer: QPrinter | None = None
        self._runner = TaskRunner("pdf-print", 1, parent)

    def ask(
        self, page_count: int, current_page: int, title: str
    ) -> tuple[QPrinter, list[int]] | None:
        """The system's print dialog: the printer and the pages chosen, or None if cancelled."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        printer.setFromTo(1, page_count)
        dialog = QPrintDialog(printer, self.parent)
        dialog.setWindowTitle("Print")
        dialog.setMinMax(1, page_count)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintCurrentPage, True)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintSelection, False)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return None
        return printer, pages_to_print(printer, page_count, current_page)

    def start(
        self,
        document: PdfDocument,
        printer: QPrinter,
        pages: list[int],
        finished: Callable[[], None] | None = None,
    ) -> None:
        """Print ``pages`` on ``printer`` off the GUI thread; the outcome goes to ``report``,
        then ``finished`` is called (it may close a document made for the print)."""
        self.printer = printer  # kept alive until the job is done
        count = len(pages)
        self.report(f"Printing {count} page{'s' if count != 1 else ''}…")

        def done(printed: int) -> None:
            if finished is not None:
                finished()
            self.report(f"Sent {printed} page{'s' if printed != 1 else ''} to the printer.")

        def failed(exc: BaseException) -> None:
            if finished is not None:
                finished()
            log.warning("printing failed: %s", exc)
            self.report(str(exc) if isinstance(exc, PdfError) else "Printing failed.")

        self._runner.submit(lambda: print_pages(document, printer, pages), done, failed)

    def wait(self) -> None:
        self._runner.wait()


class AnnotatedCopy:
    """A temporary copy of the paper with the reader's highlights written in, to print them."""

    def __init__(self, write: Callable[[Path], int]) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="readerapp-print-"))
        self.path = self._folder / "annotated.pdf"
        self.count = write(self.path)
        self.document = PdfDocument.open(self.path)

    def discard(self) -> None:
        self.document.close()
        shutil.rmtree(self._folder, ignore_errors=True)
