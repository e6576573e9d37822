"""Ctrl+K: search the whole library as you type, over the main window.

Queries run on a worker thread with a database connection of its own (debounced; a newer query
drops the answer to an older one). Choosing an item selects it in the library; choosing a PDF
page opens the paper at that page with the words marked; choosing a highlight opens it there.
"""

from __future__ import annotations

import html
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QAbstractTextDocumentLayout, QKeyEvent, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from readerapp.gui.empty_state import EmptyStateHint
from readerapp.gui.typed_widgets import application, child_items, named, top_level_items
from readerapp.qt.shown_as_written import plain_text
from readerapp.qt.tasks import TaskRunner
from readerapp.services.search import (
    MARK_CLOSE,
    MARK_OPEN,
    Hit,
    SearchResults,
    SearchService,
)

if TYPE_CHECKING:
    from readerapp.gui.main_window import MainWindow

DEBOUNCE_MS = 120
RESULT_LIMIT = 30
HIT_ROLE = Qt.ItemDataRole.UserRole
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
PLACEHOLDER = (
    'Search titles, authors, notes, highlights and PDF text — "phrase", pre*, '
    "author:, topic:, status:, has:pdf, year:"
)
_FIELD_LABELS = {
    "title": "title",
    "authors": "authors",
    "abstract": "abstract",
    "notes": "notes",
    "highlight": "highlight",
    "comment": "comment",
}


def snippet_html(hit: Hit) -> str:
    """The snippet as HTML with its matches in bold (user text is escaped first)."""
    text = html.escape(hit.snippet).replace(MARK_OPEN, "<b>").replace(MARK_CLOSE, "</b>")
    if hit.field == "pdf":
        where = f"page {hit.page}"
    elif hit.field in ("highlight", "comment") and hit.page:
        where = f"{hit.field}, page {hit.page}"
    else:
        where = _FIELD_LABELS.get(hit.field, hit.field)
    return f'<span style="color:gray">{where}:</span> {text}'


def first_match(hit: Hit) -> str:
    """The first marked words of a snippet: what to find and mark in the open PDF."""
    start = hit.snippet.find(MARK_OPEN)
    end = hit.snippet.find(MARK_CLOSE, start + 1)
    return hit.snippet[start + 1 : end] if 0 <= start < end else ""


class _HtmlDelegate(QStyledItemDelegate):
    """Rows are small pieces of HTML: a bold title, a snippet with bold matches."""

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(2)
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        if option.state & QStyle.StateFlag.State_Selected:  # grey is unreadable on the highlight
            text = text.replace("color:gray", "color:inherit")
        doc.setHtml(text)
        doc.setTextWidth(max(100, option.rect.width()))
        return doc

    def paint(self, painter, option, index) -> None:  # noqa: D102 (Qt override)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        context = QAbstractTextDocumentLayout.PaintContext()
        if opt.state & QStyle.StateFlag.State_Selected:
            color = opt.palette.color(QPalette.ColorRole.HighlightedText)
            context.palette.setColor(QPalette.ColorRole.Text, color)
        painter.save()
        painter.translate(opt.rect.topLeft())
        painter.setClipRect(QRect(0, 0, opt.rect.width(), opt.rect.height()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 (Qt naming)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        if opt.rect.width() <= 0 and opt.widget is not None:
            opt.rect.setWidth(opt.widget.width() - 40)
        doc = self._document(opt, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()))


class SearchPopup(QFrame):
    """The search field and its results, shown over the top of the main window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.main = window
        self.setObjectName("searchPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.field = named(QLineEdit(self, clearButtonEnabled=True), "searchField")
        self.field.setPlaceholderText(PLACEHOLDER)
        self.results = named(QTreeWidget(self), "searchResults")
        self.results.setHeaderHidden(True)
        self.results.setRootIsDecorated(False)
        self.results.setIndentation(16)
        self.results.setUniformRowHeights(False)
        self.results.setWordWrap(True)
        self.results.setItemDelegate(_HtmlDelegate(self.results))
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay in the field
        self.message = plain_text(named(QLabel(self, wordWrap=True), "searchMessage"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.field)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.message)

        self.last_results: SearchResults | None = None
        self.no_results_hint = EmptyStateHint(self.results, self._no_results_text)
        self._generation = 0
        self._shown_generation = 0
        self._runner = TaskRunner("search", 1, self)
        self._worker: SearchService | None = None
        self._lock = threading.Lock()
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._run)
        self.field.textChanged.connect(lambda _text: self._timer.start())
        self.field.installEventFilter(self)
        self.results.itemActivated.connect(lambda item, _col: self.choose(item))
        self.results.itemClicked.connect(lambda item, _col: self.choose(item))
        window.installEventFilter(self)
        application().focusChanged.connect(self._focus_changed)
        self.hide()

    # ---- showing ------------------------------------------------------------------------------
    def open(self) -> None:
        """Show the popup with the field focused and its text selected (Ctrl+K)."""
        self._place()
        self.show()
        self.raise_()
        self.field.setFocus()
        self.field.selectAll()

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        """A click or Tab elsewhere in the window puts the popup away, as menus do."""
        if (
            self.isVisible()
            and old is self.field
            and new is not None
            and not self.isAncestorOf(new)
        ):
            self.hide()

    def _place(self) -> None:
        central = self.main.centralWidget()
        if central is None:  # the window is being built
            return
        area = central.geometry()
        width = min(760, max(360, area.width() - 80))
        height = min(560, max(240, area.height() - 60))
        self.setGeometry(area.x() + (area.width() - width) // 2, area.y() + 12, width, height)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        if watched is self.main and event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        elif watched is self.field and event.type() == QEvent.Type.KeyPress:
            return self._key(event)  # type: ignore[arg-type]
        return False

    def _key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.hide()
            self.main.setFocus()
            return True
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self._move(1 if key == Qt.Key.Key_Down else -1)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self._timer.isActive() or self._shown_generation != self._generation:
                self._timer.stop()
                self._run(choose_first=True)  # Enter before the results came: take the best
            else:
                current = self.results.currentItem() or self.results.topLevelItem(0)
                if current is not None:
                    self.choose(current)
            return True
        return False

    def _move(self, step: int) -> None:
        rows: list[QTreeWidgetItem] = []
        for top in top_level_items(self.results):
            rows.append(top)
            rows.extend(child_items(top))
        if not rows:
            return
        current = self.results.currentItem()
        index = rows.index(current) + step if current in rows else 0
        self.results.setCurrentItem(rows[max(0, min(len(rows) - 1, index))])

    # ---- querying -----------------------------------------------------------------------------
    def _service(self) -> SearchService:
        with self._lock:
            if self._worker is None:
                self._worker = self.main.services.search.worker_copy()
            return self._worker

    def _run(self, choose_first: bool = False) -> None:
        self._generation += 1
        generation = self._generation
        text = self.field.text()
        if not text.strip():
            self._show(generation, SearchResults(query=text), False)
            return

        def job() -> SearchResults:
            return self._service().search(text, limit=RESULT_LIMIT, prefix_last=True)

        self._runner.submit(
            job,
            lambda results: self._show(generation, results, choose_first),
            lambda exc: self._failed(generation, exc),
        )

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.message.setText(str(exc) or "The search could not be run; try again.")

    def _show(self, generation: int, results: SearchResults, choose_first: bool) -> None:
        if generation != self._generation:
            return  # the user typed on; a newer answer is coming
        self._shown_generation = generation
        self.last_results = results
        self.results.clear()
        for result in results.items:
            title = html.escape(result.title or "(untitled)")
            byline = ", ".join(result.authors.split(", ")[:3])
            if len(result.authors.split(", ")) > 3:
                byline += " et al."
            year = f" · {result.year}" if result.year else ""
            top = QTreeWidgetItem(
                [f'<b>{title}</b> <span style="color:gray">{html.escape(byline)}{year}</span>']
            )
            top.setData(0, ITEM_ROLE, result.item_id)
            self.results.addTopLevelItem(top)
            for hit in result.hits:
                if hit.field in ("filters", "title"):  # the row above already shows the title
                    continue
                child = QTreeWidgetItem([snippet_html(hit)])
                child.setData(0, ITEM_ROLE, result.item_id)
                child.setData(0, HIT_ROLE, hit)
                top.addChild(child)
            if result.pdf_note:
                note = QTreeWidgetItem(
                    [f'<i style="color:gray">{html.escape(result.pdf_note)}</i>']
                )
                note.setData(0, ITEM_ROLE, result.item_id)
                top.addChild(note)
            top.setExpanded(True)
        first = self.results.topLevelItem(0)
        if first is not None:
            self.results.setCurrentItem(first)
        self.message.setText(self._message(results))
        self.no_results_hint.update()
        if choose_first and first is not None:
            self.choose(first)

    def _no_results_text(self) -> str:
        """What the empty results list suggests once a search found nothing."""
        results = self.last_results
        if results is None or not results.query.strip() or results.items or results.problems:
            return ""
        return (
            f"Nothing matches “{results.query.strip()}”.\n\nTry fewer or shorter words, word* "
            "for words that start so, or a filter: author:name, topic:name, year:2023, "
            "status:to-read, has:pdf."
        )

    def _message(self, results: SearchResults) -> str:
        if results.problems:
            return " ".join(results.problems)
        if not results.query.strip():
            return ""
        if not results.items:
            text = f"Nothing matches “{results.query.strip()}”."
        else:
            n = len(results.items)
            text = f"{n} item{'s' if n != 1 else ''}" + (
                " (the best shown)" if n >= RESULT_LIMIT else ""
            )
        indexer = self.main.search_ui.indexer if self.main.search_ui is not None else None
        waiting = indexer.pending_count if indexer is not None else 0
        if waiting:
            text += f" · reading the text of {waiting} PDF{'s' if waiting != 1 else ''}…"
        return text

    # ---- choosing -----------------------------------------------------------------------------
    def choose(self, row: QTreeWidgetItem) -> None:
        item_id = row.data(0, ITEM_ROLE)
        hit = row.data(0, HIT_ROLE)
        if item_id is None:
            return
        self.hide()
        self.go_to(int(item_id), hit if isinstance(hit, Hit) else None)

    def go_to(self, item_id: int, hit: Hit | None = None) -> None:
        """Select the item; for a PDF-text or highlight hit, open the paper right there."""
        window = self.main
        item = window.library.item(item_id)
        if item is None:
            window.statusBar().showMessage("That item is no longer in the library.", 6000)
            return
        window.select_item(item_id)
        if hit is None or hit.field not in ("pdf", "highlight", "comment") or not item.has_pdf:
            return
        tab = window.open_pdf_item(item)
        if tab is None or tab.view is None:
            return  # a sentence was shown, or a password is being asked for
        if hit.field == "pdf":
            tab.view.go_to((hit.page or 1) - 1)
            words = first_match(hit)
            if words:
                tab.find_text(words)  # marks every match; the first from this page on is current
            return
        if hit.page:
            tab.view.go_to(hit.page - 1)  # a detached highlight at least shows its page
        controller = tab.annotations
        if controller is not None and hit.annotation_id is not None:
            controller.reveal(hit.annotation_id)  # scrolls to it and flashes it

    def close_worker(self) -> None:
        self._generation += 1
        self._runner.wait()
        with self._lock:
            if self._worker is not None:
                self._worker.close()
                self._worker = None
