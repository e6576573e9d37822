"""Links open only when safe, whatever they come from: a PDF's links clicked in a reading tab, an
item's address, a link in the notes preview, a feed entry. The system opener is replaced by a
recorder at the one seam every click goes through (the window's LinkOpener)."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import Qt, QUrl

from readerapp.core.feed_entries import FeedEntry
from readerapp.core.feed_scope import FeedScope
from readerapp.gui.main_window import MainWindow

BROWSER = {  # the link as written -> what reaches the system browser
    "https://example.org/page": "https://example.org/page",
    "http://example.org/": "http://example.org/",
    "mailto:someone@example.org": "mailto:someone@example.org",
    "doi:10.1000/182": "https://doi.org/10.1000/182",
    "https://arxiv.org/abs/2405.01234": "https://arxiv.org/abs/2405.01234",  # not in the library
}
REFUSED = [
    "javascript:alert(document.cookie)",
    "smb://fileserver/share/payload.exe",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "ms-msdt:/id PCWDiagnostic",
    "file:///etc/passwd",
]


@pytest.fixture
def opened(window: MainWindow) -> list[str]:
    """What the window hands to the system opener."""
    seen: list[str] = []
    window.link_opener().system_open = lambda url: seen.append(url.toString()) or True
    return seen


def links_pdf(path: Path, uris: list[str]) -> Path:
    doc = pymupdf.open()
    page = doc.new_page()
    for n, uri in enumerate(uris):
        top = 60 + n * 40
        page.insert_text((72, top + 16), f"link {n}")
        page.insert_link(
            {"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(72, top, 400, top + 24), "uri": uri}
        )
    doc.save(path)
    doc.close()
    return path


def test_pdf_links_of_every_scheme_are_clicked_through_the_policy(
    qtbot, window: MainWindow, opened: list[str], tmp_path: Path
) -> None:
    uris = [*BROWSER, *REFUSED]
    window.open_files([str(links_pdf(tmp_path / "links.pdf", uris))])
    tab = window.pdf_tabs.open_tabs()[-1]  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: tab.view is not None and bool(tab.view.visible_pages()), timeout=10000)
    view = tab.view
    links = view.document.links(0)
    said: list[str] = []
    window.link_opener().message.connect(said.append)
    for link in links:
        view.go_to(0, max(0.0, link.rect[1] - 40))
        spot = view.map_from_page(0, link.rect).center().toPoint()
        qtbot.mouseMove(view.viewport(), spot)
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    assert opened == list(BROWSER.values())
    refused_in_pdf = [u for u in REFUSED if not u.startswith("file:")]  # MuPDF: a launch link
    assert len(said) == len(refused_in_pdf)
    for sentence, uri in zip(said, refused_in_pdf, strict=True):
        assert sentence.startswith("Not opened:") and uri[:20] in sentence
    assert window.statusBar().currentMessage() == said[-1]


@pytest.mark.parametrize("uri", REFUSED)
def test_an_item_with_an_unsafe_address_is_shown_not_opened(
    window: MainWindow, opened: list[str], uri: str
) -> None:
    item = window.library.add_item("Crafted item", [], url=uri)
    window.open_item(item.id)
    assert opened == []
    assert window.statusBar().currentMessage().startswith("Not opened:")


def test_links_in_the_notes_preview_follow_the_policy(
    window: MainWindow, opened: list[str]
) -> None:
    for uri in ["javascript:alert(1)", "https://example.org/notes"]:
        window.details.preview.anchorClicked.emit(QUrl(uri))
    assert opened == ["https://example.org/notes"]


def test_feed_entries_and_their_links_follow_the_policy(
    qtbot, window: MainWindow, opened: list[str]
) -> None:
    services = window.services
    feed = services.feeds.store.add_feed("url", "https://blog.example/feed")
    services.feeds.store.ingest(
        feed.id,
        [
            FeedEntry(key="bad", title="Crafted", link="javascript:alert(1)"),
            FeedEntry(key="good", title="Fine", link="https://blog.example/fine"),
        ],
    )
    qtbot.waitUntil(lambda: window.feed_tab is not None, timeout=5000)
    panel = window.feed_tab.panel  # type: ignore[union-attr]
    panel.reload()
    for row in services.feeds.store.entry_rows(FeedScope.feed(feed.id)):
        assert panel.select_entry(row.id)
        panel.open_current()
    panel.preview.anchorClicked.emit(QUrl("smb://server/share"))
    assert opened == ["https://blog.example/fine"]


def test_an_arxiv_link_to_a_paper_the_library_holds_opens_it_in_the_app(
    qtbot, window: MainWindow, opened: list[str], tmp_path: Path
) -> None:
    from readerapp.services.local_files import add_pdf_file

    item = add_pdf_file(window.services, links_pdf(tmp_path / "held.pdf", []))
    window.library.update_item(item.id, arxiv_id="2405.01234")
    window.open_url("https://arxiv.org/abs/2405.01234v2")
    assert opened == []
    assert [t.item_id for t in window.pdf_tabs.open_tabs()] == [item.id]  # type: ignore[union-attr]
