"""The main window's reading tabs: one per item, re-focused when opened again; adding PDF files.

Kept out of the main window class so the window stays a thin assembly of panes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

from readerapp.core.arxiv_ids import parse_arxiv_id
from readerapp.core.errors import BadInputError, UserError
from readerapp.core.models import Item
from readerapp.gui.pdf_tab import PdfTab
from readerapp.gui.typed_widgets import application
from readerapp.services.library import ALL_ITEMS
from readerapp.services.local_files import add_pdf_file, find_same_pdf
from readerapp.services.settings import FileDialogPurpose

if TYPE_CHECKING:
    from readerapp.gui.main_window import MainWindow


class PdfTabs(QObject):
    """Opens items' PDFs in tabs of ``window.tabs`` and adds dropped or chosen PDF files."""

    tabOpened = Signal(object, object)  # PdfTab, Item or None (a file opened without an item)
    filesAdded = Signal(list)  # item ids

    def __init__(self, window: MainWindow, tabs: QTabWidget) -> None:
        super().__init__(window)
        self.window = window
        self.tabs = tabs
        self.services = window.services
        tabs.currentChanged.connect(self._tab_shown)
        application().focusChanged.connect(self._focus_moved)

    def _tab_shown(self, index: int) -> None:
        """A reading tab brought to the front takes the keyboard on its page (not whatever
        field Qt's focus chain finds first, such as the page number)."""
        tab = self.tabs.widget(index)
        if isinstance(tab, PdfTab):
            tab.take_focus()

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is None:  # looked at once the change is over (a tab being closed shows another)
            QTimer.singleShot(0, self._focus_lost)

    def _focus_lost(self) -> None:
        """The keyboard on no widget of the active window (its widget hidden or deleted): the
        page of the reading tab in front takes it back, so Esc, Space and Ctrl+F work again."""
        if QApplication.focusWidget() is not None or QApplication.activeWindow() is not self.window:
            return
        tab = self.tabs.currentWidget()
        if isinstance(tab, PdfTab):
            tab.take_focus()

    # ---- tabs ---------------------------------------------------------------------------------
    def open_tabs(self) -> list[PdfTab]:
        return [w for i in range(self.tabs.count()) if isinstance(w := self.tabs.widget(i), PdfTab)]

    def tab_for_item(self, item_id: int) -> PdfTab | None:
        return next((t for t in self.open_tabs() if t.item_id == item_id), None)

    def open_item(self, item: Item) -> PdfTab | None:
        """Show ``item``'s PDF in its tab (opening one if needed); None when it has no file."""
        existing = self.tab_for_item(item.id)
        if existing is not None:
            self.tabs.setCurrentWidget(existing)
            return existing
        if not item.pdf_path:
            self._error(f"“{item.title}” has no PDF to open.")
            return None
        try:
            path = self.services.files.absolute(item.pdf_path)
        except UserError as exc:  # a stored path outside the library folder
            self._error(str(exc))
            return None
        if not path.exists():
            self._error(f"The PDF of “{item.title}” is missing from the library folder.")
            return None
        tab = PdfTab(path, title=item.title, item_id=item.id, library=self.services.library)
        return self._add_tab(tab, item)

    def open_file(self, path: Path) -> PdfTab:
        """A PDF from outside: its library item when the library holds the same file (with its
        highlights and notes), else the file itself, without adding it."""
        if not path.is_file():
            raise BadInputError(f"There is no file at {path}.")
        same = find_same_pdf(self.services, path)
        tab = self.open_item(same) if same is not None else None
        return tab if tab is not None else self.open_path(path)

    def open_path(self, path: Path) -> PdfTab:
        """Open a file that is not (necessarily) in the library, without adding it; a file
        already open in a tab brings that tab forward instead, or, if it could not be read
        there, is tried again in its place (it may have been downloaded again since)."""
        open_already = self._outside_tab(path)
        if open_already is not None:
            if open_already.error is None:
                self.tabs.setCurrentWidget(open_already)
                return open_already
            self.close_tab(open_already)
        # The library keeps where the reader left an outside file too (by its path).
        tab = PdfTab(path, title=path.name, library=self.services.library)
        return self._add_tab(tab, None)

    def _add_tab(self, tab: PdfTab, item: Item | None) -> PdfTab:
        tab.set_night_keeps_images(self.services.viewer.night_keeps_images)
        tab.nightKeepsImagesChanged.connect(self._night_keeps_images)
        label = tab.title if len(tab.title) <= 32 else tab.title[:30] + "…"
        index = self.tabs.addTab(tab, label)
        self.tabs.setTabToolTip(index, tab.title)
        self.tabs.setCurrentIndex(index)
        tab.linkActivated.connect(self.window.open_url)
        if tab.error or tab.notice:
            self.window.statusBar().showMessage(tab.error or tab.notice or "", 10000)
        self.tabOpened.emit(tab, item)
        return tab

    def _night_keeps_images(self, keep: bool) -> None:
        """One preference for every tab: kept, and applied to the other open tabs."""
        self.services.viewer.set_night_keeps_images(keep)
        for tab in self.open_tabs():
            tab.set_night_keeps_images(keep)

    def close_tab(self, tab: PdfTab) -> None:
        """Save the reading position, stop the workers, remove the tab; the library tab shows."""
        tab.close_document()
        index = self.tabs.indexOf(tab)
        if index >= 0:
            self.tabs.removeTab(index)
        tab.deleteLater()
        if not self.open_tabs():
            self.tabs.setCurrentWidget(self.window.library_page)

    def close_all(self) -> None:
        for tab in self.open_tabs():
            tab.close_document()

    # ---- adding files -------------------------------------------------------------------------
    def add_files(self, paths: Sequence[str | Path], topic_id: int = ALL_ITEMS) -> list[int]:
        """Add PDF files under ``topic_id`` (a real topic, or none); each failure is one sentence."""
        library = self.services.library
        topic_path = library.topic_path(topic_id) if topic_id > 0 else None
        added: list[int] = []
        problems: list[str] = []
        for path in paths:
            try:
                item = add_pdf_file(self.services, Path(path), topic_path)
            except UserError as exc:
                problems.append(str(exc))
                continue
            added.append(item.id)
            self._adopt_open_file(Path(path), item)
        if added:
            self.filesAdded.emit(added)
            n = len(added)
            self.window.statusBar().showMessage(f"Added {n} PDF{'s' if n != 1 else ''}.", 8000)
        if problems:
            self._error(" ".join(problems))
        return added

    def _adopt_open_file(self, path: Path, item: Item) -> None:
        """A file open as an outside file that was just added: its tab becomes the item's (with
        the highlight tools), at the same place."""
        tab = self._outside_tab(path)
        if tab is None or tab.error is not None:
            return
        position = tab.reading_position()
        if position is not None:
            self.services.library.save_reading_position(item.id, position)
        current = self.tabs.currentWidget()
        index = self.tabs.indexOf(tab)
        self.close_tab(tab)
        new = self.open_item(item)
        if new is not None:
            self.tabs.tabBar().moveTab(self.tabs.indexOf(new), index)
            self.tabs.setCurrentWidget(new if current is tab else current)

    def _outside_tab(self, path: Path) -> PdfTab | None:
        """The tab showing ``path`` (however named) as a file from outside the library."""
        resolved = path.resolve()
        return next(
            (t for t in self.open_tabs() if t.item_id is None and t.path.resolve() == resolved),
            None,
        )

    def add_with_dialog(self, topic_id: int = ALL_ITEMS) -> list[int]:
        from PySide6.QtWidgets import QFileDialog  # its class costs 1 ms of start-up

        choices = self.window.library.file_choices()
        paths, _ = QFileDialog.getOpenFileNames(
            self.window,
            "Add PDF files",
            str(choices.folder(FileDialogPurpose.ADD_PDF)),
            "PDF files (*.pdf);;All files (*)",
        )
        if not paths:
            return []
        choices.remember(FileDialogPurpose.ADD_PDF, paths[0])
        return self.add_files(paths, topic_id)

    # ---- --screenshot --open X --page N ---------------------------------------------------------
    def open_for_screenshot(self, target: str, page: int | None) -> Callable[[], bool]:
        """Open ``target`` (item id, arXiv id or PDF path) at ``page`` (1-based); returns a check
        that is true once that page and the thumbnails beside it are painted. Raises
        BadInputError when X names nothing, or N is not one of its pages."""
        tab = self.open_target(target)
        if tab.view is None:
            raise BadInputError(tab.error or f"“{target}” needs a password to open.")
        view = tab.view
        if page is not None and not 1 <= page <= view.page_count:
            raise BadInputError(
                f"“{tab.title}” has pages 1 to {view.page_count}; there is no page {page}."
            )
        wanted = (page or 1) - 1
        view.go_to(wanted)

        def painted() -> bool:
            if tab.view is None:
                return False
            if not view.shows_top_of(wanted):
                view.go_to(wanted)  # the first layout pass may have moved it
                return False
            visible = view.visible_pages()
            zoom = view.scale() * view.devicePixelRatioF()
            return tab.thumbnails_drawn() and all(
                view.renderer.image(p, zoom, view.night_mode()) is not None
                or p in view.renderer.errors
                for p in visible
            )

        return painted

    def open_target(self, target: str) -> PdfTab:
        library = self.services.library
        text = target.strip()
        item: Item | None = None
        if text.isdigit():
            item = library.item(int(text))
        if item is None and (ident := parse_arxiv_id(text)) is not None:
            item = library.find_by_arxiv_id(ident.id)
        if item is not None:
            # Checked here, not left to open_item: that one tells a user in a dialog, which a
            # --screenshot run would wait on for ever.
            if not item.pdf_path or not self.services.files.absolute(item.pdf_path).exists():
                raise BadInputError(f"“{item.title}” has no PDF to show.")
            tab = self.open_item(item)
            if tab is None:
                raise BadInputError(f"“{item.title}” has no PDF to show.")
            return tab
        path = Path(text).expanduser()
        if path.is_file():
            return self.open_path(path)
        raise BadInputError(
            f"“{target}” is not an item id, an arXiv id in the library, or a PDF file."
        )

    def _error(self, sentence: str) -> None:
        self.window.show_error(sentence)
