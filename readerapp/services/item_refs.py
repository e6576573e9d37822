"""What an item's context menu copies and opens: its links, a plain citation, its BibTeX and
citation key, and the folder its PDF is kept in. The GUI and the CLI share these rules."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from readerapp.core.errors import UserError
from readerapp.core.models import Item
from readerapp.storage.bibtex_io import bibtex_entries, citation_keys
from readerapp.storage.files import FileStore
from readerapp.storage.library import LibraryRepository

MAX_AUTHORS = 10  # more than this, and a citation names the first three "et al."


@dataclass(frozen=True, slots=True)
class ItemLinks:
    """An item's addresses: its own page, its arXiv abstract page, its DOI resolver link."""

    page: str = ""
    arxiv: str = ""
    doi: str = ""


def item_links(item: Item) -> ItemLinks:
    arxiv = f"https://arxiv.org/abs/{item.arxiv_id}" if item.arxiv_id else ""
    doi = item.doi.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if doi.lower().startswith(prefix):
            doi = doi[len(prefix) :]
    doi_url = f"https://doi.org/{doi}" if doi else ""
    return ItemLinks(page=item.url or arxiv or doi_url, arxiv=arxiv, doi=doi_url)


def _authors(names: list[str]) -> str:
    names = [n for n in names if n.strip()]
    if len(names) > MAX_AUTHORS:
        return ", ".join(names[:3]) + " et al."
    if len(names) > 1:
        return ", ".join(names[:-1]) + ", & " + names[-1]
    return names[0] if names else ""


def _sentence(text: str) -> str:
    """``text`` ending with one full stop (a title may end in "?" or "!" already)."""
    text = text.strip()
    return text if not text or text[-1] in ".?!" else text + "."


def plain_citation(item: Item) -> str:
    """``Authors (Year). Title. Venue.``, the form people paste into notes and mails."""
    year = f"({item.year})" if item.year else "(n.d.)"
    venue = item.journal_ref or item.venue
    if item.arxiv_id and venue in ("", "arXiv"):
        venue = f"arXiv:{item.arxiv_id}"
    parts = [f"{_authors(item.authors)} {year}." if item.authors else f"{year}."]
    parts.append(_sentence(item.title))
    if venue:
        parts.append(_sentence(venue))
    return " ".join(parts)


def plain_citations(library: LibraryRepository, item_ids: list[int]) -> str:
    """One citation per line, in the order given."""
    items = [item for i in item_ids if (item := library.item(i)) is not None]
    return "\n".join(plain_citation(item) for item in items)


def citation_key_text(library: LibraryRepository, item_ids: list[int]) -> str:
    """The items' BibTeX keys, comma-separated as ``\\cite{...}`` takes them; the same keys
    an export of the whole library writes."""
    keys = citation_keys(library.items())
    return ",".join(keys[i] for i in item_ids if i in keys)


def bibtex_text(library: LibraryRepository, item_ids: list[int]) -> str:
    return bibtex_entries(library, item_ids)


def pdf_file(files: FileStore, item: Item) -> Path:
    """The item's PDF on disk, kept inside the library's files folder; a UserError otherwise."""
    if not item.pdf_path:
        raise UserError("This item has no PDF file.")
    root = files.paths.files.resolve()
    path = files.absolute(item.pdf_path).resolve()
    if not path.is_relative_to(root):
        raise UserError("This item's PDF is recorded outside the library folder; not opening it.")
    if not path.is_file():
        raise UserError(f"This item's PDF is missing from the library folder: {path}.")
    return path
