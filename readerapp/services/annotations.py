"""Annotating items' PDFs: create from a selection, edit, import, re-anchor, export.

The one code path the GUI, the CLI and tests share. Every change is committed to SQLite before the
method returns, so a crash right after a highlight loses nothing.
"""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from readerapp.core.anchoring import CONTEXT_CHARS, TextAnchor, locate, make_anchor, normalize
from readerapp.core.annotation import (
    DEFAULT_COLOR,
    FLOW_KEY,
    Annotation,
    AnnotationKind,
    Rect,
    normalize_color,
)
from readerapp.core.errors import BadInputError, UserError
from readerapp.core.library_paths import outside_library_folder
from readerapp.core.reading_text import as_read
from readerapp.core.text_merge import merge_text
from readerapp.pdf.annotation_keys import OWN_NAME_PREFIX
from readerapp.pdf.annotations import (
    PdfAnnotationError,
    read_annotations,
    write_annotated,
)
from readerapp.pdf.textmap import DocumentText
from readerapp.services import settings
from readerapp.storage.annotations import AnnotationRepository, Place
from readerapp.storage.files import FileStore
from readerapp.storage.library import LibraryRepository

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CommentSave:
    """A typed comment as stored: ``before`` and ``after`` for undo, a sentence if merged."""

    before: Annotation
    after: Annotation
    notice: str = ""


@dataclass(frozen=True, slots=True)
class ReanchorReport:
    exact: int = 0
    fuzzy: int = 0
    detached: int = 0


class AnnotationService:
    """Annotations of the library's items, on top of the repository and the PDF files."""

    def __init__(self, library: LibraryRepository, repo: AnnotationRepository, files: FileStore):
        self.library = library
        self.repo = repo
        self.files = files
        self._text_cache: dict[tuple[str, int, int, int], DocumentText] = {}
        self._unreadable: set[int] = set()  # items whose PDF could not be read for the flow
        self._marks_cache: dict[tuple[str, int, int], dict[str, Annotation]] = {}

    # ---- settings -----------------------------------------------------------------------------
    @property
    def author(self) -> str:
        return settings.read(self.library, settings.ANNOTATION_AUTHOR) or os.environ.get("USER", "")

    @property
    def write_library_file(self) -> bool:
        return settings.read(self.library, settings.WRITE_LIBRARY_PDF)

    def set_write_library_file(self, on: bool) -> None:
        settings.write(self.library, settings.WRITE_LIBRARY_PDF, on)

    # ---- reading ------------------------------------------------------------------------------
    def annotations(self, item_id: int) -> list[Annotation]:
        """The item's annotations in reading order (see ``core.annotation.in_reading_order``)."""
        found = self.repo.for_item(item_id)
        unplaced = [a for a in found if FLOW_KEY not in a.extra and a.rects and not a.detached]
        if unplaced and item_id not in self._unreadable and self._place_in_flow(item_id, unplaced):
            found = self.repo.for_item(item_id)
        return found

    def _place_in_flow(self, item_id: int, unplaced: list[Annotation]) -> bool:
        """Find where the text flow reaches annotations made before it was recorded, once."""
        path = self.pdf_path(item_id)
        try:
            if path is None:
                raise FileNotFoundError("no PDF")
            text = DocumentText.from_path(path, {a.page - 1 for a in unplaced})
        except Exception as exc:  # a missing or broken file: the page order stays top-down
            log.info("annotations of item %s left in top-down order: %s", item_id, exc)
            self._unreadable.add(item_id)
            return False
        extras = {}
        for ann in unplaced:
            if not 0 < ann.page <= len(text.page_starts):
                continue
            place = _flow(text, ann.page - 1, list(ann.rects)) or {FLOW_KEY: -1}
            extras[ann.id] = {**ann.extra, **place}
        self.repo.set_extras(extras)
        return bool(extras)

    def pdf_path(self, item_id: int) -> Path | None:
        item = self.library.item(item_id)
        if item is None or not item.pdf_path:
            return None
        return self.files.absolute(item.pdf_path)

    # ---- creating -----------------------------------------------------------------------------
    def create_text(
        self,
        item_id: int,
        page_index: int,
        rects: list[Rect],
        text: str = "",
        *,
        kind: AnnotationKind = AnnotationKind.HIGHLIGHT,
        color: str = DEFAULT_COLOR,
        comment: str = "",
    ) -> Annotation:
        """A text markup over ``rects`` on 0-based ``page_index``, anchored by the words there."""
        if not rects:
            raise BadInputError("Select some text first.")
        quote, prefix, suffix = normalize(as_read(text)), "", ""  # as Ctrl+C copies it
        doc_text = self._text_of(item_id, page_index)
        if doc_text is not None:
            span = doc_text.quote_span(page_index, rects, quote)
            if span is not None:
                anchor = make_anchor(doc_text.text, span[0], span[1], CONTEXT_CHARS)
                quote, prefix, suffix = anchor.quote, anchor.prefix, anchor.suffix
        return self._add(
            Annotation(
                id=0,
                item_id=item_id,
                kind=kind,
                page=page_index + 1,
                color=_color(color),
                quote=quote,
                comment=comment,
                rects=[_round(r) for r in rects],
                prefix=prefix,
                suffix=suffix,
                author=self.author,
                extra=_flow(doc_text, page_index, rects),
            )
        )

    def create_area(
        self,
        item_id: int,
        page_index: int,
        rect: Rect,
        *,
        color: str = DEFAULT_COLOR,
        comment: str = "",
    ) -> Annotation:
        """A rectangle over a figure or an equation; the words inside become its quote."""
        rect = _round(_ordered(rect))
        doc_text = self._text_of(item_id, page_index)
        quote = doc_text.text_in_rects(page_index, [rect]) if doc_text else ""
        return self._add(
            Annotation(
                id=0,
                item_id=item_id,
                kind=AnnotationKind.AREA,
                page=page_index + 1,
                color=_color(color),
                quote=quote,
                comment=comment,
                rects=[rect],
                author=self.author,
                extra=_flow(doc_text, page_index, [rect]),
            )
        )

    def create_note(
        self,
        item_id: int,
        page_index: int,
        point: tuple[float, float],
        comment: str = "",
        *,
        color: str = DEFAULT_COLOR,
    ) -> Annotation:
        """A sticky note at ``point`` (PDF coordinates) on 0-based ``page_index``."""
        x, y = point
        rect = _round((x, y, x + 20, y + 20))
        flow = _flow(self._text_of(item_id, page_index), page_index, [rect])
        return self._add(
            Annotation(
                id=0,
                item_id=item_id,
                kind=AnnotationKind.NOTE,
                page=page_index + 1,
                color=_color(color),
                comment=comment,
                rects=[rect],
                author=self.author,
                extra={"icon": "Note", **flow},
            )
        )

    def _add(self, ann: Annotation) -> Annotation:
        if self.library.item(ann.item_id) is None:
            raise UserError("That item no longer exists; the annotation was not made.")
        return self.repo.add(ann)

    # ---- editing (each returns what undo needs) -----------------------------------------------
    def update(self, annotation_id: int, **fields: object) -> tuple[Annotation, Annotation]:
        """Change fields; returns (before, after)."""
        before = self.repo.get(annotation_id)
        if before is None:
            raise UserError("That annotation no longer exists.")
        if "color" in fields:
            fields["color"] = _color(str(fields["color"]))
        after = self.repo.update(annotation_id, **fields)
        return before, after

    def save_comment(self, seen: Annotation, comment: str) -> CommentSave:
        """Write a comment typed over ``seen`` (the annotation as the editor last saw it).

        When the comment was changed elsewhere meanwhile, both versions are kept (the other one
        marked after the user's) and the result says so; see :mod:`readerapp.core.text_merge`.
        An annotation deleted elsewhere meanwhile is put back, with the comment.
        """
        with self.repo.db.transaction():
            before = self.repo.get(seen.id)
            if before is None:
                if self.library.item(seen.item_id) is None:
                    raise UserError(
                        "That annotation and its paper were deleted elsewhere; your comment was "
                        f"not saved: “{comment}”."
                    )
                after = self.repo.add(seen.copy(comment=comment))
                return CommentSave(
                    seen,
                    after,
                    "That annotation had been deleted elsewhere while you were typing its "
                    "comment; it is back, with your comment.",
                )
            text, notice = comment, ""
            if before.revision != seen.revision:
                merged = merge_text(
                    seen.comment,
                    comment,
                    before.comment,
                    when=datetime.now().strftime("%H:%M"),
                    one_line=True,
                )
                text = merged.text
                if merged.conflict:
                    notice = (
                        "That comment was also changed elsewhere; both versions are kept "
                        "(the other one is marked after yours)."
                    )
            after = self.repo.update(seen.id, comment=text) if text != before.comment else before
        return CommentSave(before, after, notice)

    def delete(self, annotation_id: int) -> Annotation | None:
        return self.repo.delete(annotation_id)

    def restore(self, annotation: Annotation) -> Annotation:
        """Put a deleted annotation back with its id (undo of delete, redo of create)."""
        if self.repo.get(annotation.id) is not None:
            return annotation
        if self.library.item(annotation.item_id) is None:
            raise UserError("The item of that annotation no longer exists.")
        return self.repo.add(annotation)

    # ---- annotations made by other tools ------------------------------------------------------
    def import_from_pdf(self, item_id: int, path: Path | None = None) -> list[Annotation]:
        """Import the PDF's own annotations once; returns the new ones (none on a second open)."""
        path = path or self.pdf_path(item_id)
        if path is None or not path.exists():
            return []
        try:
            found = list(self._file_marks(path).values())  # read once for the viewer too
        except PdfAnnotationError as exc:
            raise UserError(str(exc)) from exc
        seen = self.repo.imported_keys(item_id)
        ours = f"{OWN_NAME_PREFIX}{item_id}-"
        new = [
            a.copy(item_id=item_id)
            for a in found
            if a.external_key
            and a.external_key not in seen
            and not a.external_key.startswith(ours)  # written by us from this very item
        ]
        return self.repo.add_many(new) if new else []

    # ---- surviving a new PDF ------------------------------------------------------------------
    def reanchor_item(self, item_id: int, new_pdf_path: Path | str) -> ReanchorReport:
        """Find every annotation of ``item_id`` again in ``new_pdf_path`` and store its new place.

        Text annotations move by their quote and context (exact, then fuzzy); ones not found are
        kept, marked detached. Notes, areas and ink keep their page and position.
        Call it after the item's PDF was replaced (a new arXiv version, a re-download, a move).
        """
        try:
            text = DocumentText.from_path(new_pdf_path)
        except Exception as exc:
            log.warning("The text of %s could not be read", new_pdf_path, exc_info=True)
            raise UserError(f"{Path(new_pdf_path).name} cannot be read as a PDF ({exc}).") from exc
        exact = fuzzy = detached = 0
        places: list[Place] = []
        page_count = len(text.page_starts)
        for ann in self.repo.for_item(item_id):
            if not ann.kind.is_text_markup or not ann.quote:
                page = min(ann.page, max(1, page_count))
                extra = _with_flow(ann.extra, text, page - 1, list(ann.rects))
                places.append(
                    (ann.id, page, list(ann.rects), ann.detached, ann.prefix, ann.suffix, extra)
                )
                continue
            hint_page = min(max(ann.page - 1, 0), max(page_count - 1, 0))
            hint = text.page_starts[hint_page] if text.page_starts else None
            match = locate(text.text, TextAnchor(ann.quote, ann.prefix, ann.suffix), hint)
            spots = text.rects_for(match.start, match.end) if match else []
            if not spots:
                detached += 1
                places.append(
                    (ann.id, ann.page, list(ann.rects), True, ann.prefix, ann.suffix, ann.extra)
                )
                continue
            exact += int(match.exact)  # type: ignore[union-attr]
            fuzzy += int(not match.exact)  # type: ignore[union-attr]
            # A quote that now runs across a page break stays on the page holding most of it.
            page_index, rects = max(spots, key=lambda s: len(s[1]))
            anchor = make_anchor(text.text, match.start, match.end)  # type: ignore[union-attr]
            extra = _with_flow(ann.extra, text, page_index, rects)
            places.append(
                (ann.id, page_index + 1, rects, False, anchor.prefix, anchor.suffix, extra)
            )
        self.repo.update_places(places)
        self._text_cache.clear()
        return ReanchorReport(exact, fuzzy, detached)

    # ---- export -------------------------------------------------------------------------------
    def export_pdf(self, item_id: int, out: Path | str) -> int:
        """Write a copy of the item's PDF with real PDF annotations; returns how many."""
        source = self.pdf_path(item_id)
        if source is None:
            raise UserError("This item has no PDF to export.")
        if not source.exists():
            raise UserError(f"The PDF of this item is missing ({source}).")
        out = Path(out)
        if out.resolve() == source.resolve():
            if not self.write_library_file:
                raise BadInputError(
                    "Exporting over the library's own PDF is off; choose another file name, or "
                    "turn on “write annotations into the library's PDFs”."
                )
        else:  # never over another paper's PDF, the database or a backup
            outside_library_folder(self.files.paths.root, out)
        return self._write(item_id, source, out)

    def sync_library_file(self, item_id: int) -> bool:
        """Rewrite the library's own PDF with the annotations, if the user turned that on."""
        source = self.pdf_path(item_id)
        if not self.write_library_file or source is None or not source.exists():
            return False
        self._write(item_id, source, source)
        self._text_cache.clear()
        return True

    def _write(self, item_id: int, source: Path, out: Path) -> int:
        """Write ``source`` with the item's annotations into ``out``; returns how many it holds.

        An annotation that came with the PDF and was not changed here stays exactly as the
        other program wrote it (its appearance, colours and box): only the ones changed or
        deleted in the library are replaced.
        """
        annotations = self.repo.for_item(item_id)
        try:
            untouched, replaces = self._replacement(item_id, annotations, source)
            written = write_annotated(
                source,
                out,
                [a for a in annotations if a.external_key not in untouched],
                replaces=replaces,
                subject=lambda a: self.repo.meaning(a.color),
            )
        except PdfAnnotationError as exc:
            raise UserError(str(exc)) from exc
        return written + len(untouched)

    def _replacement(
        self, item_id: int, annotations: list[Annotation], path: Path
    ) -> tuple[set[str], Callable[[str], bool]]:
        """The keys of ``annotations`` the file at ``path`` still shows as they are, and which
        of the file's annotations (by key) the library's versions replace: the ones imported
        and then changed or deleted here, and the ones written from this item before."""
        imported = self.repo.imported_keys(item_id)
        ours = f"{OWN_NAME_PREFIX}{item_id}-"
        kept = self._untouched(annotations, path)
        untouched = {a.external_key for a in annotations if a.id in kept and a.external_key}

        def replaces(key: str) -> bool:
            return (key in imported or key.startswith(ours)) and key not in untouched

        return untouched, replaces

    def replaced_in_file(self, item_id: int, annotations: list[Annotation]) -> dict[int, set[str]]:
        """The annotations of the item's PDF that the library has its own version of (or
        deleted), by page (0-based) and key: an export leaves them out, and the viewer leaves
        them off the page, where it draws the library's version."""
        path = self.pdf_path(item_id)
        # Nothing imported, nothing written into it: the file holds no mark of the library's.
        if path is None or not (self.write_library_file or self.repo.imported_keys(item_id)):
            return {}
        try:
            in_file = self._file_marks(path)
            if not in_file:
                return {}
            _untouched, replaces = self._replacement(item_id, annotations, path)
        except PdfAnnotationError as exc:  # unreadable now: the page shows what it shows
            log.info("annotations of %s not compared with the file: %s", path.name, exc)
            return {}
        replaced: dict[int, set[str]] = {}
        for key, mark in in_file.items():
            if replaces(key):
                replaced.setdefault(mark.page - 1, set()).add(key)
        return replaced

    def shown_by_the_file(self, item_id: int, annotations: list[Annotation]) -> set[int]:
        """The ids of ``annotations`` that came with the item's PDF and are unchanged: the page
        shows them as the other program drew them, so the viewer does not draw them again."""
        path = self.pdf_path(item_id)
        if path is None or not any(a.source == "pdf" for a in annotations):
            return set()
        try:
            return self._untouched(annotations, path)
        except PdfAnnotationError as exc:  # unreadable now: the viewer draws them all itself
            log.info("annotations of %s not compared with the file: %s", path.name, exc)
            return set()

    def _untouched(self, annotations: list[Annotation], path: Path) -> set[int]:
        """The ids of imported annotations that still say what the file at ``path`` does."""
        in_file = self._file_marks(path)
        return {
            a.id
            for a in annotations
            if a.source == "pdf"
            and a.external_key in in_file
            and _same_mark(a, in_file[a.external_key])
        }

    def _file_marks(self, path: Path) -> dict[str, Annotation]:
        """The annotations in the file at ``path`` by external key (cached while it is unchanged:
        the viewer asks after every edit)."""
        try:
            stat = path.stat()
        except OSError as exc:
            raise PdfAnnotationError(f"{path.name} cannot be read ({exc.strerror}).") from exc
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        cached = self._marks_cache.get(key)
        if cached is None:
            cached = {a.external_key: a for a in read_annotations(path) if a.external_key}
            self._marks_cache = {key: cached}  # one file at a time: the tab in front
        return cached

    def to_json(self, item_id: int) -> list[dict[str, Any]]:
        meanings = {p.color: p.meaning for p in self.repo.palette()}
        return [
            {
                "id": a.id,
                "kind": str(a.kind),
                "page": a.page,
                "color": a.color,
                "meaning": meanings.get(a.color, ""),
                "quote": a.quote,
                "comment": a.comment,
                "detached": a.detached,
                "source": a.source,
                "author": a.author,
                "created": a.created,
                "modified": a.modified,
                "rects": [list(r) for r in a.rects],
            }
            for a in self.annotations(item_id)
        ]

    def to_markdown(self, item_id: int, group: str = "colour") -> str:
        """The item's notes and annotations as Markdown, grouped by colour meaning or by page."""
        item = self.library.item(item_id)
        if item is None:
            raise UserError("That item no longer exists.")
        lines = [f"# {item.title}", ""]
        if item.notes.strip():
            lines += ["## Notes", "", item.notes.strip(), ""]
        anns = self.annotations(item_id)
        if not anns:
            lines += ["_No highlights or notes yet._", ""]
            return "\n".join(lines)
        groups: dict[str, list[Annotation]] = defaultdict(list)
        if group == "page":
            for a in anns:
                groups["Detached" if a.detached else f"Page {a.page}"].append(a)
        else:
            meanings = {p.color: p.meaning for p in self.repo.palette()}
            order = list(meanings)
            for a in sorted(anns, key=lambda a: order.index(a.color) if a.color in order else 99):
                groups[meanings.get(a.color, a.color).capitalize()].append(a)
        for title, members in groups.items():
            lines += [f"## {title}", ""]
            for a in members:
                lines.append(_markdown_entry(a, show_page=group != "page"))
            lines.append("")
        return "\n".join(lines)

    # ---- helpers ------------------------------------------------------------------------------
    def _text_of(self, item_id: int, page_index: int) -> DocumentText | None:
        """The text of one page of the item's PDF (cached while the file is unchanged)."""
        path = self.pdf_path(item_id)
        if path is None:
            return None
        try:
            stat = path.stat()
            key = (str(path), stat.st_mtime_ns, stat.st_size, page_index)
            if key not in self._text_cache:
                if len(self._text_cache) > 32:
                    self._text_cache.clear()
                self._text_cache[key] = DocumentText.from_path(
                    path, range(page_index, page_index + 1)
                )
        except Exception:  # an unreadable file: the annotation is still made, without context
            log.warning(
                "The text around an annotation in %s could not be read", path, exc_info=True
            )
            return None
        return self._text_cache[key]


def _markdown_entry(a: Annotation, *, show_page: bool) -> str:
    where = f"p. {a.page}" if show_page and not a.detached else ("detached" if a.detached else "")
    label = "" if a.kind is AnnotationKind.HIGHLIGHT else f"{a.kind}"
    meta = ", ".join(x for x in (label, where) if x)
    body = f"> {a.quote}" if a.quote else ""
    parts = []
    if body:
        parts.append(f"- {body}" + (f" ({meta})" if meta else ""))
        if a.comment:
            parts.append(f"  - {a.comment}")
    else:
        parts.append(
            f"- {a.comment or '(empty ' + str(a.kind) + ')'}" + (f" ({meta})" if meta else "")
        )
    return "\n".join(parts)


def _same_mark(kept: Annotation, in_file: Annotation) -> bool:
    """Whether the library's copy of an imported annotation still says what the file's does."""
    return (
        kept.kind is in_file.kind
        and kept.page == in_file.page
        and kept.color == in_file.color
        and kept.comment == in_file.comment
        and not kept.detached
        and [tuple(r) for r in kept.rects] == [tuple(r) for r in in_file.rects]
    )


def _with_flow(
    extra: dict[str, Any], text: DocumentText, page_index: int, rects: list[Rect]
) -> dict[str, Any]:
    """``extra`` with the place in the text flow of the page the annotation is now on."""
    kept = {k: v for k, v in extra.items() if k != FLOW_KEY}
    return {**kept, **_flow(text, page_index, rects)}


def _flow(text: DocumentText | None, page_index: int, rects: list[Rect]) -> dict[str, Any]:
    """``Annotation.extra`` holding where the page's text flow reaches ``rects`` (if known)."""
    flow = text.flow_position(page_index, rects) if text is not None else None
    return {FLOW_KEY: flow} if flow is not None else {}


def _color(value: str) -> str:
    color = normalize_color(value)
    if color is None:
        raise BadInputError(f"“{value}” is not a colour; use #rrggbb.")
    return color


def _round(r: Rect | list[float]) -> Rect:
    return (round(r[0], 2), round(r[1], 2), round(r[2], 2), round(r[3], 2))


def _ordered(r: Rect) -> Rect:
    return (min(r[0], r[2]), min(r[1], r[3]), max(r[0], r[2]), max(r[1], r[3]))
