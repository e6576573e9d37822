"""What search adds to the main window: Edit -> Search Library… (Ctrl+K), its popup, and the
background reading of PDFs' text into the index.

Installed with the window's menus; the popup (its module and widgets) is built on the first
Ctrl+K, and the indexer starts as background work once the window is ready.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer

if TYPE_CHECKING:
    from readerapp.gui.main_window import MainWindow
    from readerapp.gui.search_popup import SearchPopup
    from readerapp.qt.pdf_text_indexer import PdfTextIndexer
    from readerapp.services.search import IndexOutcome


class SearchUi:
    """Ctrl+K and the popup it opens; the PDF text indexer from :meth:`start_indexing`."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self._popup: SearchPopup | None = None
        self.indexer: PdfTextIndexer | None = None
        self.action = window.make_action(
            "&Search Library…",
            self.open,
            "Ctrl+K",
            "Search titles, authors, notes, highlights and the text of every PDF",
        )
        window.edit_menu.addSeparator()
        window.edit_menu.addAction(self.action)
        self._closer = _CloseWatcher(window, self.close)

    @property
    def popup(self) -> SearchPopup:
        """The search popup, built on first use."""
        if self._popup is None:
            from readerapp.gui.search_popup import SearchPopup

            self._popup = SearchPopup(self.window)
        return self._popup

    def open(self) -> None:
        self.popup.open()

    def start_indexing(self) -> None:
        """Read the text of PDFs not indexed yet, in the background, from the next event-loop
        turn (never before the window is up)."""
        if self.indexer is not None:
            return
        from readerapp.qt.pdf_text_indexer import PdfTextIndexer

        self.indexer = PdfTextIndexer(self.window.services, self.window)
        self.indexer.indexed.connect(self._indexed)
        QTimer.singleShot(0, self.indexer.catch_up)

    def _indexed(self, outcome: IndexOutcome) -> None:
        if outcome.error:
            item = self.window.library.item(outcome.item_id)
            name = f"“{item.title}”" if item else "A PDF"
            self.window.statusBar().showMessage(
                f"{name}: {outcome.error} It is found by its details only.", 8000
            )

    def close(self) -> None:
        if self._popup is not None:
            self._popup.close_worker()
        if self.indexer is not None:
            self.indexer.close()


class _CloseWatcher(QObject):
    """Stops the background work when the window closes, before the database does."""

    def __init__(self, window: MainWindow, on_close) -> None:
        super().__init__(window)
        self._on_close = on_close
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        if event.type() == QEvent.Type.Close:
            self._on_close()
        return False
