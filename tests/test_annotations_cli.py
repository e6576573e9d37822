"""`readerapp annotations X` and `readerapp export-pdf X OUT.pdf`: output, exit codes, sentences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readerapp.app import open_services
from readerapp.cli import main
from readerapp.core.annotation import AnnotationKind
from readerapp.pdf.annotations import read_annotations
from tests.annotation_helpers import PAGE_ONE, PAGE_TWO, add_pdf_item, line_rects, make_pdf


@pytest.fixture
def annotated(home: Path, tmp_path: Path) -> int:
    """An item with a claim, a method (commented), a question on page 2 and a sticky note."""
    services = open_services(str(home), seed=False)
    try:
        pdf = make_pdf(tmp_path / "paper.pdf", [PAGE_ONE, PAGE_TWO])
        item_id = add_pdf_item(services, pdf, "Sparse features")
        services.library.update_item(
            item_id, arxiv_id="2304.15004", notes="Read for the lab meeting."
        )
        svc = services.annotations
        svc.create_text(
            item_id, 0, line_rects(pdf, 0, "interpretable features"), "interpretable features"
        )
        svc.create_text(
            item_id,
            0,
            line_rects(pdf, 0, "residual stream"),
            "residual stream",
            color="#5fb236",
            comment="which layer?",
        )
        svc.create_text(
            item_id,
            1,
            line_rects(pdf, 1, "transfer across scales"),
            "transfer across scales",
            color="#a28ae5",
            kind=AnnotationKind.UNDERLINE,
        )
        svc.create_note(item_id, 1, (400, 500), "ask the authors")
        return item_id
    finally:
        services.close()


def test_json_lists_every_annotation_in_reading_order(annotated: int, home: Path, capsys) -> None:
    assert main(["--home", str(home), "annotations", str(annotated), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["kind"], r["page"], r["quote"]) for r in rows] == [
        ("highlight", 1, "interpretable features"),
        ("highlight", 1, "residual stream"),
        ("underline", 2, "transfer across scales"),
        ("note", 2, ""),
    ]
    assert rows[1]["comment"] == "which layer?" and rows[1]["color"] == "#5fb236"
    assert rows[1]["meaning"] == "method" and isinstance(rows[0]["id"], int)


def test_markdown_grouped_by_colour_meaning_and_by_page(annotated: int, home: Path, capsys) -> None:
    assert main(["--home", str(home), "annotations", "arXiv:2304.15004"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("# Sparse features")
    assert "Read for the lab meeting." in md
    assert md.index("## Claim") < md.index("> interpretable features") < md.index("## Method")
    assert "> residual stream (p. 1)\n  - which layer?" in md
    assert "## Question" in md and "ask the authors" in md
    assert main(["--home", str(home), "annotations", str(annotated), "--group", "page"]) == 0
    md = capsys.readouterr().out
    assert md.index("## Page 1") < md.index("> residual stream") < md.index("## Page 2")


def test_export_pdf_writes_a_copy_other_viewers_read(
    annotated: int, home: Path, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "exports" / "annotated.pdf"
    assert main(["--home", str(home), "export-pdf", str(annotated), str(out)]) == 0
    assert "with 4 annotations" in capsys.readouterr().out
    back = read_annotations(out)
    assert sorted(a.quote for a in back if a.quote) == [
        "interpretable features",
        "residual stream",
        "transfer across scales",
    ]


@pytest.mark.parametrize(
    ("argv", "code", "sentence"),
    [
        (["annotations", "999"], 2, "There is no item 999"),
        (["annotations", "not-an-id"], 2, "neither an item id nor an arXiv id"),
        (["annotations", "2101.00001"], 2, "is not in the library"),
        (["export-pdf", "1", "out.txt"], 2, "does not end in .pdf"),
    ],
)
def test_bad_input_is_one_sentence(
    annotated: int, home: Path, capsys, argv, code, sentence
) -> None:
    assert main(["--home", str(home), *argv]) == code
    err = capsys.readouterr().err
    assert sentence in err and "Traceback" not in err


def test_export_of_an_item_without_pdf_says_so(home: Path, tmp_path: Path, capsys) -> None:
    services = open_services(str(home), seed=False)
    item = services.library.add_item("A blog post")
    services.close()
    assert main(["--home", str(home), "export-pdf", str(item.id), str(tmp_path / "x.pdf")]) == 1
    assert "has no PDF" in capsys.readouterr().err


def test_a_locked_pdf_gives_sentences_not_tracebacks(tmp_path, capsys) -> None:
    """annotations lists what the library holds; export-pdf says why it cannot write a copy."""
    import json

    import pymupdf

    from readerapp.cli import main

    home = tmp_path / "lib"
    locked = tmp_path / "locked.pdf"
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "A secret about induction heads.")
    doc.save(locked, encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="o", user_pw="u")
    assert main(["--home", str(home), "add", str(locked)]) == 0
    capsys.readouterr()
    assert main(["--home", str(home), "list", "--json"]) == 0
    item_id = max(r["id"] for r in json.loads(capsys.readouterr().out) if r["has_pdf"])
    assert main(["--home", str(home), "annotations", str(item_id), "--format", "json"]) == 0
    assert capsys.readouterr().out.strip() == "[]"
    code = main(["--home", str(home), "export-pdf", str(item_id), str(tmp_path / "out.pdf")])
    err = capsys.readouterr().err
    assert code == 1 and "protected by a password" in err and "Traceback" not in err
    assert not (tmp_path / "out.pdf").exists()
