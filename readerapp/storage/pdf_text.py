"""The text of each PDF page, stored for search; which PDFs still need reading.

The text is read by an extractor this module is handed (``readerapp.pdf.text_extract``), so
storage never imports the PDF layer. A file is read again when its path, size or mtime changes.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from readerapp.core.errors import UserError
from readerapp.core.library_paths import OutsideLibraryError
from readerapp.storage.db import Database
from readerapp.storage.files import FileStore

log = logging.getLogger(__name__)

PDF_TEXT_INDEXED = "indexed"
PDF_TEXT_NO_LAYER = "no-text-layer"
PDF_TEXT_PENDING = "pending"
PDF_TEXT_UNREADABLE = "unreadable"


def pdf_text_status(
    pdf: str | None, read_path: str | None, text_pages: int | None, error: str | None
) -> str | None:
    """PDF_TEXT_* from an item's pdf_path and its pdf_text_state row (None without a PDF)."""
    if not pdf:
        return None
    if read_path != pdf:
        return PDF_TEXT_PENDING
    if error:
        return PDF_TEXT_UNREADABLE
    return PDF_TEXT_INDEXED if text_pages else PDF_TEXT_NO_LAYER


Extractor = Callable[[Path], list[str]]  # page texts, first page first; raises on a bad file


@dataclass(frozen=True, slots=True)
class IndexOutcome:
    item_id: int
    status: str  # PDF_TEXT_*; "gone" when the item or its file vanished meanwhile
    pages: int = 0
    text_pages: int = 0
    error: str | None = None


@dataclass(frozen=True, slots=True)
class PdfTextSummary:
    pdfs: int
    indexed: int
    no_text_layer: int
    unreadable: int
    pending: int


class PdfTextIndex:
    """Stores each PDF's page text for search; knows which PDFs still need reading."""

    def __init__(self, db: Database, files: FileStore, extract: Extractor) -> None:
        self.db = db
        self.files = files
        self.extract = extract

    def pending(self) -> list[int]:
        """Items whose PDF has not been read, or whose file changed since it was read."""
        rows = self.db.conn.execute(
            "SELECT i.id, i.pdf_path, st.pdf_path, st.size, st.mtime_ns FROM items i "
            "LEFT JOIN pdf_text_state st ON st.item_id = i.id "
            "WHERE i.pdf_path IS NOT NULL ORDER BY i.trashed IS NOT NULL, i.id DESC"
        ).fetchall()
        out = []
        for item_id, pdf, read_path, size, mtime_ns in rows:
            if read_path != pdf:
                out.append(item_id)
                continue
            stamp = self._stamp(pdf)
            if stamp is not None and stamp != (size, mtime_ns):
                out.append(item_id)
        return out

    def index_item(self, item_id: int) -> IndexOutcome:
        """Read the item's PDF now and store its pages (replacing any older text)."""
        row = self.db.conn.execute("SELECT pdf_path FROM items WHERE id = ?", (item_id,)).fetchone()
        if row is None or not row[0]:
            return IndexOutcome(item_id, "gone")
        pdf = row[0]
        stamp = self._stamp(pdf)
        if stamp is None:  # recorded, so it is not retried at every start; back if it returns
            missing = "The PDF file is missing from the library folder."
            return self._store(item_id, pdf, (0, 0), [], missing)
        pages: list[str] = []
        error = None
        try:
            pages = self.extract(self.files.absolute(pdf))
        except UserError as exc:
            error = str(exc)
        except Exception as exc:  # a broken file must never stop indexing the others
            log.warning("The text of %s could not be read", pdf, exc_info=True)
            error = f"readerapp could not read the text of this PDF ({exc})."
        return self._store(item_id, pdf, stamp, pages, error)

    def index_pending(self, progress: Callable[[int, int], None] | None = None) -> int:
        todo = self.pending()
        for n, item_id in enumerate(todo, 1):
            self.index_item(item_id)
            if progress:
                progress(n, len(todo))
        if todo:
            self.merge()
        return len(todo)

    def merge(self, pages: int = 400, max_steps: int = 50) -> bool:
        """Merge the page index's small segments into larger ones; True if any work was done.

        Migration 5 turns FTS5's automatic merging off for page text, which would otherwise
        charge a large merge to whichever paper happened to arrive; this runs it afterwards
        instead (the background indexer when its queue is empty; the CLI after reading PDFs).
        """
        worked = False
        for _ in range(max_steps):
            with self.db.transaction() as conn:
                before = conn.total_changes
                conn.execute(
                    "INSERT INTO search_pages(search_pages, rank) VALUES ('merge', ?)", (pages,)
                )
                if conn.total_changes - before <= 1:  # the command itself counts as one
                    return worked
            worked = True
        return worked

    def reread_all(self, progress: Callable[[int, int], None] | None = None) -> PdfTextSummary:
        """Forget every PDF's text and read every PDF again."""
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM pdf_pages")
            conn.execute("DELETE FROM pdf_text_state")
        self.index_pending(progress)
        return self.summary()

    def summary(self) -> PdfTextSummary:
        rows = self.db.conn.execute(
            "SELECT i.pdf_path, st.pdf_path, st.text_pages, st.error FROM items i "
            "LEFT JOIN pdf_text_state st ON st.item_id = i.id "
            "WHERE i.pdf_path IS NOT NULL AND i.trashed IS NULL"
        ).fetchall()
        states = [pdf_text_status(*r) for r in rows]
        return PdfTextSummary(
            pdfs=len(states),
            indexed=states.count(PDF_TEXT_INDEXED),
            no_text_layer=states.count(PDF_TEXT_NO_LAYER),
            unreadable=states.count(PDF_TEXT_UNREADABLE),
            pending=states.count(PDF_TEXT_PENDING),
        )

    def status(self, item_id: int) -> str | None:
        """PDF_TEXT_* for one item (None without a PDF)."""
        row = self.db.conn.execute(
            "SELECT i.pdf_path, st.pdf_path, st.text_pages, st.error FROM items i "
            "LEFT JOIN pdf_text_state st ON st.item_id = i.id WHERE i.id = ?",
            (item_id,),
        ).fetchone()
        return pdf_text_status(*row) if row else None

    def _stamp(self, pdf: str) -> tuple[int, int] | None:
        try:
            st = os.stat(self.files.absolute(pdf))
        except (OSError, OutsideLibraryError):  # a path outside the library is never read
            return None
        return st.st_size, st.st_mtime_ns

    def _store(
        self,
        item_id: int,
        pdf: str,
        stamp: tuple[int, int],
        pages: list[str],
        error: str | None,
    ) -> IndexOutcome:
        rows = [(item_id, n, text) for n, text in enumerate(pages, 1) if text.strip()]
        with self.db.transaction() as conn:
            current = conn.execute("SELECT pdf_path FROM items WHERE id = ?", (item_id,)).fetchone()
            if current is None or current[0] != pdf:
                return IndexOutcome(item_id, "gone")  # another file arrived while we read
            conn.execute("DELETE FROM pdf_pages WHERE item_id = ?", (item_id,))
            conn.executemany("INSERT INTO pdf_pages(item_id, page, text) VALUES (?, ?, ?)", rows)
            conn.execute(
                "INSERT OR REPLACE INTO pdf_text_state"
                "(item_id, pdf_path, size, mtime_ns, pages, text_pages, error) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (item_id, pdf, stamp[0], stamp[1], len(pages), len(rows), error),
            )
        status = pdf_text_status(pdf, pdf, len(rows), error)
        return IndexOutcome(item_id, status or PDF_TEXT_PENDING, len(pages), len(rows), error)
