"""Help -> About shows the version from the package metadata, the licence and the notices."""

from __future__ import annotations

from pathlib import Path

import readerapp
from readerapp.app import open_services
from readerapp.gui.about_dialog import AboutDialog
from readerapp.gui.main_window import MainWindow
from readerapp.legal import LICENSE, NOTICES, legal_text


def test_about_shows_the_metadata_version(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert f"Version {readerapp.__version__}" in dialog.version_label.text()
    assert dialog.tabs.tabText(0) == "About"


def test_license_tab_holds_the_agpl(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentWidget(dialog.license_view)
    text = dialog.license_view.toPlainText()
    assert "GNU AFFERO GENERAL PUBLIC LICENSE" in text
    assert "Version 3, 19 November 2007" in text


def test_notices_tab_lists_the_bundled_components(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert dialog.notices_view.toPlainText() == ""  # rendered only when first shown
    dialog.tabs.setCurrentWidget(dialog.notices_view)
    text = dialog.notices_view.toPlainText()
    for component in ("PySide6-Essentials", "pymupdf", "feedparser", "platformdirs", "httpx"):
        assert component in text
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text


def test_legal_texts_ship_with_the_package() -> None:
    assert legal_text(LICENSE).startswith("                    GNU AFFERO GENERAL PUBLIC LICENSE")
    assert "Qt and Qt for Python are used under the LGPL-3.0" in legal_text(NOTICES)
    assert legal_text("NO_SUCH_FILE") is None


def test_help_about_opens_the_dialog_and_frees_it_on_close(qtbot, home: Path) -> None:
    services = open_services(str(home))
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    try:
        assert window.about_action in window.help_menu.actions()
        window.about_action.trigger()
        qtbot.waitUntil(lambda: window.findChild(AboutDialog) is not None)
        dialog = window.findChild(AboutDialog)
        assert dialog.isVisible() and dialog.isModal()
        assert f"Version {readerapp.__version__}" in dialog.version_label.text()
        dialog.close()
        qtbot.waitUntil(lambda: window.findChild(AboutDialog) is None)
    finally:
        window.close()
        services.close()
