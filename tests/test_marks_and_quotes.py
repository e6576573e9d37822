"""Other programs' annotations pass through the library untouched; quotes read as the page reads
(one text rule with Ctrl+C and search); reading order follows the columns; selections take the
page's own text only. Real PDFs made with PyMuPDF, a real library in a temp folder."""

from __future__ import annotations

import json
from pathlib import Path

import pymupdf
import pytest

from readerapp.app import Services
from readerapp.cli import main
from readerapp.core.annotation import AnnotationKind
from readerapp.core.reading_text import as_read
from readerapp.pdf.annotations import read_annotations
from readerapp.pdf.document import PdfDocument
from tests.annotation_helpers import add_pdf_item
from tests.pdf_samples import (
    FREETEXT_RECT,
    LEFT_COLUMN,
    RIGHT_COLUMN,
    make_hyphenated,
    make_marked_elsewhere,
    make_two_columns,
)


def _marks(path: Path) -> dict[str, tuple]:
    """Each annotation's type, box, colours, border and text, as a program reading the file sees
    them."""
    with pymupdf.open(path) as doc:
        return {
            annot.type[1]: (
                tuple(round(v, 2) for v in annot.rect),
                annot.colors,
                annot.border.get("width"),
                annot.info["content"],
                annot.vertices,
            )
            for annot in doc[0].annots()
        }


@pytest.fixture
def marked(empty_services: Services, tmp_path: Path) -> tuple[int, Path, dict]:
    """An item whose PDF came with another program's ink loop and text box, imported."""
    source = make_marked_elsewhere(tmp_path / "marked.pdf")
    item_id = add_pdf_item(empty_services, source)
    imported = empty_services.annotations.import_from_pdf(item_id)
    return item_id, source, {a.kind: a for a in imported}


def test_an_export_leaves_other_programs_annotations_as_they_were(
    empty_services: Services, tmp_path: Path, marked
) -> None:
    item_id, source, imported = marked
    service = empty_services.annotations
    assert len(imported) == 2
    out = tmp_path / "exported.pdf"
    assert service.export_pdf(item_id, out) == 2
    before, after = _marks(source), _marks(out)
    assert set(after) == {"Ink", "FreeText"}
    assert after == before  # same box, colours, border, text
    with pymupdf.open(out) as doc:  # the text box still writes in black, not in yellow
        (box,) = [a for a in doc[0].annots() if a.type[1] == "FreeText"]
        assert doc.xref_get_key(box.xref, "DA")[1].startswith("0 0 0 rg")


def test_an_annotation_changed_in_the_library_is_the_one_rewritten(
    empty_services: Services, tmp_path: Path, marked
) -> None:
    item_id, source, imported = marked
    service = empty_services.annotations
    service.update(imported[AnnotationKind.INK].id, comment="the hot loop")
    out = tmp_path / "exported.pdf"
    service.export_pdf(item_id, out)
    after = _marks(out)
    assert after["Ink"][3] == "the hot loop"
    assert after["FreeText"] == _marks(source)["FreeText"]
    assert len(read_annotations(out)) == 2  # replaced, not doubled


def test_quotes_read_as_ctrl_c_copies_in_the_pane_the_cli_and_search(
    empty_services: Services, home: Path, tmp_path: Path, capsys
) -> None:
    pdf = make_hyphenated(tmp_path / "jit.pdf")
    item_id = add_pdf_item(empty_services, pdf, "Trace-based JIT")
    doc = PdfDocument.open(empty_services.annotations.pdf_path(item_id))
    try:
        words = doc.words(0)
        first = next(w for w in words if w.text == "loops")
        last = next(w for w in words if w.text == "ternative")
        (selection,) = doc.selections_between(
            (0, (first.rect[0] + 1, first.rect[1] + 2)), (0, (last.rect[2] - 1, last.rect[1] + 2))
        )
    finally:
        doc.close()
    copied = as_read(selection.text)  # what Ctrl+C puts on the clipboard
    assert copied == "loops and compile them to machine code, an alternative"
    ann = empty_services.annotations.create_text(
        item_id, 0, list(selection.quads), selection.text, comment="why trace?"
    )
    assert ann.quote == copied
    empty_services.close()
    assert main(["--home", str(home), "annotations", str(item_id), "--format", "json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["quote"] == copied
    assert main(["--home", str(home), "annotations", str(item_id)]) == 0
    assert f"> {copied}" in capsys.readouterr().out
    assert main(["--home", str(home), "search", "compile"]) == 0
    found = capsys.readouterr().out
    assert "Trace-based JIT" in found and "com- pile" not in found


def test_an_imported_highlight_quotes_its_words_joined(
    empty_services: Services, tmp_path: Path
) -> None:
    pdf = make_hyphenated(tmp_path / "jit.pdf")
    with pymupdf.open(pdf) as doc:
        page = doc[0]
        quads = page.search_for("and com-") + page.search_for("pile them")
        page.add_highlight_annot(quads=quads).update()
        doc.saveIncr()
    item_id = add_pdf_item(empty_services, pdf)
    (ann,) = empty_services.annotations.import_from_pdf(item_id)
    assert ann.quote == "and compile them"


def test_reading_order_follows_the_columns(empty_services: Services, tmp_path: Path) -> None:
    pdf = make_two_columns(tmp_path / "columns.pdf")
    item_id = add_pdf_item(empty_services, pdf)
    service = empty_services.annotations
    with pymupdf.open(pdf) as doc:
        page = doc[0]

        def rects(text: str) -> list:
            return [tuple(r) for r in page.search_for(text)]

        # Made out of order: the right column's top line, then the left column's last two.
        right = service.create_text(item_id, 0, rects(RIGHT_COLUMN[0]), RIGHT_COLUMN[0])
        late = service.create_text(item_id, 0, rects(LEFT_COLUMN[6]), LEFT_COLUMN[6])
        early = service.create_text(item_id, 0, rects(LEFT_COLUMN[1]), LEFT_COLUMN[1])
        note = service.create_note(item_id, 0, (300, 230), "between the columns, at the end")
    listed = [a.id for a in service.annotations(item_id)]
    assert listed.index(early.id) < listed.index(late.id) < listed.index(right.id)
    assert note.id in listed
    rows = service.to_json(item_id)
    quotes = [r["quote"] for r in rows if r["quote"]]
    assert quotes == [LEFT_COLUMN[1], LEFT_COLUMN[6], RIGHT_COLUMN[0]]
    # A new version sets the columns the other way round: the order follows it.
    service.reanchor_item(item_id, make_two_columns(tmp_path / "v2.pdf", swapped=True))
    quotes = [a.quote for a in service.annotations(item_id) if a.quote]
    assert quotes == [RIGHT_COLUMN[0], LEFT_COLUMN[1], LEFT_COLUMN[6]]


def test_a_selection_takes_the_pages_text_not_a_text_box(tmp_path: Path) -> None:
    doc = PdfDocument.open(make_marked_elsewhere(tmp_path / "marked.pdf"))
    try:
        assert all(w.text not in ("Hello", "World") for w in doc.words(0))
        parts = doc.selections_between((0, (72, 650)), (1, (200, 120)))
        text = "\n".join(p.text for p in parts)
        assert "Hello" not in text and "Page 2 line 2" in text
        x0, y0, x1, y1 = FREETEXT_RECT
        for part in parts:
            for r in part.quads:
                assert not (r[0] < x1 and r[2] > x0 and r[1] < y1 and r[3] > y0)
        assert "Hello" not in doc.text(0)
    finally:
        doc.close()


def test_annotations_made_before_the_flow_was_recorded_find_their_place(
    empty_services: Services, tmp_path: Path
) -> None:
    pdf = make_two_columns(tmp_path / "columns.pdf")
    item_id = add_pdf_item(empty_services, pdf)
    service = empty_services.annotations
    with pymupdf.open(pdf) as doc:
        made = [
            service.create_text(item_id, 0, [tuple(r) for r in doc[0].search_for(line)], line)
            for line in (RIGHT_COLUMN[0], LEFT_COLUMN[6])
        ]
    for ann in made:  # as an older version stored them: no place in the text flow
        service.repo.set_extras({ann.id: {}})
    stamps = {a.id: a.modified for a in service.repo.for_item(item_id)}
    assert [a.quote for a in service.annotations(item_id)] == [LEFT_COLUMN[6], RIGHT_COLUMN[0]]
    assert all(a.flow is not None for a in service.repo.for_item(item_id))
    assert {a.id: a.modified for a in service.repo.for_item(item_id)} == stamps  # not edits
