"""The details pane: an item's metadata, reading status and Markdown notes (saved as you type).

What the user types (notes, title, authors, year, venue) is saved by one :class:`TextAutosave`:
within a second while typing goes on, at once on focus loss and item switch. Each save says which
revision of the item the pane showed, so a change made elsewhere meanwhile is merged, not lost.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
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
    QVBoxLayout,
    QWidget,
)

from readerapp.core.errors import UserError
from readerapp.core.models import Item, Status
from readerapp.gui.safe_text_browser import SafeTextBrowser
from readerapp.gui.title_edit import TitleEdit
from readerapp.gui.typed_widgets import named, tool_button
from readerapp.qt.shown_as_written import plain_text
from readerapp.qt.text_autosave import TextAutosave, show_stored_text
from readerapp.services.item_edits import ItemEditService, ItemGoneError

if TYPE_CHECKING:  # imported on first preview
    from readerapp.core.notes_markdown import NotesRenderer


class DetailsPane(QWidget):
    """Edits go straight to the library; ``itemEdited`` tells the list to redraw the row."""

    itemEdited = Signal(int)
    fieldsEdited = Signal(int, dict, dict)  # item id, the fields' old and new values (for undo)
    saveFailed = Signal(str)  # a sentence for the status bar
    notice = Signal(str)  # a sentence for the status bar: a change made elsewhere was merged
    openUrlRequested = Signal(str)

    def __init__(self, edits: ItemEditService, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("detailsPane")
        self.edits = edits
        self.library = edits.library  # topic paths, for the Topics row
        self.item: Item | None = None  # as last loaded or saved: what the next save started from
        self._loading = False
        # markdown-it is imported on first preview: keeps start-up lean
        self._markdown: NotesRenderer | None = None

        self.title = TitleEdit(objectName="detailsTitle")  # wraps: long titles show whole
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.authors = named(QLineEdit(placeholderText="Authors, comma separated"), "detailsAuthors")
        self.year = named(QLineEdit(placeholderText="Year"), "detailsYear")
        self.year.setMaximumWidth(80)
        self.venue = named(QLineEdit(placeholderText="Venue"), "detailsVenue")
        self.arxiv = named(QLabel(), "detailsArxiv")
        self.arxiv.setOpenExternalLinks(False)
        self.arxiv.linkActivated.connect(self.openUrlRequested)
        self.link = named(QLabel(), "detailsLink")
        self.link.setWordWrap(True)
        self.link.linkActivated.connect(self.openUrlRequested)
        self.topics = plain_text(named(QLabel(), "detailsTopics"))
        self.topics.setWordWrap(True)
        self.status = named(QComboBox(), "detailsStatus")
        for status in Status:
            self.status.addItem(status.value.replace("-", " ").capitalize(), status.value)
        self.abstract = named(QTextBrowser(), "detailsAbstract")
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

        self.notes = named(QPlainTextEdit(), "detailsNotes")
        self.notes.setPlaceholderText("Your notes, in Markdown. Saved as you type.")
        # Loads nothing a note names: an image at /dev/zero or a FIFO must not take the window.
        self.preview = named(SafeTextBrowser(), "detailsNotesPreview")
        self.preview.linkActivated.connect(self.openUrlRequested)
        self.notes_stack = QStackedWidget()
        self.notes_stack.addWidget(self.notes)
        self.notes_stack.addWidget(self.preview)
        self.preview_button = tool_button(None, "Preview", checkable=True)
        self.preview_button.setToolTip("Show the notes rendered (Ctrl+Shift+P)")
        self.preview_button.setShortcut("Ctrl+Shift+P")
        self.preview_button.toggled.connect(self._toggle_preview)
        self.saved_label = named(QLabel(""), "notesSaved")
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

        self.splitter = named(QSplitter(Qt.Orientation.Vertical), "detailsSplitter")
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

        self.autosave = TextAutosave(self._save_typed, self)
        self.fields = (self.title, self.authors, self.year, self.venue)
        self.autosave.watch(self.notes, *self.fields)
        self.notes.textChanged.connect(self._typed)
        self._row_stale = False  # the list still shows the item's old title, authors or year
        for line in self.fields:
            line.textEdited.connect(self._typed)
            line.editingFinished.connect(self.autosave.flush)
            line.editingFinished.connect(self._update_row)
        self.status.currentIndexChanged.connect(self._save_status)

    # ---- showing ------------------------------------------------------------------------------
    def show_item(self, item_id: int | None) -> None:
        """Show another item (or none); the same item again only takes in what changed."""
        if not self.autosave.flush():  # the save failed: stay on this item, keep the text
            return
        if item_id is not None and self.item is not None and item_id == self.item.id:
            self.reload()
            return
        self.item = self.edits.item(item_id) if item_id is not None else None
        if self.item is None:
            self.stack.setCurrentWidget(self.empty)
            return
        self._show(self.item, replace_all=True)
        self.saved_label.setText("")
        self.stack.setCurrentWidget(self.splitter)

    def reload(self) -> None:
        """Take in what changed elsewhere (another process, a reading tab), keeping the user's
        place in every field; what the user typed is saved (and merged) first."""
        if self.item is None or not self.autosave.flush():
            return
        stored = self.edits.item(self.item.id)
        if stored is None:  # deleted elsewhere (with nothing of ours unsaved: flushed above)
            self.item = None
            self.stack.setCurrentWidget(self.empty)
            return
        self.topics.setText(", ".join(self.library.item_topic_paths(stored.id)) or "Unfiled")
        if stored.revision != self.item.revision:
            self.item = stored
            self._show(stored, replace_all=False)

    def _show(self, item: Item, *, replace_all: bool) -> None:
        self._loading = True
        try:
            texts = (
                (self.title, item.title),
                (self.authors, item.authors_text),
                (self.year, "" if item.year is None else str(item.year)),
                (self.venue, item.venue),
            )
            for line, text in texts:
                if replace_all:
                    line.setText(text)
                    line.setCursorPosition(0)
                elif not line.hasFocus() and _words(line.text()) != _words(text):
                    show_stored_text(line, text)  # the field being typed in stays as typed
            self.arxiv.setText(self._arxiv_html(item))
            url = html.escape(item.url)
            self.link.setText(f'<a href="{url}">{url}</a>' if item.url else "—")
            self.topics.setText(", ".join(self.library.item_topic_paths(item.id)) or "Unfiled")
            self.status.setCurrentIndex(max(0, self.status.findData(str(item.status))))
            if self.abstract.toPlainText() != item.abstract:
                self.abstract.setPlainText(item.abstract)
            if replace_all:
                self.notes.setPlainText(item.notes)
            else:
                show_stored_text(self.notes, item.notes)
            if self.preview_button.isChecked():
                self._render_preview()
        finally:
            self._loading = False

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
    def _typed(self) -> None:
        if not self._loading and self.item is not None:
            self.saved_label.setText("Editing…")
            self.autosave.touch()

    def flush_notes(self) -> bool:
        """Write everything typed now (item switch, window close, tests); False if it failed."""
        return self.autosave.flush()

    def unsaved_text(self) -> str:
        """The fields typed here and not in the library yet, as Markdown ("" if none): what a
        window that must close keeps in a file."""
        if self.item is None or not self.autosave.pending:
            return ""
        changes = self._typed_changes(self.item)
        if not changes:
            return ""
        lines = [f"## “{self.item.title}” (item {self.item.id})"]
        for field in ("title", "authors", "year", "venue"):
            if field in changes:
                value = changes[field]
                shown = ", ".join(value) if isinstance(value, list) else value
                lines.append(f"\n{field.capitalize()}: {'' if shown is None else shown}")
        if "notes" in changes:
            lines.append(f"\nNotes:\n\n{changes['notes']}")
        return "\n".join(lines) + "\n"

    def _typed_changes(self, item: Item) -> dict[str, object]:
        """The fields whose text differs from ``item``, as values to store."""
        changes: dict[str, object] = {}
        if self.notes.toPlainText() != item.notes:
            changes["notes"] = self.notes.toPlainText()
        title = self.title.text().strip()
        if title and title != item.title:  # an item keeps a title: an emptied field is not saved
            changes["title"] = title
        authors = [a.strip() for a in self.authors.text().split(",") if a.strip()]
        if authors != item.authors:
            changes["authors"] = authors
        year_text = self.year.text().strip()
        if not year_text and item.year is not None:
            changes["year"] = None
        elif year_text.isdigit() and len(year_text) == 4 and int(year_text) != item.year:
            changes["year"] = int(year_text)  # "20" on the way to "2024" is not a year yet
        if self.venue.text().strip() != item.venue:
            changes["venue"] = self.venue.text().strip()
        return changes

    def _save_typed(self) -> bool:
        """The autosave's work: write what changed, merged with any change made elsewhere."""
        if self.item is None:
            return True
        changes = self._typed_changes(self.item)
        if not changes:
            self._settle_fields()
            return True
        before = self.item
        try:
            saved = self.edits.save(self.item, **changes)
        except ItemGoneError as exc:  # purged elsewhere: no retry can help; the text stays shown
            self.saved_label.setText("Not saved")
            self.notice.emit(str(exc))
            return True
        except UserError as exc:
            # The text stays in the editor and is tried again shortly: a locked database or a
            # full disk must not lose what the user typed.
            self.saved_label.setText("Not saved yet")
            self.saved_label.setToolTip(str(exc))
            self.saveFailed.emit(str(exc))
            return False
        self.item = saved.item
        self._announce_edit(before, saved.item, set(changes) - {"notes"})  # notes: the editor's undo
        # Every field shows what is stored now: a merged text both versions, a field changed
        # elsewhere its new value (else the next save would write the old one back).
        self._show(saved.item, replace_all=False)
        self._settle_fields()
        self.saved_label.setText("Saved")
        self.saved_label.setToolTip("")
        if saved.notice:
            self.notice.emit(saved.notice)
        if set(changes) - {"notes"}:
            self._row_stale = True
            self._update_row()
        return True

    def _update_row(self) -> None:
        """Let the list show an edited title, authors or year once the user left the field:
        while typing goes on, reloading the list at every save would make the typing stutter."""
        if self._row_stale and self.item is not None and not any(f.hasFocus() for f in self.fields):
            self._row_stale = False
            self.itemEdited.emit(self.item.id)

    def _settle_fields(self) -> None:
        """A field that lost the focus shows the value as stored (a bad year, trimmed spaces)."""
        if self.item is None or not self.year.text().strip() or self.year.hasFocus():
            return
        if self.item.year is None or self.year.text().strip() != str(self.item.year):
            self._loading = True
            try:
                self.year.setText("" if self.item.year is None else str(self.item.year))
            finally:
                self._loading = False

    def _save_status(self) -> None:
        if self._loading or self.item is None:
            return
        status = Status(self.status.currentData())
        if status != self.item.status:
            before = self.item
            try:
                saved = self.edits.save(self.item, status=status)
            except UserError as exc:
                self.saveFailed.emit(str(exc))
                return
            self.item = saved.item
            self._announce_edit(before, saved.item, {"status"})
            self.itemEdited.emit(self.item.id)

    def _announce_edit(self, before: Item, after: Item, fields: set[str]) -> None:
        """Tell the window (its undo stack) which fields a save changed, from what to what."""
        changed = sorted(f for f in fields if getattr(before, f) != getattr(after, f))
        if changed:
            self.fieldsEdited.emit(
                after.id,
                {f: getattr(before, f) for f in changed},
                {f: getattr(after, f) for f in changed},
            )

    def _toggle_preview(self, on: bool) -> None:
        if on:
            self.flush_notes()
            self._render_preview()
            self.notes_stack.setCurrentWidget(self.preview)
        else:
            self.notes_stack.setCurrentWidget(self.notes)

    def _render_preview(self) -> None:
        # GitHub-flavoured, as users write notes; raw HTML is shown as text, never run or loaded.
        if self._markdown is None:
            from readerapp.core.notes_markdown import NotesRenderer

            self._markdown = NotesRenderer()
        self.preview.setHtml(self._markdown.render(self.notes.toPlainText()))


def _words(text: str) -> list[str]:
    """A field's words, as saving reads them (spaces and the commas between authors aside)."""
    return text.replace(",", " ").split()
