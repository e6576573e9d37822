"""Page text for the search index, read from real PDFs written by PyMuPDF."""

from __future__ import annotations

import logging
from pathlib import Path

import pymupdf
import pytest

from readerapp.pdf.document import PdfError
from readerapp.pdf.text_extract import clean_page_text, extract_page_texts
from tests.pdf_samples import make_with_broken_page
from tests.search_helpers import write_pdf


def test_every_page_in_order_with_blank_pages_kept_as_empty(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "p.pdf", ["First page words.", "", "Third   page\nwords."])
    assert extract_page_texts(path) == ["First page words.", "", "Third page words."]


def test_a_pdf_without_text_layer_gives_empty_pages(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "scan.pdf", ["invisible", "too"], text_layer=False)
    assert extract_page_texts(path) == ["", ""]


def test_cleaning_joins_split_words_and_expands_ligatures() -> None:
    assert clean_page_text("trans-\nformer models are\nef\ufb01cient\x02\x03") == (
        "transformer models are efficient"
    )
    assert clean_page_text("GPT-\n4 stays") == "GPT-\n4 stays".replace("\n", " ")


@pytest.mark.parametrize(
    ("content", "sentence"),
    [
        (b"", r"is empty \(0 bytes\)"),
        (b"<html><body>Not found</body></html>", "is a web page saved with a .pdf name"),
        (b"%PDF-1.7\nnot really", "is damaged"),
    ],
)
def test_a_bad_file_is_a_sentence(tmp_path: Path, content: bytes, sentence: str) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    with pytest.raises(PdfError, match=sentence):
        extract_page_texts(path)


def test_an_encrypted_pdf_is_a_sentence(tmp_path: Path) -> None:
    doc = pymupdf.open()
    doc.new_page().insert_text((50, 50), "secret")
    path = tmp_path / "locked.pdf"
    doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="pw", owner_pw="pw")
    doc.close()
    with pytest.raises(PdfError, match="protected by a password"):
        extract_page_texts(path)


def test_a_broken_page_is_left_out_and_its_error_logged_with_its_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = make_with_broken_page(tmp_path / "b.pdf", broken=1)
    with caplog.at_level(logging.WARNING, logger="readerapp"):
        assert extract_page_texts(path) == ["Readable page 1", "", "Readable page 3"]
    (record,) = [r for r in caplog.records if "page 2" in r.getMessage()]
    assert record.name == "readerapp.pdf.text_extract"
    assert record.exc_info is not None and "nested graphics states" in str(record.exc_info[1])
