"""Import and export for the CLI and the GUI: one entry point each, dispatching on the format.

Reading lists, BibTeX and JSON backups are handled in ``storage`` (importer, bibtex_io, backup,
exporter); OPML feed lists belong to the feeds feature (``services.opml``) and are handed there.

The rules every import follows, whoever starts it: an automatic backup of the database is made
first, and every row it changes is recorded, so the whole import is one step of Undo that puts
back exactly what was there (:func:`undo_import`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from readerapp.core.errors import BadInputError
from readerapp.core.library_paths import outside_library_folder
from readerapp.core.reading_list import Problem
from readerapp.storage.change_journal import ChangeSet, edited_since, put_back, recording
from readerapp.storage.db import Database
from readerapp.storage.db_backups import make_backup
from readerapp.storage.errors import restore_command
from readerapp.storage.exporter import FORMATS, export_text, write_export
from readerapp.storage.importer import ImportReport, detect_kind, import_file

if TYPE_CHECKING:
    from readerapp.app import Services

__all__ = ["FORMATS", "ImportReport", "restore_command"]  # for the import dialog and the CLI

log = logging.getLogger(__name__)

IMPORT_FILTER = (
    "Reading lists and backups (*.md *.markdown *.txt *.bib *.bibtex *.json *.opml);;"
    "Markdown (*.md *.markdown *.txt);;BibTeX (*.bib *.bibtex);;readerapp backup (*.json);;"
    "OPML feed list (*.opml);;All files (*)"
)
SUFFIXES = {"md": ".md", "bibtex": ".bib", "json": ".json", "opml": ".opml"}


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """An import done: its report, what it changed (to undo it) and the backup made before it."""

    report: ImportReport
    changes: ChangeSet
    backup: Path


@dataclass(frozen=True, slots=True)
class UndoOutcome:
    """An import undone (or redone): what redoes (or undoes) it, and a sentence for the user."""

    changes: ChangeSet
    sentence: str


def import_path(services: Services, path: Path | str) -> ImportReport:
    """Import ``path`` into the library of ``services``; BadInputError/UserError when it cannot."""
    return import_undoable(services, path).report


def import_undoable(services: Services, path: Path | str) -> ImportOutcome:
    """Import ``path`` on the connection of ``services`` (the CLI; OPML in the GUI)."""
    path = Path(path)
    if detect_kind(path) == "opml":
        return _recorded(services.db, services.paths.backups, lambda: _import_opml(services, path))
    return _recorded(services.db, services.paths.backups, lambda: import_file(services.db, path))


def import_on_own_connection(db_path: Path, backups_dir: Path, path: Path | str) -> ImportOutcome:
    """The same on a connection of its own, for a worker thread while the window goes on."""
    db = Database.open(db_path, backups_dir=backups_dir)
    try:
        return _recorded(db, backups_dir, lambda: import_file(db, Path(path)))
    finally:
        db.close()


def _recorded(db: Database, backups_dir: Path, work: Callable[[], ImportReport]) -> ImportOutcome:
    backup = make_backup(db.conn, backups_dir, "import")
    with recording(db) as recorder:
        report = work()
    log.info(
        "Imported %s: %d rows changed; backup %s", report.source, len(recorder.changes), backup
    )
    return ImportOutcome(report, recorder.changes, backup)


def undo_import(db: Database, changes: ChangeSet, source: str) -> UndoOutcome:
    """Put back every row the import changed, as it was before; one transaction.

    Rows edited since the import (a note typed into an imported item) go back too, so the state
    just before the undo is saved as an automatic backup first, and the user is told.
    """
    edited = edited_since(db, changes)
    kept = make_backup(db.conn, db.path.parent / "backups", "undo") if edited else None
    redo = put_back(db, changes)
    sentence = f"Undid the import of {source}."
    if kept is not None:
        sentence += (
            f" {edited} of the rows it changed were edited since; the state before this undo is "
            f"in the backup {kept.name}."
        )
    return UndoOutcome(redo, sentence)


def redo_import(db: Database, changes: ChangeSet, source: str) -> UndoOutcome:
    """Make the import's changes again after an undo; returns what undoes them."""
    undo = put_back(db, changes)
    return UndoOutcome(undo, f"Imported {source} again.")


def export_to(
    services: Services, fmt: str, topic_path: str | None = None, target: Path | None = None
) -> str:
    """The export as text; also written atomically to ``target`` when given."""
    if fmt not in FORMATS:
        raise BadInputError(f"Unknown export format “{fmt}”; use one of {', '.join(FORMATS)}.")
    if fmt == "opml":
        if topic_path:
            raise BadInputError("An OPML export holds every feed; leave out --topic.")
        from readerapp.services.opml import export_opml  # feeds load only when OPML is asked for

        text = export_opml(services)
    else:
        text = export_text(services.db, fmt, topic_path)
    if target is not None:
        write_export(text, outside_library_folder(services.paths.root, Path(target)))
    return text


def imports_on_this_thread(path: Path | str) -> bool:
    """True for an OPML feed list: it goes through the feeds service on the caller's connection.

    Every other format runs on a connection of its own (:func:`import_on_own_connection`), so the
    GUI can do it on a worker thread. Raises UserError when the file is no format readerapp reads.
    """
    return detect_kind(Path(path)) == "opml"


def exports_on_this_thread(fmt: str) -> bool:
    """True for OPML (the feeds service's connection); see :func:`export_on_own_connection`."""
    return fmt == "opml"


def export_on_own_connection(db_path: Path, fmt: str, topic_path: str | None, target: Path) -> Path:
    """Export the library to ``target`` on a connection of its own (safe on a worker thread).

    ``db_path`` is the library's database, in the library folder: nothing is written there."""
    outside_library_folder(db_path.parent, target)
    db = Database.open(db_path)
    try:
        write_export(export_text(db, fmt, topic_path), target)
    finally:
        db.close()
    return target


def _import_opml(services: Services, path: Path) -> ImportReport:
    from readerapp.services.opml import import_opml  # feeds load only when OPML is asked for

    outcome = import_opml(services, path)
    report = ImportReport(source=path.name, kind="OPML feed list")
    report.headline = outcome.summary()
    report.problems.extend(Problem(None, text, "skipped") for text in outcome.problems)
    return report
