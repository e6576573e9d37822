"""The identity of an annotation in a PDF file, the same for everything that reads the file.

Import, export and the viewer (which leaves the file's own drawing of a mark out once the
library has a version of its own) all name an annotation by its key.
"""

from __future__ import annotations

import hashlib

import pymupdf

OWN_NAME_PREFIX = "readerapp-"  # /NM of annotations we wrote: "readerapp-<item>-<annotation>"


def own_name(item_id: int, annotation_id: int) -> str:
    return f"{OWN_NAME_PREFIX}{item_id}-{annotation_id}"


def external_key(annot: pymupdf.Annot, index: int) -> str:
    """A stable identity for an annotation in a file: its /NM name, or a digest of what it is."""
    name = (annot.info.get("id") or "").strip()
    if name.startswith(OWN_NAME_PREFIX):
        return name
    if name and not name.startswith("fitz-"):  # PyMuPDF's own names repeat on every page
        return f"nm:{index}:{name}"
    r = annot.rect
    digest = hashlib.sha1(
        f"{index}|{annot.type[1]}|{r.x0:.1f},{r.y0:.1f},{r.x1:.1f},{r.y1:.1f}|"
        f"{annot.info.get('content', '')}".encode()
    ).hexdigest()[:16]
    return f"h:{index}:{digest}"
