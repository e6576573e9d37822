"""Real PDFs and library items for the search tests (no mocks: PyMuPDF writes the files)."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from readerapp.app import Services
from readerapp.core.models import Item
from readerapp.services.search import SearchService


def pdf_bytes(pages: list[str], *, text_layer: bool = True) -> bytes:
    """A PDF with one page per string; without a text layer the pages only hold drawings."""
    doc = pymupdf.open()
    for text in pages:
        page = doc.new_page(width=595, height=842)
        if text_layer:
            page.insert_textbox(pymupdf.Rect(50, 50, 545, 800), text, fontsize=11)
        else:
            page.draw_rect(pymupdf.Rect(100, 100, 300, 200), color=(0, 0, 0), fill=(0.5, 0.5, 0.5))
    data = doc.tobytes()
    doc.close()
    return data


def write_pdf(path: Path, pages: list[str], *, text_layer: bool = True) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf_bytes(pages, text_layer=text_layer))
    return path


def attach_pdf(
    services: Services,
    search: SearchService,
    item: Item,
    pages: list[str],
    *,
    name: str | None = None,
    text_layer: bool = True,
) -> str:
    """Store a PDF for ``item`` the way a download does, then announce it to search."""
    relative = name or f"items/{item.id}.pdf"
    services.files.store_bytes(pdf_bytes(pages, text_layer=text_layer), relative)
    services.library.update_item(item.id, pdf_path=relative)
    search.pdf_arrived(item.id)
    return relative


def ids(results) -> list[int]:
    return [r.item_id for r in results.items]
