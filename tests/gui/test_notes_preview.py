"""The notes preview renders GitHub-flavoured Markdown as users write it."""

from __future__ import annotations

from PySide6.QtGui import QTextDocument, QTextTable

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
