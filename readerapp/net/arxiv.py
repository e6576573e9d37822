"""The arXiv API (``id_list`` queries) and PDF URLs, over the one polite :class:`ArxivClient`.

Answers are parsed with feedparser from bytes (never a URL or path). Both the legacy format (until
November 2025: namespaces on each element, wrapped summaries) and the current one parse the same.
Error entries (title ``Error``, id ``.../api/errors#...``) raise :class:`ArxivApiError`.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from readerapp.core.arxiv_ids import ArxivId, parse_arxiv_id
from readerapp.core.xml_safety import declares_entities
from readerapp.net.errors import ArxivApiError, FetchError

if TYPE_CHECKING:
    from readerapp.net.http import ArxivClient  # httpx: loaded with the first request

BATCH_SIZE = 100  # arXiv's advice for id_list requests


@dataclass(frozen=True, slots=True)
class PaperMetadata:
    """One paper as the arXiv API describes its latest (or requested) version."""

    arxiv_id: str  # versionless
    version: int | None
    title: str
    authors: list[str] = field(default_factory=list)
    abstract: str = ""
    categories: list[str] = field(default_factory=list)
    primary_category: str = ""
    published: str = ""  # ISO 8601 UTC, the v1 date
    updated: str = ""  # ISO 8601 UTC, this version's date
    doi: str = ""
    journal_ref: str = ""
    comment: str = ""

    @property
    def year(self) -> int | None:
        return int(self.published[:4]) if self.published[:4].isdigit() else None

    @property
    def abs_url(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv_id}"

    def item_fields(self) -> dict[str, Any]:
        """The item columns this metadata fills (for ``LibraryRepository.update_item``)."""
        return {
            "title": self.title,
            "authors": list(self.authors),
            "abstract": self.abstract,
            "categories": list(self.categories),
            "primary_category": self.primary_category,
            "published": self.published,
            "updated": self.updated,
            "doi": self.doi,
            "journal_ref": self.journal_ref,
            "comment": self.comment,
            "year": self.year,
            "venue": self.journal_ref or "arXiv",
        }


def pdf_url(client: ArxivClient, arxiv_id: str, version: int | None = None) -> str:
    """The PDF URL for an id (built from the id, never from link attributes)."""
    return f"{client.pdf_base.rstrip('/')}/{ArxivId(arxiv_id, version)}"


def query_url(client: ArxivClient, ids: Iterable[str]) -> str:
    ids = list(ids)
    query = urlencode({"id_list": ",".join(ids), "max_results": len(ids)}, safe=",/")
    return f"{client.api_url}?{query}"


def fetch_metadata(
    client: ArxivClient, ids: Iterable[str], cancel: threading.Event | None = None
) -> dict[str, PaperMetadata]:
    """Latest metadata for each versionless id, keyed by id, in batches of 100 requests.

    Ids arXiv does not know are silently missing from the result (as the API drops them).
    """
    wanted = list(dict.fromkeys(ids))
    found: dict[str, PaperMetadata] = {}
    for batch in _batches(wanted, BATCH_SIZE):
        resp = client.get(query_url(client, batch), cancel=cancel)
        if resp.status != 400:  # a 400 carries an error entry, which parsing turns into a sentence
            resp.raise_for_status("The arXiv API")
        for paper in parse_api_response(resp.body):
            found[paper.arxiv_id] = paper
        if resp.status == 400:
            raise ArxivApiError(f"The arXiv API refused the request (HTTP 400) for {batch}.")
    return found


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def parse_api_response(body: bytes) -> list[PaperMetadata]:
    """Papers in an API answer. Raises ArxivApiError for an error entry, FetchError for junk."""
    if declares_entities(body):  # arXiv never does; whoever answers in its place may
        raise FetchError(
            "The arXiv API's answer declares XML entities, so readerapp did not read it."
        )
    # Imported here: the window installs its arXiv actions at start-up, and feedparser (~50 ms)
    # is needed only once an answer arrives.
    import feedparser

    # Wrapped in BytesIO: bytes that look like a path or URL would make feedparser open them.
    parsed = feedparser.parse(io.BytesIO(body))
    entries = parsed.get("entries", [])
    for entry in entries:
        if _is_error_entry(entry):
            reason = _clean(entry.get("summary", "")) or "unknown error"
            raise ArxivApiError(f"The arXiv API answered with an error: {reason}.")
    if not entries and (parsed.get("bozo") or parsed.get("version", "") != "atom10"):
        raise FetchError("The arXiv API's answer could not be read; try again later.")
    papers = []
    for entry in entries:
        paper = _paper(entry)
        if paper is not None:
            papers.append(paper)
    return papers


def _is_error_entry(entry: Any) -> bool:
    return "/api/errors" in entry.get("id", "") or (
        entry.get("title", "").strip() == "Error"
        and any(a.get("name") == "arXiv api core" for a in entry.get("authors", []))
    )


def _paper(entry: Any) -> PaperMetadata | None:
    ident = parse_arxiv_id(entry.get("id", ""))
    if ident is None:
        return None
    primary = entry.get("arxiv_primary_category") or {}
    categories = [t["term"] for t in entry.get("tags", []) if t.get("term")]
    return PaperMetadata(
        arxiv_id=ident.id,
        version=ident.version,
        title=_clean(entry.get("title", "")) or ident.id,
        authors=[_clean(a.get("name", "")) for a in entry.get("authors", []) if a.get("name")],
        abstract=_clean(entry.get("summary", "")),
        categories=list(dict.fromkeys(categories)),
        primary_category=primary.get("term", "") if isinstance(primary, dict) else "",
        published=_iso(entry.get("published_parsed")),
        updated=_iso(entry.get("updated_parsed")),
        doi=_clean(entry.get("arxiv_doi", "")),
        journal_ref=_clean(entry.get("arxiv_journal_ref", "")),
        comment=_clean(entry.get("arxiv_comment", "")),
    )


def _clean(text: str) -> str:
    """Unwrap the hard-wrapped lines of the legacy format."""
    return " ".join(str(text).split())


def _iso(parsed: time.struct_time | None) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed) if parsed else ""
