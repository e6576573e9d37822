"""Child process for start-up benchmarks: prints seconds-since-spawn-request and RSS once painted.

Usage: python -m benchmarks._startup_probe bare|app HOME T0
T0 is the parent's time.time() just before it started this process.
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
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([])
    if mode == "bare":
        window = QMainWindow()
        window.resize(1280, 800)
    else:
        from readerapp.app import open_services
        from readerapp.gui.main_window import MainWindow

        window = MainWindow(open_services(home), defer_features=True)

    class PaintWatch(QObject):
        def eventFilter(self, obj, event) -> bool:
            if event.type() == QEvent.Type.Paint and obj is window:
                QTimer.singleShot(0, report)
            return False

    def report() -> None:
        print(f"{time.time() - t0:.4f} {rss_mb():.1f}", flush=True)
        os._exit(0)

    watch = PaintWatch()
    window.installEventFilter(watch)
    window.show()
    window.grab()  # offscreen windows paint on grab; this forces the first full paint
    app.exec()


if __name__ == "__main__":
    main()
