"""The PDF wrapper: opening (and refusing) files, pixels, words, search, links, outline, metadata."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from readerapp.pdf.document import (
    BAND_PIXELS,
    KEPT_DISPLAY_LISTS,
    PageRenderError,
    PasswordRequired,
    PdfDocument,
    PdfError,
    RenderCancelled,
    WrongPassword,
    split_authors,
)
from tests.pdf_samples import (
    AUTHORS,
    EXTERNAL_URL,
    TITLE,
    make_encrypted,
    make_html_as_pdf,
    make_paper,
    make_truncated,
    make_typeset,
    make_with_broken_page,
)


@pytest.fixture
def paper(tmp_path: Path) -> PdfDocument:
    doc = PdfDocument.open(make_paper(tmp_path / "paper.pdf"))
    yield doc
    doc.close()


def test_opens_and_reports_pages(paper: PdfDocument) -> None:
    assert paper.page_count == 6
    assert paper.page_sizes[0] == (612, 792)


def test_render_gives_32_bit_pixels_of_the_right_size(paper: PdfDocument) -> None:
    rendered = paper.render(0, 1.5)
    assert (rendered.width, rendered.height) == (918, 1188)
    band = rendered.bands[0]
    assert len(band.samples) == band.stride * band.height
    assert band.stride == band.width * 4  # B, G, R and an opaque alpha byte, as Qt lays them out
    assert set(band.samples[3::4]) == {255}
    # The title is dark ink on white paper.
    assert min(band.samples) < 80 and max(band.samples) == 255


def test_large_renders_come_in_bands_that_cover_the_page(paper: PdfDocument) -> None:
    rendered = paper.render(0, 4.0)
    assert len(rendered.bands) > 1
    assert all(b.width * b.height <= BAND_PIXELS + b.width * 2 for b in rendered.bands)
    assert rendered.bands[0].y == 0
    assert max(b.y + b.height for b in rendered.bands) >= rendered.height
    for above, below in zip(rendered.bands, rendered.bands[1:], strict=False):
        assert below.y <= above.y + above.height  # no gap between bands


def pixels(rendered) -> bytes:
    return b"".join(bytes(b.samples) for b in rendered.bands)  # full-width bands, top to bottom


def test_a_slow_page_keeps_its_display_list_and_draws_the_same_page(tmp_path: Path) -> None:
    """A dense figure is slow to interpret: once seen, zooming it again only draws (in short
    bands) from the kept display list. Here every page counts as slow."""
    path = make_paper(tmp_path / "paper.pdf")
    doc, reference = PdfDocument.open(path), PdfDocument.open(path)
    try:
        doc.heavy_page_seconds = 0.0
        doc.render(0, 1.0)  # small enough to draw straight away; now known to be slow
        assert doc.kept_display_lists() == []
        again = doc.render(0, 1.0)
        assert doc.kept_display_lists() == [0]
        whole = reference.render(0, 1.0)
        assert (again.width, again.height) == (whole.width, whole.height)
        # The same page: anti-aliasing differs by a few levels on band edges, nothing more.
        off = [abs(a - b) for a, b in zip(pixels(again), pixels(whole), strict=True) if a != b]
        assert max(off, default=0) <= 8 and len(off) < len(pixels(whole)) / 1000
        # From the kept list at another zoom: the page at that zoom.
        zoomed, whole = doc.render(0, 1.5), reference.render(0, 1.5)
        assert (zoomed.width, zoomed.height) == (whole.width, whole.height)
        off = [abs(a - b) for a, b in zip(pixels(zoomed), pixels(whole), strict=True) if a != b]
        assert max(off, default=0) <= 8 and len(off) < len(pixels(whole)) / 1000
        for page in range(1, 6):
            doc.render(page, 0.5)
            doc.render(page, 0.5)
        assert doc.kept_display_lists() == [3, 4, 5][-KEPT_DISPLAY_LISTS:]
    finally:
        doc.close()
        reference.close()


def test_a_render_nobody_wants_any_more_stops_between_bands(paper: PdfDocument) -> None:
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 2

    with pytest.raises(RenderCancelled):
        paper.render(0, 4.0, cancelled=cancelled)
    assert len(asked) == 3  # two bands drawn, stopped before the third
    assert paper.render(0, 4.0).height == 3168  # and the page renders whole next time


def test_night_mode_makes_the_paper_dark(paper: PdfDocument) -> None:
    day = paper.render(1, 0.5)
    night = paper.render(1, 0.5, night=True)
    assert day.bands[0].samples[0] == 255 and night.bands[0].samples[0] < 40


def test_search_finds_every_match(paper: PdfDocument) -> None:
    found = {p: paper.search_page(p, "NEEDLE") for p in range(paper.page_count)}
    assert [p for p, rects in found.items() if rects] == [1, 4]
    assert paper.search_page(0, "   ") == []


def test_find_reads_the_text_as_typeset(tmp_path: Path) -> None:
    """Typed words match ligature glyphs and hyphenated line breaks; a match over two lines is
    one match, with a rect on each line."""
    doc = PdfDocument.open(make_typeset(tmp_path / "typeset.pdf"))
    try:
        found = {q: doc.search_page(0, q) for q in ("final", "efficiency", "fine-tune")}
        assert {q: len(m) for q, m in found.items()} == {
            "final": 2,
            "efficiency": 1,
            "fine-tune": 1,
        }
        (broken,) = doc.search_page(0, "Transformers")
        (phrase,) = doc.search_page(0, "allow  models to\nweigh")
        for match in (broken, phrase):
            assert len(match) == 2  # one rect per line
            assert match[0][1] < match[1][1]
        # Part of a word: only that part is marked.
        (part,) = doc.search_page(0, "ficien")
        (word,) = doc.search_page(0, "efficiency")
        assert word[0][0] < part[0][0] and part[0][2] < word[0][2]
        assert doc.search_page(0, "zebra") == []
    finally:
        doc.close()


def test_links_internal_and_external(paper: PdfDocument) -> None:
    links = paper.links(0)
    internal = [link for link in links if link.is_internal]
    external = [link for link in links if not link.is_internal]
    assert internal[0].target_page == 5 and internal[0].describe() == "Go to page 6"
    assert external[0].uri == EXTERNAL_URL and external[0].describe() == EXTERNAL_URL


def test_outline(paper: PdfDocument) -> None:
    entries = paper.outline()
    assert [(e.level, e.title, e.page) for e in entries] == [
        (1, "Introduction", 0),
        (1, "Section 6", 5),
        (2, "References", 5),
    ]


def test_selection_between_two_points_gives_words_and_line_rects(paper: PdfDocument) -> None:
    words = paper.words(1)
    first_line = [w for w in words if w.rect[1] > 300][:5]
    start = (first_line[0].rect[0] + 1, first_line[0].rect[1] + 2)
    end = (first_line[3].rect[2] - 1, first_line[3].rect[1] + 2)
    selection = paper.selection_between(1, end, start)  # dragging backwards works too
    assert selection.text == "Body text of page"
    assert selection.page == 1 and len(selection.quads) == 1


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_text_on_a_rotated_page_is_where_the_page_shows_it(tmp_path: Path, rotation: int) -> None:
    """A landscape table in an appendix is a page with /Rotate: its words, found text and
    selections must lie on the text as rendered, not where it sits on the unrotated page."""
    import pymupdf

    made = pymupdf.open()
    page = made.new_page(width=612, height=792)
    page.insert_text((72, 100), "Appendix table of sparse probes", fontsize=14)
    page.set_rotation(rotation)
    made.save(tmp_path / "rotated.pdf")
    made.close()
    doc = PdfDocument.open(tmp_path / "rotated.pdf")
    try:
        rendered = doc.render(0, 1.0)
        band = rendered.bands[0]
        (probes,) = doc.search_page(0, "sparse probes")
        for rect in [w.rect for w in doc.words(0)] + probes:
            x0, y0, x1, y1 = (round(v) for v in rect)
            assert 0 <= x0 < x1 <= rendered.width and 0 <= y0 < y1 <= rendered.height
            ink = [  # the blue channel of every pixel inside the word's box
                band.samples[(y - band.y) * band.stride + (x - band.x) * 4]
                for y in range(y0, y1)
                for x in range(x0, x1)
            ]
            assert min(ink) < 100, rect  # text is drawn there
        first, last = doc.words(0)[0], doc.words(0)[-1]
        middle = lambda r: ((r[0] + r[2]) / 2, (r[1] + r[3]) / 2)  # noqa: E731
        chosen = doc.selection_between(0, middle(first.rect), middle(last.rect))
        assert chosen.text == "Appendix table of sparse probes"
    finally:
        doc.close()


def test_title_and_authors_from_first_page(paper: PdfDocument) -> None:
    title, authors = paper.title_and_authors()
    assert title == TITLE
    assert authors == AUTHORS


def test_title_and_authors_from_metadata(tmp_path: Path) -> None:
    doc = PdfDocument.open(make_paper(tmp_path / "m.pdf", metadata=True, stamp=False))
    assert doc.title_and_authors() == (TITLE, AUTHORS)
    doc.close()


def test_arxiv_stamp_in_the_margin(paper: PdfDocument) -> None:
    found = paper.find_arxiv_id()
    assert (found.id, found.version) == ("2401.01234", 2)


def test_arxiv_id_from_the_file_name(tmp_path: Path) -> None:
    doc = PdfDocument.open(make_paper(tmp_path / "2310.00001v3.pdf", stamp=False))
    assert str(doc.find_arxiv_id()) == "2310.00001v3"
    doc.close()


def test_no_arxiv_id(tmp_path: Path) -> None:
    doc = PdfDocument.open(make_paper(tmp_path / "plain.pdf", stamp=False))
    assert doc.find_arxiv_id() is None
    doc.close()


def test_encrypted_needs_the_right_password(tmp_path: Path) -> None:
    path = make_encrypted(tmp_path / "locked.pdf", "s3cret")
    with pytest.raises(PasswordRequired, match="protected by a password"):
        PdfDocument.open(path)
    with pytest.raises(WrongPassword, match="does not open"):
        PdfDocument.open(path, "guess")
    doc = PdfDocument.open(path, "s3cret")
    assert "Confidential" in doc.text(0)
    doc.close()


def _write(data: bytes):
    def make(path: Path) -> Path:
        path.write_bytes(data)
        return path

    return make


@pytest.mark.parametrize(
    ("make", "sentence"),
    [
        (_write(b""), "empty"),
        (make_html_as_pdf, "web page"),
        (make_truncated, "damaged or incomplete"),
        (_write(b"PK\x03\x04 a zip file, not a pdf" * 20), "not a PDF"),
        (lambda p: p, "no file"),
    ],
    ids=["empty", "html", "truncated", "other-format", "missing"],
)
def test_bad_files_give_a_sentence(tmp_path: Path, make, sentence: str) -> None:
    path = make(tmp_path / "bad.pdf")
    with pytest.raises(PdfError) as info:
        PdfDocument.open(path)
    message = str(info.value)
    assert sentence in message
    assert "Traceback" not in message and "mupdf" not in message.lower()


def test_a_broken_pages_text_is_empty_and_why_goes_to_the_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    doc = PdfDocument.open(make_with_broken_page(tmp_path / "b.pdf", broken=1))
    try:
        with caplog.at_level(logging.WARNING, logger="readerapp"):
            assert doc.text(1) == "" and doc.words(1) == []
            assert doc.text(0) == "Readable page 1\n"
    finally:
        doc.close()
    logged = [r for r in caplog.records if r.name == "readerapp.pdf.document"]
    assert [r.getMessage().split(" of page")[0] for r in logged] == [
        "MuPDF could not read the text",
        "MuPDF could not read the words",
    ]
    assert all(r.exc_info is not None and "page 2 of" in r.getMessage() for r in logged)


def test_a_broken_page_fails_alone(tmp_path: Path) -> None:
    doc = PdfDocument.open(make_with_broken_page(tmp_path / "b.pdf", broken=1))
    assert doc.render(0, 1.0).width == 595
    with pytest.raises(PageRenderError, match="Page 2 could not be shown"):
        doc.render(1, 1.0)
    with pytest.raises(PageRenderError):
        doc.render(1, 4.0)  # the banded path too
    assert doc.render(2, 1.0).width == 595
    doc.close()


def test_authors_read_from_the_first_page_lose_their_affiliation_marks(tmp_path: Path) -> None:
    """As in "Trace-based Just-in-Time Type Specialization": a "+" or "*" after each name
    points to an affiliation below."""
    import pymupdf

    made = pymupdf.open()
    page = made.new_page(width=612, height=792)
    page.insert_text((72, 90), "Trace-based Just-in-Time Type Specialization", fontsize=18)
    for n, (name, mark) in enumerate((("Andreas Gal", "+"), ("Brendan Eich", "*"))):
        x = 72 + n * 200
        page.insert_text((x, 130), name, fontsize=11)
        page.insert_text((x + 70, 125), mark, fontsize=7)  # raised, as a superscript
    page.insert_text((72, 180), "Abstract. Dynamic languages are fast now.", fontsize=10)
    made.save(tmp_path / "jit.pdf")
    made.close()
    doc = PdfDocument.open(tmp_path / "jit.pdf")
    try:
        title, authors = doc.title_and_authors()
    finally:
        doc.close()
    assert title == "Trace-based Just-in-Time Type Specialization"
    assert authors == ["Andreas Gal", "Brendan Eich"]
    assert split_authors("Andreas Gal +, Mason Chang#, Michael Franz ‖") == [
        "Andreas Gal",
        "Mason Chang",
        "Michael Franz",
    ]
