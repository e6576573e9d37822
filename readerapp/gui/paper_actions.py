"""Adding papers in the main window: the "Add Paper" dialog (Ctrl+N), pasting an id or URL
(Ctrl+V), dropping a link, the downloads list with progress and cancel, "Check for New Versions"
and "Update to vN". Installed into a MainWindow by :func:`install_paper_actions`.
"""

from __future__ import annotations

import html
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from readerapp.core.errors import UserError
from readerapp.gui.layout import fit_to_text
from readerapp.gui.typed_widgets import named
from readerapp.qt.paper_tasks import Download, PaperTasks
from readerapp.qt.shown_as_written import plain_text
from readerapp.services.library import ALL_ITEMS
from readerapp.services.papers import TargetKind, classify

if TYPE_CHECKING:
    from readerapp.gui.main_window import MainWindow


def addable(text: str) -> bool:
    """True when ``text`` names an arXiv paper or a web address (what paste and drop accept)."""
    try:
        return classify(text.strip()).kind in (TargetKind.ARXIV, TargetKind.WEB)
    except UserError:
        return False


class AddPaperDialog(QDialog):
    """Ask for an arXiv id/URL or web address, a topic, and whether to download the PDF."""

    def __init__(self, topics: list[tuple[int, str]], topic_id: int | None, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add Paper")
        self.setObjectName("addPaperDialog")
        self.text = named(QLineEdit(), "addPaperText")
        self.text.setPlaceholderText("2304.15004, https://arxiv.org/abs/…, or any web address")
        self.text.setMinimumWidth(420)
        self.topic = named(QComboBox(), "addPaperTopic")
        self.topic.addItem("(no topic)", None)
        for tid, path in topics:
            self.topic.addItem(path, tid)
        if topic_id is not None and (index := self.topic.findData(topic_id)) >= 0:
            self.topic.setCurrentIndex(index)
        self.download = named(QCheckBox("Download the PDF"), "addPaperDownload")
        self.download.setChecked(True)
        self.hint = plain_text(named(QLabel(), "addPaperHint"))
        self.hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("arXiv id or URL:", self.text)
        form.addRow("Topic:", self.topic)
        form.addRow("", self.download)
        form.addRow(self.hint)
        form.addRow(self.buttons)
        self.text.textChanged.connect(self._validate)
        clip = QApplication.clipboard().text().strip()
        if clip and addable(clip):  # the common case: an id was just copied from a browser
            self.text.setText(clip)
            self.text.selectAll()
        self._validate(self.text.text())

    def _validate(self, text: str) -> None:
        ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if not text.strip():
            self.hint.setText("")
            ok_button.setEnabled(False)
            return
        try:
            target = classify(text)
        except UserError as exc:
            self.hint.setText(str(exc))
            fit_to_text(self)  # the whole sentence, however long, on as many lines as it needs
            ok_button.setEnabled(False)
            return
        ok_button.setEnabled(True)
        if target.kind is TargetKind.ARXIV:
            self.hint.setText(f"arXiv paper {target.arxiv}")
        elif target.kind is TargetKind.WEB:
            self.hint.setText("A web page (a PDF at that address is attached).")
        else:
            self.hint.setText("A PDF file on this computer.")
        self.download.setEnabled(target.kind is TargetKind.ARXIV)

    def values(self) -> tuple[str, int | None, bool]:
        return self.text.text().strip(), self.topic.currentData(), self.download.isChecked()


class DownloadRow(QWidget):
    """One download: its title, a progress bar, a state sentence and a Cancel button."""

    def __init__(self, download: Download, tasks: PaperTasks) -> None:
        super().__init__()
        self.job = download.job
        self.title = QLabel(f"<b>{html.escape(download.title)}</b>")
        self.title.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setTextVisible(True)
        self.state = plain_text(QLabel())
        self.state.setWordWrap(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(lambda: tasks.cancel(self.job))
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(top)
        layout.addWidget(self.bar)
        layout.addWidget(self.state)
        self.show_state(download)

    def show_state(self, download: Download) -> None:
        self.cancel_button.setVisible(download.active)
        self.bar.setVisible(download.state in ("waiting", "downloading", "done"))
        self.show_progress(download.done, download.total)
        if download.state == "done":
            self.bar.setRange(0, 1)
            self.bar.setValue(1)
        labels = {"waiting": "Waiting for its turn…", "downloading": ""}
        self.state.setText(labels.get(download.state, download.message))
        self.state.setVisible(bool(self.state.text()))

    def show_progress(self, done: int, total: int | None) -> None:
        if total:
            self.bar.setRange(0, 1000)
            self.bar.setValue(min(1000, int(done * 1000 / total)))
            self.bar.setFormat(f"{done / 1e6:.1f} of {total / 1e6:.1f} MB")
        else:
            self.bar.setRange(0, 0 if done else 1)  # busy indicator until bytes arrive
            self.bar.setFormat(f"{done / 1e6:.1f} MB")


class DownloadsPanel(QWidget):
    """Every download of this session, newest first, with a Clear button for finished ones."""

    def __init__(self, tasks: PaperTasks) -> None:
        super().__init__()
        self.setObjectName("downloadsPanel")
        self.tasks = tasks
        self.rows_box = QWidget()
        self.rows_layout = QVBoxLayout(self.rows_box)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.addStretch(1)
        self.scroll_area = named(QScrollArea(), "downloadsList")
        self.scroll_area.setWidgetResizable(True)  # rows take the panel's width and wrap their text
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self.rows_box)
        self.empty = QLabel("No downloads yet.")
        self.clear_button = QPushButton("Clear Finished")
        self.clear_button.clicked.connect(tasks.clear_finished)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignRight)
        self.rows: dict[int, DownloadRow] = {}
        self.setMinimumWidth(240)  # beside the library's panes in a 1024-px window
        tasks.downloadsChanged.connect(self.sync)
        tasks.downloadProgress.connect(self._progress)
        self.sync()

    def sync(self) -> None:
        downloads = self.tasks.downloads
        for job in list(self.rows):
            if job not in downloads:
                self.rows.pop(job).deleteLater()
        for job, download in downloads.items():
            if job not in self.rows:
                self.rows[job] = DownloadRow(download, self.tasks)
                self.rows_layout.insertWidget(0, self.rows[job])
            self.rows[job].show_state(download)
        self.empty.setVisible(not downloads)

    def _progress(self, job: int, done: int, total: int) -> None:
        if job in self.rows:
            self.rows[job].show_progress(done, None if total < 0 else total)

    def row(self, job: int) -> DownloadRow | None:
        return self.rows.get(job)


class PaperActions(QObject):
    """Wires :class:`PaperTasks` into a main window: menus, shortcuts, paste, drop, status bar."""

    def __init__(self, window: MainWindow, *, background: bool = True) -> None:
        super().__init__(window)
        self.window = window
        self.tasks = PaperTasks(window.services, self)
        self.tasks.itemAdded.connect(self._item_added)
        self.tasks.libraryChanged.connect(window.refresh)
        self.tasks.message.connect(lambda text: window.statusBar().showMessage(text, 8000))
        self.tasks.failed.connect(window.show_error)
        self.tasks.downloadsChanged.connect(self._update_status_bar)
        self.tasks.downloadProgress.connect(lambda *_: self._update_status_bar())

        self.panel = DownloadsPanel(self.tasks)
        self.dock = named(QDockWidget("Downloads", window), "downloadsDock")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self.progress = named(QProgressBar(), "downloadProgress")
        self.progress.setMaximumWidth(180)
        self.progress.setMaximumHeight(16)
        self.progress.hide()
        window.statusBar().addPermanentWidget(self.progress)

        self._build_actions()
        window.when_library_built(self._attach_to_library)
        window.setAcceptDrops(True)
        window.installEventFilter(self)
        if background:
            self.tasks.start_background()

    def _attach_to_library(self) -> None:
        """The item list's menu and selection (once the Library tab is built)."""
        items = self.window.items
        items.contextMenuWanted.connect(self._context_menu)
        items.currentItemChanged.connect(self._current_changed)
        self.tasks.libraryChanged.connect(lambda: self._current_changed(items.current_item_id()))

    def _build_actions(self) -> None:
        w = self.window
        self.add_action = QAction("&Add Paper…", w)
        self.add_action.setShortcut(QKeySequence.StandardKey.New)
        self.add_action.setStatusTip("Add an arXiv paper by id or URL, or a web page")
        self.add_action.triggered.connect(lambda: self.show_add_dialog())
        self.paste_action = QAction("Add from &Clipboard", w)
        self.paste_action.setShortcut(QKeySequence.StandardKey.Paste)
        self.paste_action.triggered.connect(lambda: self.paste())
        self.check_action = QAction("Check for New &Versions", w)
        self.check_action.setStatusTip("Ask arXiv whether the library's papers have new versions")
        self.check_action.triggered.connect(lambda: self.tasks.check_versions())
        self.update_action = QAction("&Update to Latest Version", w)
        self.update_action.setShortcut(QKeySequence("Ctrl+Shift+U"))
        self.update_action.triggered.connect(lambda: self.update_current())
        self.downloads_action = self.dock.toggleViewAction()
        self.downloads_action.setText("&Downloads")
        self.downloads_action.setShortcut(QKeySequence("Ctrl+J"))
        for action in (self.add_action, self.paste_action, self.update_action):
            w.addAction(action)  # shortcuts work whatever pane has focus
        self.downloads_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        w.addAction(self.downloads_action)
        existing = w.file_menu.actions()
        if existing:  # the paper actions come first
            w.file_menu.insertAction(existing[0], self.add_action)
            w.file_menu.insertAction(existing[0], self.check_action)
            w.file_menu.insertSeparator(existing[0])
        else:
            w.file_menu.addActions([self.add_action, self.check_action])
            w.file_menu.addSeparator()
        w.edit_menu.addSeparator()
        w.edit_menu.addAction(self.paste_action)
        w.edit_menu.addAction(self.update_action)
        w.view_menu.addAction(self.downloads_action)

    # ---- the user's ways in -------------------------------------------------------------------
    def current_topic(self) -> int | None:
        topic = self.window.current_topic
        return topic if topic > 0 else None

    def show_add_dialog(self) -> AddPaperDialog:
        paths = self.window.library.topic_paths()
        topics = sorted(paths.items(), key=lambda kv: kv[1].lower())
        dialog = AddPaperDialog(topics, self.current_topic(), self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._add_from_dialog(*dialog.values()))
        dialog.open()
        return dialog

    def _add_from_dialog(self, text: str, topic_id: int | None, download: bool) -> None:
        self.tasks.add(text, topic_id, download=download)

    def paste(self) -> bool:
        text = QApplication.clipboard().text().strip()
        if not text or not addable(text):
            self.window.statusBar().showMessage(
                "The clipboard holds no arXiv id or web address to add.", 8000
            )
            return False
        return self.tasks.add(text, self.current_topic())

    def update_current(self) -> None:
        item_id = self.window.items.current_item_id()
        if item_id is None:
            self.window.statusBar().showMessage("Select a paper to update first.", 5000)
            return
        self.tasks.update_to_latest(item_id)
        self.dock.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if watched is self.window and kind == QEvent.Type.Close:
            self.tasks.shutdown()  # before the window's services (and database) close
            return False
        drag = kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop)
        if watched is self.window and drag:
            text = _dropped_text(event)  # type: ignore[arg-type]
            if text:
                event.acceptProposedAction()  # type: ignore[attr-defined]
                if kind == QEvent.Type.Drop:
                    self.tasks.add(text, self.current_topic())
                return True
        return super().eventFilter(watched, event)

    # ---- reactions ----------------------------------------------------------------------------
    def _item_added(self, item_id: int, _existed: bool) -> None:
        self.window.refresh()
        if not self.window.select_item(item_id):  # filed elsewhere: show it in All Items
            self.window.tree.select_topic(ALL_ITEMS)
            self.window.show_topic(ALL_ITEMS)
            self.window.select_item(item_id)

    def _current_changed(self, item_id: int | None) -> None:
        """ "Update to vN" names the version on offer; a paper still waiting says so."""
        item = self.window.library.item(item_id) if item_id is not None else None
        if item is not None and item.new_version_available:
            self.update_action.setText(f"&Update to v{item.latest_version}")
            self.update_action.setEnabled(True)
        else:
            self.update_action.setText("&Update to Latest Version")
            self.update_action.setEnabled(False)
        pending = self.tasks.service.state.pending_for(item.id) if item is not None else None
        if pending is not None and pending.last_error:
            what = "details" if pending.need_metadata else "PDF"
            self.window.statusBar().showMessage(
                f"This item's {what} will be fetched when possible. Last try: {pending.last_error}",
                10000,
            )

    def _context_menu(self, menu: QMenu, ids: list[int]) -> None:
        if len(ids) != 1:
            return
        item = self.window.library.item(ids[0])
        if item is None or not item.arxiv_id:
            return
        menu.addSeparator()
        if item.new_version_available:
            menu.addAction(
                f"Update to v{item.latest_version}", lambda: self.tasks.update_to_latest(item.id)
            )
        if not item.has_pdf:
            menu.addAction("Download PDF", lambda: self.tasks.download_pdf(item))
        for record in self.tasks.service.state.versions(item.id):
            if record.pdf_path:
                path = self.tasks.service.files.absolute(record.pdf_path)
                label = f"v{record.version}" if record.version else "(earlier download)"
                menu.addAction(
                    f"Open Previous Version {label}",
                    partial(self.open_previous, path),
                )

    def open_previous(self, path: Path) -> None:
        """An earlier version's PDF, kept when the item was updated, opens in its own tab."""
        if not path.is_file():
            self.window.show_error(f"The earlier version's PDF is missing: {path}.")
            return
        if self.window.pdf_tabs is not None:
            self.window.pdf_tabs.open_path(path)

    def _update_status_bar(self) -> None:
        active = [d for d in self.tasks.downloads.values() if d.active]
        if not active:
            self.progress.hide()
            return
        total = sum(d.total or 0 for d in active)
        done = sum(d.done for d in active)
        if total:
            self.progress.setRange(0, 1000)
            self.progress.setValue(min(1000, int(done * 1000 / total)))
        else:
            self.progress.setRange(0, 0)
        self.progress.setFormat(f"{len(active)} download(s)")
        self.progress.setToolTip(", ".join(d.title for d in active))
        self.progress.show()


def _dropped_text(event: QDropEvent) -> str:
    """The first URL or line of text in a drop that names something addable, else ""."""
    mime = event.mimeData()
    candidates: list[str] = []
    if mime.hasUrls():
        candidates += [u.toString() for u in mime.urls() if u.scheme() in ("http", "https")]
    if mime.hasText():
        candidates += [line.strip() for line in mime.text().splitlines() if line.strip()]
    return next((c for c in candidates if addable(c)), "")


def install_paper_actions(window: MainWindow, *, background: bool = True) -> PaperActions:
    """Add the paper actions to ``window``; ``background`` starts the retry/version schedule."""
    return PaperActions(window, background=background)
