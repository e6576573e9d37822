"""Reads PDFs' text into the search index on a background thread, never on the GUI thread.

It learns that a PDF arrived in two ways: explicitly (``SearchService.pdf_arrived``, routed here),
and from a TEMP trigger on the GUI's own database connection that fires whenever any code sets an
item's ``pdf_path`` (add, download, a new version, a re-download to the same name). At start-up a
catch-up pass reads every PDF whose text is missing or whose file changed since it was read.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

from PySide6.QtCore import QObject, Qt, Signal

from readerapp.app import Services
from readerapp.qt.tasks import TaskRunner
from readerapp.services.search import IndexOutcome, SearchService

log = logging.getLogger(__name__)

_SQL_FUNCTION = "readerapp_pdf_arrived"
MERGE_EVERY = 16  # papers read between index merges during a long catch-up
_TRIGGERS = (
    f"""CREATE TEMP TRIGGER IF NOT EXISTS readerapp_pdf_set AFTER UPDATE OF pdf_path ON main.items
    WHEN new.pdf_path IS NOT NULL BEGIN SELECT {_SQL_FUNCTION}(new.id); END""",
    f"""CREATE TEMP TRIGGER IF NOT EXISTS readerapp_pdf_added AFTER INSERT ON main.items
    WHEN new.pdf_path IS NOT NULL BEGIN SELECT {_SQL_FUNCTION}(new.id); END""",
)


class PdfTextIndexer(QObject):
    """A queue of items whose PDF text to read, worked off one at a time in a worker thread."""

    indexed = Signal(object)  # IndexOutcome, in the GUI thread
    idle = Signal()  # the queue ran empty
    _arrived = Signal(int)  # from the SQLite callback (any thread) to the GUI thread

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._runner = TaskRunner("pdf-text", 1, self)
        self._worker: SearchService | None = None  # its own connection, used by the worker only
        self._queue: list[int] = []
        self._busy = False
        self._unmerged = 0  # papers read since the index was last merged
        self._closed = False
        self._lock = threading.Lock()
        # Queued even from the GUI thread: the trigger fires inside the writer's transaction,
        # and the worker's own connection must only look once that has committed.
        self._arrived.connect(self.enqueue, Qt.ConnectionType.QueuedConnection)
        self._install_trigger(services.db.conn)
        services.search.set_dispatcher(self._arrived.emit)

    @property
    def pending_count(self) -> int:
        return len(self._queue) + (1 if self._busy else 0)

    def catch_up(self) -> None:
        """Queue every PDF not read yet (or changed since); the check itself runs off-thread."""
        if not self._closed:
            self._runner.submit(lambda: self._service().pending(), self._queue_all)

    def enqueue(self, item_id: int) -> None:
        if self._closed:
            return
        if item_id not in self._queue:
            self._queue.append(item_id)
        self._next()

    def close(self) -> None:
        """Stop taking work, wait for the item being read, release the worker's connection."""
        self._closed = True
        self._queue.clear()
        self.services.search.set_dispatcher(None)
        try:
            for name in ("readerapp_pdf_set", "readerapp_pdf_added"):
                self.services.db.conn.execute(f"DROP TRIGGER IF EXISTS temp.{name}")
        except sqlite3.Error:  # the connection is already closed
            log.debug("The PDF text triggers could not be dropped", exc_info=True)
        self._runner.wait()
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    # ---- internals ----------------------------------------------------------------------------
    def _install_trigger(self, conn: sqlite3.Connection) -> None:
        # The callback runs inside the writer's transaction: it only hands the id to the GUI
        # thread (a queued signal), and the text is read after the write has committed.
        conn.create_function(_SQL_FUNCTION, 1, self._arrived.emit)
        for sql in _TRIGGERS:
            conn.execute(sql)

    def _service(self) -> SearchService:
        with self._lock:
            if self._worker is None:
                self._worker = self.services.search.worker_copy()
            return self._worker

    def _queue_all(self, item_ids: list[int]) -> None:
        for item_id in item_ids:
            if item_id not in self._queue:
                self._queue.append(item_id)
        self._next()
        if not self._busy:
            self.idle.emit()

    def _next(self) -> None:
        if self._busy or not self._queue or self._closed:
            return
        item_id = self._queue.pop(0)
        self._busy = True
        self._runner.submit(lambda: self._service().index_item(item_id), self._done, self._failed)

    def _done(self, outcome: IndexOutcome) -> None:
        self._busy = False
        self._unmerged += 1
        self.indexed.emit(outcome)
        self._after()

    def _failed(self, exc: BaseException) -> None:
        # The database was busy or closed: the next start catches up.
        log.warning("Indexing a PDF's text failed", exc_info=exc)
        self._busy = False
        self._after()

    def _after(self) -> None:
        if self._closed:
            self.idle.emit()
        elif self._unmerged >= MERGE_EVERY or (self._unmerged and not self._queue):
            # Between papers (or when the queue ran dry) tidy the index, so that no single
            # paper's reading pays for a large merge.
            self._unmerged = 0
            self._busy = True
            self._runner.submit(
                lambda: self._service().pdf_text.merge(), self._merged, self._merge_failed
            )
        elif self._queue:
            self._next()
        else:
            self.idle.emit()

    def _merge_failed(self, exc: BaseException) -> None:  # the next merge tidies up instead
        log.warning("Merging the PDF text index failed", exc_info=exc)
        self._merged()

    def _merged(self, _worked: object = None) -> None:
        self._busy = False
        self._after()
