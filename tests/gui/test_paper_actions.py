"""Adding papers in the window: dialog, paste, drop, downloads with progress and cancel, versions."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMenu

from readerapp.app import open_services
from readerapp.gui.main_window import MainWindow
from readerapp.gui.paper_actions import AddPaperDialog
from tests.net.arxiv_answers import api_feed, make_pdf
from tests.net.server import Reply, ScriptedServer, endless

ATOM = {"Content-Type": "application/atom+xml"}
PDF = {"Content-Type": "application/pdf"}
PAPER = ("2405.01234", 1, "Sparse Autoencoders Find Features")


@pytest.fixture
def arxiv(monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedServer]:
    with ScriptedServer() as server:
        monkeypatch.setenv("READERAPP_ARXIV_API", server.url("/api/query"))
        monkeypatch.setenv("READERAPP_ARXIV_PDF", server.url("/pdf/"))
        yield server


@pytest.fixture
def window(qtbot, home: Path, arxiv: ScriptedServer) -> Iterator[MainWindow]:
    services = open_services(str(home))
    win = MainWindow(services)
    win.paper_ui.tasks.stop_background()  # tests drive the schedule themselves
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.paper_ui.tasks.shutdown()
    win.close()
    services.close()


def titles(win: MainWindow) -> list[str]:
    model = win.item_model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def wait_for_item(qtbot, win: MainWindow, arxiv_id: str, **wanted):
    def check():
        item = win.library.find_by_arxiv_id(arxiv_id)
        assert item is not None
        for key, value in wanted.items():
            assert getattr(item, key) == value

    qtbot.waitUntil(check, timeout=10000)
    return win.library.find_by_arxiv_id(arxiv_id)


def test_add_dialog_adds_the_paper_downloads_it_and_selects_it(qtbot, window, arxiv):
    arxiv.route("/api/query", Reply(200, api_feed(PAPER), ATOM))
    arxiv.route("/pdf/2405.01234v1", Reply(200, make_pdf("Features"), PDF))
    window.paper_ui.add_action.trigger()
    dialog = window.findChild(AddPaperDialog)
    assert dialog is not None and dialog.isVisible()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.text.setText("not an id")
    assert not ok.isEnabled() and "is not an arXiv id" in dialog.hint.text()
    dialog.text.setText("https://arxiv.org/abs/2405.01234")
    assert ok.isEnabled() and "2405.01234" in dialog.hint.text()
    ok.click()
    item = wait_for_item(qtbot, window, "2405.01234", version=1)
    qtbot.waitUntil(lambda: window.library.item(item.id).has_pdf, timeout=10000)
    qtbot.waitUntil(lambda: window.items.current_item_id() == item.id)
    assert "Sparse Autoencoders Find Features" in titles(window)
    [download] = window.paper_ui.tasks.downloads.values()
    assert download.state == "done"
    row = window.paper_ui.panel.row(download.job)
    assert row is not None and not row.cancel_button.isVisibleTo(row)


def test_paste_adds_an_id_and_bad_clipboard_says_so(qtbot, window, arxiv):
    arxiv.route("/api/query", Reply(200, api_feed(PAPER), ATOM))
    QApplication.clipboard().setText("hello there")
    window.items.setFocus()
    window.paper_ui.paste_action.trigger()
    assert "no arXiv id or web address" in window.statusBar().currentMessage()
    QApplication.clipboard().setText("arXiv:2405.01234")
    window.paper_ui.paste_action.trigger()
    wait_for_item(qtbot, window, "2405.01234", title="Sparse Autoencoders Find Features")


def test_dropping_a_link_adds_it(qtbot, window, arxiv):
    arxiv.route("/api/query", Reply(200, api_feed(PAPER), ATOM))
    arxiv.route("/pdf/2405.01234v1", Reply(200, make_pdf("Dropped"), PDF))
    mime = QMimeData()
    mime.setUrls([QUrl("https://arxiv.org/pdf/2405.01234v1")])
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    with warnings.catch_warnings():  # PySide marks the only constructor deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(window, drop)
    assert drop.isAccepted()
    wait_for_item(qtbot, window, "2405.01234", version=1)


def test_dropping_plain_words_is_not_accepted(qtbot, window):
    mime = QMimeData()
    mime.setText("just some words")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(
            QPoint(10, 10),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    enter.ignore()
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()


def test_a_download_shows_progress_and_can_be_cancelled(qtbot, window, arxiv):
    arxiv.route("/api/query", Reply(200, api_feed(PAPER), ATOM))
    arxiv.route("/pdf/2405.01234v1", endless())
    window.paper_ui.tasks.add("2405.01234")
    tasks = window.paper_ui.tasks
    qtbot.waitUntil(lambda: any(d.done > 0 for d in tasks.downloads.values()), timeout=10000)
    [download] = tasks.downloads.values()
    assert window.paper_ui.progress.isVisible()
    row = window.paper_ui.panel.row(download.job)
    assert row.cancel_button.isVisibleTo(row)
    row.cancel_button.click()
    qtbot.waitUntil(lambda: download.state == "cancelled", timeout=10000)
    assert not window.paper_ui.progress.isVisible()
    assert "cancelled" in row.state.text()
    item = window.library.find_by_arxiv_id("2405.01234")
    assert not item.has_pdf
    files = window.services.paths.files / "arxiv"
    assert not files.exists() or list(files.iterdir()) == []


def test_offline_add_then_retry_fills_the_item(qtbot, window, arxiv, monkeypatch):
    tasks = window.paper_ui.tasks
    real_api = tasks.service.arxiv.api_url
    tasks.service.arxiv.api_url = "http://127.0.0.1:9/api/query"  # offline for this add
    tasks.add("2405.01234", download=False)
    item = wait_for_item(qtbot, window, "2405.01234", title="arXiv:2405.01234")
    assert tasks.service.state.pending_for(item.id).need_metadata
    other = next(i.id for i in window.library.items() if i.id != item.id)
    window.select_item(other)
    window.select_item(item.id)
    assert "will be fetched when possible" in window.statusBar().currentMessage()
    tasks.service.arxiv.api_url = real_api
    arxiv.route("/api/query", Reply(200, api_feed(PAPER), ATOM))
    tasks.background_tick()
    wait_for_item(qtbot, window, "2405.01234", title="Sparse Autoencoders Find Features")
    assert "Sparse Autoencoders Find Features" in titles(window)


def test_check_versions_shows_a_badge_and_update_moves_to_the_new_version(qtbot, window, arxiv):
    arxiv.route("/api/query", Reply(200, api_feed(PAPER), ATOM))
    arxiv.route("/pdf/2405.01234v1", Reply(200, make_pdf("One"), PDF))
    arxiv.route("/pdf/2405.01234v2", Reply(200, make_pdf("Two"), PDF))
    tasks = window.paper_ui.tasks
    tasks.add("2405.01234")
    item = wait_for_item(qtbot, window, "2405.01234", version=1)
    qtbot.waitUntil(lambda: window.library.item(item.id).has_pdf, timeout=10000)
    arxiv.route("/api/query", Reply(200, api_feed(("2405.01234", 2, PAPER[2])), ATOM))
    assert tasks.version_check_due()
    with qtbot.waitSignal(tasks.versionsChecked, timeout=10000) as checked:
        window.paper_ui.check_action.trigger()
    assert checked.args == [[item.id]]
    assert not tasks.version_check_due()
    qtbot.waitUntil(lambda: any("[v2 available]" in t for t in titles(window)))
    window.select_item(item.id)
    assert window.paper_ui.update_action.text() == "&Update to v2"
    assert window.paper_ui.update_action.isEnabled()
    window.paper_ui.update_action.trigger()
    wait_for_item(qtbot, window, "2405.01234", version=2)
    assert not any("available" in t for t in titles(window))
    qtbot.waitUntil(lambda: not window.paper_ui.update_action.isEnabled())
    [old] = tasks.service.state.versions(item.id)
    assert old.version == 1 and window.services.files.absolute(old.pdf_path).exists()
    menu = QMenu(window)
    window.items.contextMenuWanted.emit(menu, [item.id])
    [previous] = [a for a in menu.actions() if a.text() == "Open Previous Version v1"]
    tabs_before = window.tabs.count()
    previous.trigger()
    assert window.tabs.count() == tabs_before + 1
    assert window.tabs.tabText(window.tabs.currentIndex()) == "2405.01234v1.pdf"


def test_pasting_the_same_id_twice_quickly_adds_one_item(qtbot, window, arxiv):
    arxiv.route("/api/query", Reply(200, api_feed(PAPER), ATOM))
    arxiv.route("/pdf/2405.01234v1", Reply(200, make_pdf("Once"), PDF))
    failures: list[str] = []
    window.paper_ui.tasks.failed.connect(failures.append)
    QApplication.clipboard().setText("2405.01234")
    window.items.setFocus()
    window.paper_ui.paste_action.trigger()
    window.paper_ui.paste_action.trigger()  # before the first answer came back
    item = wait_for_item(qtbot, window, "2405.01234", version=1)
    qtbot.waitUntil(lambda: window.library.item(item.id).has_pdf, timeout=10000)
    window.paper_ui.tasks.wait()
    qtbot.waitUntil(lambda: window.paper_ui.tasks.arxiv_runner.pending == 0)
    assert failures == []
    assert [i.id for i in window.library.items() if i.arxiv_id == "2405.01234"] == [item.id]


def test_download_pdf_for_a_starter_paper_uses_the_latest_version(qtbot, window, arxiv):
    arxiv.route(
        "/api/query", Reply(200, api_feed(("1706.03762", 7, "Attention Is All You Need")), ATOM)
    )
    arxiv.route("/pdf/1706.03762v7", Reply(200, make_pdf("Attention"), PDF))
    tasks = window.paper_ui.tasks
    with qtbot.waitSignal(tasks.versionsChecked, timeout=10000):
        tasks.check_versions()
    starter = window.library.find_by_arxiv_id("1706.03762")
    assert starter.latest_version == 7 and not starter.has_pdf
    tasks.download_pdf(starter)
    qtbot.waitUntil(lambda: window.library.item(starter.id).has_pdf, timeout=10000)
    assert window.library.item(starter.id).version == 7


def test_a_big_library_is_checked_100_ids_a_request(qtbot, window, arxiv):
    from readerapp.core.arxiv_ids import ArxivId

    service = window.paper_ui.tasks.service
    with window.services.db.transaction():
        for n in range(1, 151):
            service.create_arxiv_item(ArxivId(f"2403.{n:05d}", 1), None, [], want_pdf=False)
    arxiv.route("/api/query", Reply(200, api_feed(("2403.00007", 4, "Seventh")), ATOM))
    with qtbot.waitSignal(window.paper_ui.tasks.versionsChecked, timeout=15000) as checked:
        window.paper_ui.tasks.check_versions()
    sizes = [len(hit.query["id_list"][0].split(",")) for hit in arxiv.hits("/api/query")]
    assert sizes == [100, 60]  # 150 added + the starter library's 10 arXiv papers
    seventh = window.library.find_by_arxiv_id("2403.00007")
    assert checked.args == [[seventh.id]]  # it holds v1; v4 is on offer
    assert (seventh.title, seventh.latest_version) == ("Seventh", 4)
