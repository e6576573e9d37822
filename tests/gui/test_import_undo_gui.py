"""The whole import is one step of Edit -> Undo in the real window; File -> Restore from Backup…
lists the automatic backups and puts one back; the daily backup runs off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from readerapp.gui.backups_dialog import RestoreBackupDialog
from readerapp.gui.main_window import MainWindow
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
