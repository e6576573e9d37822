"""PDFs in the main window: tabs per item, remembered position, bad files, drops, screenshots."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QImage

from readerapp.app import open_services
from readerapp.core.errors import BadInputError
from readerapp.gui.annotation_pane import AnnotationPane
from readerapp.gui.main_window import MainWindow
from readerapp.gui.pdf_tab import PdfTab
from readerapp.services.local_files import add_pdf_file
from tests.gui.test_pdf_view import open_tab, painted, wait_painted
from tests.pdf_samples import (
    TITLE,
    make_encrypted,
    make_html_as_pdf,
    make_paper,
    make_with_broken_page,
)


@contextmanager
def launched_with(home: Path, *papers: str) -> Iterator[MainWindow]:
    """The window as a launch with ``papers`` makes it (features after the first paint)."""
    services = open_services(str(home))
    window = MainWindow(services, defer_features=True, papers=list(papers))
    try:
        yield window
    finally:
        window.close()
        window.deleteLater()
        services.close()


def test_double_click_opens_a_tab_per_item_and_refocuses(qtbot, window, tmp_path) -> None:
    item = add_pdf_file(window.services, make_paper(tmp_path / "p.pdf"))
    window.refresh()
    window.select_item(item.id)
    base = window.tabs.count()  # the library, and whatever other tabs the window has
    window.open_item(item.id)
    tab = window.tabs.currentWidget()
    assert isinstance(tab, PdfTab) and tab.item_id == item.id
    assert window.tabs.tabText(window.tabs.currentIndex()) == TITLE
    qtbot.waitUntil(lambda: painted(tab), timeout=10000)
    window.tabs.setCurrentIndex(0)
    window.open_item(item.id)
    assert window.tabs.currentWidget() is tab and window.tabs.count() == base + 1
    window.close_tab(window.tabs.indexOf(tab))
    assert window.tabs.count() == base and window.tabs.currentIndex() == 0


def test_reopening_returns_to_page_and_zoom(qtbot, window, tmp_path) -> None:
    item = add_pdf_file(window.services, make_paper(tmp_path / "p.pdf"))
    tab = window.open_pdf_item(item)
    tab.view.set_zoom_percent(150)
    tab.view.go_to(3, 100)
    page, y = tab.view.position()
    window.close_tab(window.tabs.indexOf(tab))

    again = window.open_pdf_item(window.library.item(item.id))
    assert again is not tab
    qtbot.waitUntil(lambda: painted(again), timeout=10000)
    assert again.view.current_page() == 3 == page
    assert again.view.position()[1] == pytest.approx(y, abs=1)
    assert again.zoom_label.text() == "150%"


def test_position_survives_a_restart(qtbot, home, tmp_path) -> None:
    services = open_services(str(home))
    item = add_pdf_file(services, make_paper(tmp_path / "p.pdf"))
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    tab = win.open_pdf_item(item)
    tab.view.go_to(4)
    win.close()  # closing the window saves every open tab's position
    services.close()

    services = open_services(str(home))
    try:
        win = MainWindow(services)
        qtbot.addWidget(win)
        win.show()
        tab = win.open_pdf_item(services.library.item(item.id))
        qtbot.waitUntil(lambda: painted(tab), timeout=10000)
        assert tab.view.current_page() == 4 and tab.page_box.text() == "5"
        win.close()
    finally:
        services.close()


def test_encrypted_pdf_asks_for_the_password(qtbot, tmp_path) -> None:
    tab = open_tab(qtbot, make_encrypted(tmp_path / "locked.pdf", "s3cret"))
    assert tab.view is None and tab.needs_password()
    assert "protected by a password" in tab.message.text()
    qtbot.keyClicks(tab.password_field, "guess")
    qtbot.keyClick(tab.password_field, Qt.Key.Key_Return)
    assert tab.view is None and "does not open" in tab.message.text()
    tab.password_field.clear()
    qtbot.keyClicks(tab.password_field, "s3cret")
    with qtbot.waitSignal(tab.opened):
        tab.unlock_button.click()
    wait_painted(qtbot, tab)
    assert tab.view.page_count == 1
    tab.close_document()


def test_broken_file_in_the_library_shows_a_sentence(qtbot, window, tmp_path) -> None:
    bad = make_html_as_pdf(tmp_path / "paper.pdf")
    window.library.add_item("Saved the wrong page", kind="paper")
    item = window.library.items()[-1]
    relative = window.services.files.name_for(
        item_id=item.id, arxiv_id=None, version=None, title=item.title
    )
    window.services.files.store_copy(bad, relative)
    window.library.update_item(item.id, pdf_path=relative)
    base = window.tabs.count()
    tab = window.open_pdf_item(window.library.item(item.id))
    assert tab.view is None
    assert "web page saved with a .pdf name" in tab.message.text()
    assert "web page" in window.statusBar().currentMessage()
    window.close_tab(window.tabs.indexOf(tab))  # and the app carries on
    assert window.tabs.count() == base and window.item_model.rowCount() > 0


def test_a_page_that_fails_shows_an_error_while_the_others_render(qtbot, tmp_path) -> None:
    tab = open_tab(qtbot, make_with_broken_page(tmp_path / "b.pdf", broken=1))
    tab.view.set_scale(0.35)  # all three pages on screen
    wait_painted(qtbot, tab)
    view = tab.view
    assert view.visible_pages() == [0, 1, 2]
    assert list(view.renderer.errors) == [1]
    assert "Page 2 could not be shown" in view.renderer.errors[1]
    image = view.viewport().grab().toImage()
    frame = view.page_rect(1).topLeft() + QPoint(1, 1)
    assert QColor(image.pixel(frame)).name() == "#b00020"  # the error frame, in place
    assert view.renderer.image(2, view.scale() * view.devicePixelRatioF(), False) is not None
    tab.close_document()


def test_dropping_pdfs_on_a_topic_adds_them_there(qtbot, window, tmp_path) -> None:
    topic = window.library.find_topic("Research focus")
    mime = QMimeData()
    mime.setUrls(
        [
            QUrl.fromLocalFile(str(make_paper(tmp_path / "p.pdf"))),
            QUrl.fromLocalFile(str(make_html_as_pdf(tmp_path / "oops.pdf"))),
        ]
    )
    model = window.topic_model
    index = model.index_for_topic(topic.id)
    assert model.canDropMimeData(mime, Qt.DropAction.CopyAction, -1, 0, index)
    model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, 0, index)
    item = window.library.find_by_arxiv_id("2401.01234")
    assert item is not None and item.has_pdf
    assert window.library.item_topic_ids(item.id) == [topic.id]
    assert "web page" in window.statusBar().currentMessage()  # the bad one, in words
    assert window.items.current_item_id() == item.id


def test_dropping_a_pdf_on_the_window(qtbot, window, tmp_path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(make_paper(tmp_path / "p.pdf", stamp=False)))])
    window.add_pdf_files([u.toLocalFile() for u in mime.urls()])
    assert any(i.title == TITLE and i.has_pdf for i in window.library.items())
    assert window.add_pdf_action in window.file_menu.actions()


def run_app(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "readerapp", "--home", str(home), *args],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip


def test_screenshot_of_a_page(tmp_path, home) -> None:
    services = open_services(str(home))
    item = add_pdf_file(services, make_paper(tmp_path / "p.pdf"))
    services.close()
    out = tmp_path / "shot.png"
    done = run_app("--screenshot", str(out), "--open", str(item.id), "--page", "6", home=home)
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert image.width() > 600 and image.height() > 400
    services = open_services(str(home))
    try:  # the window showed page 6 when it was saved: that is the position it remembers
        assert services.library.reading_position(item.id).page == 5
    finally:
        services.close()
    bad = run_app("--screenshot", str(out), "--open", "no-such-thing", home=home)
    assert bad.returncode == 2 and "is not an item id" in bad.stderr  # bad input
    assert "Traceback" not in bad.stderr


def test_ctrl_w_closes_the_tab_in_front_but_never_the_library(qtbot, window, tmp_path) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.open_files([str(make_paper(tmp_path / "a.pdf")), str(make_paper(tmp_path / "b.pdf"))])
    assert [t.title for t in window.pdf_tabs.open_tabs()] == ["a.pdf", "b.pdf"]
    qtbot.keyClick(window.tabs.currentWidget(), Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert [t.title for t in window.pdf_tabs.open_tabs()] == ["a.pdf"]
    window.tabs.setCurrentIndex(0)
    qtbot.keyClick(window.tabs.currentWidget(), Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.tabText(0) == "Library" and len(window.pdf_tabs.open_tabs()) == 1


def test_the_window_is_named_after_the_paper_in_front(qtbot, window, tmp_path) -> None:
    window.open_files([str(make_paper(tmp_path / "a.pdf"))])
    assert window.windowTitle() == "a.pdf — readerapp"
    window.tabs.setCurrentIndex(0)
    assert window.windowTitle() == "readerapp"


def test_a_screenshot_of_an_item_without_a_pdf_is_a_sentence_not_a_dialog(qtbot, window) -> None:
    """A dialog would leave a --screenshot run waiting for a click that never comes."""
    item = next(i for i in window.library.items() if not i.pdf_path)
    with pytest.raises(BadInputError, match="has no PDF to show"):
        window.open_for_screenshot(str(item.id), None)
    assert window.statusBar().currentMessage() == ""  # where show_error would have said it
    assert window.pdf_tabs.open_tabs() == []


def test_a_screenshot_of_a_page_the_paper_does_not_have_is_a_sentence(qtbot, window, tmp_path):
    item = add_pdf_file(window.services, make_paper(tmp_path / "p.pdf", pages=6))
    for page in (7, 0):
        with pytest.raises(BadInputError, match=f"has pages 1 to 6; there is no page {page}"):
            window.open_for_screenshot(str(item.id), page)


def test_a_screenshot_waits_for_the_thumbnails_beside_the_page(qtbot, window, tmp_path) -> None:
    """`--screenshot --open X`: the saved window shows the page thumbnails, not placeholders."""
    item = add_pdf_file(window.services, make_paper(tmp_path / "p.pdf", pages=8))
    ready = window.open_for_screenshot(str(item.id), 3)
    tab = window.pdf_tabs.open_tabs()[0]
    tab.sidebar.setCurrentWidget(tab.thumbnails)  # the paper has an outline: Contents shows first
    qtbot.waitUntil(ready, timeout=10000)
    model, area = tab.thumbnail_model, tab.thumbnails.viewport().rect()
    shown = [
        model.index(row)
        for row in range(model.rowCount())
        if tab.thumbnails.visualRect(model.index(row)).intersects(area)
    ]
    assert len(shown) >= 2
    for index in shown:  # a drawn page has white paper; the placeholder is grey all over
        pixmap = model.data(index, Qt.ItemDataRole.DecorationRole)
        assert pixmap.toImage().pixelColor(2, 2) == QColor("white")


def test_a_pdf_handed_to_the_app_opens_its_library_item_or_the_file(qtbot, window, tmp_path):
    """A file manager's "Open with readerapp": the same file in the library opens as that item
    (with its highlights); another PDF opens as a file; a missing one is a sentence."""
    held = make_paper(tmp_path / "held.pdf")
    item = add_pdf_file(window.services, held)
    outside = make_paper(tmp_path / "outside.pdf", stamp=False, pages=2)
    window.open_files([str(held), str(outside), str(tmp_path / "gone.pdf")])
    tabs = window.pdf_tabs.open_tabs()
    assert [t.item_id for t in tabs] == [item.id, None]
    assert tabs[1].title == "outside.pdf"
    assert window.tabs.currentWidget() is tabs[1]
    assert "gone.pdf" in window.statusBar().currentMessage()


def test_a_pdf_from_outside_the_library_reopens_where_it_was_left(qtbot, window, tmp_path):
    outside = make_paper(tmp_path / "outside.pdf", stamp=False)
    window.open_files([str(outside)])
    (tab,) = window.pdf_tabs.open_tabs()
    qtbot.waitUntil(lambda: tab.view.page_count == 6)
    tab.view.set_scale(tab.view.scale() * 1.5)
    tab.view.go_to(3)
    scale = tab.view.scale()
    window.close_tab(window.tabs.indexOf(tab))
    window.open_files([str(tmp_path / "." / "outside.pdf")])  # the same file, however named
    (again,) = window.pdf_tabs.open_tabs()
    assert again is not tab and again.item_id is None
    assert again.view.current_page() == 3 and again.view.scale() == pytest.approx(scale, rel=1e-3)


def test_readerapp_with_a_pdf_path_opens_it(tmp_path, home) -> None:
    paper = make_paper(tmp_path / "from the file manager.pdf")
    out = tmp_path / "shot.png"
    done = run_app("--screenshot", str(out), str(paper), home=home)
    assert done.returncode == 0, done.stderr
    assert QImage(str(out)).width() > 600


def test_started_with_a_paper_the_library_is_built_when_it_first_comes_to_the_front(
    qtbot, home, tmp_path
) -> None:
    """`readerapp paper.pdf`: the paper shows first, and the window gets every tab and menu
    without building the library panes hidden behind it. They are built, whole (details pane,
    every item, the features' entries), when the Library tab first comes to the front."""
    from PySide6.QtWidgets import QMenu, QSplitter

    from readerapp.storage.library import ALL_ITEMS

    paper = make_paper(tmp_path / "p.pdf")
    for go_to_library_first in (False, True):
        services = open_services(str(home))
        window = MainWindow(services, defer_features=True, papers=[str(paper)])
        try:
            assert isinstance(window.tabs.currentWidget(), PdfTab)
            assert window.library_page.findChild(QSplitter) is None  # not built yet
            if go_to_library_first:
                window.tabs.setCurrentIndex(0)
            else:
                window.show()
                qtbot.waitUntil(lambda w=window: w.features_ready, timeout=10000)
                qtbot.waitUntil(lambda w=window: w.feed_tab.poller.timer.isActive(), timeout=10000)
                assert window.library_page.findChild(QSplitter) is None  # still behind the paper
                window.tabs.setCurrentIndex(0)
            assert window.library_page.findChild(QSplitter) is window.splitter
            assert window.item_model.rowCount() == len(window.library.items())
            assert window.tree.current_topic_id() == ALL_ITEMS
            assert window.items.current_item_id() is not None
            assert window.details.isVisibleTo(window.library_page)
            assert window.empty_list_hint is not None
            if not go_to_library_first:  # the features, installed before, reach the panes too
                assert window.tree.itemDelegate() is window.tree.badges  # "N new" badges
                arxiv = next(i for i in window.library.items() if i.arxiv_id and not i.has_pdf)
                menu = QMenu()
                window.items.contextMenuWanted.emit(menu, [arxiv.id])
                assert "Download PDF" in [a.text() for a in menu.actions()]
        finally:
            window.close()
            window.deleteLater()
            services.close()


def test_a_paper_opened_at_launch_renders_its_first_page_once_and_first(
    qtbot, home, tmp_path, monkeypatch
) -> None:
    """The window is laid out in steps (the view first gets sizes it never shows): the first page
    is rendered once, at the zoom it is shown at, before any thumbnail."""
    from readerapp.pdf.document import PdfDocument

    rendered: list[tuple[int, float]] = []
    render = PdfDocument.render

    def recording_render(self, page, zoom, **kw):
        rendered.append((page, round(zoom, 3)))
        return render(self, page, zoom, **kw)

    monkeypatch.setattr(PdfDocument, "render", recording_render)
    paper = make_paper(tmp_path / "p.pdf")
    services = open_services(str(home))
    window = MainWindow(services, defer_features=True, papers=[str(paper)])
    try:
        window.show()
        tab = window.pdf_tabs.open_tabs()[0]
        wait_painted(qtbot, tab)
        shown = round(tab.view.scale() * tab.view.devicePixelRatioF(), 3)
        assert rendered[0] == (0, shown)
        assert [z for p, z in rendered if p == 0] == [shown]
    finally:
        window.close()
        window.deleteLater()
        services.close()


def test_bad_papers_at_launch_leave_the_rest_of_the_app_working(qtbot, home, tmp_path) -> None:
    """`readerapp locked.pdf page.html.pdf paper.pdf`: each bad file gets its sentence, and the
    features installed after the first paint (feeds, search, ...) still all arrive."""
    locked = make_encrypted(tmp_path / "locked.pdf")
    html = make_html_as_pdf(tmp_path / "page.pdf")
    paper = make_paper(tmp_path / "p.pdf")
    services = open_services(str(home))
    window = MainWindow(services, defer_features=True, papers=[str(locked), str(html), str(paper)])
    qtbot.addWidget(window)
    try:
        window.show()
        qtbot.waitUntil(lambda: window.features_ready, timeout=10000)
        assert window.feed_tab is not None
        tabs = window.pdf_tabs.open_tabs()
        assert [t.view is None for t in tabs] == [True, True, False]
        assert tabs[0].needs_password() and "password" in tabs[0].message.text()
        assert "web page" in tabs[1].message.text()
    finally:
        window.close()
        services.close()


def test_keys_work_at_once_after_launch(qtbot, home, tmp_path) -> None:
    """The keyboard starts where the user reads or types, not on the tab bar: the page of a
    paper opened at launch, a locked paper's password field, the item list of a plain start."""
    from PySide6.QtWidgets import QApplication

    paper = make_paper(tmp_path / "p.pdf")
    locked = make_encrypted(tmp_path / "locked.pdf")
    for papers, expected in (([paper], "view"), ([locked], "password"), ([], "items")):
        # A library of its own each time: a launch without papers reopens the last session's.
        services = open_services(str(home / expected))
        window = MainWindow(services, defer_features=True, papers=[str(p) for p in papers])
        qtbot.addWidget(window)
        try:
            window.show()
            qtbot.waitExposed(window)
            if expected == "items":
                assert window.focusWidget() is window.items
                continue
            tab = window.pdf_tabs.open_tabs()[0]
            if expected == "password":
                assert window.focusWidget() is tab.password_field
                continue
            assert window.focusWidget() is tab.view
            window.activateWindow()  # shortcuts go to the active window
            qtbot.waitUntil(lambda w=window: QApplication.activeWindow() is w)
            # Ctrl+Shift+N is night mode here; in the library the same keys make a topic.
            qtbot.keyClick(
                tab.view,
                Qt.Key.Key_N,
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
            )
            assert tab.night_action.isChecked()
        finally:
            window.close()
            services.close()


def test_the_same_outside_file_opened_twice_keeps_one_tab(qtbot, window, tmp_path) -> None:
    """A file manager's "Open with" twice on one file (a second launch hands it over again)."""
    paper = make_paper(tmp_path / "outside.pdf")
    window.open_files([str(paper)])
    first = window.tabs.currentWidget()
    window.tabs.setCurrentIndex(0)
    count = window.tabs.count()
    window.open_files([str(tmp_path / "." / "outside.pdf")])
    assert window.tabs.currentWidget() is first and window.tabs.count() == count


def test_adding_a_file_open_from_outside_turns_its_tab_into_the_library_paper(
    qtbot, window, tmp_path
) -> None:
    """Read a downloaded PDF, like it, File → Add PDF: the same tab, now with highlight tools."""
    paper = make_paper(tmp_path / "outside.pdf")
    window.open_files([str(paper)])
    (tab,) = window.pdf_tabs.open_tabs()
    tab.view.go_to(3)
    (item_id,) = window.add_pdf_files([str(paper)])
    (now,) = window.pdf_tabs.open_tabs()
    assert now.item_id == item_id and now is not tab
    assert now.view.current_page() == 3
    assert any(isinstance(p, AnnotationPane) for p in now.side_panes())  # highlight tools


def test_an_unreadable_file_opened_again_is_tried_again_in_one_tab(qtbot, window, tmp_path):
    broken = tmp_path / "download.pdf"
    broken.write_bytes(b"")  # an empty file: a sentence in its tab
    window.open_files([str(broken)])
    (tab,) = window.pdf_tabs.open_tabs()
    assert tab.error is not None
    window.open_files([str(broken)])  # still empty: still one tab saying so
    assert len(window.pdf_tabs.open_tabs()) == 1
    make_paper(broken)  # downloaded again, whole this time
    window.open_files([str(broken)])
    (again,) = window.pdf_tabs.open_tabs()
    assert again.error is None and again.view is not None


def test_a_repaired_file_opens_and_says_it_was_damaged(qtbot, window, tmp_path) -> None:
    from tests.pdf_samples import make_cut_short

    window.open_files([str(make_cut_short(tmp_path / "cut.pdf"))])
    tab = window.tabs.currentWidget()
    assert tab.view is not None and tab.error is None
    assert "damaged" in tab.notice and "damaged" in window.statusBar().currentMessage()
    window.open_files([str(make_paper(tmp_path / "whole.pdf"))])
    assert window.tabs.currentWidget().notice is None


def test_selecting_text_in_an_outside_file_says_how_to_highlight_it(
    qtbot, window, tmp_path
) -> None:
    from tests.annotation_helpers import PAGE_ONE, line_rects, make_pdf
    from tests.gui.test_annotation_highlighting import drag_over

    pdf = make_pdf(tmp_path / "outside.pdf", [PAGE_ONE])
    window.open_files([str(pdf)])
    tab = window.tabs.currentWidget()
    wait_painted(qtbot, tab)
    assert tab.item_id is None and tab.hint.text() == ""
    drag_over(qtbot, tab.view, 0, line_rects(pdf, 0, "residual stream")[0])
    assert tab.view.selection() is not None
    assert "not in your library" in tab.hint.text()
    tab.view.clear_selection()
    assert tab.hint.text() == ""


def test_a_library_left_in_front_by_a_paper_that_could_not_open_is_built(qtbot, home) -> None:
    """`readerapp typo.pdf`: nothing opens, the Library stays in front, and it is shown whole
    (it is not left empty waiting for a tab switch that never comes)."""
    from PySide6.QtWidgets import QSplitter

    with launched_with(home, "/no/such/paper.pdf") as window:
        assert window.tabs.currentWidget() is window.library_page
        assert window.library_page.findChild(QSplitter) is window.splitter
        assert window.item_model.rowCount() > 0


def test_the_library_tab_moved_elsewhere_is_built_when_shown_and_cannot_be_closed(
    qtbot, home, tmp_path
) -> None:
    from PySide6.QtWidgets import QSplitter

    with launched_with(home, str(make_paper(tmp_path / "p.pdf"))) as window:
        window.show()
        qtbot.waitUntil(lambda: window.features_ready, timeout=10000)
        bar = window.tabs.tabBar()
        bar.moveTab(window.tabs.indexOf(window.library_page), window.tabs.count() - 1)
        last = window.tabs.count() - 1
        assert window.tabs.widget(last) is window.library_page
        window.tabs.setCurrentIndex(last)
        assert window.library_page.findChild(QSplitter) is window.splitter
        assert window.windowTitle() == "readerapp"
        window.close_tab(last)  # Ctrl+W with the Library in front
        assert window.tabs.widget(last) is window.library_page
        paper = window.pdf_tabs.open_tabs()[0]
        window.close_tab(window.tabs.indexOf(paper))  # the last paper closed: the Library shows
        assert window.tabs.currentWidget() is window.library_page


def test_with_a_paper_in_front_new_items_go_to_the_topic_the_library_showed_last(
    qtbot, home, tmp_path
) -> None:
    from readerapp.services import settings

    services = open_services(str(home))
    topic = services.library.find_topic("Research focus/Interpretability")
    services.library.set_setting(settings.CURRENT_TOPIC, topic.id)
    window = MainWindow(services, defer_features=True, papers=[str(make_paper(tmp_path / "p.pdf"))])
    try:
        assert window.current_topic == topic.id  # the library itself is not built yet
        window.install_features()
        assert window.paper_ui is not None and window.paper_ui.current_topic() == topic.id
    finally:
        window.close()
        window.deleteLater()
        services.close()


def test_a_feature_that_fails_to_install_leaves_the_rest_and_the_window_ready(
    qtbot, home, tmp_path, monkeypatch, caplog
) -> None:
    """A bug in one feature's installation is logged and said; the window still gets every
    other tab and menu, and gets ready (the launch's pause of garbage collection ends then)."""

    def broken(_window) -> None:
        raise RuntimeError("a bug in a feature")

    monkeypatch.setattr(MainWindow, "_install_about", broken)
    with launched_with(home, str(make_paper(tmp_path / "p.pdf"))) as window:
        window.show()
        qtbot.waitUntil(lambda: window.features_ready, timeout=10000)
        assert window.search_ui is not None and window.shortcuts is not None  # after it
        assert "could not be set up" in window.statusBar().currentMessage()
        assert any("a bug in a feature" in r.getMessage() or r.exc_info for r in caplog.records)


def test_keyboard_shortcuts_list_the_library_keys_while_a_paper_is_in_front(
    qtbot, home, tmp_path
) -> None:
    from readerapp.gui.shortcuts_dialog import shortcut_groups

    with launched_with(home, str(make_paper(tmp_path / "p.pdf"))) as window:
        window.install_features()
        groups = dict(shortcut_groups(window))
        assert ("Ctrl+Shift+P", "Show the notes rendered") in groups["In the library"]
        assert any(keys == "M" for keys, _meaning in groups["In the Feeds tab"])
