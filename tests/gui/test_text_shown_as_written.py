"""Text anyone can write (a feed's titles, a paper's text and links, an imported topic's name,
another program's notes in a PDF) is shown as written: Qt would take a first line like
``<img src="...">`` for HTML and read the file it names (``/dev/zero`` fills the memory, a FIFO
hangs the window). Here the image named is a real PNG, and nothing may read it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QTextDocument
from PySide6.QtGui import Qt as GuiQt  # the namespace with mightBeRichText
from PySide6.QtWidgets import QLabel

from readerapp.core.feed_entries import FeedEntry
from readerapp.core.feed_scope import FeedScope
from readerapp.gui.feed_panel import FeedPanel
from readerapp.gui.main_window import MainWindow
from readerapp.qt.feed_models import TITLE
from readerapp.qt.shown_as_written import as_written
from tests.annotation_helpers import PAGE_ONE, add_pdf_item, line_rects, make_pdf
from tests.gui.test_pdf_view import wait_painted

TOOLTIP = Qt.ItemDataRole.ToolTipRole


@pytest.fixture
def picture(tmp_path: Path) -> Path:
    """A 300x200 image: a label that shows it is at least 200 pixels tall."""
    path = tmp_path / "secret.png"
    image = QImage(300, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    assert image.save(str(path))
    return path


def read_nothing(qtbot, text: str) -> bool:
    """``text``, shown the way Qt shows a tooltip (a label guessing the format), reads no image."""
    label = QLabel(text)
    qtbot.addWidget(label)
    return label.sizeHint().height() < 200


def test_text_with_markup_is_escaped_and_plain_text_left_alone(qtbot, picture: Path) -> None:
    hostile = f'<img src="{picture}"> Attention & more\nsecond line'
    assert not read_nothing(qtbot, hostile)  # as Qt would show it unescaped: the file is read
    shown = as_written(hostile)
    assert read_nothing(qtbot, shown)
    document = QTextDocument()
    document.setHtml(shown)
    assert document.toPlainText() == hostile  # every character, the line break too
    assert as_written("Attention Is All You Need") == "Attention Is All You Need"


def test_a_feed_entry_and_an_items_title_show_as_written_in_their_tooltips(
    qtbot, window: MainWindow, picture: Path
) -> None:
    hostile = f'<img src="{picture}"> Scaling'
    item = window.library.add_item(hostile)
    window.reload_items()
    model = window.item_model
    tip = model.data(model.index(model.row_of(item.id), 0), TOOLTIP)
    assert shown_text(tip).startswith(hostile) and read_nothing(qtbot, tip)

    feeds = window.services.feeds
    feed = feeds.store.add_feed("url", "https://blog.example/feed")
    feeds.store.ingest(feed.id, [FeedEntry(key="guid:1", title=hostile, link="https://b.example/1")])
    panel = FeedPanel(feeds, window.services.library)
    qtbot.addWidget(panel)
    panel.reload()
    panel.select_scope(FeedScope.feed(feed.id))
    tip = panel.model.data(panel.model.index(0, TITLE), TOOLTIP)
    assert shown_text(tip).startswith(hostile) and read_nothing(qtbot, tip)
    panel.poller.stop()


def shown_text(tip: str) -> str:
    """What a tooltip given ``tip`` reads."""
    document = QTextDocument()
    document.setHtml(tip) if GuiQt.mightBeRichText(tip) else document.setPlainText(tip)
    return document.toPlainText()


def test_a_highlights_quote_and_a_hovered_links_address_are_plain_texts(
    qtbot, window: MainWindow, tmp_path: Path, picture: Path
) -> None:
    services = window.services
    hostile = f'<img src="{picture}">'
    pdf = make_pdf(tmp_path / "paper.pdf", [[hostile, *PAGE_ONE]])  # the paper's own text
    item_id = add_pdf_item(services, pdf, "Sparse features")
    services.annotations.create_text(
        item_id, 0, line_rects(pdf, 0, hostile), hostile, comment="the quote is the paper's"
    )
    tab = window.open_pdf_item(window.library.item(item_id))
    wait_painted(qtbot, tab)
    (annotation,) = tab.annotations.annotations()
    card = tab.annotations.pane.card(annotation.id)
    assert card.quote.textFormat() == Qt.TextFormat.PlainText
    assert hostile in card.quote.text() and card.quote.sizeHint().height() < 200
    assert tab.hint.textFormat() == Qt.TextFormat.PlainText  # where a link's address shows
    tab.view.linkHovered.emit(hostile)
    assert tab.hint.text() == hostile and tab.hint.sizeHint().height() < 200
