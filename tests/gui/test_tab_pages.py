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


def test_the_feeds_panel_is_built_when_its_tab_first_comes_to_the_front(qtbot, window) -> None:
    page = window.feed_tab.page
    assert not page.built and window.tabs.indexOf(page) == 1
    assert window.tabs.tabText(1) == "Feeds"
    window.feed_tab.show_action.trigger()  # Ctrl+Shift+F
    assert page.built and window.tabs.currentWidget() is page
    panel = window.feed_tab.panel
    qtbot.waitUntil(panel.isVisible)
    assert panel.sources.isVisible() and panel.table.isVisible()
    assert panel.geometry().size() == page.contentsRect().size()  # the panel fills its page
    # Its panes share the page's width as they do when the panel is made with the window.
    sizes = panel.splitter.sizes()
    assert sum(sizes) > 1000 and sizes[1] > sizes[0] and sizes[1] > sizes[2]
