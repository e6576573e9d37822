"""Runs :class:`PaperService` for the GUI: network steps in worker threads (one thread for all
arXiv traffic, two for other sites), storage steps back on the GUI thread, progress as signals.

Also the background schedule: work left pending by offline adds is retried every few minutes, and
new arXiv versions are checked once a day (batched, 100 ids a request).
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from readerapp.app import Services
from readerapp.core.arxiv_ids import ArxivId
from readerapp.core.errors import UserError
from readerapp.core.models import Item
from readerapp.net.arxiv import BATCH_SIZE, PaperMetadata
from readerapp.net.errors import DownloadCancelled, FetchError
from readerapp.qt.tasks import TaskRunner
from readerapp.services.papers import (
    AddTarget,
    PaperService,
    TargetKind,
    VersionUpdate,
    WebFetch,
    classify,
    web_failure_note,
)

log = logging.getLogger(__name__)

RETRY_INTERVAL_MS = 10 * 60 * 1000
FIRST_TICK_MS = 3000
VERSION_CHECK_EVERY = timedelta(days=1)


@dataclass
class Download:
    """One PDF download the downloads list shows."""

    job: int
    title: str
    done: int = 0
    total: int | None = None
    state: str = "waiting"  # waiting | downloading | done | failed | cancelled
    message: str = ""
    cancel: threading.Event = field(default_factory=threading.Event)

    @property
    def active(self) -> bool:
        return self.state in ("waiting", "downloading")


class _ProgressRelay(QObject):
    progressed = Signal(int, int, int)  # job, bytes so far, total (-1 unknown); crosses threads


class PaperTasks(QObject):
    """GUI-side driver of adding papers, downloads and version checks."""

    itemAdded = Signal(int, bool)  # item id, existed already
    libraryChanged = Signal()
    message = Signal(str)  # something to tell the user in the status bar
    failed = Signal(str)  # a failure sentence
    downloadsChanged = Signal()  # a download was added or changed state
    downloadProgress = Signal(int, int, int)  # job, done, total (-1 unknown)
    versionsChecked = Signal(list)  # item ids with a newer version

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.service: PaperService = services.papers
        self.arxiv_runner = TaskRunner("arxiv", 1, self)  # one connection at a time anyway
        self.web_runner = TaskRunner("web", 2, self)
        self.downloads: dict[int, Download] = {}
        self._jobs = itertools.count(1)
        self._relay = _ProgressRelay()
        self._relay.progressed.connect(self._on_progress)
        self._checking = False
        self._closed = False
        self.retry_timer = QTimer(self)
        self.retry_timer.setInterval(RETRY_INTERVAL_MS)
        self.retry_timer.timeout.connect(self.background_tick)
        self.first_tick = QTimer(self)  # a few seconds after start-up, not during it
        self.first_tick.setSingleShot(True)
        self.first_tick.setInterval(FIRST_TICK_MS)
        self.first_tick.timeout.connect(self.background_tick)

    # ---- background schedule ------------------------------------------------------------------
    def start_background(self) -> None:
        """Retry pending work now and every few minutes; check versions when a day has passed."""
        self.retry_timer.start()
        self.first_tick.start()

    def stop_background(self) -> None:
        self.retry_timer.stop()
        self.first_tick.stop()

    def background_tick(self) -> None:
        if self._closed:
            return
        self.retry_pending()
        if self.version_check_due():
            self.check_versions(quiet=True)

    def version_check_due(self) -> bool:
        return self.service.version_check_due(VERSION_CHECK_EVERY)

    def wait(self, msecs: int = 10000) -> bool:
        """Block until both runners are idle (tests and shutdown)."""
        return self.arxiv_runner.wait(msecs) and self.web_runner.wait(msecs)

    def shutdown(self) -> None:
        """Stop: cancel downloads, wait for the workers, drop results still on their way."""
        self._closed = True
        self.retry_timer.stop()
        self.first_tick.stop()
        for download in self.downloads.values():
            download.cancel.set()
        self.wait(5000)

    # ---- adding -------------------------------------------------------------------------------
    def add(self, text: str, topic_id: int | None = None, *, download: bool = True) -> bool:
        """Start adding what ``text`` names; False (with ``failed`` emitted) when it names nothing."""
        try:
            target = classify(text)
            if target.kind is TargetKind.FILE:
                return self._add_file(str(target.path), topic_id)
            found = self.service.existing(target)
        except UserError as exc:
            self.failed.emit(str(exc))
            return False
        topic_ids = [topic_id] if topic_id and topic_id > 0 else []
        if found is not None:
            item, restored = found
            if topic_ids:
                self.services.library.file_items([item.id], topic_ids[0])
            self.libraryChanged.emit()
            self.itemAdded.emit(item.id, True)
            note = " (restored from the trash)" if restored else ""
            self.message.emit(f"“{item.title}” is already in your library{note}.")
            return True
        if target.kind is TargetKind.WEB:
            self._submit(
                self.web_runner,
                lambda: self.service.fetch_web(target.url),
                lambda fetched: self._web_fetched(target.url, fetched, topic_ids),
                lambda exc: self._web_failed(target.url, exc, topic_ids),
            )
        else:
            assert target.arxiv is not None
            ident = target.arxiv
            self._submit(
                self.arxiv_runner,
                lambda: self.service.fetch_paper(ident),
                lambda meta: self._paper_fetched(ident, meta, topic_ids, download),
                lambda exc: self._paper_failed(ident, exc, topic_ids, download),
            )
        self.message.emit(f"Adding {text.strip()}…")
        return True

    def _add_file(self, path: str, topic_id: int | None) -> bool:
        try:
            from readerapp.services.local_files import add_pdf_file  # the viewer's
        except ImportError:
            self.failed.emit("Adding local PDF files is not available in this version yet.")
            return False
        topic_path = None
        if topic_id and topic_id > 0:
            topic_path = self.services.library.topic_path(topic_id)
        try:
            item = add_pdf_file(self.services, Path(path), topic_path)
        except UserError as exc:
            self.failed.emit(str(exc))
            return False
        self.libraryChanged.emit()
        self.itemAdded.emit(item.id, False)
        return True

    def _paper_fetched(
        self, ident: ArxivId, meta: PaperMetadata | None, topic_ids: list[int], download: bool
    ) -> None:
        if meta is None:
            self.failed.emit(f"arXiv has no paper with the id {ident.id}.")
            return
        if self._already_there(TargetKind.ARXIV, ident, ""):  # added meanwhile (twice pasted)
            return
        if ident.version and meta.version and ident.version > meta.version:
            self.failed.emit(
                f"arXiv has no version {ident.version} of {ident.id} (the latest is "
                f"v{meta.version})."
            )
            return
        item = self._guarded(
            lambda: self.service.create_arxiv_item(ident, meta, topic_ids, want_pdf=download)
        )
        if item is None:
            return
        self.libraryChanged.emit()
        self.itemAdded.emit(item.id, False)
        self.message.emit(f"Added “{item.title}”.")
        if download:
            self.download_pdf(item)

    def _paper_failed(
        self, ident: ArxivId, exc: BaseException, topic_ids: list[int], download: bool
    ) -> None:
        if not (isinstance(exc, FetchError) and exc.transient):
            self.failed.emit(_sentence(exc))
            return
        if self._already_there(TargetKind.ARXIV, ident, ""):
            return
        item = self._guarded(
            lambda: self.service.create_arxiv_item(ident, None, topic_ids, want_pdf=download)
        )
        if item is None:
            return
        self.service.note_failure([item.id], exc)
        self.libraryChanged.emit()
        self.itemAdded.emit(item.id, False)
        self.message.emit(f"{exc} Added arXiv:{ident}; its details will be fetched later.")

    def _web_fetched(self, url: str, fetched: WebFetch, topic_ids: list[int]) -> None:
        if self._already_there(TargetKind.WEB, None, url):
            if fetched.pdf_temp:
                fetched.pdf_temp.unlink(missing_ok=True)
            return
        item = self._guarded(lambda: self.service.create_web_item(url, fetched, topic_ids))
        if item is not None:
            self.libraryChanged.emit()
            self.itemAdded.emit(item.id, False)
            self.message.emit(f"Added “{item.title}”.")

    def _web_failed(self, url: str, exc: BaseException, topic_ids: list[int]) -> None:
        if not isinstance(exc, FetchError):
            self.failed.emit(_sentence(exc))
            return
        if self._already_there(TargetKind.WEB, None, url):
            return
        item = self._guarded(
            lambda: self.service.create_web_item(url, None, topic_ids, retry=exc.transient)
        )
        if item is not None:
            if exc.transient:
                self.service.note_failure([item.id], exc)
            self.libraryChanged.emit()
            self.itemAdded.emit(item.id, False)
            self.message.emit(web_failure_note(exc))

    def _already_there(self, kind: TargetKind, ident: ArxivId | None, url: str) -> bool:
        """True (and the item selected) when what is being added arrived meanwhile."""
        found = self.service.existing(AddTarget(kind, arxiv=ident, url=url))
        if found is None:
            return False
        self.itemAdded.emit(found[0].id, True)
        return True

    # ---- downloads ----------------------------------------------------------------------------
    def _new_download(self, title: str) -> Download:
        download = Download(next(self._jobs), title)
        self.downloads[download.job] = download
        self.downloadsChanged.emit()
        return download

    def _progress_fn(self, job: int) -> Callable[[int, int | None], None]:
        def progress(done: int, total: int | None) -> None:  # called in the worker thread
            self._relay.progressed.emit(job, done, -1 if total is None else total)

        return progress

    def download_pdf(self, item: Item) -> int:
        """Download the PDF of the version ``item`` holds; returns the download's job id."""
        download = self._new_download(item.title)
        version = item.version or item.latest_version  # starter items know no version yet

        def work() -> str:
            return self.service.download_arxiv_pdf(
                item, version, cancel=download.cancel, progress=self._progress_fn(download.job)
            )

        def done(relative: str) -> None:
            if self._guarded(lambda: self.service.attach_pdf(item.id, relative, version), True):
                self._finish(download, "done", f"Downloaded the PDF of “{item.title}”.")
                self.libraryChanged.emit()

        def fail(exc: BaseException) -> None:
            if isinstance(exc, FetchError) and not isinstance(exc, DownloadCancelled):
                self.service.note_failure([item.id], exc)
            self._download_failed(download, exc)

        self._submit(self.arxiv_runner, work, done, fail)
        return download.job

    def update_to_latest(self, item_id: int) -> int | None:
        """ "Update to vN": new PDF and metadata, old version kept, highlights re-anchored."""
        item = self.services.library.item(item_id)
        if item is None or not item.arxiv_id:
            self.failed.emit("Only arXiv papers can be updated to a new version.")
            return None
        label = f"{item.title} (v{item.latest_version})" if item.latest_version else item.title
        download = self._new_download(label)

        def work() -> VersionUpdate:
            return self.service.fetch_update(
                item, cancel=download.cancel, progress=self._progress_fn(download.job)
            )

        def done(update: VersionUpdate) -> None:
            updated = self._guarded(lambda: self.service.apply_update(update))
            if updated is not None:
                self._finish(download, "done", f"Updated “{updated.title}” to v{updated.version}.")
                self.libraryChanged.emit()

        def fail(exc: BaseException) -> None:
            self.service.note_failure([], exc)  # remembers a 403 block across sessions
            self._download_failed(download, exc)

        self._submit(self.arxiv_runner, work, done, fail)
        return download.job

    def cancel(self, job: int) -> None:
        download = self.downloads.get(job)
        if download is not None and download.active:
            download.cancel.set()

    def clear_finished(self) -> None:
        self.downloads = {k: d for k, d in self.downloads.items() if d.active}
        self.downloadsChanged.emit()

    def _on_progress(self, job: int, done: int, total: int) -> None:
        download = self.downloads.get(job)
        if download is None:
            return
        download.done, download.total = done, (None if total < 0 else total)
        if download.state == "waiting":
            download.state = "downloading"
            self.downloadsChanged.emit()
        self.downloadProgress.emit(job, done, total)

    def _download_failed(self, download: Download, exc: BaseException) -> None:
        if isinstance(exc, DownloadCancelled):
            self._finish(download, "cancelled", "The download was cancelled.")
            self.message.emit("The download was cancelled.")
            return
        self._finish(download, "failed", _sentence(exc))
        self.failed.emit(_sentence(exc))

    def _finish(self, download: Download, state: str, message: str) -> None:
        download.state, download.message = state, message
        self.downloadsChanged.emit()
        if state == "done":
            self.message.emit(message)

    # ---- pending work and versions ------------------------------------------------------------
    def retry_pending(self) -> None:
        """Fetch metadata/PDFs/titles for items added while offline."""
        self._retry_pending_web()
        if self.service.arxiv.blocked:
            return
        needs_meta = [
            (p.item_id, p.arxiv_id)
            for p in self.service.due_pending()
            if p.arxiv_id and p.need_metadata
        ]
        if needs_meta:
            ids = [a for _, a in needs_meta]
            self._submit(
                self.arxiv_runner,
                lambda: self.service.fetch_papers(ids),
                lambda found: self._pending_fetched(found, needs_meta),
                lambda exc: self.service.note_failure([i for i, _ in needs_meta], exc),
            )
        else:
            self._download_pending_pdfs()

    def _retry_pending_web(self) -> None:
        for item_id, url in self.service.pending_web():
            self._submit(
                self.web_runner,
                partial(self.service.fetch_web, url),
                partial(self._pending_web_fetched, item_id),
                partial(self.service.note_failure, [item_id]),
            )

    def _pending_fetched(self, found: dict, asked: list[tuple[int, str]]) -> None:
        if self._guarded(lambda: self.service.apply_metadata_batch(found, asked), True):
            self.libraryChanged.emit()
        self._download_pending_pdfs()

    def _download_pending_pdfs(self) -> None:
        active = {d.title for d in self.downloads.values() if d.active}
        for item in self.service.pending_pdfs():
            if item.title not in active:
                self.download_pdf(item)

    def _pending_web_fetched(self, item_id: int, fetched: WebFetch) -> None:
        if self._guarded(lambda: self.service.apply_web_fetch(item_id, fetched), True):
            self.libraryChanged.emit()

    def check_versions(self, quiet: bool = False) -> bool:
        """Ask arXiv whether the library's papers have newer versions, 100 ids a request.

        Each batch is its own task, submitted when the previous one is applied, so a paper the
        user adds meanwhile waits for one request, not for the whole library's check.
        """
        if self._checking:
            return False
        asked = [(i, a) for i, a, _, _ in self.service.state.arxiv_items()]
        if not asked:
            if not quiet:
                self.message.emit("There are no arXiv papers in the library to check.")
            return False
        self._checking = True
        if not quiet:
            self.message.emit(f"Checking {len(asked)} arXiv papers for new versions…")
        batches = [asked[n : n + BATCH_SIZE] for n in range(0, len(asked), BATCH_SIZE)]
        newer: list[int] = []

        def next_batch() -> None:
            batch = batches.pop(0)
            ids = [a for _, a in batch]
            self._submit(
                self.arxiv_runner,
                lambda: self.service.fetch_papers(ids),
                lambda found: applied(found, batch),
                fail,
            )

        def applied(found: dict, batch: list[tuple[int, str]]) -> None:
            result = self._guarded(lambda: self.service.apply_metadata_batch(found, batch))
            if result is None:
                self._checking = False
                return
            newer.extend(result)
            if batches:
                next_batch()
                return
            self._checking = False
            self.service.note_version_check()
            self.libraryChanged.emit()
            self.versionsChecked.emit(newer)
            if newer:
                self.message.emit(f"{len(newer)} paper(s) have a new version on arXiv.")
            elif not quiet:
                self.message.emit("Every arXiv paper in the library is up to date.")

        def fail(exc: BaseException) -> None:
            self._checking = False
            self.service.note_failure([], exc)
            if not quiet:
                self.failed.emit(_sentence(exc))

        next_batch()
        return True

    # ---- helpers ------------------------------------------------------------------------------
    def _submit(
        self,
        runner: TaskRunner,
        work: Callable[[], Any],
        on_result: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Like ``runner.submit``, but results arriving after :meth:`shutdown` are dropped (the
        database may be closed by then)."""
        runner.submit(
            work,
            lambda result: None if self._closed else on_result(result),
            lambda exc: None if self._closed else on_error(exc),
        )

    def _guarded(self, step: Callable[[], Any], success: Any = None) -> Any:
        """Run a storage step; any failure becomes a ``failed`` sentence, never a traceback."""
        try:
            result = step()
        except Exception as exc:
            if not isinstance(
                exc, UserError
            ):  # a user's sentence is expected; anything else is not
                log.exception("A paper task's storage step failed")
            self.failed.emit(_sentence(exc))
            return None
        return success if success is not None else result


def _sentence(exc: BaseException) -> str:
    if isinstance(exc, UserError):
        return str(exc)
    return f"Something went wrong: {exc.__class__.__name__}: {exc}."
