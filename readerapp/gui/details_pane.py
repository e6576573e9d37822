"""The details pane: an item's metadata, reading status and Markdown notes (saved as you type)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from readerapp.core.errors import UserError
from readerapp.core.models import Item, Status
from readerapp.storage.library import LibraryRepository

NOTES_SAVE_DELAY_MS = 300  # coalesce keystrokes; flushed at once on item switch and close
NOTES_RETRY_MS = 2000  # after a failed save (locked database, full disk)


class DetailsPane(QWidget):
    """Edits go straight to the library; ``itemEdited`` tells the list to redraw the row."""

    itemEdited = Signal(int)
    saveFailed = Signal(str)  # a sentence for the status bar
    openUrlRequested = Signal(str)

    def __init__(self, library: LibraryRepository, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("detailsPane")
        self.library = library
        self.item: Item | None = None
        self._loading = False
        self._markdown = None  # markdown-it is imported on first preview: keeps start-up lean

        self.title = QLineEdit(objectName="detailsTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setFrame(False)
        self.authors = QLineEdit(
            objectName="detailsAuthors", placeholderText="Authors, comma separated"
        )
        self.year = QLineEdit(objectName="detailsYear", placeholderText="Year")
        self.year.setMaximumWidth(80)
        self.venue = QLineEdit(objectName="detailsVenue", placeholderText="Venue")
        self.arxiv = QLabel(objectName="detailsArxiv")
        self.arxiv.setOpenExternalLinks(False)
        self.arxiv.linkActivated.connect(self.openUrlRequested)
        self.link = QLabel(objectName="detailsLink")
        self.link.setWordWrap(True)
        self.link.linkActivated.connect(self.openUrlRequested)
        self.topics = QLabel(objectName="detailsTopics")
        self.topics.setWordWrap(True)
        self.status = QComboBox(objectName="detailsStatus")
        for status in Status:
            self.status.addItem(status.value.replace("-", " ").capitalize(), status.value)
        self.abstract = QTextBrowser(objectName="detailsAbstract")
        self.abstract.setOpenLinks(False)
        self.abstract.setPlaceholderText("No abstract")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.title)
        form.addRow("Authors", self.authors)
        form.addRow("Year", self.year)
        form.addRow("Venue", self.venue)
        form.addRow("arXiv", self.arxiv)
        form.addRow("Link", self.link)
        form.addRow("Topics", self.topics)
        form.addRow("Status", self.status)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(form)
        top_layout.addWidget(QLabel("<b>Abstract</b>"))
        top_layout.addWidget(self.abstract)

        self.notes = QPlainTextEdit(objectName="detailsNotes")
        self.notes.setPlaceholderText("Your notes, in Markdown. Saved as you type.")
        self.preview = QTextBrowser(objectName="detailsNotesPreview")
        self.preview.setOpenLinks(False)
        self.preview.anchorClicked.connect(lambda url: self.openUrlRequested.emit(url.toString()))
        self.notes_stack = QStackedWidget()
        self.notes_stack.addWidget(self.notes)
        self.notes_stack.addWidget(self.preview)
        self.preview_button = QToolButton(text="Preview", checkable=True)
        self.preview_button.setToolTip("Show the notes rendered (Ctrl+Shift+P)")
        self.preview_button.setShortcut("Ctrl+Shift+P")
        self.preview_button.toggled.connect(self._toggle_preview)
        self.saved_label = QLabel("", objectName="notesSaved")
        self.saved_label.setStyleSheet("color: palette(mid);")
        header_row = QHBoxLayout()
        header_row.addWidget(QLabel("<b>Notes</b>"))
        header_row.addStretch(1)
        header_row.addWidget(self.saved_label)
        header_row.addWidget(self.preview_button)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addLayout(header_row)
        bottom_layout.addWidget(self.notes_stack)

        self.splitter = QSplitter(Qt.Orientation.Vertical, objectName="detailsSplitter")
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setSizes([300, 300])
        self.empty = QLabel("Select an item to see its details and notes.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.stack)

        self._notes_timer = QTimer(self, singleShot=True, interval=NOTES_SAVE_DELAY_MS)
        self._notes_timer.timeout.connect(self.flush_notes)
        self.notes.textChanged.connect(self._notes_changed)
        for field in (self.title, self.authors, self.year, self.venue):
            field.editingFinished.connect(self._save_metadata)
        self.status.currentIndexChanged.connect(self._save_status)

    # ---- showing ------------------------------------------------------------------------------
    def show_item(self, item_id: int | None) -> None:
        self.flush_notes()
        if self._notes_timer.isActive():  # the save failed: stay on this item, keep the text
            return
        self.item = self.library.item(item_id) if item_id is not None else None
        if self.item is None:
            self.stack.setCurrentWidget(self.empty)
            return
        item = self.item
        self._loading = True
        try:
            self.title.setText(item.title)
            self.title.setCursorPosition(0)
            self.authors.setText(item.authors_text)
            self.authors.setCursorPosition(0)
            self.year.setText("" if item.year is None else str(item.year))
            self.venue.setText(item.venue)
            self.arxiv.setText(self._arxiv_html(item))
            url = html.escape(item.url)
            self.link.setText(f'<a href="{url}">{url}</a>' if item.url else "—")
            self.topics.setText(", ".join(self.library.item_topic_paths(item.id)) or "Unfiled")
            self.status.setCurrentIndex(max(0, self.status.findData(str(item.status))))
            self.abstract.setPlainText(item.abstract)
            self.notes.setPlainText(item.notes)
            self.saved_label.setText("")
            if self.preview_button.isChecked():
                self._render_preview()
        finally:
            self._loading = False
        self.stack.setCurrentWidget(self.splitter)

    def _arxiv_html(self, item: Item) -> str:
        if not item.arxiv_id:
            return "—"
        version = f"v{item.version}" if item.version else ""
        badge = ""
        if item.new_version_available:
            badge = f' &nbsp;<b style="color:#b35900">v{item.latest_version} available</b>'
        url = f"https://arxiv.org/abs/{item.arxiv_id}{version}"
        return f'<a href="{html.escape(url)}">{html.escape(item.arxiv_id)}{version}</a>{badge}'

    # ---- saving -------------------------------------------------------------------------------
    def _notes_changed(self) -> None:
        if not self._loading and self.item is not None:
            self.saved_label.setText("Editing…")
            self._notes_timer.start()

    def flush_notes(self) -> None:
        """Write pending notes now (item switch, window close, tests)."""
        self._notes_timer.stop()
        if self.item is None:
            return
        text = self.notes.toPlainText()
        if text != self.item.notes:
            try:
                self.library.update_item(self.item.id, notes=text)
            except UserError as exc:
                # The text stays in the editor and we try again shortly: a locked database or a
                # full disk must not lose what the user typed.
                self.saved_label.setText("Not saved yet")
                self.saved_label.setToolTip(str(exc))
                self.saveFailed.emit(str(exc))
                self._notes_timer.start(NOTES_RETRY_MS)
                return
            self.item.notes = text
            self.saved_label.setText("Saved")
            self.saved_label.setToolTip("")

    def _save_metadata(self) -> None:
        if self._loading or self.item is None:
            return
        changes: dict[str, object] = {}
        title = self.title.text().strip()
        if title and title != self.item.title:
            changes["title"] = title
        authors = [a.strip() for a in self.authors.text().split(",") if a.strip()]
        if authors != self.item.authors:
            changes["authors"] = authors
        year_text = self.year.text().strip()
        year = int(year_text) if year_text.isdigit() else None
        if year_text and year is None:
            self.year.setText("" if self.item.year is None else str(self.item.year))
        elif year != self.item.year:
            changes["year"] = year
        if self.venue.text().strip() != self.item.venue:
            changes["venue"] = self.venue.text().strip()
        if changes:
            self.library.update_item(self.item.id, **changes)
            for key, value in changes.items():
                setattr(self.item, key, value)
            self.itemEdited.emit(self.item.id)

    def _save_status(self) -> None:
        if self._loading or self.item is None:
            return
        status = Status(self.status.currentData())
        if status != self.item.status:
            self.library.update_item(self.item.id, status=status)
            self.item.status = status
            self.itemEdited.emit(self.item.id)

    def _toggle_preview(self, on: bool) -> None:
        if on:
            self.flush_notes()
            self._render_preview()
            self.notes_stack.setCurrentWidget(self.preview)
        else:
            self.notes_stack.setCurrentWidget(self.notes)

    def _render_preview(self) -> None:
        # html=False in the parser: raw HTML in notes is shown as text, never executed or loaded.
        if self._markdown is None:
            from markdown_it import MarkdownIt

            self._markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})
        self.preview.setHtml(self._markdown.render(self.notes.toPlainText()))
