"""Real PDFs made with PyMuPDF for the annotation tests, and library items that hold them."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from readerapp.app import Services

PAGE_ONE = [
    "Sparse autoencoders find interpretable features.",
    "We train them on the residual stream of a small model.",
    "The method recovers features that are monosemantic.",
    "Results show that most features are interpretable.",
]
PAGE_TWO = [
    "Ablations confirm the features are causal.",
    "A limitation is the cost of training dictionaries.",
    "Open question: do the features transfer across scales?",
]


def make_pdf(path: Path, pages: list[list[str]]) -> Path:
    """One line of 11 pt Helvetica per string, 18 pt apart, from the top of each page."""
    doc = pymupdf.open()
    for lines in pages:
        page = doc.new_page(width=595, height=842)
        for i, line in enumerate(lines):
            page.insert_text((72, 90 + 18 * i), line, fontsize=11, fontname="helv")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    doc.close()
    return path


def add_pdf_item(services: Services, pdf: Path, title: str = "Sparse features") -> int:
    """A library item whose PDF is a copy of ``pdf``, the way the app stores one."""
    item = services.library.add_item(title, kind="paper")
    relative = services.files.name_for(item_id=item.id, arxiv_id=None, version=None, title=title)
    services.files.store_copy(pdf, relative)
    services.library.update_item(item.id, pdf_path=relative)
    return item.id


def line_rects(pdf: Path, page_index: int, text: str) -> list[tuple[float, float, float, float]]:
    """Where ``text`` is on a page, as the viewer's selection would report it."""
    with pymupdf.open(pdf) as doc:
        return [tuple(r) for r in doc[page_index].search_for(text)]  # type: ignore[misc]
