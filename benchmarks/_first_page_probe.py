"""Child processes for the viewer's time-to-first-page figure (see bench_viewer).

Usage: python -m benchmarks._first_page_probe --first-page|--window-ready PDF HOME | --bare PDF ZOOM
``--window-ready`` waits, as ``--screenshot --open`` does, for the whole window too: every tab and
menu installed (``window.features_ready``) as well as page 1 painted. Each prints one JSON line with the wall-clock time its page was painted, then exits. This module
imports nothing beyond what each side needs, so the two are timed alike.
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def first_page_child(pdf: str, home: str, whole_window: bool = False) -> None:
    """The real app start on a paper, as a file manager's "Open with" runs it (``readerapp
    --home HOME paper.pdf``); exits when the paper's first page has been painted.

    Nothing is imported ahead of the app: the watch is attached when the app itself loads its
    main window module."""
    from benchmarks import AfterImport
    from readerapp.cli import main

    AfterImport(
        "readerapp.gui.main_window", lambda module: _watch_first_page(module, whole_window)
    ).install()
    main(["--home", home, pdf])


def _watch_first_page(main_window_module, whole_window: bool) -> None:
    """Wrap ``MainWindow.open_files`` so that the first tab's viewport is watched for the paint
    that shows page 1 (and, with ``whole_window``, for the window's features being ready)."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    class Watch(QObject):
        view = None
        window = None
        painted_zoom: float | None = None

        def eventFilter(self, obj, event) -> bool:  # noqa: N802
            view = self.view
            if event.type() == QEvent.Type.Paint and view is not None:
                zoom = view.scale() * view.devicePixelRatioF()
                if view.renderer.image(0, zoom, False) is not None:
                    QApplication.instance().sendPostedEvents()
                    self.painted_zoom = zoom
                    self.report_if_done()
            return False

        def report_if_done(self) -> None:
            if self.painted_zoom is None:
                return
            if whole_window and not (self.window is not None and self.window.features_ready):
                return
            print(json.dumps({"painted": time.time(), "zoom": self.painted_zoom}), flush=True)
            os._exit(0)  # measured: nothing after the paint matters

    watch = Watch()
    main_window_class = main_window_module.MainWindow
    open_files = main_window_class.open_files

    def watched_open_files(window, paths: list[str]) -> None:
        open_files(window, paths)
        if watch.window is None:
            watch.window = window
            window.featuresReady.connect(watch.report_if_done)
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
    elif sys.argv[1] == "--window-ready":
        first_page_child(sys.argv[2], sys.argv[3], whole_window=True)
    elif sys.argv[1] == "--bare":
        bare_child(sys.argv[2], sys.argv[3])
