"""Child processes for the viewer's time-to-first-page figure (see bench_viewer).

Usage: python -m benchmarks._first_page_probe --first-page|--window-ready PDF HOME | --bare PDF ZOOM
``--window-ready`` waits, as ``--screenshot --open`` does, for the whole window too: every tab and
menu installed (``window.features_ready``) as well as page 1 painted. Each prints one JSON line
with the wall-clock time its page was painted (right after the paint that drew it, on both
sides), then exits. This module imports nothing beyond what each side needs, so the two are
timed alike.
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
    """Wrap ``MainWindow.open_files`` so that the first tab's view reports the paint that drew
    page 1 (and, with ``whole_window``, waits for the window's features being ready too).

    The report is made when the view's paintEvent has drawn the page, as the bare side reports
    right after its drawImage: the same moment on both sides."""
    watch = _Watch(whole_window)
    main_window_class = main_window_module.MainWindow
    open_files = main_window_class.open_files

    def watched_open_files(window, paths: list[str]) -> None:
        open_files(window, paths)
        if watch.window is None:
            watch.window = window
            window.featuresReady.connect(watch.report_if_done)
        if window.pdf_tabs is not None and window.pdf_tabs.open_tabs() and watch.view is None:
            watch.view = window.pdf_tabs.open_tabs()[0].view
            view_class = type(watch.view)
            paint = view_class.paintEvent

            def watched_paint(view, event) -> None:
                # Ready before this paint began, so this paint drew it (not a blank page).
                ready = view is watch.view and watch.page_ready(view)
                paint(view, event)
                if ready:
                    watch.painted(view)

            view_class.paintEvent = watched_paint

    main_window_class.open_files = watched_open_files


class _Watch:
    def __init__(self, whole_window: bool) -> None:
        self.whole_window = whole_window
        self.view = None
        self.window = None
        self.painted_zoom: float | None = None

    @staticmethod
    def page_ready(view) -> bool:
        zoom = view.scale() * view.devicePixelRatioF()
        return view.renderer.image(0, zoom, False) is not None

    def painted(self, view) -> None:
        if self.painted_zoom is None:
            self.painted_zoom = view.scale() * view.devicePixelRatioF()
            self.report_if_done()

    def report_if_done(self) -> None:
        if self.painted_zoom is None:
            return
        if self.whole_window and not (self.window is not None and self.window.features_ready):
            return
        print(json.dumps({"painted": time.time(), "zoom": self.painted_zoom}), flush=True)
        os._exit(0)  # measured: nothing after the paint matters


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
