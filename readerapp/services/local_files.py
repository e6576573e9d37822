"""Adding a PDF file from disk: copied into the library, described from its own metadata or first
page, and linked to its arXiv paper when it carries an arXiv id (the stamp in the margin)."""

from __future__ import annotations

import filecmp
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readerapp.core.arxiv_ids import ArxivId
from readerapp.core.errors import BadInputError
from readerapp.core.library_paths import OutsideLibraryError
from readerapp.core.models import Item, ItemKind
from readerapp.pdf.document import PasswordRequired, PdfDocument, PdfError

if TYPE_CHECKING:
    from readerapp.app import Services


def describe_pdf(path: Path) -> tuple[str, list[str], ArxivId | None]:
    """(title, authors, arXiv id) read from the file; raises PdfError if it is not a usable PDF."""
    try:
        document = PdfDocument.open(path)
    except PasswordRequired:
        return _title_from_name(path), [], None  # still worth keeping; it opens with its password
    try:
        title, authors = document.title_and_authors()
        return title or _title_from_name(path), authors, document.find_arxiv_id()
    finally:
        document.close()


def find_same_pdf(services: Services, path: Path) -> Item | None:
    """The library item whose PDF is ``path``'s content: the same bytes (the same file added
    again), or the same document rewritten (the library's copy with highlights written in keeps
    the file's permanent identifier, its pages and its text)."""
    try:
        size = path.stat().st_size
    except OSError:
        return None
    held_files = []
    for item_id, relative in services.repository.items_with_pdf():
        try:
            held_files.append((item_id, services.files.absolute(relative)))
        except OutsideLibraryError:
            continue  # a stored path leaving the library is never read
    for item_id, held in held_files:
        try:
            if held.stat().st_size == size and filecmp.cmp(held, path, shallow=False):
                return services.repository.item(item_id)
        except OSError:
            continue  # a missing library file is another problem, reported where it is opened
    identifier = _permanent_id(path)
    if identifier is None:
        return None
    for item_id, held in held_files:
        if _permanent_id(held) == identifier and _same_document(held, path):
            return services.repository.item(item_id)
    return None


# A PDF's trailer names it: /ID [<permanent> <changing>]. The first stays when the file is
# rewritten, so it finds a document whatever was saved into it since. It is in the last trailer
# (or cross-reference stream), near the end of the file.
_TRAILER_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]{8,})>")
_TAIL_BYTES = 16384


def _permanent_id(path: Path) -> bytes | None:
    try:
        with path.open("rb") as f:
            f.seek(0, 2)
            f.seek(max(0, f.tell() - _TAIL_BYTES))
            tail = f.read()
    except OSError:
        return None
    found = _TRAILER_ID.findall(tail)
    return found[-1].upper() if found else None


def _same_document(a: Path, b: Path) -> bool:
    """Same pages with the same text: an identifier alone can be reused by careless tools."""
    try:
        first, second = PdfDocument.open(a), PdfDocument.open(b)
    except PdfError:
        return False
    try:
        return first.page_count == second.page_count and all(
            first.text(page) == second.text(page) for page in range(min(3, first.page_count))
        )
    finally:
        first.close()
        second.close()


def add_pdf_file(services: Services, path: Path, topic_path: str | None = None) -> Item:
    """Copy ``path`` into the library as an item (or as the PDF of its existing arXiv item).

    Raises BadInputError (a PdfError for broken files) with a sentence; nothing is saved then.
    """
    path = Path(path).expanduser()
    if path.suffix.lower() != ".pdf" and not path.is_file():
        raise BadInputError(f"There is no file “{path}”.")
    title, authors, ident = describe_pdf(path)
    library, files = services.repository, services.files
    topic_ids = _topic_ids(services, topic_path)
    with library.db.transaction():
        if ident is not None:
            existing = library.find_by_arxiv_id(ident.id) or _restore_trashed(services, ident)
            if existing is not None:
                _attach(services, existing, path, ident)
                if topic_ids:
                    library.file_items([existing.id], topic_ids[0])
                item = library.item(existing.id)
                assert item is not None
                return item
        same = find_same_pdf(services, path)
        if same is not None:  # adding a file twice gives one item (filed where asked)
            if topic_ids:
                library.file_items([same.id], topic_ids[0])
            return same
        fields: dict[str, Any] = {"kind": ItemKind.PAPER, "authors": authors}
        if ident is not None:
            fields.update(
                arxiv_id=ident.id,
                version=ident.version,
                url=f"https://arxiv.org/abs/{ident.id}",
                venue="arXiv",
            )
        item = library.add_item(title, topic_ids, **fields)
        relative = files.name_for(
            item_id=item.id, arxiv_id=item.arxiv_id, version=item.version, title=title
        )
        files.store_copy(path, relative)
        library.update_item(item.id, pdf_path=relative)
        if ident is not None:  # the abstract, dates and categories come when arXiv is reachable
            services.papers.state.mark_pending(item.id, metadata=True)
    added = library.item(item.id)
    assert added is not None
    return added


def _attach(services: Services, item: Item, path: Path, ident: ArxivId) -> None:
    """Give an existing arXiv item this file unless it already holds the same or a newer version."""
    if item.has_pdf and (ident.version is None or (item.version or 0) >= ident.version):
        return
    version = ident.version or item.version
    relative = services.files.name_for(
        item_id=item.id, arxiv_id=item.arxiv_id, version=version, title=item.title
    )
    services.files.store_copy(path, relative)
    services.papers.attach_pdf(item.id, relative, version)


def _restore_trashed(services: Services, ident: ArxivId) -> Item | None:
    found = services.papers.state.find_any_by_arxiv_id(ident.id)
    if found is None:
        return None
    item_id, trashed = found
    if trashed:
        services.repository.restore_items([item_id])
    return services.repository.item(item_id)


def _topic_ids(services: Services, topic_path: str | None) -> list[int]:
    if not topic_path:
        return []
    return [services.repository.require_topic(topic_path).id]


def _title_from_name(path: Path) -> str:
    return path.stem.replace("_", " ").replace("-", " ").strip() or path.name
