"""Search as the app uses it: queries, and PDF text read into the index when a PDF arrives.

Code that stores a PDF for an item (add, download, a new arXiv version) calls
:meth:`SearchService.pdf_arrived`. Without a GUI that reads the text at once; the GUI installs a
dispatcher (:meth:`set_dispatcher`) that does it on a background thread instead.
"""

from __future__ import annotations

from collections.abc import Callable

from readerapp.pdf.text_extract import extract_page_texts
from readerapp.storage.db import Database
from readerapp.storage.files import FileStore
from readerapp.storage.pdf_text import IndexOutcome, PdfTextIndex, PdfTextSummary
from readerapp.storage.search import (
    MARK_CLOSE,
    MARK_OPEN,
    Hit,
    ItemResult,
    SearchIndex,
    SearchResults,
)

# What the search popup, the indexer and `readerapp search` show (they never import storage).
__all__ = [
    "MARK_CLOSE",
    "MARK_OPEN",
    "Hit",
    "IndexOutcome",
    "ItemResult",
    "PdfTextSummary",
    "SearchResults",
    "SearchService",
]


class SearchService:
    """Queries and PDF-text indexing over one database connection."""

    def __init__(self, db: Database, files: FileStore) -> None:
        self.db = db
        self.files = files
        self.index = SearchIndex(db)
        self.pdf_text = PdfTextIndex(db, files, extract_page_texts)
        self._dispatch: Callable[[int], object] = self.pdf_text.index_item

    def search(self, query: str, *, limit: int = 50, prefix_last: bool = False) -> SearchResults:
        return self.index.search(query, limit=limit, prefix_last=prefix_last)

    def pdf_arrived(self, item_id: int) -> None:
        """An item's PDF was stored or replaced: make its text searchable (now or soon)."""
        self._dispatch(item_id)

    def set_dispatcher(self, dispatch: Callable[[int], object] | None) -> None:
        """Route :meth:`pdf_arrived` elsewhere (the GUI's background indexer); None: inline."""
        self._dispatch = dispatch or self.pdf_text.index_item

    def index_item(self, item_id: int) -> IndexOutcome:
        return self.pdf_text.index_item(item_id)

    def pending(self) -> list[int]:
        return self.pdf_text.pending()

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> PdfTextSummary:
        """Rebuild every search index from the library and read every PDF again."""
        self.index.rebuild()
        return self.pdf_text.reread_all(progress)

    def summary(self) -> PdfTextSummary:
        return self.pdf_text.summary()

    def worker_copy(self) -> SearchService:
        """The same service on a connection of its own, for one background thread.

        A connection's transactions are not thread-aware, so a worker never shares the GUI's.
        """
        return SearchService(Database.open(self.db.path), self.files)

    def close(self) -> None:
        self.db.close()
