"""View menu entries for the paper in front: zoom, fit, night mode, find, Back and Forward.

The keys belong to each reading tab (several tabs never fight over Ctrl+F), so the menu entries
only name them: an entry runs the tab's own action, and is greyed out when no paper is in front.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QTabWidget

from readerapp.gui.pdf_tab import READING_COMMANDS, PdfTab, key_text

if TYPE_CHECKING:
    from readerapp.gui.main_window import MainWindow


class ReadingMenu(QObject):
    """The reading commands in ``menu``, acting on the PdfTab in front of ``tabs``."""

    def __init__(self, window: MainWindow, tabs: QTabWidget, menu: QMenu) -> None:
        super().__init__(window)
        self.tabs = tabs
        self.actions: dict[str, QAction] = {}
        menu.addSeparator()
        file_actions: list[QAction] = []
        for key, command in READING_COMMANDS.items():
            if not command.in_menu:
                continue
            action = QAction(menu)
            # Text after a tab is the menu's shortcut column: the key is shown, not registered.
            keys = f"\t{key_text(command.shortcuts[0])}" if command.shortcuts else ""
            action.setText(command.text + keys)
            action.setStatusTip(command.tip)
            action.setCheckable(command.checkable)
            action.triggered.connect(lambda _checked=False, k=key: self.run(k))
            if command.menu == "file":
                file_actions.append(action)
            else:
                menu.addAction(action)
            self.actions[key] = action
        if file_actions:
            window.add_file_menu_group(*file_actions)
            window.file_menu.aboutToShow.connect(self.sync)
        menu.aboutToShow.connect(self.sync)
        tabs.currentChanged.connect(lambda _index: self.sync())
        self.sync()

    def current_tab(self) -> PdfTab | None:
        tab = self.tabs.currentWidget()
        return tab if isinstance(tab, PdfTab) and tab.view is not None else None

    def run(self, key: str) -> None:
        tab = self.current_tab()
        if tab is not None:
            tab.command_actions[key].trigger()
        self.sync()

    def sync(self) -> None:
        """Enabled and checked as the tab's own actions are (Back only after a jump, ...)."""
        tab = self.current_tab()
        for key, action in self.actions.items():
            own = tab.command_actions.get(key) if tab is not None else None
            action.setEnabled(own is not None and own.isEnabled())
            if action.isCheckable():
                action.setChecked(own is not None and own.isChecked())


def install_reading_menu(window: MainWindow) -> ReadingMenu:
    return ReadingMenu(window, window.tabs, window.view_menu)
