"""What the user types is in the database within a second while typing goes on, and a change
made by another process while the window shows the same text is kept alongside it, not lost.
Closing while the library cannot take what was typed (a full disk, a locked file) keeps the text
in a file, and a reading tab with such text stays open."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from readerapp.app import Services, open_services
from readerapp.gui.main_window import MainWindow
from readerapp.qt.text_autosave import MAX_WAIT_MS
from tests.annotation_helpers import PAGE_ONE, add_pdf_item, line_rects, make_pdf
from tests.gui.test_annotation_window import _start as start_window
from tests.gui.test_annotation_window import _stop as stop_window

KEY_INTERVAL_MS = 40  # a fast typist who never pauses long enough for a pause to save
# Saved "within a second", counted in keystrokes so a slow machine (late timers) does not
# decide the result: a second of typing at this rate, plus the key being typed.
KEYS_PER_SECOND = 1000 // KEY_INTERVAL_MS + 1
TYPED = "Loss falls as a power law in compute, data and parameters alike; "


@pytest.fixture
def paper(home: Path, tmp_path: Path) -> int:
    services = open_services(str(home), seed=False)
    pdf = make_pdf(tmp_path / "paper.pdf", [PAGE_ONE])
    item_id = add_pdf_item(services, pdf, "Scaling Laws for Neural Language Models")
    services.annotations.create_text(
        item_id, 0, line_rects(pdf, 0, "residual stream"), "residual stream", comment="which"
    )
    services.close()
    return item_id


@pytest.fixture
def window(qtbot, home: Path, paper: int) -> Iterator[MainWindow]:
    win = start_window(qtbot, home)
    win.select_item(paper)
    yield win
    stop_window(win)


@pytest.fixture
def other(home: Path, window: MainWindow) -> Iterator[Services]:
    """Another process on the same library: the command line, an import, a second window."""
    second = open_services(str(home), seed=False)
    yield second
    second.close()


def text_of(editor: QPlainTextEdit | QLineEdit) -> str:
    return editor.toPlainText() if isinstance(editor, QPlainTextEdit) else editor.text()


def type_steadily(
    qtbot,
    editor: QPlainTextEdit | QLineEdit,
    text: str,
    after_key: Callable[[], None] = lambda: None,
) -> None:
    """Key events from a timer at a steady rate, as a user who keeps typing."""
    keys = list(text)
    timer = QTimer(interval=KEY_INTERVAL_MS)

    def press() -> None:
        if not keys:
            timer.stop()
            return
        QTest.keyClick(editor, keys.pop(0))
        after_key()

    timer.timeout.connect(press)
    timer.start()
    qtbot.waitUntil(lambda: not keys and not timer.isActive(), timeout=len(text) * 400 + 5000)


def lag_while_typing(qtbot, editor, stored: Callable[[], str], text: str) -> list[int]:
    """Type ``text``; after each key, how many typed characters the database does not hold yet
    (read through another connection, as the app would find it after a crash)."""
    lags: list[int] = []
    replaced = stored()  # a field typed over holds its old value until the first save

    def check() -> None:
        shown, saved = text_of(editor).rstrip(), stored().rstrip()
        if saved == replaced.rstrip() and not shown.startswith(saved):
            saved = ""
        assert shown.startswith(saved), (shown, saved)  # never anything but what was typed
        lags.append(len(shown) - len(saved))

    type_steadily(qtbot, editor, text, check)
    return lags


def assert_saved_while_typing(lags: list[int]) -> None:
    assert max(lags) <= KEYS_PER_SECOND, lags  # never more than a second behind the typing
    assert max(lags) < len(lags) // 2  # the old way: nothing saved until the typing stopped
    saves = sum(1 for a, b in zip(lags, lags[1:], strict=False) if b < a)
    assert saves >= 3, lags  # saved again and again while the typing went on


def test_details_notes_are_saved_within_a_second_while_typing_goes_on(
    qtbot, window: MainWindow, other: Services, paper: int
) -> None:
    notes = window.details.notes
    notes.setFocus()
    lags = lag_while_typing(qtbot, notes, lambda: other.library.item(paper).notes, TYPED)
    assert_saved_while_typing(lags)
    assert MAX_WAIT_MS <= 1000


def test_a_title_is_saved_while_it_is_typed(
    qtbot, window: MainWindow, other: Services, paper: int
) -> None:
    title = window.details.title
    title.setFocus()
    title.selectAll()
    typed = "Scaling laws: compute, data and parameters, measured over seven orders"
    lags = lag_while_typing(qtbot, title, lambda: other.library.item(paper).title, typed)
    assert_saved_while_typing(lags)
    qtbot.waitUntil(lambda: other.library.item(paper).title == typed)
    window.items.setFocus()  # the list follows once the user leaves the field
    row = window.item_model.row_of(paper)
    qtbot.waitUntil(lambda: window.item_model.row_data(row).title == typed)  # the list too


def test_reading_tab_notes_are_saved_while_typing_goes_on(
    qtbot, window: MainWindow, other: Services, paper: int
) -> None:
    tab = window.open_pdf_item(window.library.item(paper))
    notes = tab.annotations.pane.notes
    notes.setFocus()
    lags = lag_while_typing(qtbot, notes, lambda: other.library.item(paper).notes, TYPED)
    assert_saved_while_typing(lags)


def test_a_comment_is_saved_while_typing_and_undone_in_one_step(
    qtbot, window: MainWindow, other: Services, paper: int
) -> None:
    tab = window.open_pdf_item(window.library.item(paper))
    controller = tab.annotations
    (ann,) = controller.annotations()
    card = controller.pane.card(ann.id)
    card.comment.setFocus()
    card.comment.end(False)

    def stored() -> str:
        return other.annotations.repo.get(ann.id).comment

    added = " layer is this, which head of it, and does it hold at larger scales too?"
    lags = lag_while_typing(qtbot, card.comment, stored, added)
    assert_saved_while_typing(lags)
    assert controller.pane.card(ann.id) is card  # the card being typed in was never replaced
    assert card.comment.hasFocus()
    qtbot.waitUntil(lambda: stored() == "which" + added)
    window.items.setFocus()  # leave the field: Ctrl+Z is the window's again
    window.undo_action.trigger()  # all those saves are one step
    assert stored() == "which"


def test_leaving_a_field_switching_items_and_closing_a_tab_save_at_once(
    qtbot, window: MainWindow, other: Services, paper: int
) -> None:
    notes = window.details.notes
    notes.setFocus()
    QTest.keyClicks(notes, "focus out")
    window.items.setFocus()  # no waiting: the focus change itself saves
    assert other.library.item(paper).notes == "focus out"

    notes.setFocus()
    QTest.keyClicks(notes, ", then another item")
    other_item = window.library.add_item("Another paper").id
    window.refresh()
    window.select_item(other_item)
    assert other.library.item(paper).notes == "focus out, then another item"

    tab = window.open_pdf_item(window.library.item(paper))
    pane = tab.annotations.pane
    pane.notes.moveCursor(pane.notes.textCursor().MoveOperation.End)
    QTest.keyClicks(pane.notes, " and a closed tab")
    window.close_tab(window.tabs.indexOf(tab))
    assert other.library.item(paper).notes == "focus out, then another item and a closed tab"


def test_quitting_saves_what_was_just_typed(qtbot, window: MainWindow, home: Path, paper) -> None:
    tab = window.open_pdf_item(window.library.item(paper))
    (ann,) = tab.annotations.annotations()
    QTest.keyClicks(tab.annotations.pane.card(ann.id).comment, "?")
    QTest.keyClicks(tab.annotations.pane.notes, "typed right before Ctrl+Q")
    window.quit_action.trigger()
    reopened = open_services(str(home), seed=False)
    try:
        assert reopened.library.item(paper).notes == "typed right before Ctrl+Q"
        assert reopened.annotations.repo.get(ann.id).comment == "which?"
    finally:
        reopened.close()


def type_through(
    qtbot, window: MainWindow, first: str, meanwhile: Callable[[], None], then: str
) -> QPlainTextEdit:
    """Type ``first`` into the details notes, let ``meanwhile`` happen elsewhere, type ``then``
    (the window looks for outside changes during it), and leave the notes."""
    notes = window.details.notes
    notes.setFocus()
    type_steadily(qtbot, notes, first)
    meanwhile()
    type_steadily(qtbot, notes, then)
    assert notes.hasFocus()  # taking in the change did not take the user out of the notes
    window.items.setFocus()
    return notes


def test_notes_merged_from_the_command_line_survive_typing_in_the_window(
    qtbot, window: MainWindow, other: Services, paper: int
) -> None:
    def import_merges_notes() -> None:
        # What `readerapp import` does when it merges notes: a write that knows nothing of the
        # window, in another process, while the user keeps typing there.
        before = other.library.item(paper).notes
        other.library.update_item(paper, notes=before + "\n\nFrom the awesome-list: a classic.")

    notes = type_through(
        qtbot, window, "My own reading: ", import_merges_notes, "the exponents matter."
    )
    stored = other.library.item(paper).notes
    assert stored.startswith("My own reading: the exponents matter.")
    assert "From the awesome-list: a classic." in stored
    assert "Written elsewhere" in stored
    assert notes.toPlainText() == stored  # the window shows both versions too
    assert "both versions are kept" in window.statusBar().currentMessage()


def test_the_window_shows_outside_changes_without_f5(
    qtbot, window: MainWindow, other: Services, paper: int
) -> None:
    tab = window.open_pdf_item(window.library.item(paper))
    controller = tab.annotations
    (ann,) = controller.annotations()
    window.tabs.setCurrentIndex(0)
    other.library.update_item(paper, title="Scaling Laws (Kaplan et al.)", notes="from the CLI")
    added = other.library.add_item("Chinchilla").id
    other.annotations.update(ann.id, comment="which layer? (from the CLI)")
    other.annotations.create_note(paper, 0, (72, 300), "a sticky note from elsewhere")

    qtbot.waitUntil(lambda: window.details.title.text() == "Scaling Laws (Kaplan et al.)")
    assert window.details.notes.toPlainText() == "from the CLI"
    qtbot.waitUntil(lambda: window.item_model.row_of(added) >= 0)
    qtbot.waitUntil(lambda: len(controller.annotations()) == 2)
    assert controller.pane.card(ann.id).comment.text() == "which layer? (from the CLI)"
    assert controller.pane.notes.toPlainText() == "from the CLI"


def test_each_stretch_of_typing_in_a_comment_is_its_own_undo_step(
    qtbot, window: MainWindow, other: Services, paper: int
) -> None:
    tab = window.open_pdf_item(window.library.item(paper))
    (ann,) = tab.annotations.annotations()
    comment = tab.annotations.pane.card(ann.id).comment
    for words in (" layer", " and head"):
        comment.setFocus()
        comment.end(False)
        type_steadily(qtbot, comment, words)
        tab.view.setFocus()  # leaving the field ends the stretch

    def stored() -> str:
        return other.annotations.repo.get(ann.id).comment

    assert stored() == "which layer and head"
    window.undo_action.trigger()
    assert stored() == "which layer"
    window.undo_action.trigger()
    assert stored() == "which"


def test_an_item_deleted_elsewhere_while_typing_comes_back_with_the_typing(
    qtbot, window: MainWindow, other: Services, paper: int
) -> None:
    # Deleted from a terminal or a second window while the user types.
    type_through(
        qtbot,
        window,
        "Worth keeping: ",
        lambda: other.library.trash_items([paper]),
        "every word of it.",
    )
    assert other.library.item(paper).notes == "Worth keeping: every word of it."
    assert window.items.current_item_id() == paper
    assert "it is back, with what you typed" in window.statusBar().currentMessage()


def test_a_title_changed_elsewhere_while_notes_are_typed_is_not_written_back(
    qtbot, window: MainWindow, other: Services, paper: int
) -> None:
    def retitle() -> None:
        other.library.update_item(paper, title="Scaling Laws (Kaplan et al., 2020)")

    type_through(qtbot, window, "Notes before, ", retitle, "and notes after the new title.")
    assert other.library.item(paper).title == "Scaling Laws (Kaplan et al., 2020)"
    assert other.library.item(paper).notes == "Notes before, and notes after the new title."
    assert window.details.title.text() == "Scaling Laws (Kaplan et al., 2020)"


# ---- when the library cannot take the text ----------------------------------------------------
FULL = "database or disk is full"  # what SQLite says when the disk is full


def fill_the_disk(home: Path) -> None:
    """Every later write of an item, an annotation or a setting fails as on a full disk (the
    app's own writes; set up through a connection of its own, as another program would)."""
    other = sqlite3.connect(home / "library.sqlite3")
    for table in ("items", "annotations", "state"):
        for event in ("INSERT", "UPDATE"):
            other.execute(
                f"CREATE TRIGGER full_{event}_{table} BEFORE {event} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{FULL}'); END"
            )
    other.commit()
    other.close()


def kept_files(home: Path) -> list[Path]:
    return sorted((home / "logs").glob("unsaved-*.md"))


def test_text_typed_when_the_disk_is_full_is_kept_in_a_file_as_the_window_closes(
    qtbot, window: MainWindow, home: Path, paper: int
) -> None:
    tab = window.open_pdf_item(window.library.item(paper))
    window.tabs.setCurrentWidget(window.library_page)
    fill_the_disk(home)
    window.details.notes.setFocus()
    QTest.keyClicks(window.details.notes, "typed in the details")
    (ann,) = tab.annotations.annotations()
    QTest.keyClicks(tab.annotations.pane.card(ann.id).comment, " layer?")
    QTest.keyClicks(tab.annotations.pane.notes, "typed in the reading tab")
    assert not window.flush_typing()  # the library takes none of it
    window.close()
    assert not window.isVisible()  # offscreen there is nobody to ask: it closes
    (kept,) = kept_files(home)
    text = kept.read_text(encoding="utf-8")
    assert "typed in the details" in text and "typed in the reading tab" in text
    assert "which layer?" in text and "residual stream" in text  # the comment, and on what
    assert kept.stat().st_mode & 0o077 == 0  # the user's notes, readable by the user only


def test_a_reading_tab_whose_text_cannot_be_saved_stays_open(
    qtbot, window: MainWindow, home: Path, paper: int
) -> None:
    tab = window.open_pdf_item(window.library.item(paper))
    fill_the_disk(home)
    QTest.keyClicks(tab.annotations.pane.notes, "not lost")
    window.close_tab(window.tabs.indexOf(tab))
    assert window.tabs.indexOf(tab) >= 0  # still there, with the text
    assert tab.annotations.pane.notes.toPlainText() == "not lost"
    assert "not saved yet" in window.statusBar().currentMessage()


def test_a_full_disk_with_nothing_typed_closes_tabs_and_window_without_an_error(
    qtbot, window: MainWindow, home: Path, paper: int
) -> None:
    """The reading position and the window's layout cannot be saved either: that is said in
    the log, and closing goes on (it raised before, leaving a crash report)."""
    tab = window.open_pdf_item(window.library.item(paper))
    tab.view.go_to(0)
    fill_the_disk(home)
    window.close_tab(window.tabs.indexOf(tab))
    assert window.tabs.indexOf(tab) < 0
    window.open_pdf_item(window.library.item(paper))
    window.close()
    assert not window.isVisible()
    assert kept_files(home) == []  # nothing was typed: no file
