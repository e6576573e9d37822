"""Highlighting a PDF opened from outside the library.

Highlights live with library items, so the first one made in such a tab offers to add the file
to the library. Accepted, the tab becomes the new item's (at the same place, see
PdfTabs._adopt_open_file) and the highlight, note or area the reader asked for is made there;
declined, nothing changes and the selection stays.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox, QPushButton

from readerapp.core.annotation import AnnotationKind
from readerapp.gui.annotation_controller import (
    ANNOTATION_COMMANDS,
    TAB_KEY_CONTEXT,
    AnnotationController,
)
from readerapp.gui.pdf_tab import PdfTab
from readerapp.gui.pdf_view import PointerTool
from readerapp.qt.shown_as_written import plain_text

if TYPE_CHECKING:
    from readerapp.gui.main_window import MainWindow

# What to do on the item's tab once the file is in the library.
Replay = Callable[[AnnotationController], object]


class OutsideFileAnnotations(QObject):
    """The highlight keys of an outside file's tab, each first offering to add the file."""

    def __init__(self, window: MainWindow, tab: PdfTab) -> None:
        super().__init__(tab)
        self.window = window
        self.tab = tab
        self.offer: QMessageBox | None = None  # showing while the reader decides
        self.add_button: QPushButton | None = None
        self._pending: Replay | None = None
        self.actions: dict[str, QAction] = {}
        if tab.view is not None:
            self._attach_view()
        else:
            tab.opened.connect(self._attach_view)

    def _attach_view(self) -> None:
        view = self.tab.view
        assert view is not None
        marks = {
            "highlight": lambda: self._mark(AnnotationKind.HIGHLIGHT),
            "underline": lambda: self._mark(AnnotationKind.UNDERLINE),
            "strike": lambda: self._mark(AnnotationKind.STRIKEOUT),
            "comment": lambda: self._mark(AnnotationKind.HIGHLIGHT, comment=True),
            "note": lambda: self._tool("note"),
            "area": lambda: self._tool("area"),
        }
        for key, slot in marks.items():
            name, shortcut, tip = ANNOTATION_COMMANDS[key]
            self.actions[key] = self._action(name, shortcut, tip, slot)
        for colour in self.window.services.annotations.repo.palette():
            self._action(
                colour.meaning,
                colour.shortcut,
                f"Highlight in {colour.meaning}",
                partial(self._mark, AnnotationKind.HIGHLIGHT, color=colour.color),
            )
        view.areaSelected.connect(self._area_selected)
        view.pointClicked.connect(self._point_clicked)
        view.contextMenuRequested.connect(self._context_menu)

    def _action(self, text: str, shortcut: str, tip: str, slot: Callable[[], object]) -> QAction:
        action = QAction(self.tab)
        action.setText(text)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(TAB_KEY_CONTEXT)  # as in a library item's tab
        action.setToolTip(f"{tip} ({shortcut})")
        action.triggered.connect(lambda _checked=False: slot())
        self.tab.addAction(action)
        return action

    # ---- what the reader asked for --------------------------------------------------------------
    def _mark(
        self, kind: AnnotationKind, *, color: str | None = None, comment: bool = False
    ) -> None:
        view = self.tab.view
        selections = view.selections() if view is not None else []
        if not selections:
            self.tab.hint.setText("Select some text first, then press H (or U, S, C).")
            return

        def replay(controller: AnnotationController) -> None:
            assert controller.tab.view is not None
            controller.tab.view.set_selections(selections)
            made = controller.mark(kind, color)
            if made is not None and comment:
                controller.pane.edit_comment(made.id)

        self._ask(replay, "this highlight")

    def _tool(self, tool: str) -> None:
        view = self.tab.view
        if view is not None:
            view.set_tool(PointerTool.TEXT if view.tool() == tool else tool)

    def _area_selected(self, page: int, rect) -> None:
        def replay(controller: AnnotationController) -> None:
            view = controller.tab.view
            if view is not None:
                view.areaSelected.emit(page, rect)

        self._ask(replay, "this area highlight")

    def _point_clicked(self, page: int, point) -> None:
        self._ask(lambda c: c.add_note(page, point), "this note")

    def _context_menu(self, menu: QMenu, _page: int, _point) -> None:
        view = self.tab.view
        if view is not None and view.selection() is not None:
            menu.addSeparator()
            for key in ("highlight", "underline", "strike", "comment"):
                menu.addAction(self.actions[key])

    # ---- the offer ----------------------------------------------------------------------------
    def _ask(self, replay: Replay, what: str) -> None:
        """Offer to add the file; once it is in the library, ``replay`` makes the mark there."""
        if self.tab.view is not None:
            self.tab.view.set_tool(PointerTool.TEXT)
        self._pending = replay
        if self.offer is not None:
            return  # already asking: the latest wish is the one made
        name = self.tab.path.name
        self.offer = QMessageBox(
            QMessageBox.Icon.Question,
            "Add to library",
            f"Highlights are kept with your library's papers. Add “{name}” to your library "
            f"to keep {what}?",
            QMessageBox.StandardButton.Cancel,
            self.window,
        )
        plain_text(self.offer)  # the file's name, as written
        self.offer.setInformativeText(
            "A copy goes into the library folder; the file itself is not changed."
        )
        self.add_button = self.offer.addButton("Add to Library", QMessageBox.ButtonRole.AcceptRole)
        self.offer.setDefaultButton(self.add_button)
        self.offer.finished.connect(self._answered)
        self.offer.open()  # window-modal, without a nested event loop

    def _answered(self, _result: int) -> None:
        offer, self.offer = self.offer, None
        replay, self._pending = self._pending, None
        accepted = offer is not None and offer.clickedButton() is self.add_button
        if offer is not None:
            offer.deleteLater()
        if not accepted or replay is None:
            return
        tabs = self.window.reading_tabs()
        added = tabs.add_files([self.tab.path])
        if not added:
            return  # add_files said why
        item_tab = tabs.tab_for_item(added[0])
        if item_tab is not None:  # adding shows the item in the library: the reader stays here
            self.window.tabs.setCurrentWidget(item_tab)
        controller = getattr(item_tab, "annotations", None)
        if controller is None:
            self.window.show_error("The file was added, but its tab could not take the highlight.")
            return
        replay(controller)
