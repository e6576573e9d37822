"""The window on a library whose disk is full: an import ends in the sentence naming the folder,
nothing is changed, and nothing enters the undo stack."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from readerapp.app import open_services
from readerapp.gui.main_window import MainWindow
from tests.hostile_disks import fill, small_disk_in

AWESOME = Path(__file__).resolve().parents[1] / "fixtures" / "imports" / "awesome-llm.md"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    with small_disk_in(tmp_path) as disk:
        yield disk


def test_an_import_onto_a_full_disk_says_so_and_changes_nothing(qtbot, small_disk):
    services = open_services(str(small_disk / "library"))
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    try:
        titles = sorted(i.title for i in services.library.items())
        filler = fill(small_disk, 0)
        ui = window.import_export_ui
        with qtbot.waitSignal(ui.finished, timeout=20000):
            assert ui.import_path(AWESOME)
        message = window.statusBar().currentMessage()
        assert f"The disk holding {small_disk}" in message
        assert "is full; nothing was changed" in message
        assert not window.undo_action.isEnabled() and ui.report_dialog is None
        filler.unlink()
        assert sorted(i.title for i in services.library.items()) == titles
    finally:
        ui.runner.wait()
        window.close()
        services.close()
