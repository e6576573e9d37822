"""Build resources/getting-started.pdf, the starter library's offline sample paper.

Run: python resources/src/make_getting_started_pdf.py  (the output is committed; rerun after editing).
"""

from __future__ import annotations

from pathlib import Path

import pymupdf

OUT = Path(__file__).resolve().parent.parent / "getting-started.pdf"
CSS = """
body { font-family: serif; font-size: 11pt; line-height: 1.35; }
h1 { font-size: 20pt; margin-bottom: 4pt; }
h2 { font-size: 14pt; margin-top: 10pt; }
p.meta { color: #555; font-size: 10pt; }
p.abstract { font-size: 10pt; margin-left: 20pt; margin-right: 20pt; }
code { font-family: monospace; font-size: 9.5pt; }
"""

PAGES = [
    (
        "Getting started",
        """
<h1>Getting started with readerapp</h1>
<p class="meta">The readerapp authors &middot; a sample paper shipped with the starter library</p>
<p class="abstract"><b>Abstract.</b> readerapp keeps an AI reading list: a tree of topics holding
papers, articles, posts and threads; a PDF viewer in which you highlight what matters; an
annotation pane with your comments and Markdown notes; and a feed watcher that brings new arXiv
papers to the topics whose rules they match. This short document lets you try the viewer and
highlighting without a network connection.</p>
<h2>1 Introduction</h2>
<p>Every highlight you make is stored in the library the moment you make it. There is no Save
button, and Ctrl+Z undoes the last change. Highlights are anchored twice: by their position on the
page and by the quoted text with a little context around it, so they survive a new version of the
paper, a re-download or a moved file.</p>
<p>Try it now: select this sentence with the mouse and press H to highlight it.</p>
<p>The rest of this paper explains the reading list (Section 2), the viewer (Section 3) and the
feeds (Section 4). See Section 3 on page 3 for keyboard shortcuts.</p>
""",
    ),
    (
        "The reading list",
        """
<h2>2 The reading list</h2>
<p>The left pane is the topic tree. Topics nest; an item can sit in several topics, and removing
it from one topic never deletes it. Drag items onto a topic to file them, drag topics to move
them. "All items" shows everything, "Unfiled" what no topic holds yet.</p>
<p>The middle pane lists the items of the selected topic. Click a column header to sort by title,
authors, year, status or the date added. The right pane shows the selected item: its metadata,
its reading status and your Markdown notes, saved as you type.</p>
<p>Your Markdown reading diary can be imported with File &rarr; Import, and exported again at any
time, so the list stays yours.</p>
""",
    ),
    (
        "The viewer",
        """
<h2>3 The viewer</h2>
<p>Double-click a paper that has a PDF to open it in a tab. Pages scroll continuously and are
rendered in the background, so even a 300-page thesis scrolls smoothly.</p>
<p><b>Keyboard.</b> Ctrl+Plus and Ctrl+Minus zoom; Ctrl+F finds text; PgUp, PgDn, Space, Home and
End move through the document; Alt+Left goes back after following a link; Ctrl+C copies the
selected text.</p>
<p><b>Highlighting.</b> Select text and press H, or pick a colour from the toolbar. Each colour has
a meaning you can name: claim, method, result, limitation, question.</p>
<p>Back to the introduction.</p>
""",
    ),
    (
        "Feeds",
        """
<h2>4 Feeds</h2>
<p>Subscribe to arXiv categories such as cs.CL or cs.LG, to arXiv searches, or to any RSS or Atom
feed. Each topic can own watch rules (categories, keywords, authors); new papers that match appear
under the topic with the reason they matched.</p>
<p>readerapp is free software under the
<a href="https://www.gnu.org/licenses/agpl-3.0.html">GNU Affero General Public License</a>,
version 3 or later.</p>
""",
    ),
]


# Internal links are added after layout (the HTML box cannot target other pages):
# (page number, text to link, target page number).
INTERNAL_LINKS = [(1, "Section 3 on page 3", 3), (3, "the introduction", 1)]


def build(path: Path = OUT) -> Path:
    doc = pymupdf.open()
    toc = []
    for number, (title, html) in enumerate(PAGES, start=1):
        page = doc.new_page(width=612, height=792)
        page.insert_htmlbox(pymupdf.Rect(72, 72, 540, 720), html, css=CSS)
        footer = f"readerapp - Getting started - page {number} of {len(PAGES)}"
        page.insert_text((72, 760), footer, fontsize=8, color=(0.4, 0.4, 0.4))
        toc.append([1, title, number])
    for number, text, target in INTERNAL_LINKS:
        page = doc[number - 1]
        for rect in page.search_for(text):
            page.insert_link(
                {
                    "kind": pymupdf.LINK_GOTO,
                    "from": rect,
                    "page": target - 1,
                    "to": pymupdf.Point(72, 72),
                }
            )
    doc.set_toc(toc)
    doc.set_metadata(
        {
            "title": "Getting started with readerapp",
            "author": "The readerapp authors",
            "subject": "A sample paper for trying the viewer and highlighting offline",
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path, garbage=4, deflate=True)
    return path


if __name__ == "__main__":
    print(build())
