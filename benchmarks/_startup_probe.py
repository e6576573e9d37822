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
        from benchmarks import AfterImport
        from readerapp.cli import main as readerapp_main  # what the entry point imports first

        # The window is watched once the app has loaded it: nothing imported ahead of the app.
        AfterImport("readerapp.gui.main_window", lambda module: watch_window(module, t0)).install()
        readerapp_main(["--home", home])  # makes the window, shows it and runs the event loop
        return
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([])
    window = QMainWindow()
    window.resize(1280, 800)
    watch = first_paint_filter(t0)  # kept: Qt holds no reference to a filter
    window.installEventFilter(watch)
    window.show()
    app.exec()


def first_paint_filter(t0: float):
    """An event filter that reports once the window it watches has been painted.

    A filter on the window alone: one on the application would wrap every object that gets an
    event in Python, a cost the app itself does not pay."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint:
                QTimer.singleShot(0, report)  # after the whole window has been painted
            return False

    def report() -> None:
        print(f"{time.time() - t0:.4f} {rss_mb():.1f}", flush=True)
        os._exit(0)  # measured: nothing after the paint matters

    return FirstPaint()


def watch_window(main_window_module, t0: float) -> None:
    """Watch the app's main window from its ``show()``, the window a user sees."""
    main_window_class = main_window_module.MainWindow
    show = main_window_class.show
    watch = first_paint_filter(t0)

    def watched_show(window) -> None:
        window.installEventFilter(watch)
        show(window)

    main_window_class.show = watched_show


if __name__ == "__main__":
    main()
