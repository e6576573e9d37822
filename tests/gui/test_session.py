"""The reading session comes back: the papers open at quit reopen on launch, in their order,
each at its place, with the same tab in front; what can no longer open is left out."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from readerapp.app import open_services
from readerapp.gui.main_window import MainWindow
from readerapp.gui.pdf_tab import PdfTab
from readerapp.services.local_files import add_pdf_file
from tests.gui.test_pdf_view import painted
from tests.pdf_samples import make_paper


@contextmanager
def launched(qtbot, home: Path, **options) -> Iterator[MainWindow]:
    """The app started on ``home`` and quit at the end, as a user would."""
    services = open_services(str(home))
    window = MainWindow(services, **options)
    qtbot.addWidget(window)
    window.resize(1100, 750)
    window.show()
    qtbot.waitExposed(window)
    try:
        yield window
    finally:
        if window.isVisible():
            window.close()
        services.close()


def paper_tabs(window: MainWindow) -> list[PdfTab]:
    return [w for i in range(window.tabs.count()) if isinstance(w := window.tabs.widget(i), PdfTab)]


@pytest.mark.parametrize("deferred", [False, True], ids=["features-now", "features-deferred"])
def test_open_papers_the_front_tab_and_each_place_come_back(
    qtbot, home: Path, tmp_path: Path, deferred: bool
) -> None:
    outside = make_paper(tmp_path / "outside.pdf", pages=5)
    with launched(qtbot, home) as window:
        first = add_pdf_file(window.services, make_paper(tmp_path / "a.pdf", pages=6))
        second = add_pdf_file(window.services, make_paper(tmp_path / "b.pdf", pages=7, stamp=False))
        a = window.open_pdf_item(first)
        a.view.go_to(4, 100)
        window.open_files([str(outside)])
        b = window.open_pdf_item(second)
        b.view.set_zoom_percent(150)
        b.view.go_to(2, 50)
        place_a, place_b = a.view.position(), b.view.position()
        window.tabs.setCurrentWidget(a)

    with launched(qtbot, home, defer_features=deferred) as window:
        tabs = paper_tabs(window)
        assert [t.item_id for t in tabs] == [first.id, None, second.id]
        assert tabs[1].path == outside
        assert window.tabs.currentWidget() is tabs[0]
        assert window.windowTitle().startswith(tabs[0].title)
        qtbot.waitUntil(lambda: painted(tabs[0]), timeout=10000)
        assert tabs[0].view.position()[0] == place_a[0]
        assert tabs[0].view.position()[1] == pytest.approx(place_a[1], abs=1)
        assert tabs[2].view.position()[0] == place_b[0]
        assert tabs[2].zoom_label.text() == "150%"
        if deferred:
            qtbot.waitUntil(lambda: window.features_ready, timeout=10000)
        # The library is there behind the papers, and the item tabs have their highlight tools.
        window.install_features()
        assert getattr(tabs[0], "annotations", None) is not None
        assert window.item_model.rowCount() > 0


def test_the_library_in_front_stays_in_front_and_missing_papers_are_left_out(
    qtbot, home: Path, tmp_path: Path
) -> None:
    outside = make_paper(tmp_path / "gone.pdf", pages=3)
    with launched(qtbot, home) as window:
        kept = add_pdf_file(window.services, make_paper(tmp_path / "a.pdf"))
        deleted = add_pdf_file(window.services, make_paper(tmp_path / "b.pdf", stamp=False))
        window.open_pdf_item(kept)
        window.open_pdf_item(deleted)
        window.open_files([str(outside)])
        window.tabs.setCurrentIndex(0)
    outside.unlink()
    with launched(qtbot, home) as window:
        window.library.trash_items([deleted.id])
    # (the trash above happened while the session was restored: that launch kept all three)

    with launched(qtbot, home) as window:
        assert [t.item_id for t in paper_tabs(window)] == [kept.id]
        assert window.tabs.currentIndex() == 0


def test_closing_every_paper_starts_the_next_launch_on_the_library(
    qtbot, home: Path, tmp_path: Path
) -> None:
    with launched(qtbot, home) as window:
        item = add_pdf_file(window.services, make_paper(tmp_path / "a.pdf"))
        tab = window.open_pdf_item(item)
        window.close_tab(window.tabs.indexOf(tab))
    with launched(qtbot, home) as window:
        assert paper_tabs(window) == []
        assert window.tabs.currentIndex() == 0


def test_a_launch_with_papers_opens_those_not_the_last_session(
    qtbot, home: Path, tmp_path: Path
) -> None:
    given = make_paper(tmp_path / "given.pdf", pages=2)
    with launched(qtbot, home) as window:
        item = add_pdf_file(window.services, make_paper(tmp_path / "a.pdf"))
        window.open_pdf_item(item)
    with launched(qtbot, home, papers=[str(given)]) as window:
        assert [t.path for t in paper_tabs(window)] == [given]


def test_keeping_figure_colours_at_night_is_one_remembered_preference(
    qtbot, home: Path, tmp_path: Path
) -> None:
    with launched(qtbot, home) as window:
        a = window.open_pdf_item(add_pdf_file(window.services, make_paper(tmp_path / "a.pdf")))
        window.open_files([str(make_paper(tmp_path / "b.pdf", stamp=False))])
        b = paper_tabs(window)[1]
        assert not a.view.night_keeps_images()
        a.night_images_action.trigger()
        assert a.view.night_keeps_images() and b.view.night_keeps_images()
        assert b.night_images_action.isChecked()
    with launched(qtbot, home) as window:
        assert all(t.view.night_keeps_images() for t in paper_tabs(window))


def test_the_session_is_kept_as_it_changes_not_only_at_quit(
    qtbot, home: Path, tmp_path: Path
) -> None:
    """A logout or a crash does not wait for the window to close."""
    with launched(qtbot, home) as window:
        viewer = window.services.viewer
        first = add_pdf_file(window.services, make_paper(tmp_path / "a.pdf"))
        second = add_pdf_file(window.services, make_paper(tmp_path / "b.pdf", stamp=False))
        window.open_pdf_item(first)
        window.open_pdf_item(second)
        qtbot.waitUntil(lambda: len(viewer.session().papers) == 2, timeout=5000)
        assert viewer.session().current == 1
        window.close_tab(window.tabs.indexOf(window.pdf_tabs.tab_for_item(second.id)))
        qtbot.waitUntil(lambda: len(viewer.session().papers) == 1, timeout=5000)
        assert viewer.session().papers[0].item_id == first.id
