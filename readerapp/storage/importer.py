"""``readerapp import FILE``: a Markdown reading list, a BibTeX file or a JSON backup.

Every import runs in one transaction: when it fails midway the library is as it was. The report
counts what was created and merged and lists every line that was not understood.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readerapp.core.errors import BadInputError, UserError
from readerapp.core.reading_list import Problem, parse_reading_list
from readerapp.storage.db import Database
from readerapp.storage.library import LibraryRepository
from readerapp.storage.merge import (
    ItemMerger,
    TopicMapper,
    group_topic_name,
    library_is_empty,
)

TEXT_LIMIT = 20 * 1024 * 1024  # a reading list or .bib larger than this is not one
BACKUP_LIMIT = 512 * 1024 * 1024  # backups hold annotations and feeds: allow far more
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".txt"}
BIBTEX_SUFFIXES = {".bib", ".bibtex"}
OPML_SUFFIXES = {".opml"}


@dataclass(slots=True)
class ImportReport:
    """What an import did, for the CLI's stdout and the GUI's report dialog."""

    source: str
    kind: str  # "Markdown reading list", "BibTeX", "backup"
    topics_created: int = 0
    topics_existing: int = 0
    items_created: int = 0
    items_merged: int = 0
    items_unchanged: int = 0
    unfiled: int = 0
    notes: list[str] = field(default_factory=list)  # facts worth telling (restored, restore mode)
    problems: list[Problem] = field(default_factory=list)
    headline: str = ""  # replaces the counts when they do not apply (an OPML feed list)

    def summary(self) -> str:
        if self.headline:
            return f"Imported {self.source} ({self.kind}): {self.headline}"
        return (
            f"Imported {self.source} ({self.kind}): {self.topics_created} topics created, "
            f"{self.topics_existing} already there; {self.items_created} items created, "
            f"{self.items_merged} merged into existing items, {self.items_unchanged} already "
            "there unchanged."
        )

    def lines(self) -> list[str]:
        out = [self.summary()]
        if self.unfiled:
            out.append(f"{self.unfiled} items are under no heading: they are in Unfiled.")
        out.extend(self.notes)
        if self.problems:
            out.append(f"Not understood ({len(self.problems)}):")
            out.extend(f"  {p}" for p in self.problems)
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


def read_text_file(path: Path, limit: int = TEXT_LIMIT) -> str:
    """The file's text, or BadInputError with a sentence (missing, empty, huge, binary, not UTF-8)."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise BadInputError(f"{path} is a folder, not a file to import.")
    except FileNotFoundError as exc:
        raise BadInputError(f"There is no file {path}.") from exc
    except OSError as exc:
        raise BadInputError(f"{path} cannot be read ({exc.strerror or exc}).") from exc
    if size > limit:
        raise BadInputError(
            f"{path} is {size / 1048576:.0f} MB; readerapp imports files up to "
            f"{limit // 1048576} MB. Nothing was imported."
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadInputError(f"{path} cannot be read ({exc.strerror or exc}).") from exc
    if not data.strip():
        raise BadInputError(f"{path} is empty; there is nothing to import.")
    if b"\x00" in data[:8192]:
        raise BadInputError(f"{path} is a binary file, not a text file readerapp can import.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BadInputError(
            f"{path} is not valid UTF-8 text (line {line}); save it as UTF-8 and import it again. "
            "Nothing was imported."
        ) from exc


def import_file(db: Database, path: Path | str) -> ImportReport:
    """Import ``path`` by its kind (suffix, else content); one transaction; returns the report."""
    path = Path(path)
    kind = detect_kind(path)
    if kind == "opml":  # feed subscriptions belong to the feeds service: see services/importexport
        raise BadInputError(f"{path.name} is an OPML feed list; import it with `readerapp import`.")
    if kind == "json":
        from readerapp.storage.backup import import_backup

        return import_backup(db, path)
    text = read_text_file(path)
    try:
        if kind == "bibtex":
            from readerapp.storage.bibtex_io import import_bibtex

            return import_bibtex(db, text, path.name)
        return import_markdown(db, text, path.name)
    except sqlite3.Error as exc:  # the transaction rolled back: say so, never a traceback
        raise UserError(
            f"Importing {path.name} failed midway ({exc}); the library was left as it was."
        ) from exc


def detect_kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in BIBTEX_SUFFIXES:
        return "bibtex"
    if suffix == ".json":
        return "json"
    if suffix in OPML_SUFFIXES:
        return "opml"
    try:
        with path.open("rb") as fh:
            head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    except FileNotFoundError as exc:
        raise BadInputError(f"There is no file {path}.") from exc
    except OSError as exc:
        raise BadInputError(f"{path} cannot be read ({exc.strerror or exc}).") from exc
    if head.startswith(b"{"):
        return "json"
    if head.startswith(b"<") and b"<opml" in head.lower():
        return "opml"
    if head.startswith(b"@") or b"\n@" in head:
        return "bibtex"
    return "markdown"


def mark_for_metadata(db: Database, item_ids: list[int]) -> None:
    """Queue new arXiv papers for the arXiv feature's metadata lookup (when it is there)."""
    try:
        from readerapp.storage.papers import PaperStateRepository
    except ImportError:  # the arXiv feature is absent: items keep the titles the file gave
        return
    papers = PaperStateRepository(db)
    for item_id in item_ids:
        papers.mark_pending(item_id, metadata=True)


def import_markdown(db: Database, text: str, source: str = "reading list") -> ImportReport:
    """Import a Markdown reading list (see ``core.reading_list``) in one transaction."""
    parsed = parse_reading_list(text)
    if not parsed.entries and not parsed.topics:
        raise BadInputError(
            f"{source} has no headings and no links, so it is not a reading list readerapp can "
            "import. Nothing was imported."
        )
    library = LibraryRepository(db)
    report = ImportReport(source=source, kind="Markdown reading list")
    report.problems.extend(parsed.problems)
    with db.transaction():
        topics = new_topic_mapper(library, source)
        merger = ItemMerger(library, source)
        for path in parsed.topics:
            topics.ensure(path)
        new_papers: list[int] = []
        for entry in parsed.entries:
            fields: dict[str, Any] = {
                "title": entry.title,
                "kind": entry.kind,
                "url": entry.url,
                "arxiv_id": entry.arxiv_id,
                "version": entry.version,
                "notes": entry.notes,
                "authors": entry.authors,
                "year": entry.year,
                "venue": entry.venue,
                "status": entry.status,  # a new item's; merging never overrides the user's
            }
            topic_ids = [topics.ensure(p) for p in entry.topics]
            item_id, outcome = merger.upsert(
                fields,
                topic_ids,
                title_is_guess=entry.title_is_guess,
                match_title=entry.malformed_arxiv,
            )
            if outcome == "created" and entry.arxiv_id:
                new_papers.append(item_id)
            if entry.malformed_arxiv and outcome != "created":
                # One sentence about the line, not "imported with no id" and then "matched".
                _retell_broken_link(report.problems, entry.line, entry.title)
            if not entry.topics and outcome == "created":
                report.unfiled += 1
        mark_for_metadata(db, new_papers)
        fill_counts(report, topics, merger)
    return report


def new_topic_mapper(library: LibraryRepository, source: str) -> TopicMapper:
    """Topics for an import of ``source``: its new root topics grouped when the library has some."""
    group = None if library_is_empty(library) else group_topic_name(source)
    return TopicMapper(library, group)


def _retell_broken_link(problems: list[Problem], line: int, title: str) -> None:
    """The reader said a broken arXiv link was imported as is; it was matched by title."""
    for problem in problems:
        if problem.line == line and problem.what.startswith("the arXiv link"):
            problem.action = f"matched “{title}” to the library's paper of the same title instead"
            return


def fill_counts(report: ImportReport, topics: TopicMapper, merger: ItemMerger) -> None:
    if topics.grouped and topics.group:
        report.notes.append(
            f"The topics new to your library are under “{topics.group}”, beside your own."
        )
    report.topics_created = topics.tally.created
    report.topics_existing = topics.tally.existing
    report.items_created = len(merger.created)
    report.items_merged = merger.merged
    report.items_unchanged = merger.unchanged
    for item_id in merger.restored:
        report.notes.append(f"Item {item_id} was in the trash; the import restored it.")
