"""Import and export for the CLI and the GUI: one entry point each, dispatching on the format.

Reading lists, BibTeX and backups are handled in ``storage`` (importer, bibtex_io, backup,
exporter); OPML feed lists belong to the feeds feature (``services.opml``) and are handed there.
"""

from __future__ import annotations

from pathlib import Path

from readerapp.core.errors import BadInputError, UserError
from readerapp.core.reading_list import Problem
from readerapp.storage.exporter import FORMATS, export_text, write_export
from readerapp.storage.importer import ImportReport, detect_kind, import_file

IMPORT_FILTER = (
    "Reading lists and backups (*.md *.markdown *.txt *.bib *.bibtex *.json *.opml);;"
    "Markdown (*.md *.markdown *.txt);;BibTeX (*.bib *.bibtex);;readerapp backup (*.json);;"
    "OPML feed list (*.opml);;All files (*)"
)
SUFFIXES = {"md": ".md", "bibtex": ".bib", "json": ".json", "opml": ".opml"}


def import_path(services, path: Path | str) -> ImportReport:
    """Import ``path`` into the library of ``services``; BadInputError/UserError when it cannot."""
    path = Path(path)
    if detect_kind(path) == "opml":
        return _import_opml(services, path)
    return import_file(services.db, path)


def export_to(services, fmt: str, topic_path: str | None = None, target: Path | None = None) -> str:
    """The export as text; also written atomically to ``target`` when given."""
    if fmt not in FORMATS:
        raise BadInputError(f"Unknown export format “{fmt}”; use one of {', '.join(FORMATS)}.")
    if fmt == "opml":
        if topic_path:
            raise BadInputError("An OPML export holds every feed; leave out --topic.")
        text = _opml_module().export_opml(services)
    else:
        text = export_text(services.db, fmt, topic_path)
    if target is not None:
        write_export(text, Path(target))
    return text


def _opml_module():
    try:
        from readerapp.services import opml
    except ImportError as exc:  # the feeds feature is not part of this build
        raise UserError("This readerapp cannot read or write OPML feed lists.") from exc
    return opml


def _import_opml(services, path: Path) -> ImportReport:
    outcome = _opml_module().import_opml(services, path)
    report = ImportReport(source=path.name, kind="OPML feed list")
    report.headline = outcome.summary()
    report.problems.extend(Problem(None, text, "skipped") for text in outcome.problems)
    return report
