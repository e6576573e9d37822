"""Annotations made by other tools are imported once; exported ones read back the same."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from readerapp.core.annotation import AnnotationKind
from readerapp.pdf.annotations import PdfAnnotationError, read_annotations, write_annotated
from readerapp.pdf.document import PdfDocument
from tests.annotation_helpers import PAGE_ONE, PAGE_TWO, add_pdf_item, line_rects, make_pdf
from tests.pdf_samples import make_marked_elsewhere


def _annotate_like_another_tool(path: Path) -> Path:
    """A PDF with one annotation of every kind a reader makes, as Okular or Zotero would."""
    doc = pymupdf.open(path)
    p1, p2 = doc[0], doc[1]
    h = p1.add_highlight_annot(quads=[r.quad for r in p1.search_for("monosemantic")])
    h.set_colors(stroke=(1, 0.4, 0.4))
    h.set_info(content="key claim", title="Ada", creationDate="D:20240131120000Z")
    h.update()
    u = p1.add_underline_annot(quads=[r.quad for r in p1.search_for("residual stream")])
    u.set_info(content="", title="Ada")
    u.update()
    s = p2.add_strikeout_annot(quads=[r.quad for r in p2.search_for("cost of training")])
    s.update()
    q = p2.add_squiggly_annot(quads=[r.quad for r in p2.search_for("transfer across scales")])
    q.update()
    n = p2.add_text_annot((400, 300), "Check the appendix")
    n.update()
    f = p1.add_freetext_annot(pymupdf.Rect(300, 400, 500, 440), "Margin remark", fontsize=10)
    f.update()
    i = p1.add_ink_annot([[(100, 500), (150, 520), (200, 500)]])
    i.update()
    out = path.with_name("annotated-elsewhere.pdf")
    doc.save(out)
    doc.close()
    return out


def test_reads_every_kind_with_text_and_comments(tmp_path: Path) -> None:
    pdf = _annotate_like_another_tool(make_pdf(tmp_path / "a.pdf", [PAGE_ONE, PAGE_TWO]))
    found = read_annotations(pdf)
    by_kind = {a.kind: a for a in found}
    assert set(by_kind) == {
        AnnotationKind.HIGHLIGHT,
        AnnotationKind.UNDERLINE,
        AnnotationKind.STRIKEOUT,
        AnnotationKind.SQUIGGLY,
        AnnotationKind.NOTE,
        AnnotationKind.FREETEXT,
        AnnotationKind.INK,
    }
    h = by_kind[AnnotationKind.HIGHLIGHT]
    assert (h.quote, h.comment, h.author, h.color, h.page) == (
        "monosemantic",
        "key claim",
        "Ada",
        "#ff6666",
        1,
    )
    assert h.created == "2024-01-31T12:00:00Z"
    assert by_kind[AnnotationKind.UNDERLINE].quote == "residual stream"
    assert by_kind[AnnotationKind.STRIKEOUT].quote == "cost of training"
    assert by_kind[AnnotationKind.STRIKEOUT].page == 2
    assert by_kind[AnnotationKind.SQUIGGLY].quote == "transfer across scales"
    assert by_kind[AnnotationKind.NOTE].comment == "Check the appendix"
    assert by_kind[AnnotationKind.FREETEXT].comment == "Margin remark"
    assert by_kind[AnnotationKind.INK].extra["strokes"]
    assert len({a.external_key for a in found}) == len(found)


def test_import_once_even_after_reopening_or_deleting(services, tmp_path: Path) -> None:
    pdf = _annotate_like_another_tool(make_pdf(tmp_path / "a.pdf", [PAGE_ONE, PAGE_TWO]))
    item_id = add_pdf_item(services, pdf)
    first = services.annotations.import_from_pdf(item_id)
    assert len(first) == 7
    assert services.annotations.import_from_pdf(item_id) == []
    services.annotations.delete(first[0].id)
    assert services.annotations.import_from_pdf(item_id) == []
    assert len(services.annotations.annotations(item_id)) == 6


def test_export_reads_back_with_same_annotations_colours_and_text(services, tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "a.pdf", [PAGE_ONE, PAGE_TWO])
    item_id = add_pdf_item(services, pdf)
    svc = services.annotations
    made = [
        svc.create_text(
            item_id,
            0,
            line_rects(pdf, 0, "interpretable features"),
            "interpretable features",
            color="#ffd400",
            comment="claim",
        ),
        svc.create_text(
            item_id,
            0,
            line_rects(pdf, 0, "residual stream"),
            kind=AnnotationKind.UNDERLINE,
            color="#5fb236",
        ),
        svc.create_text(
            item_id,
            1,
            line_rects(pdf, 1, "cost of training"),
            kind=AnnotationKind.STRIKEOUT,
            color="#ff6666",
        ),
        svc.create_area(item_id, 1, (60, 60, 400, 120), color="#2ea8e5", comment="the ablation"),
        svc.create_note(item_id, 1, (450, 300), "ask the authors", color="#a28ae5"),
    ]
    out = tmp_path / "out" / "annotated.pdf"
    assert svc.export_pdf(item_id, out) == 5
    back = read_annotations(out)

    def facts(anns):
        return sorted((str(a.kind), a.page, a.color, a.quote, a.comment) for a in anns)

    assert facts(back) == facts(made)
    assert made[0].quote == "interpretable features"
    with pymupdf.open(out) as doc:
        annots = list(doc[0].annots())
        assert all(
            a.xref and doc.xref_get_key(a.xref, "AP")[0] != "null" for a in annots
        )  # appearance
        assert doc.xref_get_key(annots[0].xref, "QuadPoints")[0] == "array"
        assert annots[0].info["title"] == svc.author
        assert annots[0].info["creationDate"].startswith("D:")
    # the library's own file was not touched
    assert read_annotations(svc.pdf_path(item_id)) == []


def test_exporting_an_imported_pdf_does_not_duplicate(services, tmp_path: Path) -> None:
    pdf = _annotate_like_another_tool(make_pdf(tmp_path / "a.pdf", [PAGE_ONE, PAGE_TWO]))
    item_id = add_pdf_item(services, pdf)
    imported = services.annotations.import_from_pdf(item_id)
    services.annotations.update(imported[0].id, color="#5fb236")
    out = tmp_path / "copy.pdf"
    services.annotations.export_pdf(item_id, out)
    back = read_annotations(out)
    assert len(back) == 7
    assert sorted(a.color for a in back).count("#5fb236") >= 1


def test_library_file_is_rewritten_only_when_turned_on(services, tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "a.pdf", [PAGE_ONE, PAGE_TWO])
    item_id = add_pdf_item(services, pdf)
    svc = services.annotations
    svc.create_text(item_id, 0, line_rects(pdf, 0, "residual stream"))
    assert svc.sync_library_file(item_id) is False
    assert read_annotations(svc.pdf_path(item_id)) == []
    svc.set_write_library_file(True)
    assert svc.sync_library_file(item_id) is True
    assert [a.quote for a in read_annotations(svc.pdf_path(item_id))] == ["residual stream"]
    # opening the rewritten file again imports nothing: those are our own
    assert svc.import_from_pdf(item_id) == []
    assert svc.sync_library_file(item_id) is True  # rewriting again replaces, never duplicates
    assert len(read_annotations(svc.pdf_path(item_id))) == 1
    assert not list(svc.pdf_path(item_id).parent.glob(".annotated-*"))


def test_writing_to_an_unwritable_place_is_a_sentence(services, tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "a.pdf", [PAGE_ONE])
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(PdfAnnotationError, match="could not be written"):
        write_annotated(pdf, blocker / "out.pdf", [])


def test_annotations_left_off_the_page_come_back_exactly_as_the_file_draws_them(
    tmp_path: Path,
) -> None:
    pdf = make_marked_elsewhere(tmp_path / "marked.pdf", highlight=True)
    keys = {a.kind: a.external_key for a in read_annotations(pdf)}
    document = PdfDocument.open(pdf)

    def page_one() -> bytes:
        return b"".join(bytes(band.samples) for band in document.render(0, 1.0).bands)

    try:
        as_in_file = page_one()
        assert document.hide_annotations({0: {keys[AnnotationKind.HIGHLIGHT]}}) == {0}
        without = page_one()
        assert without != as_in_file
        assert document.hide_annotations({0: {keys[AnnotationKind.HIGHLIGHT]}}) == set()
        # Every one off, then all back: the other program's ink and text box look as before.
        everything = {0: set(keys.values())}
        assert document.hide_annotations(everything) == {0}
        assert page_one() not in (as_in_file, without)
        assert document.hide_annotations({}) == {0}
        assert page_one() == as_in_file
    finally:
        document.close()
    assert read_annotations(pdf)[0].external_key in keys.values()  # the file itself unchanged
    with pymupdf.open(pdf) as doc:
        assert all(not a.flags & pymupdf.PDF_ANNOT_IS_HIDDEN for a in doc[0].annots())
