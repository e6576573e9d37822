"""What a launch loads before the window is up: the start-up figures depend on it, and each of
these crept in once. Each case runs in a fresh interpreter (imports are per process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.pdf_samples import make_paper

ROOT = Path(__file__).resolve().parents[1]

WHOLE_WINDOW = """
import json, sys
from PySide6.QtWidgets import QApplication
from readerapp.app import open_services
from readerapp.gui.main_window import MainWindow

app = QApplication([])
services = open_services(sys.argv[1])
window = MainWindow(services)  # every tab and menu installed
window.close()
services.close()
print(json.dumps(sorted(sys.modules)))
"""

OPEN_WITH = """
import json, sys
from readerapp.cli import main

code = main(["--home", sys.argv[1], "--screenshot", sys.argv[2], "--open", sys.argv[3]])
print(json.dumps({"code": code, "modules": list(sys.modules)}))
"""


FIRST_PAINT = """
import json, sys
import PySide6.QtWidgets as widgets
from PySide6.QtWidgets import QApplication
from readerapp.app import open_services
from readerapp.gui.main_window import MainWindow

app = QApplication([])
services = open_services(sys.argv[1])
window = MainWindow(services, defer_features=True)  # as a launch makes it
window.show()
window.repaint()  # its first paint
swept = "QWizard" in widgets.__dict__  # made only if every widget class was looked through
window.close()
services.close()
print(json.dumps({"swept": swept}))
"""


def _run(code: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        # The test's own environment: conftest points every user folder at a temporary one.
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]


def test_the_whole_window_loads_no_network_code_no_log_rotation_and_no_feed_panel(
    tmp_path: Path,
) -> None:
    """httpx comes with the first request, logging.handlers with the first log record, the
    package metadata with About or a request."""
    modules = set(json.loads(_run(WHOLE_WINDOW, str(tmp_path / "library"))))
    assert "readerapp.gui.feed_tab" in modules and "readerapp.gui.paper_actions" in modules
    assert not {"httpx", "readerapp.net.http", "logging.handlers", "importlib.metadata"} & modules
    assert "readerapp.gui.feed_panel" not in modules  # built when the Feeds tab first shows


def test_opening_a_paper_loads_pymupdf_before_qt(tmp_path: Path) -> None:
    """Imported after PySide6, PyMuPDF's 3.6 MB of sources are read by PySide6's import hook."""
    paper = make_paper(tmp_path / "paper.pdf")
    shot = tmp_path / "shot.png"
    result = json.loads(_run(OPEN_WITH, str(tmp_path / "library"), str(shot), str(paper)))
    assert result["code"] == 0 and shot.stat().st_size > 0
    order = result["modules"]
    assert order.index("pymupdf") < order.index("PySide6")


def test_the_library_paints_first_without_pyside_sweeping_every_widget_class(
    tmp_path: Path,
) -> None:
    """A viewport Qt made itself is looked up among every QWidget subclass the first time
    Python sees it (~60 classes, ~12 ms): the list and the tree bring their own."""
    assert json.loads(_run(FIRST_PAINT, str(tmp_path / "library"))) == {"swept": False}


COLLECTOR = """
import gc, json, sys
from readerapp.cli import main
from readerapp.gui.main_window import MainWindow

seen = {}
show = MainWindow.show

def watched_show(window):
    seen["collecting_at_show"] = gc.isenabled()
    window.featuresReady.connect(lambda: seen.setdefault("collecting_when_ready", gc.isenabled()))
    show(window)

MainWindow.show = watched_show
code = main(["--home", sys.argv[1], "--screenshot", sys.argv[2], "--open", sys.argv[3]])
seen.update(code=code, collecting_after=gc.isenabled(), frozen=gc.get_freeze_count())
print(json.dumps(seen))
"""


def test_a_launch_pauses_garbage_collection_until_the_window_is_ready(tmp_path: Path) -> None:
    """Start-up's objects live as long as the app: collecting among them finds nothing and cost
    ~26 ms of a paper's first page. Once the window is ready they are frozen, and collection
    resumes for everything made after."""
    paper = make_paper(tmp_path / "paper.pdf")
    shot = tmp_path / "shot.png"
    seen = json.loads(_run(COLLECTOR, str(tmp_path / "library"), str(shot), str(paper)))
    assert seen["code"] == 0
    assert seen["collecting_at_show"] is False
    assert seen["collecting_when_ready"] is True  # resumed by the readiness itself
    assert seen["collecting_after"] is True
    assert seen["frozen"] > 10_000


READY_WITH_A_PAPER = """
import json, sys
from PySide6.QtCore import QTimer
from readerapp.cli import main
from readerapp.gui.main_window import MainWindow

seen = {}
show = MainWindow.show

def background_started(window):
    return window.search_ui.indexer is not None and window.feed_tab.poller.timer.isActive()

def close_once_background_started(window):
    if background_started(window):
        seen["after"] = sorted(sys.modules)
        window.close()
    else:
        QTimer.singleShot(10, lambda: close_once_background_started(window))

def ready(window):
    seen["ready"] = sorted(sys.modules)
    close_once_background_started(window)

def watched_show(window):
    window.featuresReady.connect(lambda: ready(window))
    show(window)

MainWindow.show = watched_show
seen["code"] = main(["--home", sys.argv[1], sys.argv[2]])  # "Open with": the paper in front
print(json.dumps(seen))
"""


def test_a_window_ready_with_a_paper_waits_for_nothing_it_does_not_show(tmp_path: Path) -> None:
    """Every tab and menu is in when the window is ready; what they show only when opened (the
    library behind the paper, the feed panel, the search popup, the import/export service) and
    the background work (the feed watch, the PDF text indexer) come later."""
    paper = make_paper(tmp_path / "paper.pdf")
    seen = json.loads(_run(READY_WITH_A_PAPER, str(tmp_path / "library"), str(paper)))
    assert seen["code"] == 0
    later = {
        "readerapp.gui.item_list",
        "readerapp.gui.details_pane",
        "readerapp.gui.feed_panel",
        "readerapp.gui.search_popup",
        "readerapp.services.importexport",
        "readerapp.services.feeds",
        "readerapp.qt.pdf_text_indexer",
    }
    ready = set(seen["ready"])
    assert {"readerapp.gui.feed_tab", "readerapp.gui.search_ui", "readerapp.gui.import_export"} <= ready
    assert not later & ready
    # The background work started right after.
    assert {"readerapp.services.feeds", "readerapp.qt.pdf_text_indexer"} <= set(seen["after"])
