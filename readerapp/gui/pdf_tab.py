"""A reading tab: toolbar (zoom, fit, page box), sidebar (outline, thumbnails), find bar, the view.

Opening never raises: a password-protected file shows a password field, a broken file shows a
sentence saying why, and the rest of the app carries on.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QIntValidator, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from readerapp.core.errors import UserError
from readerapp.gui.pdf_view import PdfView, PointerTool
from readerapp.gui.typed_widgets import application, tool_button
from readerapp.pdf.document import PasswordRequired, PdfDocument, PdfError, WrongPassword
from readerapp.pdf.types import Rect
from readerapp.qt.shown_as_written import plain_text
from readerapp.qt.tasks import TaskRunner
from readerapp.qt.thumbnail_model import ThumbnailModel
from readerapp.services.library import LibraryService, ReadingPosition

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtPrintSupport import QPrinter

    from readerapp.gui.annotation_controller import AnnotationController
    from readerapp.gui.outside_file_annotations import OutsideFileAnnotations
    from readerapp.gui.printing import DocumentPrinter

log = logging.getLogger(__name__)

ZOOM_STEP = 1.2


def key_text(key: str | QKeySequence | QKeySequence.StandardKey) -> str:
    """A key as the platform writes it in menus and tooltips ("Ctrl++"; "⌘+" on macOS)."""
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


@dataclass(frozen=True)
class ReadingCommand:
    """A command of the reading tab: its toolbar action, its View-menu entry, its shortcuts."""

    text: str  # the View menu's entry, with "&" before its access key
    shortcuts: tuple[str | QKeySequence.StandardKey, ...] = ()
    label: str = ""  # the toolbar's shorter text, when it has one
    tip: str = ""
    describe: str = ""  # what Help -> Keyboard Shortcuts says, when the name is not enough
    checkable: bool = False
    in_menu: bool = True
    menu: str = "view"  # the menu it is listed in: "view" or "file"

    @property
    def name(self) -> str:
        return self.text.replace("&", "")

    def tool_tip(self) -> str:
        if not self.shortcuts:
            return self.tip or self.name
        return f"{self.tip or self.name} ({key_text(self.shortcuts[0])})"


# The access keys (Alt+V, then the letter) are unique in the View menu, Refresh (R), Feeds (F)
# and Downloads (D) included.
READING_COMMANDS: dict[str, ReadingCommand] = {
    "back": ReadingCommand("&Back", ("Alt+Left",), tip="Back to where you were before a jump"),
    "forward": ReadingCommand("For&ward", ("Alt+Right",), tip="Forward again, after Back"),
    "sidebar": ReadingCommand(
        "&Sidebar",
        ("F9",),
        tip="Contents and thumbnails",
        describe="Show or hide the sidebar (contents, thumbnails)",
        checkable=True,
    ),
    "zoom_in": ReadingCommand("Zoom &In", ("Ctrl++", "Ctrl+="), label="+"),
    "zoom_out": ReadingCommand("Zoom &Out", ("Ctrl+-",), label="−"),
    "actual_size": ReadingCommand("Actual Si&ze", ("Ctrl+0",), label="100%"),
    "fit_width": ReadingCommand("Fit Widt&h", ("Ctrl+1",), checkable=True),
    "fit_page": ReadingCommand("Fit &Page", ("Ctrl+2",), checkable=True),
    "spread": ReadingCommand(
        "Two-Page Spr&ead",
        ("Ctrl+3",),
        label="Two Pages",
        tip="Show pages two by two, side by side",
        checkable=True,
    ),
    "rotate_right": ReadingCommand(
        "Rotate &Clockwise", ("Ctrl+Right",), label="⟳", tip="Turn the pages a quarter clockwise"
    ),
    "rotate_left": ReadingCommand(
        "Rotate &Anticlockwise",
        ("Ctrl+Left",),
        label="⟲",
        tip="Turn the pages a quarter anticlockwise",
    ),
    "night": ReadingCommand(
        "Nigh&t Mode",
        ("Ctrl+Shift+N",),
        label="Night",
        tip="Night mode: dark pages, light text, colours kept",
        describe="Night mode (dark pages with light text)",
        checkable=True,
    ),
    "night_images": ReadingCommand(
        "&Keep Figure Colours at Night",
        tip="In night mode, show images (photos, raster figures) in their own colours",
        checkable=True,
    ),
    "find": ReadingCommand("Fi&nd…", (QKeySequence.StandardKey.Find,), label="Find"),
    "find_next": ReadingCommand("Find Ne&xt", ("F3",)),
    "find_previous": ReadingCommand("Find Pre&vious", ("Shift+F3",)),
    "close_find": ReadingCommand(
        "Close Find",
        ("Escape",),
        describe="Close find; clear the selection; leave the note or area tool",
        in_menu=False,
    ),
    "go_to": ReadingCommand("&Go to Page…", ("Ctrl+G",)),
    "print": ReadingCommand(
        "&Print…", (QKeySequence.StandardKey.Print,), tip="Print the paper", menu="file"
    ),
}
# Keys the find field handles itself, for the shortcut list: (keys, what they do).
FIND_FIELD_KEYS = (("Enter, Shift+Enter", "Next match, previous match (in the find field)"),)


class _FindField(QLineEdit):
    """Enter finds the next match, Shift+Enter the previous one."""

    previousRequested = Signal()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.previousRequested.emit()
            return
        super().keyPressEvent(event)


class FilterWhileFocused(QObject):
    """Installs ``event_filter`` on ``widget`` only while the widget has the keyboard.

    A filter sees every event of its widget (its repaints too, as the page number changes
    while scrolling), each a call into Python that waits for the interpreter lock a page
    render may be holding: a filter that is only about keys need not pay that the rest of
    the time."""

    def __init__(self, widget: QWidget, event_filter: QObject) -> None:
        super().__init__(widget)  # goes with the widget, and with it the connection below
        self._widget = widget
        self._filter = event_filter
        application().focusChanged.connect(self._focus_moved)

    def _focus_moved(self, old: QWidget | None, new: QWidget | None) -> None:
        if new is self._widget:
            self._widget.installEventFilter(self._filter)
        elif old is self._widget and isValid(old):  # not while it is being deleted
            old.removeEventFilter(self._filter)


class _LettersPassOn(QObject):
    """On the page number field, which takes digits only: a letter typed there is left to the
    tab's single-letter commands (H, N, A...) instead of vanishing into the validator."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        if event.type() != QEvent.Type.ShortcutOverride:
            return False
        key = cast("QKeyEvent", event)  # a ShortcutOverride event is a key event
        if key.text().isalpha() and not key.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        ):
            event.ignore()  # not the field's: the shortcut gets it
            return True
        return False


class FindBar(QWidget):
    """Ctrl+F: a query field, previous/next, and how many matches there are."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        self.field = _FindField(self, placeholderText="Find in document", clearButtonEnabled=True)
        self.previous = tool_button(self, "▲", "Previous match (Shift+Enter)")
        self.next = tool_button(self, "▼", "Next match (Enter)")
        self.count = QLabel(self)
        self.close_button = tool_button(self, "✕", "Close (Esc)")
        for w in (QLabel("Find:", self), self.field, self.previous, self.next, self.count):
            layout.addWidget(w)
        layout.addStretch(1)
        layout.addWidget(self.close_button)


class PdfTab(QWidget):
    """One open document. ``view`` exists once the file is open (after a password if needed)."""

    opened = Signal()  # the document is open and the view exists
    titleChanged = Signal(str)
    nightKeepsImagesChanged = Signal(bool)  # the reader changed the preference in this tab
    linkActivated = Signal(str)  # a link out of the document: the window's link opener follows it

    def __init__(
        self,
        path: str | Path,
        *,
        title: str = "",
        item_id: int | None = None,
        library: LibraryService | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.title = title or self.path.name
        self.item_id = item_id
        self.library = library
        self.view: PdfView | None = None
        self.error: str | None = None
        self.notice: str | None = None  # opened, with something the reader should know
        self._side_panes: list[QWidget] = []
        self._night_keeps_images = False
        self._printer: DocumentPrinter | None = None
        # Writes a copy of the paper with its highlights into a path (set for library items):
        # what is printed, so the highlights are on paper too.
        self.annotated_copy: Callable[[Path], int] | None = None
        # Set by the annotation feature: an item's highlights, or a file's offer to be added.
        self.annotations: AnnotationController | None = None
        self.outside_annotations: OutsideFileAnnotations | None = None
        self._pending_panes: list[QWidget] = []
        self._search = TaskRunner("pdf-search", 1, self)
        self._search_generation = 0
        self._matches: dict[int, list[list[Rect]]] = {}  # page -> matches -> rect per line
        self._match_order: list[tuple[int, int]] = []
        self._match_index = -1

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.stack = QStackedWidget(self)
        layout.addWidget(self.stack)
        self._build_message_page()
        self._save_timer = QTimer(self, singleShot=True, interval=1500)
        self._save_timer.timeout.connect(self.save_position)
        self._open(None)

    # ---- opening ------------------------------------------------------------------------------
    def _build_message_page(self) -> None:
        page = QWidget(self)
        box = QVBoxLayout(page)
        box.addStretch(1)
        self.message = plain_text(
            QLabel(page, wordWrap=True, alignment=Qt.AlignmentFlag.AlignCenter)
        )
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        self.password_field = QLineEdit(page, echoMode=QLineEdit.EchoMode.Password)
        self.password_field.setPlaceholderText("Password")
        self.password_field.setMaximumWidth(260)
        self.unlock_button = QPushButton(page)  # see _action on why not QPushButton("Open", page)
        self.unlock_button.setText("Open")
        row.addWidget(self.password_field)
        row.addWidget(self.unlock_button)
        row.addStretch(1)
        box.addLayout(row)
        box.addStretch(2)
        self.password_field.returnPressed.connect(lambda: self.unlock())
        self.unlock_button.clicked.connect(lambda: self.unlock())
        self.stack.addWidget(page)
        self._message_page = page

    def _open(self, password: str | None) -> None:
        try:
            document = PdfDocument.open(self.path, password)
        except PasswordRequired as exc:
            self._show_message(f"{exc} Enter it to read the document.", password=True)
            return
        except WrongPassword as exc:
            self._show_message(f"{exc} Try again.", password=True)
            self.password_field.selectAll()
            return
        except PdfError as exc:
            self.error = str(exc)
            self._show_message(self.error, password=False)
            return
        self.error = None
        if document.repaired:
            self.notice = (
                f"“{self.path.name}” is damaged (perhaps an incomplete download); "
                "it was repaired as far as possible, and some pages may be blank or incomplete."
            )
        self._build_reader(document)

    def needs_password(self) -> bool:
        # isHidden, not isVisible: a tab behind another one still waits for its password.
        return self.view is None and not self.password_field.isHidden()

    def status_text(self) -> str:
        """A reading tab leaves the status bar to its own page and zoom controls."""
        return ""

    def take_focus(self) -> None:
        """Give the keyboard to what the reader types into first: the page, or the password."""
        if self.view is not None:
            self.view.setFocus()
        elif self.needs_password():
            self.password_field.setFocus()

    def thumbnails_drawn(self) -> bool:
        """Every page thumbnail in view is drawn (true too when the sidebar shows none)."""
        if self.view is None or not self.thumbnails.isVisible():
            return True
        area = self.thumbnails.viewport().rect()
        model = self.thumbnail_model
        return all(
            model.is_drawn(row)
            for row in range(model.rowCount())
            if self.thumbnails.visualRect(model.index(row)).intersects(area)
        )

    def unlock(self, password: str | None = None) -> None:
        """Try ``password`` (default: the field's text)."""
        self._open(password if password is not None else self.password_field.text())

    def _show_message(self, text: str, *, password: bool) -> None:
        self.message.setText(text)
        self.password_field.setVisible(password)
        self.unlock_button.setVisible(password)
        self.stack.setCurrentWidget(self._message_page)
        if password:
            self.password_field.setFocus()

    # ---- the reader ---------------------------------------------------------------------------
    def _build_reader(self, document: PdfDocument) -> None:
        reader = QWidget(self)
        box = QVBoxLayout(reader)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        self.view = view = PdfView(document, reader)
        self.toolbar = QToolBar(reader)
        self.toolbar.setIconSize(QSize(16, 16))
        box.addWidget(self.toolbar)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, reader)
        self.sidebar = QTabWidget(self.splitter)
        self.outline = QTreeWidget(self.sidebar)
        self.outline.setHeaderHidden(True)
        self.thumbnails = QListView(self.sidebar)
        self.thumbnails.setViewMode(QListView.ViewMode.IconMode)
        self.thumbnails.setFlow(QListView.Flow.TopToBottom)
        self.thumbnails.setWrapping(False)
        self.thumbnails.setUniformItemSizes(True)
        self.thumbnails.setSpacing(6)
        self.thumbnails.setMovement(QListView.Movement.Static)
        self.thumbnail_model = ThumbnailModel(view.renderer, self.thumbnails)
        self.thumbnails.setModel(self.thumbnail_model)
        self.sidebar.addTab(self.outline, "Contents")
        self.sidebar.addTab(self.thumbnails, "Pages")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(view)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([200, 800])
        box.addWidget(self.splitter, 1)

        self.find_bar = FindBar(reader)
        self.find_bar.hide()
        box.addWidget(self.find_bar)
        self.hint = plain_text(QLabel(reader))  # a hovered link's address, as written
        self.hint.setContentsMargins(6, 1, 6, 1)
        box.addWidget(self.hint)

        self._build_actions()
        self._fill_outline()
        self.outline.itemActivated.connect(self._outline_activated)
        self.outline.itemClicked.connect(self._outline_activated)
        self.thumbnails.clicked.connect(lambda index: view.go_to(index.row(), remember=True))
        if self.sidebar.tabText(0) == "Contents" and not self.has_outline:
            self.sidebar.setCurrentWidget(self.thumbnails)
        view.verticalScrollBar().valueChanged.connect(self._follow_section)
        view.scaleChanged.connect(self._follow_section)  # a zoom or resize moves the page too

        view.currentPageChanged.connect(self._page_changed)
        view.scaleChanged.connect(self._scale_changed)
        view.historyChanged.connect(self._history_changed)
        view.linkHovered.connect(self.hint.setText)
        view.externalLinkActivated.connect(self.linkActivated)
        if self.item_id is None:  # a file from outside the library has no highlight tools
            view.selectionChanged.connect(self._outside_file_hint)
        view.currentPageChanged.connect(lambda _p: self._save_timer.start())
        view.scaleChanged.connect(lambda _s: self._save_timer.start())
        view.layoutChanged.connect(self._layout_changed)
        self.find_bar.field.textChanged.connect(self._search_changed)
        self.find_bar.field.returnPressed.connect(self.find_next)
        self.find_bar.field.previousRequested.connect(self.find_previous)
        self.find_bar.next.clicked.connect(self.find_next)
        self.find_bar.previous.clicked.connect(self.find_previous)
        self.find_bar.close_button.clicked.connect(self.close_find)

        self.stack.addWidget(reader)
        self.stack.setCurrentWidget(reader)
        for pane in self._pending_panes:
            self.add_side_pane(pane)
        self._pending_panes.clear()
        self.set_night_keeps_images(self._night_keeps_images)
        self._restore_position()
        self._follow_section()
        self._page_changed(view.current_page())
        self._scale_changed(view.scale())
        view.setFocus()
        self.opened.emit()

    def _command(self, key: str, slot) -> QAction:
        """The tab's action for READING_COMMANDS[key] (the View menu triggers it by ``key``)."""
        command = READING_COMMANDS[key]
        # Not QAction(text, self): ruling out its (icon, text) overload makes PySide build
        # QIcon's enums, 1-2 ms of a launch that shows no icon before its first paint.
        action = QAction(self)
        action.setText(command.label or command.name)
        action.setShortcuts([QKeySequence(s) for s in command.shortcuts])
        # Shortcuts belong to this tab, so several open tabs never fight over Ctrl+F.
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setCheckable(command.checkable)
        action.setToolTip(command.tool_tip())
        action.triggered.connect(slot)
        self.addAction(action)
        self.command_actions[key] = action
        return action

    def _build_actions(self) -> None:
        view = self.view
        assert view is not None
        tb = self.toolbar
        self.command_actions: dict[str, QAction] = {}
        self.back_action = self._command("back", view.back)
        self.forward_action = self._command("forward", view.forward)
        for action in (self.back_action, self.forward_action):
            action.setEnabled(False)
        self.sidebar_action = self._command("sidebar", self._show_sidebar)
        self.sidebar_action.setChecked(True)
        # Keyboard and toolbar zoom keep what is in the middle of the view in the middle.
        self.zoom_out_action = self._command(
            "zoom_out", lambda: view.zoom_by(1 / ZOOM_STEP, view.centre())
        )
        self.zoom_in_action = self._command(
            "zoom_in", lambda: view.zoom_by(ZOOM_STEP, view.centre())
        )
        self.actual_size_action = self._command(
            "actual_size", lambda: view.set_zoom_percent(100, view.centre())
        )
        self.fit_width_action = self._command("fit_width", lambda: view.set_fit("width"))
        self.fit_page_action = self._command("fit_page", lambda: view.set_fit("page"))
        self.spread_action = self._command("spread", view.set_spread)
        self.rotate_right_action = self._command("rotate_right", lambda: view.rotate_by(90))
        self.rotate_left_action = self._command("rotate_left", lambda: view.rotate_by(-90))
        self.night_action = self._command("night", self.set_night_mode)
        self.night_images_action = self._command("night_images", self._night_images_toggled)
        self.find_action = self._command("find", self.open_find)
        self.find_next_action = self._command("find_next", self.find_next)
        self.find_previous_action = self._command("find_previous", self.find_previous)
        self.close_find_action = self._command("close_find", self.close_find)
        self.go_to_action = self._command("go_to", self._focus_page_box)
        self.print_action = self._command("print", self.print_with_dialog)

        tb.addAction(self.back_action)
        tb.addAction(self.forward_action)
        tb.addAction(self.sidebar_action)
        tb.addSeparator()
        tb.addAction(self.zoom_out_action)
        self.zoom_label = QLabel(tb)
        self.zoom_label.setMinimumWidth(48)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        tb.addWidget(self.zoom_label)
        tb.addAction(self.zoom_in_action)
        tb.addAction(self.actual_size_action)
        tb.addAction(self.fit_width_action)
        tb.addAction(self.fit_page_action)
        tb.addAction(self.spread_action)
        tb.addAction(self.rotate_left_action)
        tb.addAction(self.rotate_right_action)
        tb.addSeparator()
        self.page_box = QLineEdit(tb)
        FilterWhileFocused(self.page_box, _LettersPassOn(self.page_box))
        # Digits only, any number: a page past the end must still reach _page_box_entered (Qt
        # drops Enter on a number outside a validator's range, without a word).
        self.page_box.setValidator(QIntValidator(0, 10**6, self.page_box))
        self.page_box.setMaximumWidth(56)
        self.page_box.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.page_box.setToolTip("Page (Ctrl+G): type a number and press Enter")
        self.page_box.returnPressed.connect(self._page_box_entered)
        tb.addWidget(self.page_box)
        self.page_total = QLabel(f" / {view.page_count}", tb)
        tb.addWidget(self.page_total)
        tb.addSeparator()
        tb.addAction(self.find_action)
        tb.addAction(self.night_action)

    def _fill_outline(self) -> None:
        assert self.view is not None
        parents: list[QTreeWidgetItem | QTreeWidget] = [self.outline]
        # Where each entry points, in reading order, for following the reader (see below).
        self._sections: list[tuple[tuple[int, float], QTreeWidgetItem]] = []
        for entry in self.view.document.outline():
            level = max(1, min(entry.level, len(parents)))
            parent = parents[level - 1]
            node = QTreeWidgetItem(parent, [entry.title or "(untitled)"])
            node.setData(0, Qt.ItemDataRole.UserRole, (entry.page, entry.y))
            if entry.page >= 0:
                node.setToolTip(0, f"Page {entry.page + 1}")
                self._sections.append(((entry.page, entry.y or 0.0), node))
            del parents[level:]
            parents.append(node)
        self._sections.sort(key=lambda section: section[0])
        self._section_starts = [where for where, _node in self._sections]
        self.has_outline = self.outline.topLevelItemCount() > 0
        if not self.has_outline:
            # Said in the list itself: an empty pane looks like contents still loading.
            empty = QTreeWidgetItem(self.outline, ["No table of contents"])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            empty.setToolTip(0, "This PDF has no outline; its pages are listed under Pages.")
        self.outline.expandToDepth(0)

    def _follow_section(self) -> None:
        """Mark the outline entry of the section being read: the last one starting above the
        upper third of the view."""
        view = self.view
        if view is None or not self._sections:
            return
        # The page being read (the left one of a spread), a third of the way down the view.
        spot = QPoint(
            view.page_rect(view.current_page()).center().x(), view.viewport().height() // 3
        )
        hit = view.point_at(spot)
        if hit is None:
            return
        page, (_x, y) = hit
        index = bisect.bisect_right(self._section_starts, (page, y)) - 1
        if index < 0:  # above the first section (a title page)
            self.outline.setCurrentIndex(QModelIndex())
            return
        start, node = self._sections[index]
        current = self.outline.currentItem()
        if any(n is current for where, n in self._sections if where == start):
            return  # an entry the reader chose among several starting at the same place
        if current is not node:
            parent = node.parent()  # its parents open, so the entry can be seen
            while parent is not None:
                parent.setExpanded(True)
                parent = parent.parent()
            self.outline.setCurrentItem(node)
            self.outline.scrollToItem(node)

    def current_section(self) -> str | None:
        """The title of the outline entry marked as being read."""
        node = self.outline.currentItem() if self.view is not None else None
        return node.text(0) if node is not None else None

    def _outline_activated(self, node: QTreeWidgetItem, _column: int = 0) -> None:
        page, y = node.data(0, Qt.ItemDataRole.UserRole) or (-1, None)
        if self.view is not None and page >= 0:
            self.view.go_to(page, y, remember=True)

    # ---- toolbar state ------------------------------------------------------------------------
    def _outside_file_hint(self) -> None:
        assert self.view is not None
        self.hint.setText(
            "This file is not in your library yet: H (or U, S, C, 1–6) highlights the selection "
            "and offers to add the file."
            if self.view.selection() is not None
            else ""
        )

    def _page_changed(self, page: int) -> None:
        if not self.page_box.hasFocus():
            self.page_box.setText(str(page + 1))
        if self.view is not None:
            row = self.thumbnail_model.index(page)
            self.thumbnails.setCurrentIndex(row)

    def _scale_changed(self, _scale: float) -> None:
        assert self.view is not None
        self.zoom_label.setText(f"{self.view.zoom_percent():.0f}%")
        fit = self.view.fit_mode()
        self.fit_width_action.setChecked(fit == "width")
        self.fit_page_action.setChecked(fit == "page")

    def _page_box_entered(self) -> None:
        assert self.view is not None
        text = self.page_box.text().strip()
        count = self.view.page_count
        if not text.isdigit():
            self.page_box.setText(str(self.view.current_page() + 1))
            return
        page = min(max(int(text), 1), count)
        if page != int(text):  # past either end: the nearest page, and why
            self.hint.setText(f"Pages run from 1 to {count}: showing page {page}.")
        self.page_box.setText(str(page))
        self.view.go_to(page - 1, remember=True)
        self.view.setFocus()

    def _focus_page_box(self) -> None:
        self.page_box.setFocus()
        self.page_box.selectAll()

    def _layout_changed(self) -> None:
        assert self.view is not None
        self.spread_action.setChecked(self.view.spread())
        self._save_timer.start()

    def _show_sidebar(self, on: bool) -> None:
        had_focus = self.sidebar.isAncestorOf(self.focusWidget()) if self.focusWidget() else False
        self.sidebar.setVisible(on)
        if not on and had_focus and self.view is not None:
            self.view.setFocus()  # not whatever Qt picks next (the page box): keep reading

    def _history_changed(self, can_go_back: bool, can_go_forward: bool) -> None:
        self.back_action.setEnabled(can_go_back)
        self.forward_action.setEnabled(can_go_forward)

    def printer(self) -> DocumentPrinter:
        """What prints this paper (made on first use: Qt's print support loads then)."""
        if self._printer is None:
            from readerapp.gui.printing import DocumentPrinter

            self._printer = DocumentPrinter(self, self.hint.setText)
        return self._printer

    def print_with_dialog(self) -> None:
        """Ctrl+P: the system's print dialog, then the pages chosen, in the background."""
        if self.view is None:
            return
        chosen = self.printer().ask(self.view.page_count, self.view.current_page(), self.title)
        if chosen is not None:
            self.print_to(*chosen)

    def print_to(self, printer: QPrinter, pages: list[int]) -> None:
        """Print ``pages`` (0-based) on ``printer``, with the paper's highlights when it has some."""
        assert self.view is not None
        from readerapp.gui.printing import AnnotatedCopy

        copy = None
        if self.annotated_copy is not None:
            try:
                copy = AnnotatedCopy(self.annotated_copy)
            except (UserError, PdfError) as exc:  # printed without them, and said so
                log.warning("printing without highlights: %s", exc)
                self.hint.setText(f"{exc} Printing without your highlights.")
            if copy is not None and copy.count == 0:
                copy.discard()
                copy = None
        document = copy.document if copy is not None else self.view.document
        self.printer().start(document, printer, pages, copy.discard if copy is not None else None)

    def set_night_keeps_images(self, keep: bool) -> None:
        """Night mode shows images in their own colours (the app-wide preference)."""
        self._night_keeps_images = keep  # for a view still to come (after its password)
        if self.view is not None:
            self.view.set_night_keeps_images(keep)
            self.night_images_action.setChecked(keep)

    def _night_images_toggled(self, keep: bool) -> None:
        self.set_night_keeps_images(keep)
        self.nightKeepsImagesChanged.emit(keep)

    def set_night_mode(self, on: bool) -> None:
        if self.view is not None:
            self.view.set_night_mode(on)
            self.night_action.setChecked(on)
            self._save_timer.start()

    # ---- find ---------------------------------------------------------------------------------
    def open_find(self) -> None:
        if self.view is None:
            return
        self.find_bar.show()
        self.find_bar.field.setFocus()
        self.find_bar.field.selectAll()

    def close_find(self) -> None:
        if self.view is None:
            return
        if not self.find_bar.isVisible():
            # Esc with no find bar: drop the selection, and leave the note or area tool.
            self.view.clear_selection()
            self.view.set_tool(PointerTool.TEXT)
            return
        self.find_bar.hide()
        self._search_generation += 1
        self._matches, self._match_order, self._match_index = {}, [], -1
        self.view.set_matches({}, None)
        self.view.setFocus()

    def find_text(self, query: str) -> None:
        """Search the whole document for ``query`` off the GUI thread; results mark the view."""
        self.open_find()
        if self.find_bar.field.text() != query:
            self.find_bar.field.setText(query)  # starts the search through textChanged
        else:
            self._search_changed(query)

    def _search_changed(self, query: str) -> None:
        assert self.view is not None
        self._search_generation += 1
        generation = self._search_generation
        document = self.view.document
        if not query.strip():
            self._matches, self._match_order, self._match_index = {}, [], -1
            self.view.set_matches({}, None)
            self.find_bar.count.setText("")
            return
        self.find_bar.count.setText("Searching…")

        def job() -> dict[int, list[list[Rect]]]:
            found: dict[int, list[list[Rect]]] = {}
            for page in range(document.page_count):
                if generation != self._search_generation:  # a newer query replaced this one
                    break
                matches = document.search_page(page, query)
                if matches:
                    found[page] = matches
            return found

        self._search.submit(job, lambda found: self._search_done(generation, found))

    def _search_done(self, generation: int, found: dict[int, list[list[Rect]]]) -> None:
        if generation != self._search_generation or self.view is None:
            return
        self._matches = found
        self._match_order = [(p, i) for p in sorted(found) for i in range(len(found[p]))]
        if not self._match_order:
            self._match_index = -1
            self.find_bar.count.setText("No matches")
            self.view.set_matches({}, None)
            return
        here = self.view.current_page()
        self._match_index = next((n for n, (p, _) in enumerate(self._match_order) if p >= here), 0)
        self._show_match()

    def _show_match(self) -> None:
        assert self.view is not None
        total = len(self._match_order)
        self.find_bar.count.setText(f"{self._match_index + 1} of {total}")
        self.view.set_matches(self._matches, self._match_order[self._match_index])

    def match_count(self) -> int:
        return len(self._match_order)

    def current_match(self) -> tuple[int, int] | None:
        if 0 <= self._match_index < len(self._match_order):
            return self._match_order[self._match_index]
        return None

    def find_next(self) -> None:
        if self._match_order:
            self._match_index = (self._match_index + 1) % len(self._match_order)
            self._show_match()

    def find_previous(self) -> None:
        if self._match_order:
            self._match_index = (self._match_index - 1) % len(self._match_order)
            self._show_match()

    # ---- side panes (the annotation pane) -----------------------------------------------------
    def add_side_pane(self, widget: QWidget) -> None:
        """Put ``widget`` to the right of the view (before the document opens, it waits)."""
        if self.view is None:
            self._pending_panes.append(widget)
            return
        self.splitter.addWidget(widget)
        self._side_panes.append(widget)
        sizes = self.splitter.sizes()
        if len(sizes) >= 3 and sizes[-1] < 150:
            sizes[-1] = 260
            sizes[1] = max(200, sizes[1] - 260)
            self.splitter.setSizes(sizes)

    def side_panes(self) -> list[QWidget]:
        return list(self._side_panes)

    # ---- remembering where the reader was -----------------------------------------------------
    def _paper(self) -> int | Path:
        """What the reading position is kept under: the item, or the file's full path."""
        return self.item_id if self.item_id is not None else self.path.resolve()

    def _restore_position(self) -> None:
        if self.view is None or self.library is None:
            return
        saved = self.library.reading_position(self._paper())
        if saved is None:
            return
        # The layout first: fitting and the place depend on it.
        if saved.rotation:
            self.view.rotate_by(saved.rotation)
        if saved.spread:
            self.view.set_spread(True)
        if saved.fit in ("width", "page"):
            self.view.set_fit(saved.fit)
        elif saved.scale:
            self.view.set_scale(saved.scale)
        if saved.night:
            self.set_night_mode(True)
        self.view.restore_position(min(saved.page, self.view.page_count - 1), saved.y)

    def reading_position(self) -> ReadingPosition | None:
        if self.view is None:
            return None
        page, y = self.view.position()
        fit = self.view.fit_mode()
        return ReadingPosition(
            page=page,
            y=round(y, 2),
            scale=None if fit else round(self.view.scale(), 4),
            fit=fit,
            night=self.view.night_mode(),
            spread=self.view.spread(),
            rotation=self.view.rotation(),
        )

    def save_position(self) -> None:
        position = self.reading_position()
        if position is None or self.library is None:
            return
        try:
            self.library.save_reading_position(self._paper(), position)
        except UserError as exc:  # a locked or full library: the place is not worth a failure
            log.warning("The reading position was not saved: %s", exc)

    def close_document(self) -> None:
        """Save the position, stop the workers and close the file (call before deleting the tab)."""
        self._save_timer.stop()
        self._search_generation += 1
        self.save_position()
        self._search.wait()
        if self._printer is not None:
            self._printer.wait()  # a print job still reading the file
        if self.view is not None:
            self.view.close_document()
