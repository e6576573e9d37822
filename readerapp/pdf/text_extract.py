"""The text of every page of a PDF, cleaned for the search index.

MuPDF is only entered under the viewer's one lock (it may be rendering in another thread), taken
per page so a long paper never holds up a render for more than one page's extraction. A file
that cannot be opened gets :class:`PdfDocument`'s sentence for it.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pymupdf

from readerapp.core.anchoring import normalize
from readerapp.core.reading_text import join_broken_words
from readerapp.pdf.document import MUPDF_LOCK, PdfDocument, page_text

log = logging.getLogger(__name__)

# Control characters never belong in text, and two of them mark matches in search snippets.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Characters only normalize() handles (ligatures, soft hyphens); most pages have none, and
# skipping its per-character translation keeps indexing close to the cost of extraction.
_SPECIAL = re.compile("[\u00ad\u200b\ufb00-\ufb04]")


def clean_page_text(text: str) -> str:
    """One line of plain text: hyphenated line breaks joined, ligatures expanded, spaces collapsed."""
    text = join_broken_words(text)  # "trans-\nformer": MuPDF keeps the hyphen and the break
    if _CONTROL.search(text):
        text = _CONTROL.sub(" ", text)
    if _SPECIAL.search(text):
        return normalize(text)
    return " ".join(text.split())


def extract_page_texts(path: Path) -> list[str]:
    """Every page's text, first page first ('' for a page without a text layer).

    Raises ``PdfError`` (a sentence) when the file cannot be opened.
    """
    doc = None
    if _looks_like_pdf(Path(path)):  # MuPDF would happily read an HTML page as a document
        with MUPDF_LOCK:
            try:
                doc = pymupdf.open(path, filetype="pdf")
            except Exception:  # PdfDocument.open below says what is wrong with the file
                log.debug("MuPDF could not open %s directly", path, exc_info=True)
                doc = None
    if doc is None or doc.needs_pass or doc.page_count == 0:
        if doc is not None:
            with MUPDF_LOCK:
                doc.close()
        fallback = PdfDocument.open(path)  # raises the sentence for a file it cannot open
        try:
            return [clean_page_text(fallback.text(n)) for n in range(fallback.page_count)]
        finally:
            fallback.close()
    try:
        pages = []
        for number in range(doc.page_count):
            with MUPDF_LOCK:  # per page: a render waiting for the lock waits one page at most
                try:
                    text = page_text(doc.load_page(number))
                except Exception:  # one broken page: the others are still searchable
                    log.warning(
                        "MuPDF could not read page %d of %s", number + 1, path, exc_info=True
                    )
                    text = ""
            pages.append(clean_page_text(text))
        return pages
    finally:
        with MUPDF_LOCK:
            doc.close()


def _looks_like_pdf(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return b"%PDF-" in fh.read(1024)
    except OSError:
        return False
