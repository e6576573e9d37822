"""A new version of the PDF: every highlight lands on its words again, or is kept as detached."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from readerapp.core.annotation import AnnotationKind
from tests.annotation_helpers import PAGE_ONE, PAGE_TWO, add_pdf_item, line_rects, make_pdf

QUOTES = [
    (0, "interpretable features"),
    (0, "recovers features that are monosemantic"),
    (1, "features are causal"),
    (1, "do the features transfer across scales"),
]
REMOVED = (0, "most features are interpretable")


def _text_under(pdf: Path, page: int, rects) -> str:
    with pymupdf.open(pdf) as doc:
        return " ".join(doc[page - 1].get_textbox(pymupdf.Rect(r)) for r in rects)


def test_new_version_moves_every_highlight_and_detaches_a_removed_one(
    services, tmp_path: Path
) -> None:
    v1 = make_pdf(tmp_path / "v1.pdf", [PAGE_ONE, PAGE_TWO])
    item_id = add_pdf_item(services, v1)
    svc = services.annotations
    made = {
        quote: svc.create_text(item_id, page, line_rects(v1, page, quote), quote, comment=quote[:5])
        for page, quote in [*QUOTES, REMOVED]
    }
    area = svc.create_area(item_id, 1, (60, 60, 300, 100), color="#2ea8e5")

    # v2: a new title page, text inserted before and after the quotes, one sentence dropped,
    # and a reworded line (fuzzy): "transfer across scales" is kept, "Open question:" changes.
    v2_pages = [
        ["Version 2 of the paper", "with a new abstract page."],
        [
            "New first line before everything.",
            PAGE_ONE[0],
            "An inserted sentence.",
            PAGE_ONE[1],
            PAGE_ONE[2],
        ],
        [
            "A new paragraph opens page three.",
            PAGE_TWO[0],
            PAGE_TWO[1],
            "Question we leave open: do the features transfer across scales?",
            "Appendix follows.",
        ],
    ]
    v2 = make_pdf(tmp_path / "v2.pdf", v2_pages)
    report = svc.reanchor_item(item_id, v2)
    assert (report.exact, report.detached) == (4, 1)

    for page, quote in QUOTES:
        ann = next(a for a in svc.annotations(item_id) if a.id == made[quote].id)
        assert not ann.detached
        assert ann.page == page + 2  # everything moved one page down
        assert quote in " ".join(_text_under(v2, ann.page, ann.rects).split())
        assert ann.comment == quote[:5]

    lost = next(a for a in svc.annotations(item_id) if a.id == made[REMOVED[1]].id)
    assert lost.detached and lost.quote == REMOVED[1]
    # an area has no words to follow: it keeps its place
    kept = next(a for a in svc.annotations(item_id) if a.id == area.id)
    assert kept.kind is AnnotationKind.AREA and kept.page == 2 and not kept.detached


def test_fuzzy_reanchor_when_the_quote_was_reworded(services, tmp_path: Path) -> None:
    v1 = make_pdf(tmp_path / "v1.pdf", [PAGE_ONE, PAGE_TWO])
    item_id = add_pdf_item(services, v1)
    svc = services.annotations
    quote = "A limitation is the cost of training dictionaries."
    ann = svc.create_text(item_id, 1, line_rects(v1, 1, quote), quote)
    v2 = make_pdf(
        tmp_path / "v2.pdf",
        [
            PAGE_ONE,
            [
                PAGE_TWO[0],
                "One limitation is the cost of training large dictionaries.",
                PAGE_TWO[2],
            ],
        ],
    )
    report = svc.reanchor_item(item_id, v2)
    assert (report.fuzzy, report.detached) == (1, 0)
    moved = svc.annotations(item_id)[0]
    assert moved.id == ann.id and not moved.detached
    under = " ".join(_text_under(v2, moved.page, moved.rects).split())
    assert "limitation is the cost of training large dictionaries" in under


def test_detached_annotation_is_found_again_when_the_text_returns(services, tmp_path: Path) -> None:
    v1 = make_pdf(tmp_path / "v1.pdf", [PAGE_ONE])
    item_id = add_pdf_item(services, v1)
    svc = services.annotations
    quote = "residual stream"
    svc.create_text(item_id, 0, line_rects(v1, 0, quote), quote)
    empty = make_pdf(tmp_path / "v2.pdf", [["Nothing in common at all here."]])
    assert svc.reanchor_item(item_id, empty).detached == 1
    assert svc.reanchor_item(item_id, v1).exact == 1
    assert not svc.annotations(item_id)[0].detached


def test_unreadable_new_pdf_is_a_sentence_and_keeps_everything(services, tmp_path: Path) -> None:
    import pytest

    from readerapp.core.errors import UserError

    v1 = make_pdf(tmp_path / "v1.pdf", [PAGE_ONE])
    item_id = add_pdf_item(services, v1)
    svc = services.annotations
    svc.create_text(item_id, 0, line_rects(v1, 0, "residual stream"), "residual stream")
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    with pytest.raises(UserError, match="cannot be read"):
        svc.reanchor_item(item_id, junk)
    assert not svc.annotations(item_id)[0].detached
