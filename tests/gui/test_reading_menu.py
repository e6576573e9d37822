"""View menu entries for the paper in front, and Help -> Keyboard Shortcuts."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from readerapp.gui.main_window import MainWindow
from readerapp.gui.pdf_tab import READING_COMMANDS, PdfTab
from readerapp.services.local_files import add_pdf_file
from tests.gui.test_pdf_view import wait_painted
from tests.pdf_samples import make_paper


def _open_paper(qtbot, window: MainWindow, tmp_path: Path) -> PdfTab:
    item = add_pdf_file(window.services, make_paper(tmp_path / "p.pdf"))
    tab = window.open_pdf_item(item)
    assert isinstance(tab, PdfTab) and tab.view is not None
    wait_painted(qtbot, tab)
    return tab


def test_view_menu_acts_on_the_paper_in_front(qtbot, window, tmp_path) -> None:
    menu = window.reading_menu
    entries = menu.actions
    texts = [a.text() for a in window.view_menu.actions()]
    assert "Zoom &In\tCtrl++" in texts and "Nigh&t Mode\tCtrl+Shift+N" in texts
    # Alt+V then one letter reaches each entry: no two share an access key.
    keys = [t.split("&")[1][0].lower() for t in texts if "&" in t]
    assert len(keys) == len(set(keys)) == len([t for t in texts if t])
    # The library in front: nothing to zoom.
    assert not entries["zoom_in"].isEnabled() and not entries["find"].isEnabled()

    tab = _open_paper(qtbot, window, tmp_path)
    assert window.tabs.currentWidget() is tab
    assert entries["zoom_in"].isEnabled()
    before = tab.view.scale()
    entries["zoom_in"].trigger()
    assert tab.view.scale() == pytest.approx(before * 1.2, rel=0.01)

    entries["night"].trigger()
    assert tab.view.night_mode() and tab.night_action.isChecked()
    window.view_menu.aboutToShow.emit()
    assert entries["night"].isChecked()

    # Back and Forward follow the tab's own state.
    assert not entries["back"].isEnabled()
    tab.view.go_to(4, remember=True)
    window.view_menu.aboutToShow.emit()
    assert entries["back"].isEnabled() and not entries["forward"].isEnabled()
    entries["back"].trigger()
    assert tab.view.current_page() == 0 and entries["forward"].isEnabled()
    entries["forward"].trigger()
    assert tab.view.current_page() == 4

    entries["find"].trigger()
    assert tab.find_bar.isVisible()

    window.tabs.setCurrentIndex(0)  # the library again
    assert not entries["zoom_in"].isEnabled() and not entries["night"].isChecked()


def test_menu_entries_show_keys_without_taking_them(qtbot, window, tmp_path) -> None:
    """The keys stay the tab's: Ctrl++ zooms the paper once, with no ambiguous shortcut."""
    tab = _open_paper(qtbot, window, tmp_path)
    assert all(a.shortcut().isEmpty() for a in window.reading_menu.actions.values())
    before = tab.view.scale()
    qtbot.keyClick(tab.view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert tab.view.scale() == pytest.approx(before * 1.2, rel=0.01)


def test_keyboard_shortcuts_dialog_lists_every_group_and_filters(qtbot, window) -> None:
    window.shortcuts.action.trigger()
    dialog = window.shortcuts.dialog
    qtbot.waitExposed(dialog)
    rows = dialog.visible_rows()
    assert ("Ctrl+W, Ctrl+F4", "Close Tab") in rows  # the window's, read from its actions
    assert ("Ctrl+Shift+P", "Show the notes rendered") in rows  # a button's own key
    assert ("Alt+Right", "Forward") in rows  # a reading tab's, though no paper is open
    assert ("Ctrl++, Ctrl+=", "Zoom In") in rows
    assert ("Page Down, Space", "Next screenful (in Fit Page, the next page)") in rows
    assert ("H", "Highlight the selection") in rows
    assert ("M", "Mark Read/Unread") in rows  # the feeds'
    assert ("Ctrl+/", "Keyboard Shortcuts") in rows
    for command in (c for c in READING_COMMANDS.values() if c.shortcuts):  # a key to list
        assert any((command.describe or command.name) == meaning for _k, meaning in rows), command
    assert [keys for keys, _ in rows].count("Esc") == 1  # one key, one row
    assert len(rows) == len(set(rows))  # each key listed once, however many tabs are open

    dialog.filter.setText("forward")
    assert dialog.visible_rows() == [("Alt+Right", "Forward")]
    dialog.filter.setText("ctrl+f")  # the key Ctrl+F, not Ctrl+F4
    assert dialog.visible_rows() == [("Ctrl+F", "Find…")]
    dialog.filter.setText("ctrl+shift")
    shown = dialog.visible_rows()
    assert shown and all("Ctrl+Shift+" in keys for keys, _ in shown)
    dialog.filter.setText("")
    assert dialog.visible_rows() == rows
    dialog.reject()
