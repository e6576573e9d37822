"""Real PDFs made with PyMuPDF for the viewer's tests: a small paper, and every kind of bad file."""

from __future__ import annotations

from pathlib import Path

import pymupdf

TITLE = "Sparse Probing of Reward Models"
AUTHORS = ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
ARXIV_STAMP = "arXiv:2401.01234v2 [cs.LG] 9 Jan 2024"
EXTERNAL_URL = "https://example.org/code"


def make_paper(path: Path, pages: int = 6, *, stamp: bool = True, metadata: bool = False) -> Path:
    """A paper: title, authors, arXiv stamp in the margin, an outline, a citation link from page 1
    to the references on the last page, an external link, and the word "needle" on pages 2 and 5."""
    doc = pymupdf.open()
    for n in range(pages):
        page = doc.new_page(width=612, height=792)
        if n == 0:
            page.insert_text((72, 90), TITLE, fontsize=20)
            page.insert_text((72, 125), ", ".join(AUTHORS), fontsize=11)
            page.insert_text((72, 170), "Abstract. We probe reward models sparsely.", fontsize=10)
            page.insert_text((72, 220), "As shown in [1], probes work.", fontsize=10)
            page.insert_text((72, 260), "Code: example.org/code", fontsize=10)
            if stamp:
                page.insert_text((30, 600), ARXIV_STAMP, fontsize=10, rotate=90)
        else:
            page.insert_text((72, 90), f"Section {n + 1}", fontsize=16)
        for line in range(12):
            words = f"Body text of page {n + 1} line {line + 1} about sparse probes"
            page.insert_text((72, 320 + line * 16), words, fontsize=10)
        if n in (1, 4):
            page.insert_text((72, 540), "Here is the needle we look for.", fontsize=10)
        if n == pages - 1:
            page.insert_text((72, 600), "References: [1] A prior probe paper.", fontsize=10)
    first = doc[0]
    first.insert_link(
        {
            "kind": pymupdf.LINK_GOTO,
            "from": pymupdf.Rect(150, 208, 175, 224),
            "page": pages - 1,
            "to": pymupdf.Point(72, 580),
        }
    )
    first.insert_link(
        {"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(100, 248, 220, 264), "uri": EXTERNAL_URL}
    )
    doc.set_toc([[1, "Introduction", 1], [1, f"Section {pages}", pages], [2, "References", pages]])
    if metadata:
        doc.set_metadata({"title": TITLE, "author": "; ".join(AUTHORS)})
    doc.save(path)
    doc.close()
    return path


def make_long(path: Path, pages: int) -> Path:
    """A long document (a thesis) with text and a drawing on every page."""
    doc = pymupdf.open()
    for n in range(pages):
        page = doc.new_page(width=612, height=792)
        page.insert_text((72, 72), f"Chapter page {n + 1}", fontsize=18)
        for line in range(40):
            page.insert_text((72, 110 + line * 16), f"Line {line} of page {n + 1} " * 4, fontsize=9)
        page.draw_rect(pymupdf.Rect(72, 760, 540, 770), color=(0.2, 0.3, 0.8), fill=(0.8, 0.9, 1))
    doc.save(path, garbage=1, deflate=True)
    doc.close()
    return path


def make_encrypted(path: Path, password: str = "s3cret") -> Path:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Confidential draft", fontsize=14)
    doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw=password, owner_pw="owner")
    doc.close()
    return path


def make_html_as_pdf(path: Path) -> Path:
    path.write_text("<!DOCTYPE html>\n<html><head><title>arXiv</title></head><body>Just a moment")
    return path


def make_truncated(path: Path) -> Path:
    """The first bytes of a real PDF: a download cut short."""
    source = path.with_name("whole-" + path.name)
    make_paper(source)
    path.write_bytes(source.read_bytes()[:400])
    return path


def make_cut_short(path: Path) -> Path:
    """A download that stopped just before the end: MuPDF repairs it and it opens."""
    source = path.with_name("whole-" + path.name)
    make_paper(source)
    data = source.read_bytes()
    path.write_bytes(data[: len(data) * 99 // 100])
    return path


def make_with_broken_page(path: Path, broken: int = 1, pages: int = 3) -> Path:
    """Pages that render, except ``broken``, whose content nests graphics states past MuPDF's limit."""
    doc = pymupdf.open()
    for n in range(pages):
        doc.new_page().insert_text((72, 72), f"Readable page {n + 1}", fontsize=14)
    xref = doc[broken].get_contents()[0]
    doc.update_stream(xref, b"q " * 100_000)
    doc.save(path)
    doc.close()
    return path


TYPESET_LINES = [
    "We \ufb01ne-tune the \ufb01nal model and report the e\ufb03ciency",  # ligature glyphs, as LaTeX
    "of large trans-",  # a word broken at the line end
    "formers, which allow models",
    "to weigh their context. FINAL words.",
]


def make_typeset(path: Path) -> Path:
    """A paragraph as LaTeX sets it: ligatures, a hyphenated line break, a phrase over two lines."""
    doc = pymupdf.open()
    page = doc.new_page()
    # A TextWriter embeds the font with Unicode encoding: the ligature glyphs stay ligatures.
    writer = pymupdf.TextWriter(page.rect)
    font = pymupdf.Font("helv")
    for n, line in enumerate(TYPESET_LINES):
        writer.append((72, 100 + 14 * n), line, font=font, fontsize=11)
    writer.write_text(page)
    doc.save(path)
    doc.close()
    return path


INK_LOOP = [[(120, 300), (180, 270), (240, 300), (180, 340), (120, 300)]]
FREETEXT_RECT = (330, 420, 480, 450)


HIGHLIGHTED = "Page 1 line 3 of body text"


def make_marked_elsewhere(path: Path, pages: int = 2, *, highlight: bool = False) -> Path:
    """A paper another program annotated: a blue ink loop and a FreeText "Hello World" in black
    on page 1, over body text on every page; ``highlight``: a yellow highlight on HIGHLIGHTED
    too."""
    doc = pymupdf.open()
    for n in range(pages):
        page = doc.new_page(width=612, height=792)
        for line in range(30):
            words = f"Page {n + 1} line {line + 1} of body text about sparse probes"
            page.insert_text((72, 80 + line * 20), words, fontsize=10)
    first = doc[0]
    ink = first.add_ink_annot(INK_LOOP)
    ink.set_colors(stroke=(0.1, 0.2, 0.9))
    ink.set_border(width=2)
    ink.update()
    box = first.add_freetext_annot(
        pymupdf.Rect(FREETEXT_RECT), "Hello World", fontsize=12, text_color=(0, 0, 0)
    )
    box.update()
    if highlight:
        first.add_highlight_annot(quads=first.search_for(HIGHLIGHTED)).update()
    doc.save(path)
    doc.close()
    return path


LEFT_COLUMN = [f"Left column line {n} about probing" for n in range(1, 9)]
RIGHT_COLUMN = [f"Right column line {n} about features" for n in range(1, 9)]


def make_two_columns(path: Path, *, swapped: bool = False) -> Path:
    """A page set in two columns, the left one first in the text, as LaTeX writes it;
    ``swapped``: a new version whose columns changed places."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    first, second = (RIGHT_COLUMN, LEFT_COLUMN) if swapped else (LEFT_COLUMN, RIGHT_COLUMN)
    for column, (x, lines) in enumerate(((60, first), (320, second))):
        writer = pymupdf.TextWriter(page.rect)
        for n, line in enumerate(lines):
            writer.append((x, 100 + 16 * n), line, fontsize=10)
        writer.write_text(page)
        del column
    doc.save(path)
    doc.close()
    return path


HYPHENATED_LINES = [
    "Tracing JITs record hot loops and com-",
    "pile them to machine code, an al-",
    "ternative to method compilers.",
]


def make_hyphenated(path: Path) -> Path:
    """A paragraph whose words "compile" and "alternative" break at line ends."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    for n, line in enumerate(HYPHENATED_LINES):
        page.insert_text((72, 100 + 14 * n), line, fontsize=11)
    doc.save(path)
    doc.close()
    return path
