"""A long item list starts with its first screenful and completes right after the first paint."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from readerapp.app import Services, open_services
from readerapp.gui.main_window import FIRST_ROWS, MainWindow
from readerapp.qt.item_model import COLUMNS, ItemTableModel
from readerapp.services import settings
from readerapp.storage.library import ALL_ITEMS

N_ITEMS = FIRST_ROWS + 150


def fill(services: Services, n: int = N_ITEMS) -> None:
    """Items with mixed-case titles, shared added dates and authors, missing years, every status."""
    statuses = ("to-read", "reading", "read")
    rows = [
        (
            f"{'ABCDEFGHIJ'[i % 10] if i % 3 else 'abcdefghij'[i % 10]}-paper {i % 37}",
            f'["Author {i % 11}"]' if i % 4 else "[]",
            None if i % 5 == 0 else 2000 + i % 20,
            statuses[i % 3],
            f"2026-0{1 + i % 9}-01T00:00:00Z",
        )
        for i in range(n)
    ]
    with services.db.transaction() as conn:
        conn.executemany(
            "INSERT INTO items(title, authors, year, status, added) VALUES (?, ?, ?, ?, ?)", rows
        )


@pytest.fixture
def filled_home(home: Path) -> Path:
    services = open_services(str(home), seed=False)
    fill(services)
    services.close()
    return home


@pytest.mark.parametrize("column", range(len(COLUMNS)))
@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_the_first_rows_from_sqlite_are_the_first_rows_the_list_sorts(
    qapp, empty_services: Services, column: int, order: Qt.SortOrder
) -> None:
    fill(empty_services)
    library = empty_services.library
    model = ItemTableModel()
    model.sort(column, order)
    model.set_rows(library.item_rows(ALL_ITEMS))
    sort, descending = model.sort_order()
    first = library.item_rows(ALL_ITEMS, sort=sort, descending=descending, limit=FIRST_ROWS)
    assert [r.id for r in first] == [model.item_id(row) for row in range(FIRST_ROWS)]


@pytest.fixture
def started(qtbot, filled_home: Path) -> Iterator[MainWindow]:
    """The window as `readerapp` starts it (features and the rest of the list after painting)."""
    services = open_services(str(filled_home))
    window = MainWindow(services, defer_features=True)
    yield window
    window.close()
    window.deleteLater()
    services.close()


def test_the_list_shows_its_first_screenful_then_completes_in_place(
    qtbot, started: MainWindow
) -> None:
    model = started.item_model
    assert not model.is_complete()
    assert model.rowCount() == N_ITEMS  # the scroll bar is right from the start
    first_ids = [model.item_id(row) for row in range(FIRST_ROWS)]
    selected = started.items.current_item_id()
    assert selected == first_ids[0]
    started.show()
    qtbot.waitUntil(model.is_complete)
    assert model.rowCount() == N_ITEMS
    assert [model.item_id(row) for row in range(FIRST_ROWS)] == first_ids
    assert started.items.current_item_id() == selected
    assert model.data(model.index(N_ITEMS - 1, 0))  # the last row has its title


def test_sorting_before_the_rest_arrived_sorts_every_item(started: MainWindow) -> None:
    started.items.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    model = started.item_model
    assert model.is_complete() and model.rowCount() == N_ITEMS
    titles = [model.row_data(row).title.casefold() for row in range(N_ITEMS)]
    assert titles == sorted(titles)


def test_the_remembered_item_is_selected_even_beyond_the_first_screenful(
    qtbot, filled_home: Path
) -> None:
    services = open_services(str(filled_home))
    last_listed = services.library.item_rows(ALL_ITEMS, sort="added", descending=True)[-1].id
    services.library.set_setting(settings.CURRENT_ITEM, last_listed)
    window = MainWindow(services, defer_features=True)
    try:
        assert window.items.current_item_id() == last_listed
        assert window.details.title.text()  # its details are shown
    finally:
        window.close()
        window.deleteLater()
        services.close()


def test_going_to_the_end_before_the_rest_arrived_lands_on_the_last_item(
    qtbot, started: MainWindow
) -> None:
    view, model = started.items, started.item_model
    assert not model.is_complete()
    view.setCurrentIndex(model.index(N_ITEMS - 1, 0))  # what End does: a row not loaded yet
    assert model.is_complete()
    last = started.library.item_rows(ALL_ITEMS, sort="added", descending=True)[-1].id
    assert view.current_item_id() == last
    assert view.currentIndex().row() == N_ITEMS - 1
