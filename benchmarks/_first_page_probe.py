"""Child processes for the viewer's time-to-first-page figure (see bench_viewer).

Usage: python -m benchmarks._first_page_probe --first-page PDF HOME | --bare PDF ZOOM
Each prints one JSON line with the wall-clock time its page was painted, then exits. This module
imports nothing beyond what each side needs, so the two are timed alike.
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def first_page_child(pdf: str, home: str) -> None:
    """The real app start on a paper, as a file manager's "Open with" runs it (``readerapp
    --home HOME paper.pdf``); exits when the paper's first page has been painted.

    Nothing is imported ahead of the app: the watch is attached when the app itself loads its
    main window module."""
    from benchmarks import AfterImport
    from readerapp.cli import main

    AfterImport("readerapp.gui.main_window", _watch_first_page).install()
    main(["--home", home, pdf])


def _watch_first_page(main_window_module) -> None:
    """Wrap ``MainWindow.open_files`` so that the first tab's viewport is watched for the paint
    that shows page 1."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    class Watch(QObject):
        view = None

        def eventFilter(self, obj, event) -> bool:  # noqa: N802
            view = self.view
            if event.type() == QEvent.Type.Paint and view is not None:
                zoom = view.scale() * view.devicePixelRatioF()
                if view.renderer.image(0, zoom, False) is not None:
                    QApplication.instance().sendPostedEvents()
                    print(json.dumps({"painted": time.time(), "zoom": zoom}), flush=True)
                    os._exit(0)  # measured: nothing after the paint matters
            return False

    watch = Watch()
    main_window_class = main_window_module.MainWindow
    open_files = main_window_class.open_files

    def watched_open_files(window, paths: list[str]) -> None:
        open_files(window, paths)
        if window.pdf_tabs is not None and window.pdf_tabs.open_tabs():
            watch.view = window.pdf_tabs.open_tabs()[0].view
            watch.view.viewport().installEventFilter(watch)

    main_window_class.open_files = watched_open_files


def bare_child(pdf: str, zoom: str) -> None:
    """The floor: a bare PySide6 window showing a raw PyMuPDF render of page 1 at ``zoom``
    (the zoom the app showed it at, so both sides draw the same pixels)."""
    import pymupdf
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication([])
    doc = pymupdf.open(pdf)
    scale = float(zoom)
    pix = doc[0].get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False)
    image = QImage(pix.samples, pix.width, pix.height, pix.stride, QImage.Format.Format_RGB888)

    class Page(QWidget):
        def paintEvent(self, event) -> None:  # noqa: N802
            QPainter(self).drawImage(0, 0, image)
            print(json.dumps({"painted": time.time()}), flush=True)
            os._exit(0)

    page = Page()
    page.resize(1100, 850)
    page.show()
    app.exec()


if __name__ == "__main__":
    if sys.argv[1] == "--first-page":
        first_page_child(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "--bare":
        bare_child(sys.argv[2], sys.argv[3])
