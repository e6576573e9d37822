"""File -> Import… and File -> Export… in the main window, run off the GUI thread.

The worker opens its own connection to the library file (SQLite's WAL lets the window keep
reading meanwhile), so the import's transaction never mixes with an edit made in the window.
OPML feed lists go to the feeds service on the GUI thread: they are small, and it owns them.
Every import is one step of Edit -> Undo (:class:`ImportCommand`); the service records what it
changed and puts exactly that back. Installed into a MainWindow by
:func:`install_import_export_actions`.

The service's parsers and writers (``services/importexport.py``, ~11 ms of imports) load with the
first import or export, not with the window's menus.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from readerapp.core.errors import UserError
from readerapp.gui.typed_widgets import named
from readerapp.qt.done_command import DoneCommand
from readerapp.qt.shown_as_written import plain_text
from readerapp.qt.tasks import TaskRunner
from readerapp.services.settings import FileDialogPurpose

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from readerapp.gui.main_window import MainWindow
    from readerapp.services.importexport import ImportOutcome, ImportReport


FORMAT_LABELS = {
    "md": "Markdown reading list (.md)",
    "bibtex": "BibTeX (.bib)",
    "json": "Full backup (.json)",
    "opml": "Feed subscriptions (.opml)",
}
WHOLE_LIBRARY = "Whole library"


class ImportReportDialog(QDialog):
    """What an import did: the counts, then every line that was not understood."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importReportDialog")
        self.setWindowTitle(f"Imported {report.source}")
        self.summary = plain_text(named(QLabel(report.summary()), "importSummary"))
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        self.details = named(QPlainTextEdit(), "importDetails")
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.details.setPlainText("\n".join(report.lines()[1:]) or "Everything was understood.")
        self.details.setFont(QFont("monospace", self.font().pointSize()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(720, 420)


class ExportDialog(QDialog):
    """Choose a format and (for Markdown and BibTeX) a topic; the file name is asked next."""

    def __init__(self, topic_paths: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export")
        self.format_box = named(QComboBox(), "exportFormat")
        for key, label in FORMAT_LABELS.items():
            self.format_box.addItem(label, key)
        self.topic_box = named(QComboBox(), "exportTopic")
        self.topic_box.addItem(WHOLE_LIBRARY, None)
        for path in topic_paths:
            self.topic_box.addItem(path, path)
        self.hint = named(QLabel(), "exportHint")
        self.hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Format:", self.format_box)
        form.addRow("Topic:", self.topic_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self.format_box.currentIndexChanged.connect(self._format_changed)
        self._format_changed()

    @property
    def fmt(self) -> str:
        return str(self.format_box.currentData())

    @property
    def topic(self) -> str | None:
        if not self.topic_box.isEnabled():
            return None
        return self.topic_box.currentData()

    def _format_changed(self) -> None:
        per_topic = self.fmt in ("md", "bibtex")
        self.topic_box.setEnabled(per_topic)
        self.hint.setText(
            {
                "md": "Headings, linked items with their year, authors and status, notes and "
                "highlights: the shape of your diary, and it imports back.",
                "bibtex": "Papers as @inproceedings or @article where their venue is known; "
                "arXiv papers with eprint, archivePrefix and primaryClass.",
                "json": "Everything, restorable exactly: topics, items, notes, statuses, "
                "highlights, feeds and their rules.",
                "opml": "Your feed subscriptions, for other feed readers.",
            }[self.fmt]
        )


class ImportCommand(DoneCommand):
    """A whole import as one step of Edit -> Undo; it was done before it was pushed.

    A failed undo or redo (a full disk) changes nothing, says so, and leaves the command where
    it was: the next Undo/Redo of it tries again rather than acting on the wrong state.
    """

    def __init__(self, window: MainWindow, outcome: ImportOutcome) -> None:
        super().__init__(f"Import {outcome.report.source}")
        self.window = window
        self.source = outcome.report.source
        self.changes = outcome.changes
        self.applied = True  # the import is in the library now

    def do(self) -> None:
        self._switch(to_applied=True)

    def revert(self) -> None:
        self._switch(to_applied=False)

    def _switch(self, to_applied: bool) -> None:
        from readerapp.services.importexport import (
            redo_import,
            undo_import,
        )

        if self.applied == to_applied:
            return
        db = self.window.services.db
        change = redo_import if to_applied else undo_import
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # a big import takes a second
        try:
            outcome = change(db, self.changes, self.source)
        except UserError as exc:
            self.window.show_error(str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.changes, self.applied = outcome.changes, to_applied
        self.window.refresh()
        self.window.statusBar().showMessage(outcome.sentence, 10000)


class ImportExportActions(QObject):
    """The two menu entries, the worker that runs them, and the report dialog."""

    finished = Signal(str)  # "import" or "export", after the window was updated (tests wait)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.runner = TaskRunner("import-export", 1, self)
        self.busy = False
        self.report_dialog: ImportReportDialog | None = None

        self.import_action = QAction("&Import…", window)
        self.import_action.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.import_action.setStatusTip(
            "Import a Markdown reading list, a BibTeX file, a backup or an OPML feed list"
        )
        self.import_action.triggered.connect(lambda _checked=False: self.choose_import())
        self.export_action = QAction("&Export…", window)
        self.export_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.export_action.setStatusTip("Export the library or a topic as Markdown, BibTeX, …")
        self.export_action.triggered.connect(lambda _checked=False: self.choose_export())
        window.addAction(self.import_action)
        window.addAction(self.export_action)
        window.add_file_menu_group(self.import_action, self.export_action)

    # ---- import -------------------------------------------------------------------------------
    def choose_import(self) -> None:
        from readerapp.services.importexport import IMPORT_FILTER

        choices = self.window.library.file_choices()
        path, chosen_filter = QFileDialog.getOpenFileName(
            self.window,
            "Import into the library",
            str(choices.folder(FileDialogPurpose.IMPORT)),
            IMPORT_FILTER,
            choices.format(FileDialogPurpose.IMPORT),
        )
        if path:
            choices.remember(FileDialogPurpose.IMPORT, path)
            choices.remember_format(FileDialogPurpose.IMPORT, chosen_filter)
            self.import_path(path)

    def import_path(self, path: str | Path) -> bool:
        """Start importing ``path``; False when another import or export is still running."""
        from readerapp.services.importexport import (
            import_on_own_connection,
            import_undoable,
            imports_on_this_thread,
        )

        if self.busy:
            self.window.statusBar().showMessage("An import or export is still running.", 5000)
            return False
        path = Path(path)
        try:
            here = imports_on_this_thread(path)
        except UserError as exc:
            self._failed("import", exc)
            return False
        if here:  # a feed list: the feeds service lives on this thread's connection
            try:
                outcome = import_undoable(self.window.services, path)
            except UserError as exc:
                self._failed("import", exc)
                return True
            if self.window.feed_tab is not None:  # the new feeds show, and are fetched, at once
                self.window.feed_tab.feeds_added()
            self._imported(outcome)
            return True
        self.busy = True
        self.window.statusBar().showMessage(f"Importing {path.name}…")
        paths = self.window.services.paths
        self.runner.submit(
            lambda: import_on_own_connection(paths.database, paths.backups, path),
            self._imported,
            lambda exc: self._failed("import", exc),
        )
        return True

    def _imported(self, outcome: ImportOutcome) -> None:
        self.busy = False
        report = outcome.report
        if outcome.changes:
            self.window.undo_stack.push(ImportCommand(self.window, outcome))
        self.window.refresh()
        paper_ui = self.window.paper_ui
        if report.items_created and paper_ui is not None:
            paper_ui.tasks.retry_pending()  # new arXiv papers get their metadata now, if online
        undo_hint = " Ctrl+Z undoes it." if outcome.changes else ""
        self.window.statusBar().showMessage(report.summary() + undo_hint, 10000)
        self.report_dialog = ImportReportDialog(report, self.window)
        self.report_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.report_dialog.destroyed.connect(lambda *_: setattr(self, "report_dialog", None))
        self.report_dialog.show()
        self.finished.emit("import")

    # ---- export -------------------------------------------------------------------------------
    def export_dialog(self) -> ExportDialog:
        """The export dialog as the user should find it: the format they used last, and the
        topic shown in the Library tab (from any other tab: the whole library)."""
        choices = self.window.library.file_choices()
        paths = sorted(self.window.library.topic_paths().values(), key=str.lower)
        dialog = ExportDialog(paths, self.window)
        dialog.format_box.setCurrentIndex(
            max(0, dialog.format_box.findData(choices.format(FileDialogPurpose.EXPORT, "md")))
        )
        on_library_tab = self.window.tabs.currentWidget() is self.window.library_page
        topic_id = self.window.current_topic if on_library_tab else -1
        current = self.window.library.topic_paths().get(topic_id)
        if current:
            dialog.topic_box.setCurrentIndex(max(0, dialog.topic_box.findData(current)))
        return dialog

    def choose_export(self) -> None:
        from readerapp.services.importexport import SUFFIXES

        choices = self.window.library.file_choices()
        dialog = self.export_dialog()
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        choices.remember_format(FileDialogPurpose.EXPORT, dialog.fmt)
        suffix = SUFFIXES[dialog.fmt]
        stem = (dialog.topic or "reading-list").replace("/", " - ")
        target, _ = QFileDialog.getSaveFileName(
            self.window,
            "Export to",
            str(choices.folder(FileDialogPurpose.EXPORT) / f"{stem}{suffix}"),
            f"*{suffix}",
        )
        if target:
            choices.remember(FileDialogPurpose.EXPORT, target)
            self.export_to(dialog.fmt, dialog.topic, target)

    def export_to(self, fmt: str, topic: str | None, target: str | Path) -> bool:
        from readerapp.services.importexport import (
            export_on_own_connection,
            export_to,
            exports_on_this_thread,
        )

        if self.busy:
            self.window.statusBar().showMessage("An import or export is still running.", 5000)
            return False
        target = Path(target)
        if exports_on_this_thread(fmt):
            try:
                export_to(self.window.services, fmt, None, target)
                self._exported(target)
            except UserError as exc:
                self._failed("export", exc)
            return True
        self.busy = True
        self.window.statusBar().showMessage(f"Exporting to {target.name}…")
        db_path = self.window.services.db.path
        self.runner.submit(
            lambda: export_on_own_connection(db_path, fmt, topic, target),
            self._exported,
            lambda exc: self._failed("export", exc),
        )
        return True

    def _exported(self, target: Path) -> None:
        self.busy = False
        self.window.statusBar().showMessage(f"Exported to {target}.", 10000)
        self.finished.emit("export")

    def _failed(self, what: str, exc: BaseException) -> None:
        self.busy = False
        if isinstance(exc, UserError):
            sentence = str(exc)
        else:  # a bug: still a sentence for the user; the details go to the log
            log.error("The %s failed:\n%s", what, getattr(exc, "__traceback_text__", repr(exc)))
            sentence = f"The {what} failed unexpectedly ({exc}); the library was not changed."
        self.window.show_error(sentence)
        self.finished.emit(what)


def install_import_export_actions(window: MainWindow) -> ImportExportActions:
    return ImportExportActions(window)
