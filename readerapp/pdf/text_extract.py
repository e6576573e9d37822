"""The text of every page of a PDF, cleaned for the search index.

Goes through :class:`PdfDocument` so a bad file becomes a sentence and MuPDF is only entered under
its one lock (the viewer may be rendering in another thread); the lock is taken per page, so a
long paper never holds up a page render for more than one page's extraction.
"""

from __future__ import annotations

import re
from pathlib import Path

from readerapp.core.anchoring import normalize
from readerapp.pdf.document import PdfDocument

# A word split across lines ("trans-\nformer"): MuPDF keeps the hyphen and the line break.
_SPLIT_WORD = re.compile(r"(\w)-\n(?=[a-z])")
# Control characters never belong in text, and two of them mark matches in search snippets.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_page_text(text: str) -> str:
    """One line of plain text: hyphenated line breaks joined, ligatures expanded, spaces collapsed."""
    text = _CONTROL.sub(" ", text)
    return normalize(_SPLIT_WORD.sub(r"\1", text))


def extract_page_texts(path: Path) -> list[str]:
    """Every page's text, first page first ('' for a page without a text layer).

    Raises ``PdfError`` (a sentence) when the file cannot be opened.
    """
    doc = PdfDocument.open(path)
    try:
        return [clean_page_text(doc.text(page)) for page in range(doc.page_count)]
    finally:
        doc.close()
