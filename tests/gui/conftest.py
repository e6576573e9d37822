"""The main window on a fresh library, for the tests of what it shows and opens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from readerapp.app import open_services
from readerapp.gui.main_window import MainWindow


@pytest.fixture
def window(qtbot, home: Path) -> Iterator[MainWindow]:
    services = open_services(str(home))
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    yield win
    if win.isVisible():
        win.close()
    services.close()
