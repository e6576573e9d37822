"""Real PDF annotations: read the ones other tools made, write ours into a copy.

Reading turns highlight, underline, strike-out, squiggly, text note, free text, ink and square
annotations into :class:`Annotation` values (``item_id`` 0, ``source`` "pdf") with the text under
them and their comment. Writing adds QuadPoints, colour, contents, author and dates, and builds
appearance streams (``annot.update()``) so poppler, pdf.js, Okular and Zotero all show them.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pymupdf
from pymupdf import mupdf  # the annotation type numbers (pymupdf re-exports them untyped)

from readerapp.core.anchoring import CONTEXT_CHARS, normalize
from readerapp.core.annotation import (
    FLOW_KEY,
    Annotation,
    AnnotationKind,
    Rect,
    normalize_color,
)
from readerapp.core.reading_text import as_read
from readerapp.pdf.annotation_keys import external_key, own_name
from readerapp.pdf.document import (
    MUPDF_LOCK,
    PasswordRequired,
    PdfError,
    open_pdf_file,
    page_text_layer,
)
from readerapp.pdf.textmap import DocumentText

_IMPORTED_TYPES = {
    mupdf.PDF_ANNOT_HIGHLIGHT: AnnotationKind.HIGHLIGHT,
    mupdf.PDF_ANNOT_UNDERLINE: AnnotationKind.UNDERLINE,
    mupdf.PDF_ANNOT_STRIKE_OUT: AnnotationKind.STRIKEOUT,
    mupdf.PDF_ANNOT_SQUIGGLY: AnnotationKind.SQUIGGLY,
    mupdf.PDF_ANNOT_TEXT: AnnotationKind.NOTE,
    mupdf.PDF_ANNOT_FREE_TEXT: AnnotationKind.FREETEXT,
    mupdf.PDF_ANNOT_INK: AnnotationKind.INK,
    mupdf.PDF_ANNOT_SQUARE: AnnotationKind.AREA,
}
_DEFAULT_IMPORT_COLOR = "#ffd400"


class PdfAnnotationError(Exception):
    """A PDF could not be read or written; str() is a sentence for the user."""


def read_annotations(path: Path | str) -> list[Annotation]:
    """The annotations stored in the PDF at ``path``, in page order, with the text under them."""
    with MUPDF_LOCK:  # MuPDF's context is shared with the viewer's render threads
        return _read_annotations(path)


def _read_annotations(path: Path | str) -> list[Annotation]:
    try:
        doc = open_pdf_file(path)
    except PasswordRequired:
        return []  # a locked file's own annotations cannot be read without its password
    except PdfError as exc:
        raise PdfAnnotationError(str(exc)) from exc
    with doc:
        marked = [
            index
            for index in range(doc.page_count)
            if any(a.type[0] in _IMPORTED_TYPES for a in doc[index].annots() or ())
        ]
        if not marked:
            return []
        # Only the pages that carry annotations: a 350-page paper with two notes stays quick.
        text = DocumentText.from_document(doc, set(marked))
        found = []
        for index in marked:
            page = doc[index]  # kept alive while its annotations are read (MuPDF needs it)
            for annot in page.annots() or ():
                kind = _IMPORTED_TYPES.get(annot.type[0])
                if kind is not None:
                    found.append(_from_pdf(annot, index, kind, text))
    return found


def _from_pdf(
    annot: pymupdf.Annot, index: int, kind: AnnotationKind, text: DocumentText
) -> Annotation:
    info = annot.info
    colors = annot.colors or {}
    rgb = colors.get("stroke") or colors.get("fill")
    color = _hex(rgb) if rgb else _DEFAULT_IMPORT_COLOR
    rect = _rect(annot.rect)
    extra: dict[str, Any] = {}
    quote = ""
    comment = (info.get("content") or "").strip()
    page = annot.parent
    if kind.is_text_markup:
        rects = _quad_rects(annot.vertices or []) or [rect]
        quote = _text_under(page, rects)
    else:
        rects = [rect]
        if kind is AnnotationKind.AREA:
            quote = _text_under(page, rects)
        elif kind is AnnotationKind.INK:
            extra["strokes"] = [[list(p) for p in stroke] for stroke in (annot.vertices or [])]
        elif kind is AnnotationKind.NOTE:
            extra["icon"] = info.get("name") or "Note"
    prefix = suffix = ""
    flow = text.flow_position(index, rects)
    if flow is not None:
        extra[FLOW_KEY] = flow
    span = text.quote_span(index, rects, quote) if quote else None
    if span:
        quote = text.text[span[0] : span[1]]
        prefix = text.text[max(0, span[0] - CONTEXT_CHARS) : span[0]].strip()
        suffix = text.text[span[1] : span[1] + CONTEXT_CHARS].strip()
    return Annotation(
        id=0,
        item_id=0,
        kind=kind,
        page=index + 1,
        color=color,
        quote=quote,
        comment=comment,
        rects=rects,
        prefix=prefix,
        suffix=suffix,
        source="pdf",
        external_key=external_key(annot, index),
        author=(info.get("title") or "").strip(),
        created=pdf_date_to_iso(info.get("creationDate", "")),
        modified=pdf_date_to_iso(info.get("modDate", "")),
        extra=extra,
    )


def _text_under(page: pymupdf.Page, rects: list[Rect]) -> str:
    """The characters under a markup's boxes. Boxes are trimmed a little at the sides because
    tools draw them a hair wider than the glyphs, which would pull in the next character."""
    parts = []
    layer = page_text_layer(page, pymupdf.TEXTFLAGS_TEXT)  # the page's text, not a text box's
    for x0, y0, x1, y1 in rects:
        inset = 1.5 if x1 - x0 > 6 else 0.0
        parts.append(
            page.get_textbox(pymupdf.Rect(x0 + inset, y0, x1 - inset, y1), textpage=layer).strip()
        )
    return normalize(as_read("\n".join(parts)))  # as Ctrl+C copies it: "com-", "pile": "compile"


def write_annotated(
    source: Path | str,
    target: Path | str,
    annotations: Iterable[Annotation],
    *,
    replaces: Callable[[str], bool] = lambda key: False,
    subject: Callable[[Annotation], str] = lambda a: "",
) -> int:
    """Write ``source`` with ``annotations`` added to ``target`` atomically; returns how many.

    Existing annotations for which ``replaces(external_key)`` is true are removed first (they
    were imported, and the library's version of them is the one to keep). Detached annotations
    have no place on a page and are left out. ``target`` may be ``source`` itself.
    """
    with MUPDF_LOCK:
        return _write_annotated(source, target, annotations, replaces, subject)


def _write_annotated(
    source: Path | str,
    target: Path | str,
    annotations: Iterable[Annotation],
    replaces: Callable[[str], bool],
    subject: Callable[[Annotation], str],
) -> int:
    source, target = Path(source), Path(target)
    try:
        doc = open_pdf_file(source)
    except PasswordRequired as exc:
        raise PdfAnnotationError(
            f"“{source.name}” is protected by a password, so readerapp cannot write an annotated "
            "copy of it."
        ) from exc
    except PdfError as exc:
        raise PdfAnnotationError(str(exc)) from exc
    written = 0
    with doc:
        for index in range(doc.page_count):
            page = doc[index]
            stale = [
                a.xref
                for a in page.annots() or ()
                if a.type[0] in _IMPORTED_TYPES and replaces(external_key(a, index))
            ]
            for xref in stale:
                page.delete_annot(page.load_annot(xref))
        for ann in annotations:
            if ann.detached or not ann.rects or not 1 <= ann.page <= doc.page_count:
                continue
            _add(doc[ann.page - 1], ann, subject(ann))
            written += 1
        _save_atomically(doc, target)
    return written


def _add(page: pymupdf.Page, ann: Annotation, subject: str) -> None:
    rgb = _rgb(ann.color)
    rects = [pymupdf.Rect(r) for r in ann.rects]
    kind = ann.kind
    if kind is AnnotationKind.HIGHLIGHT:
        annot = page.add_highlight_annot(quads=[r.quad for r in rects])
    elif kind is AnnotationKind.UNDERLINE:
        annot = page.add_underline_annot(quads=[r.quad for r in rects])
    elif kind is AnnotationKind.STRIKEOUT:
        annot = page.add_strikeout_annot(quads=[r.quad for r in rects])
    elif kind is AnnotationKind.SQUIGGLY:
        annot = page.add_squiggly_annot(quads=[r.quad for r in rects])
    elif kind is AnnotationKind.NOTE:
        annot = page.add_text_annot(rects[0].tl, ann.comment, icon=ann.extra.get("icon", "Note"))
    elif kind is AnnotationKind.FREETEXT:
        annot = page.add_freetext_annot(rects[0], ann.comment, fontsize=10, text_color=rgb)
    elif kind is AnnotationKind.INK:
        strokes = ann.extra.get("strokes") or [[list(rects[0].tl), list(rects[0].br)]]
        annot = page.add_ink_annot(strokes)
    else:  # AREA: a coloured frame around a figure or an equation
        annot = page.add_rect_annot(rects[0])
        annot.set_border(width=1.5)
    if kind is not AnnotationKind.FREETEXT:
        annot.set_colors(stroke=rgb)
    info = {
        "content": ann.comment,
        "title": ann.author,
        "subject": subject,
    }
    if ann.created:
        info["creationDate"] = iso_to_pdf_date(ann.created)
    if ann.modified:
        info["modDate"] = iso_to_pdf_date(ann.modified)
    annot.set_info(info)
    annot.update()  # appearance stream: what viewers without their own renderer show
    page.parent.xref_set_key(annot.xref, "NM", pymupdf.get_pdf_str(own_name(ann.item_id, ann.id)))


def _save_atomically(doc: pymupdf.Document, target: Path) -> None:
    """Temp file in the target's folder, fsync, rename: the old file stays whole until the end."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".annotated-", suffix=".pdf")
    except OSError as exc:
        raise PdfAnnotationError(f"{target} could not be written: {exc.strerror or exc}.") from exc
    os.close(fd)
    try:
        doc.save(tmp, garbage=1, deflate=True)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise PdfAnnotationError(f"{target} could not be written: {exc.strerror or exc}.") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _quad_rects(vertices: list[tuple[float, float]]) -> list[Rect]:
    """QuadPoints (four points per quad) as rectangles."""
    rects = []
    for i in range(0, len(vertices) - 3, 4):
        quad = pymupdf.Quad(*vertices[i : i + 4])
        rects.append(_rect(quad.rect))
    return rects


def _rect(r: pymupdf.Rect) -> Rect:
    return (round(r.x0, 2), round(r.y0, 2), round(r.x1, 2), round(r.y1, 2))


def _hex(rgb: Iterable[float]) -> str:
    values = list(rgb)[:3]
    return "#" + "".join(f"{max(0, min(255, round(v * 255))):02x}" for v in values)


def _rgb(color: str) -> tuple[float, float, float]:
    value = normalize_color(color) or _DEFAULT_IMPORT_COLOR
    return tuple(int(value[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?")


def pdf_date_to_iso(value: str) -> str:
    """'D:20240131120000Z' (any PDF date) as '2024-01-31T12:00:00Z'; '' when unreadable."""
    m = _PDF_DATE.match(value or "")
    if not m:
        return ""
    y, mo, d, h, mi, s = (
        g or default
        for g, default in zip(m.groups(), ("", "01", "01", "00", "00", "00"), strict=True)
    )
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}Z"


def iso_to_pdf_date(value: str) -> str:
    digits = re.sub(r"\D", "", value)[:14].ljust(14, "0")
    return f"D:{digits}Z"
