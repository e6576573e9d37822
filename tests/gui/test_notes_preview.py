"""The notes preview renders GitHub-flavoured Markdown as users write it."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument, QTextTable

from readerapp.gui.safe_text_browser import SafeTextBrowser

NOTES = """Compared with the baseline:

| model | score |
| --- | ---: |
| small | 41.2 |
| large | ~~55.0~~ 57.3 |

- [x] read section 3
- [ ] rerun the ablation

Code at https://example.org/attention and <b>not bold</b>.
"""


def fragments(document: QTextDocument):
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            yield it.fragment()
            it += 1
        block = block.next()


def test_tables_strikethrough_task_lists_and_autolinks(qtbot, window):
    item = window.library.find_by_arxiv_id("1706.03762")
    window.library.update_item(item.id, notes=NOTES)
    window.select_item(item.id)
    window.details.preview_button.setChecked(True)
    document = window.details.preview.document()
    text = document.toPlainText()
    tables = [f for f in document.rootFrame().childFrames() if isinstance(f, QTextTable)]
    assert len(tables) == 1  # a real table, not pipes in a paragraph
    table = tables[0]
    assert (table.rows(), table.columns()) == (3, 2)
    assert table.cellAt(2, 0).firstCursorPosition().block().text() == "large"
    struck = [f.text() for f in fragments(document) if f.charFormat().fontStrikeOut()]
    assert struck == ["55.0"]
    assert "☑ read section 3" in text and "☐ rerun the ablation" in text
    links = [f.charFormat().anchorHref() for f in fragments(document) if f.charFormat().isAnchor()]
    assert links == ["https://example.org/attention"]
    assert "<b>not bold</b>" in text  # raw HTML stays text


def test_images_named_in_notes_are_shown_as_words_and_never_read(qtbot, window, tmp_path):
    """A note's image is its description and address: a path like /dev/zero or a FIFO must not
    be read by the preview (it would eat the memory or hang the window)."""
    picture = tmp_path / "figure.png"
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    assert image.save(str(picture))
    item = window.library.find_by_arxiv_id("1706.03762")
    notes = f"Local ![the figure]({picture}) and web ![plot](https://example.org/plot.png)."
    window.library.update_item(item.id, notes=notes)
    window.select_item(item.id)
    window.details.preview_button.setChecked(True)
    document = window.details.preview.document()
    assert f"[image: the figure] {picture}" in document.toPlainText()
    assert not [f for f in fragments(document) if f.charFormat().isImageFormat()]
    links = [f.charFormat().anchorHref() for f in fragments(document) if f.charFormat().isAnchor()]
    assert links == ["https://example.org/plot.png"]  # opened, if asked, by the link opener


def test_the_preview_loads_no_file_an_image_names(qtbot, tmp_path):
    """Even HTML with images in it, named by path or by file URL, reads nothing from the disk
    (Qt would otherwise read the file itself when the browser hands back nothing)."""
    picture = tmp_path / "figure.png"
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    assert image.save(str(picture))
    browser = SafeTextBrowser()
    qtbot.addWidget(browser)
    browser.setHtml(f'<p>a <img src="{picture}"> b <img src="{picture.as_uri()}"> c</p>')
    browser.show()
    qtbot.waitExposed(browser)
    browser.viewport().grab()  # drawn: every image it names has been asked for
    for name in (str(picture), picture.as_uri()):
        shown = browser.document().resource(
            QTextDocument.ResourceType.ImageResource.value, QUrl(name)
        )
        assert isinstance(shown, QImage) and shown.size().width() == 1  # a blank, not the file
