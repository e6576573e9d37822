"""The annotation pane beside the viewer: the item's Markdown notes, then its highlights and notes.

The pane only shows and asks: every change goes out as a signal (the controller turns it into an
undoable command) and comes back through :meth:`AnnotationPane.set_annotations`. What the user
types (the notes, a comment) is saved as it is typed, by a :class:`TextAutosave` each.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from readerapp.core.annotation import (
    Annotation,
    AnnotationKind,
    PaletteColor,
    in_reading_order,
)
from readerapp.core.errors import UserError
from readerapp.core.models import Item
from readerapp.gui.typed_widgets import tool_button
from readerapp.pdf.document import PdfDocument, PdfError
from readerapp.qt.page_renderer import band_image
from readerapp.qt.shown_as_written import plain_text
from readerapp.qt.text_autosave import TextAutosave, show_stored_text
from readerapp.services.item_edits import ItemEditService, ItemGoneError

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent

log = logging.getLogger(__name__)

QUOTE_CHARS = 280
STRIP_WIDTH = 5
# Saves a comment typed over an annotation as the user last saw it; returns the annotation as
# stored (a comment changed elsewhere meanwhile is merged into it), or None when it could not.
CommentWriter = Callable[[Annotation, str], "Annotation | None"]
_ID_ROLE = Qt.ItemDataRole.UserRole
_DELETE_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
# Keys the pane handles itself, for the shortcut list: (keys, what they do).
PANE_KEYS = (("Del, Backspace", "Delete the selected annotation (in the pane)"),)
KIND_LABELS = {
    AnnotationKind.HIGHLIGHT: "highlight",
    AnnotationKind.UNDERLINE: "underline",
    AnnotationKind.STRIKEOUT: "strike-through",
    AnnotationKind.SQUIGGLY: "squiggly",
    AnnotationKind.NOTE: "note",
    AnnotationKind.FREETEXT: "text box",
    AnnotationKind.INK: "drawing",
    AnnotationKind.AREA: "area",
}

# What an annotation made in another program is called when its colour means nothing here.
KIND_TITLES = {
    AnnotationKind.HIGHLIGHT: "Highlight",
    AnnotationKind.UNDERLINE: "Underline",
    AnnotationKind.STRIKEOUT: "Strike-through",
    AnnotationKind.SQUIGGLY: "Squiggly underline",
    AnnotationKind.NOTE: "Sticky note",
    AnnotationKind.FREETEXT: "Text box",
    AnnotationKind.INK: "Ink drawing",
    AnnotationKind.AREA: "Area",
}
# Marks other programs make whose colour is not a meaning given here.
DRAWN_KINDS = (AnnotationKind.INK, AnnotationKind.FREETEXT)
# Kinds whose card shows the part of the page they cover: a figure framed, a drawing.
PICTURED_KINDS = (AnnotationKind.AREA, AnnotationKind.INK)
THUMBNAIL_SIZE = QSize(240, 110)  # the most a card's picture takes, in logical pixels
THUMBNAIL_MARGIN = 4.0  # PDF points around the area, so its edge shows


def card_title(annotation: Annotation, meaning: str | None) -> str:
    """The card's first line: where, and what it means (its colour's name) or else what it is."""
    if annotation.detached:
        where = "detached: not found in this version"
    else:
        where = f"p. {annotation.page}"
    drawn_elsewhere = annotation.source == "pdf" and annotation.kind in DRAWN_KINDS
    if meaning is None or drawn_elsewhere:  # another program's mark: say what it is
        by = f" · {annotation.author}" if annotation.author else ""
        return f"{KIND_TITLES[annotation.kind]}, {where}{by}"
    kind = (
        "" if annotation.kind is AnnotationKind.HIGHLIGHT else f" · {KIND_LABELS[annotation.kind]}"
    )
    return f"{where} · {meaning}{kind}"


def swatch(color: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class _CommentField(QLineEdit):
    """A comment: Enter saves it and is done. QLineEdit passes Enter on to the list around it,
    which would take it as "go to this annotation" (scroll, flash, a Back entry)."""

    entered = Signal()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            self.entered.emit()


class AnnotationCard(QFrame):
    """One annotation: where and what it is, its quote, and its comment (edited in place)."""

    def __init__(
        self,
        annotation: Annotation,
        meaning: str | None,
        pane: AnnotationPane,
        picture: QPixmap | None = None,
    ) -> None:
        super().__init__()
        self.pane = pane
        self.annotation = annotation
        self.setObjectName("annotationCard")
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 2, 0, 2)
        outer.setSpacing(0)
        outer.addSpacing(STRIP_WIDTH)  # paintEvent draws the colour there
        box = QVBoxLayout()
        box.setContentsMargins(8, 2, 4, 2)
        box.setSpacing(2)
        outer.addLayout(box, 1)
        top = QHBoxLayout()
        # A PDF's own marks bring their author, and quotes are the paper's text: as written.
        self.header = plain_text(QLabel(card_title(annotation, meaning), self))
        self.header.setStyleSheet("color: palette(dark); font-size: 11px;")
        top.addWidget(self.header, 1)
        self.delete_button = tool_button(self, "✕", "Delete (Del); Ctrl+Z brings it back")
        self.delete_button.setAutoRaise(True)
        self.delete_button.clicked.connect(lambda: pane.deleteRequested.emit(annotation.id))
        top.addWidget(self.delete_button)
        box.addLayout(top)
        self.picture = QLabel(self)
        self.picture.setToolTip("The area on the page")
        self._show_picture(picture)
        box.addWidget(self.picture)
        self.quote = plain_text(QLabel("", self, wordWrap=True))
        self.quote.setStyleSheet("font-style: italic;")
        self._show_quote(annotation.quote)
        box.addWidget(self.quote)
        self.comment = _CommentField(annotation.comment, self)
        self.comment.setPlaceholderText("Add a comment…")
        self.comment.setFrame(False)
        self.comment.textEdited.connect(lambda _text: pane._comment_typed(self))
        self.comment.editingFinished.connect(pane.end_comment_session)
        pane.comment_autosave.watch(self.comment)
        self.comment.entered.connect(lambda: pane.commentDone.emit(annotation.id))
        box.addWidget(self.comment)

    def _show_quote(self, quote: str) -> None:
        if len(quote) > QUOTE_CHARS:
            quote = quote[: QUOTE_CHARS - 1].rstrip() + "…"
        self.quote.setText(f"“{quote}”" if quote else "")
        self.quote.setVisible(bool(quote))

    def _show_picture(self, picture: QPixmap | None) -> None:
        self.picture.setVisible(picture is not None)
        self.picture.setPixmap(picture if picture is not None else QPixmap())

    def show_annotation(
        self, annotation: Annotation, meaning: str | None, picture: QPixmap | None = None
    ) -> None:
        """Show a changed annotation in this card, leaving a comment being typed as it is."""
        self.annotation = annotation
        self.header.setText(card_title(annotation, meaning))
        self._show_picture(picture)
        self._show_quote(annotation.quote)
        if not self.pane.comment_pending(self):
            show_stored_text(self.comment, annotation.comment)
        self.update()  # the colour strip

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().paintEvent(event)
        painter = QPainter(self)
        painter.fillRect(0, 2, STRIP_WIDTH, self.height() - 4, QColor(self.annotation.color))
        painter.end()


class _CardList(QListWidget):
    """A list of cards whose heights follow its width (quotes wrap); Delete deletes one."""

    deletePressed = Signal()

    def event(self, event: QEvent) -> bool:
        # Claim Delete before the window's own Delete shortcut (remove from topic) sees it.
        if event.type() == QEvent.Type.ShortcutOverride:
            key = cast("QKeyEvent", event).key()  # a ShortcutOverride event is a key event
            if key in _DELETE_KEYS:
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if event.key() in _DELETE_KEYS:
            self.deletePressed.emit()
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        fit_cards(self)


def fit_cards(lst: QListWidget, items: list[QListWidgetItem] | None = None) -> None:
    """Give cards the height their wrapped text needs at the list's width."""
    width = max(120, lst.viewport().width())
    for item in items if items is not None else [lst.item(i) for i in range(lst.count())]:
        card = lst.itemWidget(item)
        if card is not None:
            height = card.heightForWidth(width)  # -1 when nothing wraps (a note without quote)
            item.setSizeHint(QSize(width, height if height > 0 else card.sizeHint().height()))


class AnnotationPane(QWidget):
    """Notes on top; below, annotations in reading order with a colour filter."""

    activated = Signal(int)  # scroll the view to it and flash it
    commentEdited = Signal(int, str)  # when no comment_writer is set
    notice = Signal(str)  # a sentence for the status bar (a save failed, a text was merged)
    commentDone = Signal(int)  # Enter in a comment: back to reading
    deleteRequested = Signal(int)
    recolorRequested = Signal(int, str)
    kindRequested = Signal(int, str)
    meaningRenameRequested = Signal(str)  # a colour whose meaning the user wants to rename

    def __init__(self, edits: ItemEditService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("annotationPane")
        self.edits = edits
        self.item_id: int | None = None
        self._item: Item | None = None  # as last loaded or saved: what the next save started from
        self._annotations: list[Annotation] = []
        self._palette: list[PaletteColor] = []
        self._rebuilding = False
        self._loading = False
        self._document: PdfDocument | None = None
        self._pictures: dict[tuple, QPixmap | None] = {}
        self.comment_writer: CommentWriter | None = None
        self._comment_card: AnnotationCard | None = None  # the card whose comment is being typed
        self.comment_session = 0  # one per stretch of typing in one comment: one undo step
        self.comment_autosave = TextAutosave(self._save_comment, self)
        self.notes_autosave = TextAutosave(self._save_notes, self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        layout.addWidget(self.splitter)

        notes_box = QWidget(self.splitter)
        nl = QVBoxLayout(notes_box)
        nl.setContentsMargins(6, 6, 6, 0)
        nl.addWidget(QLabel("<b>Notes</b> (Markdown)", notes_box))
        self.notes = QPlainTextEdit(notes_box)
        self.notes.setPlaceholderText("Your notes on this paper, saved as you type.")
        nl.addWidget(self.notes)
        self.notes.textChanged.connect(self._notes_typed)
        self.notes_autosave.watch(self.notes)

        list_box = QWidget(self.splitter)
        ll = QVBoxLayout(list_box)
        ll.setContentsMargins(6, 6, 6, 6)
        row = QHBoxLayout()
        self.title = QLabel("<b>Highlights</b>", list_box)
        row.addWidget(self.title, 1)
        self.filter = QComboBox(list_box)
        self.filter.setToolTip("Show one colour only")
        self.filter.currentIndexChanged.connect(self._apply_filter)
        row.addWidget(self.filter)
        self.meanings_button = tool_button(list_box, "Aa", "Rename what a colour means")
        self.meanings_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.meanings_menu = QMenu(self.meanings_button)
        self.meanings_button.setMenu(self.meanings_menu)
        row.addWidget(self.meanings_button)
        ll.addLayout(row)
        self.list = _CardList(list_box)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.list.itemClicked.connect(self._item_clicked)
        self.list.itemActivated.connect(self._item_clicked)
        ll.addWidget(self.list, 1)
        self.empty = QLabel(
            "Select text and press H to highlight (1–6 pick a colour), U to underline, "
            "S to strike through; N places a sticky note, A frames a figure.",
            list_box,
            wordWrap=True,
        )
        self.empty.setStyleSheet("color: palette(dark);")
        ll.addWidget(self.empty)
        self.list.deletePressed.connect(self._delete_current)
        self.splitter.setSizes([160, 500])

    # ---- the item and its notes ---------------------------------------------------------------
    def set_item(self, item_id: int) -> None:
        self.flush_notes()
        self.item_id = item_id
        self._item = self.edits.item(item_id)
        self._loading = True
        try:
            self.notes.setPlainText(self._item.notes if self._item else "")
        finally:
            self._loading = False
        self.notes_autosave.discard()

    def _notes_typed(self) -> None:
        if not self._loading and self._item is not None:
            self.notes_autosave.touch()

    def flush_notes(self) -> bool:
        """Write the notes now if they changed (also on hide and before closing); False if the
        save failed (the text stays and is tried again)."""
        return self.notes_autosave.flush()

    def flush(self) -> bool:
        """Write everything typed in the pane now: the notes and a comment being typed."""
        return self.flush_notes() & self.flush_comment()

    def unsaved_text(self) -> str:
        """What was typed here and is not in the library yet, as Markdown ("" if nothing): what
        a window that must close keeps in a file."""
        parts = []
        if self.notes_autosave.pending and self._item is not None:
            heading = f"## Notes on “{self._item.title}” (item {self._item.id})"
            parts.append(f"{heading}\n\n{self.notes.toPlainText()}\n")
        card = self._comment_card
        if card is not None and self.comment_autosave.pending:
            quote = f" on “{card.annotation.quote}”" if card.annotation.quote else ""
            where = f"p. {card.annotation.page}"
            title = f"“{self._item.title}”, " if self._item is not None else ""
            parts.append(f"## Comment{quote} ({title}{where})\n\n{card.comment.text()}\n")
        return "\n".join(parts)

    def _save_notes(self) -> bool:
        text = self.notes.toPlainText()
        if self._item is None or text == self._item.notes:
            return True
        try:
            saved = self.edits.save(self._item, notes=text)
        except ItemGoneError as exc:  # purged elsewhere: no retry can help; the text stays shown
            self.notice.emit(str(exc))
            return True
        except UserError as exc:
            # A locked database or a full disk: the text stays here and is tried again soon.
            self.notes.setToolTip(f"Not saved yet: {exc}")
            self.notice.emit(f"{exc} Your notes stay here and are saved when possible.")
            return False
        self.notes.setToolTip("")
        self._item = saved.item
        self._show_notes(saved.item.notes)
        if saved.notice:
            self.notice.emit(saved.notice)
        return True

    def _show_notes(self, text: str) -> None:
        self._loading = True
        try:
            show_stored_text(self.notes, text)
        finally:
            self._loading = False

    def reload_notes(self) -> None:
        """Take in notes changed elsewhere (the details pane, another process), keeping the
        user's place; anything typed here is saved, and merged, first."""
        if self._item is None or not self.flush_notes():
            return
        stored = self.edits.item(self._item.id)
        if stored is not None and stored.revision != self._item.revision:
            self._item = stored
            self._show_notes(stored.notes)

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        self.flush()
        super().hideEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802
        self.reload_notes()  # the details pane edits the same notes
        super().showEvent(event)

    # ---- comments typed into the cards --------------------------------------------------------
    def _comment_typed(self, card: AnnotationCard) -> None:
        if self._rebuilding:
            return
        if self._comment_card is not card:
            self.end_comment_session()  # another card's comment goes first
            self._comment_card = card
        self.comment_autosave.touch()

    def end_comment_session(self) -> None:
        """The user left a comment (Enter, focus out): save it; more typing is a new undo step."""
        self.flush_comment()
        self.comment_session += 1

    def comment_pending(self, card: AnnotationCard) -> bool:
        return card is self._comment_card and self.comment_autosave.pending

    def flush_comment(self) -> bool:
        return self.comment_autosave.flush()

    def _save_comment(self) -> bool:
        card = self._comment_card
        if card is None:
            return True
        if self._rebuilding:  # a focus change while cards are replaced: save right after
            QTimer.singleShot(0, self.flush_comment)
            return False
        text = card.comment.text().strip()
        if text == card.annotation.comment:
            return True
        if self.comment_writer is None:
            card.annotation = card.annotation.copy(comment=text)
            self.commentEdited.emit(card.annotation.id, text)
            return True
        stored = self.comment_writer(card.annotation, text)
        if stored is None:
            return False
        card.annotation = stored
        if stored.comment != text:  # merged with a comment written elsewhere
            show_stored_text(card.comment, stored.comment)
        return True

    # ---- the annotations ----------------------------------------------------------------------
    def set_annotations(
        self, annotations: list[Annotation], palette: list[PaletteColor], select: int | None = None
    ) -> None:
        """Show ``annotations`` (reading order, detached ones last); keep the selection."""
        keep = select if select is not None else self.current_id()
        scroll = self.list.verticalScrollBar().value()
        self._rebuilding = True
        try:
            old = {a.id: a for a in self._annotations}
            ordered = in_reading_order(annotations)
            self._annotations = [a for a in ordered if not a.detached] + [
                a for a in ordered if a.detached
            ]
            palette_changed = palette != self._palette
            if palette_changed:
                self._palette = list(palette)
                self._fill_filter()
            meanings = {p.color: p.meaning for p in self._palette}
            self._update_rows(old, meanings, rebuild=palette_changed)
            self._apply_filter()
            self.list.verticalScrollBar().setValue(scroll)
            if keep is not None:
                self.select(keep, scroll=select is not None)
        finally:
            self._rebuilding = False
        n = len(self._annotations)
        self.title.setText(f"<b>Highlights</b> ({n})" if n else "<b>Highlights</b>")
        self.empty.setVisible(n == 0)

    def _update_rows(
        self, old: dict[int, Annotation], meanings: dict[str, str], rebuild: bool
    ) -> None:
        """Change only the rows that changed: one new highlight must not rebuild 500 cards."""
        wanted = [a.id for a in self._annotations]
        wanted_set = set(wanted)
        shown = [self.list.item(i).data(_ID_ROLE) for i in range(self.list.count())]
        shown_set = set(shown)
        typing = self._take_typed_comment()  # its card may go: the typed text is carried over
        if rebuild or [i for i in shown if i in wanted_set] != [
            i for i in wanted if i in shown_set
        ]:
            self.list.clear()  # the order changed (a new PDF version): start again
            old = {}
        for row in reversed(range(self.list.count())):
            if self.list.item(row).data(_ID_ROLE) not in wanted_set:
                self.list.takeItem(row)
        fresh: list[QListWidgetItem] = []
        for row, ann in enumerate(self._annotations):
            item = self.list.item(row)
            if item is None or item.data(_ID_ROLE) != ann.id:
                item = QListWidgetItem()
                item.setData(_ID_ROLE, ann.id)
                self.list.insertItem(row, item)
            elif old.get(ann.id) == ann:
                continue  # unchanged: keep its card
            meaning = meanings.get(ann.color)  # None: a colour outside the palette
            picture = self._picture(ann)
            card = self.list.itemWidget(item)
            if isinstance(card, AnnotationCard):  # changed: the same card shows it
                card.show_annotation(ann, meaning, picture)
            else:
                self.list.setItemWidget(item, AnnotationCard(ann, meaning, self, picture))
            fresh.append(item)
        fit_cards(self.list, fresh)
        if typing is not None:
            self._give_back_typed_comment(*typing)

    def _take_typed_comment(self) -> tuple[int, str, bool] | None:
        """(annotation id, text, had focus) of a comment typed but not saved yet, if any."""
        card, self._comment_card = self._comment_card, None
        if card is None or not self.comment_autosave.pending:
            return None
        return card.annotation.id, card.comment.text(), card.comment.hasFocus()

    def _give_back_typed_comment(self, annotation_id: int, text: str, focused: bool) -> None:
        card = self.card(annotation_id)
        if card is None:  # deleted elsewhere: the words are shown, not silently dropped
            self.comment_autosave.discard()
            self.notice.emit(
                f"The annotation you were commenting on was deleted elsewhere; your comment "
                f"was: “{text.strip()}”."
            )
            return
        self._comment_card = card
        if card.comment.text() != text:
            card.comment.setText(text)
        if focused and not card.comment.hasFocus():
            card.comment.setFocus()

    def annotations(self) -> list[Annotation]:
        return list(self._annotations)

    # ---- pictures of areas --------------------------------------------------------------------
    def set_document(self, document: PdfDocument | None) -> None:
        """The open PDF, for the pictures of areas and drawings on their cards."""
        self._document = document
        self._pictures.clear()
        if self._annotations:
            meanings = {p.color: p.meaning for p in self._palette}
            self._update_rows({}, meanings, rebuild=True)
            self._apply_filter()

    def _picture(self, annotation: Annotation) -> QPixmap | None:
        """The part of the page an area (or a drawing) covers, small; None for other kinds."""
        document = self._document
        if (
            document is None
            or document.closed
            or annotation.kind not in PICTURED_KINDS
            or annotation.detached
            or not annotation.rects
        ):
            return None
        key = (annotation.id, annotation.page, tuple(annotation.rects))
        if key not in self._pictures:
            self._pictures[key] = self._render_picture(document, annotation)
        return self._pictures[key]

    def _render_picture(self, document: PdfDocument, annotation: Annotation) -> QPixmap | None:
        page = annotation.page - 1
        if not 0 <= page < document.page_count:
            return None
        width, height = document.page_sizes[page]
        m = THUMBNAIL_MARGIN
        x0 = max(0.0, min(r[0] for r in annotation.rects) - m)
        y0 = max(0.0, min(r[1] for r in annotation.rects) - m)
        x1 = min(width, max(r[2] for r in annotation.rects) + m)
        y1 = min(height, max(r[3] for r in annotation.rects) + m)
        if x1 - x0 < 1 or y1 - y0 < 1:
            return None
        scale = min(THUMBNAIL_SIZE.width() / (x1 - x0), THUMBNAIL_SIZE.height() / (y1 - y0), 2.0)
        dpr = self.devicePixelRatioF()
        try:
            band = document.render_area(page, scale * dpr, (x0, y0, x1, y1))
        except PdfError as exc:
            log.warning("no picture for annotation %s: %s", annotation.id, exc)
            return None
        pixmap = QPixmap.fromImage(band_image(band))  # a copy: the band's buffer may go now
        pixmap.setDevicePixelRatio(dpr)
        return pixmap

    def visible_ids(self) -> list[int]:
        return [
            self.list.item(i).data(_ID_ROLE)
            for i in range(self.list.count())
            if not self.list.item(i).isHidden()
        ]

    def card(self, annotation_id: int) -> AnnotationCard | None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(_ID_ROLE) == annotation_id:
                return self.list.itemWidget(item)  # type: ignore[return-value]
        return None

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(_ID_ROLE) if item is not None else None

    def select(self, annotation_id: int | None, *, scroll: bool = True) -> bool:
        """Make ``annotation_id`` the current row (without moving the viewer)."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(_ID_ROLE) == annotation_id:
                self.list.setCurrentItem(item)
                if scroll:
                    self.list.scrollToItem(item)
                return True
        self.list.setCurrentRow(-1)
        return False

    def edit_comment(self, annotation_id: int) -> None:
        """Put the cursor in an annotation's comment field."""
        if self.select(annotation_id):
            card = self.card(annotation_id)
            if card is not None:
                card.comment.setFocus()
                card.comment.selectAll()

    def _item_clicked(self, item: QListWidgetItem) -> None:
        self.activated.emit(item.data(_ID_ROLE))

    def _delete_current(self) -> None:
        current = self.current_id()
        if current is not None:
            self.deleteRequested.emit(current)

    def _context_menu(self, pos) -> None:
        item = self.list.itemAt(pos)
        if item is None:
            return
        menu = self.menu_for(item.data(_ID_ROLE))
        menu.exec(self.list.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def menu_for(self, annotation_id: int) -> QMenu:
        """Colour, kind, comment and delete for one annotation (also used by the viewer)."""
        menu = QMenu(self)
        colours = menu.addMenu("Colour")
        for p in self._palette:
            colours.addAction(
                swatch(p.color),
                p.meaning,
                lambda c=p.color: self.recolorRequested.emit(annotation_id, c),
            )
        ann = next((a for a in self._annotations if a.id == annotation_id), None)
        if ann is not None and ann.kind.is_text_markup:
            kinds = menu.addMenu("Mark as")
            for kind in (
                AnnotationKind.HIGHLIGHT,
                AnnotationKind.UNDERLINE,
                AnnotationKind.STRIKEOUT,
            ):
                action = kinds.addAction(
                    KIND_LABELS[kind].capitalize(),
                    partial(self.kindRequested.emit, annotation_id, str(kind)),
                )
                action.setCheckable(True)
                action.setChecked(ann.kind is kind)
        menu.addAction("Edit comment", lambda: self.edit_comment(annotation_id))
        menu.addSeparator()
        menu.addAction("Delete", lambda: self.deleteRequested.emit(annotation_id))
        return menu

    # ---- colour filter ------------------------------------------------------------------------
    def _fill_filter(self) -> None:
        current = self.filter.currentData()
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.addItem("All", None)
        self.meanings_menu.clear()
        for p in self._palette:
            self.filter.addItem(swatch(p.color), p.meaning, p.color)
            self.meanings_menu.addAction(
                swatch(p.color),
                f"{p.meaning}…",
                lambda c=p.color: self.meaningRenameRequested.emit(c),
            )
        index = self.filter.findData(current)
        self.filter.setCurrentIndex(max(0, index))
        self.filter.blockSignals(False)

    def set_color_filter(self, color: str | None) -> None:
        self.filter.setCurrentIndex(max(0, self.filter.findData(color)))

    def _apply_filter(self) -> None:
        color = self.filter.currentData()
        by_id = {a.id: a for a in self._annotations}
        for i in range(self.list.count()):
            item = self.list.item(i)
            ann = by_id.get(item.data(_ID_ROLE))
            item.setHidden(color is not None and (ann is None or ann.color != color))
