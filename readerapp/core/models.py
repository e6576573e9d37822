"""The library's entities as plain dataclasses, shared by storage, CLI and GUI."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    TO_READ = "to-read"
    READING = "reading"
    READ = "read"

EXPORT_FORMATS = ("md", "bibtex", "json", "opml")  # `readerapp export --format`; opml: the feeds


class FeedKind(StrEnum):
    """What a subscription follows, as stored in feeds.kind."""

    ARXIV = "arxiv"  # arXiv's daily listing of one or more categories
    QUERY = "query"  # an arXiv API search
    URL = "url"  # any RSS or Atom feed


class ItemKind(StrEnum):
    PAPER = "paper"  # an arXiv paper or any scholarly PDF
    ARTICLE = "article"
    POST = "post"
    THREAD = "thread"
    OPENREVIEW = "openreview"
    WEB = "web"


@dataclass(slots=True)
class Topic:
    id: int
    name: str
    parent_id: int | None = None
    position: int = 0


@dataclass(slots=True)
class Item:
    id: int
    title: str
    kind: ItemKind = ItemKind.WEB
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    venue: str = ""
    url: str = ""
    arxiv_id: str | None = None
    version: int | None = None
    latest_version: int | None = None
    abstract: str = ""
    notes: str = ""
    status: Status = Status.TO_READ
    pdf_path: str | None = None  # relative to the library's files dir
    added: str = ""
    modified: str = ""
    doi: str = ""
    categories: list[str] = field(default_factory=list)
    primary_category: str = ""
    published: str = ""
    updated: str = ""
    journal_ref: str = ""
    comment: str = ""
    revision: int = 0  # counts the row's changes: a write says which one it started from

    @property
    def has_pdf(self) -> bool:
        return bool(self.pdf_path)

    @property
    def authors_text(self) -> str:
        return ", ".join(self.authors)

    @property
    def new_version_available(self) -> bool:
        return bool(self.latest_version and self.version and self.latest_version > self.version)


# Columns of an item a caller may set through LibraryRepository.update_item.
EDITABLE_ITEM_FIELDS = frozenset(
    {
        "title",
        "kind",
        "authors",
        "year",
        "venue",
        "url",
        "arxiv_id",
        "version",
        "latest_version",
        "abstract",
        "notes",
        "status",
        "pdf_path",
        "doi",
        "categories",
        "primary_category",
        "published",
        "updated",
        "journal_ref",
        "comment",
    }
)
