"""Child process for start-up benchmarks: prints seconds-since-spawn-request and RSS once painted.

Usage: python -m benchmarks._startup_probe bare|app HOME T0
T0 is the parent's time.time() just before it started this process.

``app`` starts readerapp the way the ``readerapp`` command does (``readerapp.cli.main``: argument
parsing, the single-instance check, the library, the main window); ``bare`` shows an empty
QMainWindow of the same size. Both end at their window's first paint from ``show()``, the one a
user sees; nothing forces an extra paint.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    mode, home, t0 = sys.argv[1], sys.argv[2], float(sys.argv[3])
    if mode == "app":
        from readerapp.cli import main as readerapp_main  # what the entry point imports first
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([])

    class FirstPaint(QObject):
        def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint:
                QTimer.singleShot(0, report)  # after the whole window has been painted
            return False

    def report() -> None:
        print(f"{time.time() - t0:.4f} {rss_mb():.1f}", flush=True)
        os._exit(0)  # measured: nothing after the paint matters

    # A filter on the window alone: one on the application would wrap every object that gets
    # an event in Python, a cost the app itself does not pay.
    watch = FirstPaint()
    if mode == "bare":
        window = QMainWindow()
        window.resize(1280, 800)
        window.installEventFilter(watch)
        window.show()
        app.exec()
    else:
        from readerapp.gui.main_window import MainWindow  # the app imports it at this point too

        show = MainWindow.show

        def watched_show(window: MainWindow) -> None:
            window.installEventFilter(watch)
            show(window)

        MainWindow.show = watched_show  # type: ignore[method-assign]
        readerapp_main(["--home", home])  # makes the window, shows it and runs the event loop


if __name__ == "__main__":
    main()
