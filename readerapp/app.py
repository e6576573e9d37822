"""The one place that builds readerapp's services and wires them together."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from readerapp.storage.db import Database, unavailable_error
from readerapp.storage.files import FileStore
from readerapp.storage.library import LibraryRepository
from readerapp.storage.paths import LibraryPaths, resolve_home
from readerapp.storage.starter import load_starter_library

if TYPE_CHECKING:
    from readerapp.services.annotations import AnnotationService


@dataclass
class Services:
    """Everything the CLI and the GUI work through. Built once per process by :func:`open_services`."""

    paths: LibraryPaths
    db: Database
    library: LibraryRepository
    files: FileStore

    @cached_property
    def annotations(self) -> AnnotationService:
        """Highlights and notes on items' PDFs (import, re-anchoring, export)."""
        from readerapp.services.annotations import AnnotationService
        from readerapp.storage.annotations import AnnotationRepository

        return AnnotationService(self.library, AnnotationRepository(self.db), self.files)

    def close(self) -> None:
        self.db.close()


def open_services(home: str | None = None, *, seed: bool = True) -> Services:
    """Open the library at ``home`` (or the default location), seeding a new one with the starter list.

    Raises ``readerapp.storage.errors.StorageError`` with a user-facing sentence.
    """
    paths = resolve_home(home)
    try:
        paths.ensure()
    except OSError as exc:
        raise unavailable_error(paths.database, exc) from exc
    db = Database.open(paths.database, backups_dir=paths.backups)
    library = LibraryRepository(db)
    files = FileStore(paths)
    if seed:
        load_starter_library(library, files)
    return Services(paths=paths, db=db, library=library, files=files)
