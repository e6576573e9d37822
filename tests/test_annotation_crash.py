"""A highlight survives the app being killed (SIGKILL) the moment after it was made."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from readerapp.app import open_services
from tests.annotation_helpers import PAGE_ONE, add_pdf_item, line_rects, make_pdf

ROOT = Path(__file__).resolve().parents[1]

# The same code path the viewer uses: AnnotationService.create_text through open_services.
DRIVER = """
import sys
from readerapp.app import open_services
services = open_services(sys.argv[1], seed=False)
rects = [tuple(map(float, r.split(","))) for r in sys.argv[3:]]
ann = services.annotations.create_text(int(sys.argv[2]), 0, rects, "residual stream", comment="killed")
print(ann.id, flush=True)
sys.stdin.read()  # stay alive, connection open, until killed
"""


def _kill_after_first_line(args: list[str]) -> int:
    """Run a driver, read the id it prints once the highlight is made, then SIGKILL it."""
    proc = subprocess.Popen(
        [sys.executable, "-c", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        text=True,
    )
    watchdog = threading.Timer(120, proc.kill)  # a driver that hangs fails the test, not CI
    watchdog.start()
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
    assert line.strip().isdigit(), f"the driver did not make a highlight: {line!r}"
    return int(line)


def test_highlight_is_there_after_sigkill(home: Path, tmp_path: Path) -> None:
    services = open_services(str(home), seed=False)
    pdf = make_pdf(tmp_path / "paper.pdf", [PAGE_ONE])
    item_id = add_pdf_item(services, pdf)
    services.close()
    rects = [",".join(str(v) for v in r) for r in line_rects(pdf, 0, "residual stream")]
    made = _kill_after_first_line([DRIVER, str(home), str(item_id), *rects])
    reopened = open_services(str(home), seed=False)
    try:
        (ann,) = reopened.annotations.annotations(item_id)
        assert (ann.id, ann.quote, ann.comment) == (made, "residual stream", "killed")
        assert ann.prefix.endswith("We train them on the")
    finally:
        reopened.close()


# The viewer's path: a reading tab offscreen, a real mouse drag over the words, then the action
# bound to H, which goes through the undo stack to the service.
GUI_DRIVER = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
app = QApplication([])
from readerapp.app import open_services
from readerapp.gui.annotation_controller import AnnotationController
from readerapp.gui.pdf_tab import PdfTab
services = open_services(sys.argv[1], seed=False)
item_id = int(sys.argv[2])
x0, y0, x1, y1 = map(float, sys.argv[3].split(","))
tab = PdfTab(services.annotations.pdf_path(item_id), item_id=item_id, library=services.library)
controller = AnnotationController(tab, item_id, services.annotations, services.library, QUndoStack(tab))
tab.resize(1000, 800)
tab.show()
view, vp = tab.view, tab.view.viewport()
def at(x):
    r = view.map_from_page(0, (x, (y0 + y1) / 2, x, (y0 + y1) / 2))
    return QPoint(round(r.x()), round(r.y()))
none = Qt.KeyboardModifier.NoModifier
QTest.mousePress(vp, Qt.MouseButton.LeftButton, none, at(x0 + 1))
QTest.mouseMove(vp, at((x0 + x1) / 2))
QTest.mouseMove(vp, at(x1 - 1))
QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, none, at(x1 - 1))
assert view.selection() is not None
controller.highlight_action.trigger()
print(controller.annotations()[0].id, flush=True)
sys.stdin.read()  # the window stays open until killed
"""


def test_highlight_made_in_the_viewer_is_there_after_sigkill(home: Path, tmp_path: Path) -> None:
    services = open_services(str(home), seed=False)
    pdf = make_pdf(tmp_path / "paper.pdf", [PAGE_ONE])
    item_id = add_pdf_item(services, pdf)
    services.close()
    (rect,) = line_rects(pdf, 0, "monosemantic")
    made = _kill_after_first_line([GUI_DRIVER, str(home), str(item_id), ",".join(map(str, rect))])
    reopened = open_services(str(home), seed=False)
    try:
        (ann,) = reopened.annotations.annotations(item_id)
        assert ann.id == made and ann.quote.startswith("monosemantic")
    finally:
        reopened.close()
