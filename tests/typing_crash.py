"""Killing readerapp (SIGKILL) while a user types steadily into an item's notes, and measuring
how much of the typing the database lost. Shared by the test and the benchmark.

The driver starts the app through its own entry point (``readerapp.cli.main``, as the
``readerapp`` command does) offscreen, selects the item, and types into the details pane's notes
with key events from a timer; it prints each key's number and time. The parent kills it after
some seconds, reads the notes from the database, and compares them with what was typed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Every word numbered: any saved prefix says exactly which keys it holds.
TEXT = "".join(f"w{n:04d} " for n in range(5000))

DRIVER = """
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from readerapp.cli import main as readerapp_main
from readerapp.gui.launch import make_application
from tests.typing_crash import TEXT

home, item_id, interval = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
app = make_application()  # the app's own start-up uses this one
typed = 0

def window():
    from readerapp.gui.main_window import MainWindow
    return next((w for w in app.topLevelWidgets() if isinstance(w, MainWindow)), None)

def start():
    win = window()
    if win is None or not win.features_ready:  # a user starts typing once the window is up
        QTimer.singleShot(20, start)
        return
    win.select_item(item_id)
    notes = win.details.notes
    notes.setFocus()
    timer = QTimer(app, interval=interval)

    def key():
        global typed
        if not win.isVisible():  # closed (SIGTERM): nobody types into a window that is gone
            timer.stop()
            return
        QTest.keyClick(notes, TEXT[typed])
        typed += 1
        print(typed, time.monotonic(), flush=True)

    timer.timeout.connect(key)
    timer.start()

QTimer.singleShot(0, start)
sys.exit(readerapp_main(["--home", home]))
"""


@dataclass(frozen=True)
class CrashResult:
    typed: int  # keys typed before the kill
    saved: int  # of those, how many the database holds
    seconds_lost: float  # from the first key not saved to the kill (0 when nothing was lost)


def type_then_kill(
    home: Path, item_id: int, seconds: float, interval_ms: int, sig: int = signal.SIGKILL
) -> CrashResult:
    """Type into ``item_id``'s notes for ``seconds`` (after the first key), then send ``sig``
    (SIGKILL: the app dies at once; SIGTERM: it is asked to end, and should save first)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(home), str(item_id), str(interval_ms)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"},
        text=True,
    )
    watchdog = threading.Timer(120, proc.kill)  # a driver that hangs fails, it does not hang
    watchdog.start()
    times: dict[int, float] = {}
    try:
        first: float | None = None
        for line in proc.stdout:  # type: ignore[union-attr]
            n, stamp = line.split()
            times[int(n)] = float(stamp)
            first = first if first is not None else float(stamp)
            if float(stamp) - first >= seconds:
                break
        killed_at = time.monotonic()
        proc.send_signal(sig)
        for line in proc.stdout:  # type: ignore[union-attr]  # keys typed before it died
            n, stamp = line.split()
            times[int(n)] = float(stamp)
        proc.wait(timeout=30)
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        proc.stdout.close()  # type: ignore[union-attr]
    if proc.returncode != (-signal.SIGKILL if sig == signal.SIGKILL else 0) or not times:
        raise RuntimeError(f"the typing driver did not type (exit {proc.returncode})")
    notes = _stored_notes(home, item_id)
    if not TEXT.startswith(notes):
        raise AssertionError(f"the notes hold something other than what was typed: {notes!r}")
    typed, saved = max(times), len(notes)
    lost = killed_at - times[saved + 1] if saved < typed else 0.0
    return CrashResult(typed, saved, max(0.0, lost))


def _stored_notes(home: Path, item_id: int) -> str:
    from readerapp.app import open_services

    services = open_services(str(home), seed=False)
    try:
        item = services.library.item(item_id)
        assert item is not None
        return item.notes
    finally:
        services.close()


def library_with_empty_notes(home: Path) -> int:
    """A library whose one item has no notes yet: the one the driver types into."""
    from readerapp.app import open_services

    services = open_services(str(home), seed=False)
    try:
        return services.library.add_item("Attention Is All You Need").id
    finally:
        services.close()
