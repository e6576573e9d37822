"""The whole import is one step of Edit -> Undo in the real window; File -> Restore from Backup…
lists the automatic backups and puts one back; the daily backup runs off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from readerapp.cli import main
from readerapp.gui.backups_dialog import RestoreBackupDialog
from readerapp.gui.main_window import MainWindow
from tests.annotation_helpers import PAGE_ONE, add_pdf_item, line_rects, make_pdf
from tests.library_snapshot import user_data

AWESOME = Path(__file__).resolve().parents[1] / "fixtures" / "imports" / "awesome-llm.md"


def tables(window: MainWindow) -> dict:
    return user_data(window.services.db)


def import_awesome_list(qtbot, window: MainWindow) -> None:
    ui = window.import_export_ui
    with qtbot.waitSignal(ui.finished, timeout=20000):
        assert ui.import_path(AWESOME)
    ui.report_dialog.close()


def test_edit_undo_takes_back_the_whole_import_and_redo_brings_it_again(qtbot, window):
    before = tables(window)
    import_awesome_list(qtbot, window)
    after = tables(window)
    assert "awesome-llm/Milestone Papers" in window.library.topic_paths().values()
    assert window.undo_action.isEnabled()
    assert window.undo_action.text() == "&Undo Import awesome-llm.md"

    window.undo_action.trigger()
    assert tables(window) == before
    assert "awesome-llm" not in {t.name for t in window.library.topics()}
    assert window.topic_model.rowCount() > 0  # the tree was reloaded
    assert "Undid the import of awesome-llm.md" in window.statusBar().currentMessage()

    window.redo_action.trigger()
    assert tables(window) == after


def test_restore_from_backup_puts_back_the_state_before_an_import(qtbot, window, tmp_path):
    before = tables(window)
    import_awesome_list(qtbot, window)
    ui = window.backup_ui
    assert ui.restore_action in window.file_menu.actions()
    ui.choose_restore()
    dialog = ui.dialog
    assert isinstance(dialog, RestoreBackupDialog) and dialog.isVisible()
    assert dialog.list.topLevelItemCount() == 1
    row = dialog.list.topLevelItem(0)
    assert row.text(1) == "before an import" and int(row.text(2)) > 0
    dialog.grab().save(str(tmp_path / "restore-dialog.png"))
    with qtbot.waitSignal(ui.restored, timeout=10000):
        dialog.accept()
    assert tables(window) == before
    assert not window.undo_action.isEnabled()  # the import's undo step no longer applies
    assert "Restored the library from" in window.statusBar().currentMessage()
    reasons = [b.reason for b in window.services.backups.list()]
    assert reasons == ["restore", "import"]


def test_the_daily_backup_is_made_once_off_the_gui_thread(qtbot, window):
    ui = window.backup_ui
    with qtbot.waitSignal(ui.dailyChecked, timeout=10000) as made:
        ui.check_daily()
    assert made.args[0] is not None and Path(made.args[0]).is_file()
    with qtbot.waitSignal(ui.dailyChecked, timeout=10000) as again:
        ui.check_daily()
    assert again.args[0] is None
    assert [b.reason for b in window.services.backups.list()] == ["daily"]
    ui.runner.wait()


def test_closing_the_window_finishes_a_daily_backup_and_checks_no_more(qtbot, window):
    ui = window.backup_ui
    ui.check_daily()  # on the worker thread now
    window.close()
    assert ui.runner.pool.activeThreadCount() == 0  # finished, not cut off by the close
    assert [b.reason for b in window.services.backups.list()] == ["daily"]
    submitted = ui.runner.pending
    ui.check_daily()  # the hourly timer or the first check firing late: nothing happens
    assert ui.runner.pending == submitted


def test_a_restore_puts_back_the_highlights_of_open_reading_tabs_too(qtbot, window, tmp_path):
    """Highlights made after the backup go with the restore from the open tab's pane, and a
    comment typed on one afterwards cannot bring it back."""
    pdf = make_pdf(tmp_path / "paper.pdf", [PAGE_ONE])
    item_id = add_pdf_item(window.services, pdf)
    backup = window.services.backups.make("import")
    tab = window.open_pdf_item(window.library.item(item_id))
    rects = line_rects(pdf, 0, "residual stream")
    annotation_id = window.services.annotations.create_text(
        item_id, 0, rects, "residual stream"
    ).id
    tab.annotations.reload()
    assert len(tab.annotations.annotations()) == 1
    with qtbot.waitSignal(window.backup_ui.restored, timeout=10000):
        assert window.backup_ui.restore(backup)
    assert tab.annotations.annotations() == []
    assert tab.annotations.pane.card(annotation_id) is None  # its card is gone from the pane


def test_a_restore_made_elsewhere_takes_away_the_windows_undo_steps(qtbot, window, home):
    """`readerapp restore` while the window is open: undoing the window's import afterwards
    would delete the rows that took the imported items' ids."""
    backup = window.services.backups.make("import")
    import_awesome_list(qtbot, window)
    assert window.undo_action.isEnabled()
    assert main(["--home", str(home), "restore", str(backup)]) == 0
    qtbot.waitUntil(lambda: not window.undo_action.isEnabled(), timeout=10000)
    assert "awesome-llm" not in {t.name for t in window.library.topics()}
