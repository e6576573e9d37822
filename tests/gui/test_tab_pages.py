"""Every tab beside the Library is a TabPage: it names the window and fills the status bar."""

from __future__ import annotations

from readerapp.gui.pdf_tab import PdfTab
from readerapp.gui.tab_page import TabPage
from tests.pdf_samples import make_paper


def test_the_tab_in_front_names_the_window_and_says_its_count(qtbot, window, tmp_path) -> None:
    window.install_features()
    window.open_files([str(make_paper(tmp_path / "a.pdf"))])
    pages = [window.tabs.widget(i) for i in range(window.tabs.count())]
    assert not isinstance(pages[0], TabPage)  # the Library: the window's own page
    assert all(isinstance(page, TabPage) for page in pages[1:])
    assert any(isinstance(page, PdfTab) for page in pages)

    window.tabs.setCurrentWidget(window.feed_tab.page)
    assert window.windowTitle() == "Feeds — readerapp"
    assert window.status_label.text() == "0 unread entries"  # a fresh library follows no feeds

    window.tabs.setCurrentWidget(window.pdf_tabs.open_tabs()[0])
    assert window.windowTitle() == "a.pdf — readerapp"
    assert window.status_label.text() == ""  # a reading tab has its own page counter

    window.tabs.setCurrentIndex(0)
    assert window.status_label.text().endswith("items")
