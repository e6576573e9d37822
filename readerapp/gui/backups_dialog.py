"""File -> Restore from Backup… and the daily automatic backup while the window is open.

The rules (when a backup is due, what a restore does first) live in ``services.backups``; this
module shows the list, asks, and runs the daily backup on a worker thread of its own.
Installed into a MainWindow by :func:`install_backup_actions`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from readerapp.core.errors import UserError
from readerapp.gui.typed_widgets import named
from readerapp.qt.tasks import TaskRunner

if TYPE_CHECKING:
    from readerapp.gui.main_window import MainWindow

log = logging.getLogger(__name__)

DAILY_CHECK_MS = 60 * 60 * 1000  # is today's backup made? asked every hour
FIRST_CHECK_MS = 30 * 1000  # not during start-up: the window and the first paper come first
BACKUP_FINISH_MS = 10_000  # closing waits this long for a backup being made (~15 ms per 10k items)


class RestoreBackupDialog(QDialog):
    """The backups, newest first (when, why, how many items); Restore replaces the library."""

    def __init__(self, backups: list, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restoreBackupDialog")
        self.setWindowTitle("Restore from Backup")
        self.backups = backups
        intro = named(
            QLabel(
                "Choose the state to go back to. The library as it is now is backed up first, so "
                "a restore can itself be undone by restoring that backup."
            ),
            "restoreIntro",
        )
        intro.setWordWrap(True)
        self.list = named(QTreeWidget(), "backupList")
        self.list.setHeaderLabels(["Made", "Why", "Items"])
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for backup in backups:
            items = str(backup.items) if backup.items is not None else "unreadable"
            row = QTreeWidgetItem([f"{backup.created:%Y-%m-%d %H:%M}", backup.why, items])
            row.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            row.setToolTip(0, str(backup.path))
            if backup.items is None:
                row.setFlags(row.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.list.addTopLevelItem(row)
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.empty = named(QLabel("There are no backups yet."), "noBackups")
        self.empty.setVisible(not backups)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.restore_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.restore_button.setText("Restore")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.list.itemSelectionChanged.connect(self._selection_changed)
        self.list.itemDoubleClicked.connect(lambda *_: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.buttons)
        first = next((i for i, b in enumerate(backups) if b.items is not None), None)
        first_item = self.list.topLevelItem(first) if first is not None else None
        if first_item is not None:
            self.list.setCurrentItem(first_item)
        self._selection_changed()
        self.resize(560, 360)

    @property
    def chosen(self):
        """The selected backup, or None."""
        row = self.list.currentItem()
        if row is None or not row.isSelected():
            return None
        return self.backups[self.list.indexOfTopLevelItem(row)]

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.chosen is not None)


class BackupActions(QObject):
    """File -> Restore from Backup…, and the daily backup made while the window is open."""

    restored = Signal(str)  # the sentence, after the window was reloaded (tests wait)
    dailyChecked = Signal(object)  # the new backup's path, or None when one was made today

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.service = window.services.backups
        self.runner = TaskRunner("backups", 1, self)
        self._closed = False
        self.dialog: RestoreBackupDialog | None = None
        self.restore_action = QAction("Restore from &Backup…", window)
        self.restore_action.setStatusTip(
            "Put the library back as it was in one of its automatic backups"
        )
        self.restore_action.triggered.connect(lambda _checked=False: self.choose_restore())
        window.addAction(self.restore_action)
        window.add_file_menu_group(self.restore_action)
        self.timer = QTimer(self)
        self.timer.setInterval(DAILY_CHECK_MS)
        self.timer.timeout.connect(self.check_daily)
        self.timer.start()
        QTimer.singleShot(FIRST_CHECK_MS, self, self.check_daily)

    def close(self) -> None:
        """No more daily checks; a backup being made is finished first (the window is closing,
        and the process may end or the library be closed right after)."""
        self._closed = True
        self.timer.stop()
        self.runner.wait(BACKUP_FINISH_MS)

    def check_daily(self) -> None:
        """Make today's backup on the worker thread when it is due."""
        if self.runner.pending or self._closed:
            return
        self.runner.submit(self.service.make_daily_if_due, self._daily_done, self._daily_failed)

    def _daily_done(self, path) -> None:
        if path is not None:
            log.info("Daily backup made: %s", path)
        self.dailyChecked.emit(path)

    def _daily_failed(self, exc: BaseException) -> None:
        sentence = str(exc) if isinstance(exc, UserError) else f"The daily backup failed ({exc})."
        log.warning("Daily backup: %s", getattr(exc, "__traceback_text__", sentence))
        self.window.statusBar().showMessage(sentence, 10000)
        self.dailyChecked.emit(None)

    def choose_restore(self) -> None:
        self.dialog = RestoreBackupDialog(self.service.list(), self.window)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.accepted.connect(self._dialog_accepted)
        self.dialog.destroyed.connect(lambda *_: setattr(self, "dialog", None))
        self.dialog.open()

    def _dialog_accepted(self) -> None:
        chosen = self.dialog.chosen if self.dialog is not None else None
        if chosen is not None:
            self.restore(chosen.path)

    def restore(self, path) -> bool:
        """Restore the backup at ``path`` (after backing up what is there); False when refused."""
        self.window.flush_typing()  # what was typed goes into the backup made first
        try:
            outcome = self.service.restore(path)
        except UserError as exc:
            self.window.show_error(str(exc))
            return False
        self.window.library_replaced()
        sentence = outcome.sentence()
        self.window.statusBar().showMessage(sentence, 15000)
        self.restored.emit(sentence)
        return True


def install_backup_actions(window: MainWindow) -> BackupActions:
    return BackupActions(window)
