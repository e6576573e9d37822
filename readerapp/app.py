"""The one place that builds readerapp's services and wires them together."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from readerapp.storage.db import Database, EarlyIntegrityCheck, move_aside, unavailable_error
from readerapp.storage.errors import NotADatabaseError, StorageError
from readerapp.storage.files import FileStore
from readerapp.storage.library import STARTER_STATE_KEY, LibraryRepository
from readerapp.storage.paths import LibraryPaths, resolve_home

# What the launcher needs to open a library or recover one that will not open.
__all__ = [
    "EarlyIntegrityCheck",
    "NotADatabaseError",
    "Services",
    "StorageError",
    "move_aside",
    "open_services",
    "resolve_home",
]

if TYPE_CHECKING:
    from readerapp.net.http import ArxivClient, WebClient
    from readerapp.services.annotations import AnnotationService
    from readerapp.services.backups import BackupService
    from readerapp.services.changes import ChangeWatch
    from readerapp.services.feeds import FeedService
    from readerapp.services.item_edits import ItemEditService
    from readerapp.services.library import LibraryService
    from readerapp.services.papers import PaperService
    from readerapp.services.search import SearchService
    from readerapp.services.viewer_state import ViewerState


@dataclass
class Services:
    """Everything the CLI and the GUI work through. Built once per process by :func:`open_services`."""

    paths: LibraryPaths
    db: Database
    files: FileStore
    # For services/ only: the GUI and the CLI reach the library through ``library`` (test_layers).
    repository: LibraryRepository
    _clients: tuple[ArxivClient, WebClient] | None = field(default=None, init=False, repr=False)
    _clients_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @cached_property
    def library(self) -> LibraryService:
        """Topics, items, notes, statuses, settings and reading positions."""
        from readerapp.services.library import LibraryService

        return LibraryService(self.repository)

    @cached_property
    def item_edits(self) -> ItemEditService:
        """What the user types into an item, saved against the revision the editor showed."""
        from readerapp.services.item_edits import ItemEditService

        return ItemEditService(self.repository)

    @cached_property
    def changes(self) -> ChangeWatch:
        """What other processes changed in the library since the window last looked."""
        from readerapp.services.changes import ChangeWatch

        return ChangeWatch(self.db)

    @cached_property
    def annotations(self) -> AnnotationService:
        """Highlights and notes on items' PDFs (import, re-anchoring, export)."""
        from readerapp.services.annotations import AnnotationService
        from readerapp.storage.annotations import AnnotationRepository

        return AnnotationService(self.repository, AnnotationRepository(self.db), self.files)

    def http_clients(self) -> tuple[ArxivClient, WebClient]:
        """The one polite arXiv client (one rate limit for the whole app) and the web client,
        shared by papers and feeds, made on the first request either of them makes (httpx is
        ~60 ms of imports that a launch need not pay). Made here, not by the papers service, so
        that a feed refresh does not import what papers need (PyMuPDF, the arXiv API reader)."""
        # Locked: a feed refresh and a download may ask at once from two worker threads, and
        # two arXiv clients would be two rate limits.
        with self._clients_lock:
            if self._clients is None:
                from readerapp.net.http import ArxivClient, WebClient
                from readerapp.net.shared_pacing import SharedPacing, default_pacing_path

                # One pacing for every readerapp process on the machine (arXiv's terms of use).
                arxiv = ArxivClient.from_env(pacing=SharedPacing(default_pacing_path()))
                self._clients = (arxiv, WebClient())
            return self._clients

    @cached_property
    def papers(self) -> PaperService:
        """arXiv and web items: add, metadata, PDFs, versions (one polite arXiv client)."""
        from readerapp.services.papers import PaperService
        from readerapp.storage.papers import PaperStateRepository

        def reanchor(item_id: int, pdf_path):  # resolved late: most runs never build annotations
            return self.annotations.reanchor_item(item_id, pdf_path)

        return PaperService(
            self.repository,
            self.files,
            PaperStateRepository(self.db),
            self.http_clients,
            reanchor=reanchor,
        )

    @cached_property
    def feeds(self) -> FeedService:
        """Feed subscriptions, refreshes, watch rules and the topic inboxes."""
        from readerapp.services.feeds import FeedService
        from readerapp.storage.feeds import FeedStore

        def fetcher():  # the papers service's clients: one arXiv rate limit for the whole app
            from readerapp.net.feeds import FeedFetcher

            return FeedFetcher(*self.http_clients())

        return FeedService(FeedStore(self.db), self.repository, fetcher)

    @cached_property
    def backups(self) -> BackupService:
        """Automatic backups of the database: list, the daily one, restore."""
        from readerapp.services.backups import BackupService

        return BackupService(self.db, self.paths)

    @cached_property
    def search(self) -> SearchService:
        """Full-text search, and reading PDFs' text into its index when they arrive."""
        from readerapp.services.search import SearchService

        return SearchService(self.db, self.files)

    @cached_property
    def viewer(self) -> ViewerState:
        """What the reading tabs remember between launches (open tabs, preferences)."""
        from readerapp.services.viewer_state import ViewerState

        return ViewerState(self.repository, self.files)

    def close(self) -> None:
        if self._clients is not None:  # made only if something went online
            for client in self._clients:
                client.close()
        self.db.close()


def start_library_check(home: str | None = None) -> EarlyIntegrityCheck:
    """Start checking the library file at ``home`` in the background, ahead of
    :func:`open_services`, which takes its findings (the window's launch imports Qt meanwhile)."""
    return EarlyIntegrityCheck(resolve_home(home).database)


def open_services(
    home: str | None = None, *, seed: bool = True, early_check: EarlyIntegrityCheck | None = None
) -> Services:
    """Open the library at ``home`` (or the default location), seeding a new one with the starter list.

    Raises ``readerapp.storage.errors.StorageError`` with a user-facing sentence.
    """
    paths = resolve_home(home)
    try:
        paths.ensure()
    except OSError as exc:
        raise unavailable_error(paths.database, exc) from exc
    db = Database.open(paths.database, backups_dir=paths.backups, early_check=early_check)
    library = LibraryRepository(db)
    files = FileStore(paths)
    if seed and not library.get_state(STARTER_STATE_KEY):  # a new library: seed it once
        from readerapp.storage.starter import load_starter_library

        load_starter_library(library, files)
    return Services(paths=paths, db=db, files=files, repository=library)
