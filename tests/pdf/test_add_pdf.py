"""`readerapp add paper.pdf [--topic PATH]`: the file is copied in, described, linked to arXiv."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readerapp.app import open_services
from readerapp.cli import main
from tests.pdf_samples import (
    AUTHORS,
    TITLE,
    make_encrypted,
    make_html_as_pdf,
    make_paper,
    make_truncated,
)


def listed(home: Path, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    capsys.readouterr()
    assert main(["--home", str(home), "list", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_add_a_paper_with_an_arxiv_stamp(tmp_path: Path, home: Path, capsys) -> None:
    pdf = make_paper(tmp_path / "download (3).pdf")
    assert main(["--home", str(home), "add", str(pdf), "--topic", "Research focus"]) == 0
    assert TITLE in capsys.readouterr().out
    [row] = [r for r in listed(home, capsys) if r["title"] == TITLE]
    assert row["authors"] == AUTHORS
    assert (row["arxiv_id"], row["version"]) == ("2401.01234", 2)
    assert row["url"] == "https://arxiv.org/abs/2401.01234"
    assert row["topics"] == ["Research focus"] and row["has_pdf"]
    services = open_services(str(home))
    try:
        item = services.library.item(row["id"])
        stored = services.files.absolute(item.pdf_path)
        assert stored.read_bytes() == pdf.read_bytes()
        assert stored.parent != pdf.parent  # a copy inside the library
    finally:
        services.close()


def test_adding_the_same_paper_twice_keeps_one_item(tmp_path: Path, home: Path, capsys) -> None:
    pdf = make_paper(tmp_path / "p.pdf")
    assert main(["--home", str(home), "add", str(pdf)]) == 0
    assert main(["--home", str(home), "add", str(pdf), "--topic", "Research focus"]) == 0
    rows = [r for r in listed(home, capsys) if r["arxiv_id"] == "2401.01234"]
    assert len(rows) == 1 and rows[0]["topics"] == ["Research focus"]


def test_a_pdf_of_a_paper_already_listed_becomes_its_pdf(
    tmp_path: Path, home: Path, capsys
) -> None:
    services = open_services(str(home))
    try:
        existing = services.library.add_item(
            "Listed without a PDF", kind="paper", arxiv_id="2401.01234", version=1
        )
    finally:
        services.close()
    assert main(["--home", str(home), "add", str(make_paper(tmp_path / "p.pdf"))]) == 0
    [row] = [r for r in listed(home, capsys) if r["arxiv_id"] == "2401.01234"]
    assert row["id"] == existing.id and row["has_pdf"] and row["version"] == 2
    assert row["title"] == "Listed without a PDF"  # the user's title is kept


def test_a_pdf_without_arxiv_id_or_metadata(tmp_path: Path, home: Path, capsys) -> None:
    pdf = make_paper(tmp_path / "notes.pdf", stamp=False)
    assert main(["--home", str(home), "add", str(pdf)]) == 0
    [row] = [r for r in listed(home, capsys) if r["title"] == TITLE]
    assert row["arxiv_id"] is None and row["has_pdf"] and row["kind"] == "paper"


def test_an_encrypted_pdf_is_kept_under_its_file_name(tmp_path: Path, home: Path, capsys) -> None:
    assert (
        main(["--home", str(home), "add", str(make_encrypted(tmp_path / "board_minutes.pdf"))]) == 0
    )
    assert any(r["title"] == "board minutes" and r["has_pdf"] for r in listed(home, capsys))


@pytest.mark.parametrize(
    ("make", "words"),
    [(make_html_as_pdf, "web page"), (make_truncated, "damaged or incomplete")],
    ids=["html", "truncated"],
)
def test_bad_files_are_refused_with_a_sentence(tmp_path: Path, home: Path, capsys, make, words):
    before = len(listed(home, capsys))
    code = main(["--home", str(home), "add", str(make(tmp_path / "paper.pdf"))])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("readerapp: ") and words in err and "Traceback" not in err
    assert len(listed(home, capsys)) == before
    assert not list((home / "files").rglob("*paper*"))


def test_unknown_topic(tmp_path: Path, home: Path, capsys) -> None:
    code = main(
        ["--home", str(home), "add", str(make_paper(tmp_path / "p.pdf")), "--topic", "Nope"]
    )
    assert code == 2 and "There is no topic “Nope”" in capsys.readouterr().err


def test_adding_the_same_file_twice_gives_one_item(tmp_path, capsys) -> None:
    import json

    import pymupdf

    from readerapp.cli import main

    home = tmp_path / "lib"
    paper = tmp_path / "notes-on-circuits.pdf"
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Notes on circuits, a local paper without an arXiv id.")
    doc.save(paper)
    assert main(["--home", str(home), "add", str(paper)]) == 0
    first = capsys.readouterr().out
    assert first.startswith("Added #")
    assert main(["--home", str(home), "add", str(paper), "--topic", "Research focus"]) == 0
    second = capsys.readouterr().out
    assert second.startswith("Already in your library:")
    item_id = first.split("#")[1].split()[0]
    assert second.split("#")[1].split()[0].rstrip(",") == item_id
    assert main(["--home", str(home), "list", "--topic", "Research focus", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [str(r["id"]) for r in listed] == [item_id]
