"""Help -> Keyboard Shortcuts: every key the app answers to, grouped by where it works.

The window's and the feeds' keys are read from their live actions, so the list cannot drift from
what the keys do. A reading tab's keys are read from the tables its actions are built from, so
they are listed before any paper is open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from readerapp.gui.annotation_controller import ANNOTATION_COMMANDS
from readerapp.gui.annotation_pane import PANE_KEYS
from readerapp.gui.feed_tab import FeedsPage
from readerapp.gui.pdf_tab import FIND_FIELD_KEYS, READING_COMMANDS, PdfTab, key_text
from readerapp.gui.pdf_view import VIEW_KEYS
from readerapp.gui.typed_widgets import child_items, top_level_items

if TYPE_CHECKING:
    from readerapp.gui.main_window import MainWindow

Rows = list[tuple[str, str]]  # (keys, what they do)
# Qt's own: the window's tab bar answers to these without an action of ours.
TAB_KEYS = (("Ctrl+Tab, Ctrl+Shift+Tab", "Next tab, previous tab"),)


def _inside(obj: QObject | None, kind: type) -> bool:
    while obj is not None:
        if isinstance(obj, kind):
            return True
        obj = obj.parent()
    return False


def _name(action: QAction) -> str:
    # "&Quit" -> "Quit"; a menu's own shortcut column ("Zoom In\tCtrl++") is not part of it.
    return action.text().split("\t")[0].replace("&&", "\0").replace("&", "").replace("\0", "&")


def _action_rows(actions: list[QAction]) -> Rows:
    rows: Rows = []
    for action in actions:
        keys = ", ".join(key_text(k) for k in action.shortcuts() if not k.isEmpty())
        if keys and (keys, _name(action)) not in rows:
            rows.append((keys, _name(action)))
    return rows


def _button_rows(window: QWidget) -> Rows:
    """Buttons with a key of their own (the notes' Preview, Ctrl+Shift+P)."""
    return [
        (key_text(b.shortcut()), b.toolTip().split(" (")[0] or b.text())
        for b in window.findChildren(QAbstractButton)
        if not b.shortcut().isEmpty() and not _inside(b, PdfTab)
    ]


def shortcut_groups(window: MainWindow) -> list[tuple[str, Rows]]:
    """(group, rows) for every key of ``window``, in the order the dialog shows them."""
    from readerapp.gui.item_list import ITEM_LIST_KEYS  # the list's module: with the library

    # Tabs build their content when first shown; the dialog lists the keys of all of it.
    window.details  # noqa: B018 (the Library's panes, if a paper kept them unbuilt)
    if window.feed_tab is not None:
        window.feed_tab.panel  # noqa: B018
    live = [a for a in window.findChildren(QAction) if not _inside(a, PdfTab)]
    library = window.library_page.actions()
    feeds = [a for a in live if _inside(a, FeedsPage)]
    anywhere = [a for a in live if a not in feeds and a not in library]
    reading: Rows = [
        (", ".join(key_text(k) for k in c.shortcuts), c.describe or c.name)
        for c in READING_COMMANDS.values()
        if c.shortcuts
    ]
    reading += [*VIEW_KEYS, *FIND_FIELD_KEYS]
    annotating: Rows = [(key, tip) for _name, key, tip in ANNOTATION_COMMANDS.values()]
    annotating += [("1 to 6", "Choose the highlight colour"), *PANE_KEYS]
    groups = [
        ("Anywhere in the window", _action_rows(anywhere) + list(TAB_KEYS)),
        ("In the library", _action_rows(library) + _button_rows(window) + list(ITEM_LIST_KEYS)),
        ("Reading a paper", reading),
        ("Annotating (a paper in the library)", annotating),
        ("In the Feeds tab", _action_rows(feeds)),
    ]
    return [(title, rows) for title, rows in groups if rows]


def _row_matches(keys: str, meaning: str, wanted: str) -> bool:
    """A word of the description, or a whole key: "ctrl+f" finds Ctrl+F, not Ctrl+F4; "ctrl"
    or "ctrl+shift" find every key they start."""
    if not wanted or wanted in meaning.casefold():
        return True
    for key in keys.casefold().split(", "):
        if key == wanted or key.startswith(wanted.rstrip("+") + "+"):
            return True
    return False


class ShortcutsDialog(QDialog):
    """The list, with a field that narrows it to the rows containing what is typed."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard Shortcuts")
        self.resize(640, 620)
        layout = QVBoxLayout(self)
        self.filter = QLineEdit(self, placeholderText="Filter (a key or a word)")
        self.filter.setClearButtonEnabled(True)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Keys", "What they do"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        for title, rows in shortcut_groups(window):
            group = QTreeWidgetItem(self.tree, [title])
            group.setFirstColumnSpanned(True)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for keys, meaning in rows:
                row = QTreeWidgetItem(group, [keys, meaning])
                row.setToolTip(1, meaning)  # in full, should the dialog be narrowed
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self.narrow)

    def narrow(self, text: str) -> None:
        wanted = text.strip().casefold()
        for group in top_level_items(self.tree):
            shown = 0
            for row in child_items(group):
                match = _row_matches(row.text(0), row.text(1), wanted)
                row.setHidden(not match)
                shown += match
            group.setHidden(shown == 0)

    def visible_rows(self) -> list[tuple[str, str]]:
        return [
            (row.text(0), row.text(1))
            for group in top_level_items(self.tree)
            if not group.isHidden()
            for row in child_items(group)
            if not row.isHidden()
        ]


class ShortcutsHelp(QObject):
    """Help -> Keyboard Shortcuts (Ctrl+/): the list, made fresh each time it is opened."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: ShortcutsDialog | None = None  # while it is open (tests, screenshots)
        self.action = QAction(window)
        self.action.setText("&Keyboard Shortcuts")
        self.action.setShortcut(QKeySequence("Ctrl+/"))
        self.action.setStatusTip("Every key the app answers to")
        self.action.triggered.connect(lambda _checked=False: self.show())
        window.addAction(self.action)
        if actions := window.help_menu.actions():  # first in Help
            window.help_menu.insertAction(actions[0], self.action)
        else:
            window.help_menu.addAction(self.action)

    def show(self) -> None:
        self.dialog = ShortcutsDialog(self.window)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.finished.connect(self._closed)
        self.dialog.open()

    def _closed(self, _result: int) -> None:
        self.dialog = None


def install_shortcuts_action(window: MainWindow) -> ShortcutsHelp:
    return ShortcutsHelp(window)
