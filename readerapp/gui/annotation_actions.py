"""Annotations in the main window: every reading tab of an item gets the highlight tools and the
annotation pane; File -> Export Annotated PDF… and the "write into the library's PDFs" setting.
Installed into a MainWindow by :func:`install_annotation_actions`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from readerapp.core.errors import UserError
from readerapp.core.models import Item
from readerapp.gui.pdf_tab import PdfTab
from readerapp.services.settings import FileDialogPurpose

if TYPE_CHECKING:
    from readerapp.gui.annotation_controller import AnnotationController
    from readerapp.gui.main_window import MainWindow
    from readerapp.services.annotations import AnnotationService


class AnnotationActions(QObject):
    """Attaches an :class:`AnnotationController` to each item's reading tab.

    The annotation layer (its service, PDF annotation code and pane) is imported with the first
    item's tab, not with the reading tabs: a PDF opened from outside the library shows without it.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        window.reading_tabs().tabOpened.connect(self.attach)

        self.export_action = QAction("Export Annotated PDF…", window)
        self.export_action.setStatusTip(
            "Save a copy of the PDF with your highlights and notes as real PDF annotations"
        )
        self.export_action.triggered.connect(lambda _checked=False: self.export_current())
        self.write_action = QAction("Write Annotations into Library PDFs", window)
        self.write_action.setCheckable(True)
        self.write_action.setStatusTip(
            "Keep the library's own PDF files annotated too, so other programs see the highlights"
        )
        self.write_action.triggered.connect(
            lambda checked: self.service.set_write_library_file(checked)
        )
        window.file_menu.aboutToShow.connect(self._show_write_setting)
        window.add_file_menu_group(self.export_action, self.write_action)
        for tab in window.reading_tabs().open_tabs():  # opened before these tools were installed
            item = window.library.item(tab.item_id) if tab.item_id is not None else None
            self.attach(tab, item)

    @property
    def service(self) -> AnnotationService:
        return self.window.services.annotations

    def _show_write_setting(self) -> None:
        self.write_action.setChecked(self.service.write_library_file)

    def attach(self, tab: PdfTab, item: Item | None) -> AnnotationController | None:
        if item is None:  # a file from outside: its first highlight offers to add it
            if tab.item_id is None and tab.outside_annotations is None:
                from readerapp.gui.outside_file_annotations import OutsideFileAnnotations

                tab.outside_annotations = OutsideFileAnnotations(self.window, tab)
            return None
        if tab.annotations is not None:
            return None
        from readerapp.gui.annotation_controller import AnnotationController

        bar = self.window.statusBar()
        controller = AnnotationController(
            tab,
            item.id,
            self.service,
            self.window.library,
            self.window.undo_stack,
            lambda sentence: bar.showMessage(sentence, 8000),
            self.window.services.item_edits,
            lambda sentence: bar.clearMessage() if bar.currentMessage() == sentence else None,
        )
        tab.annotations = controller
        tab.annotated_copy = lambda out, item_id=item.id: self.service.export_pdf(item_id, out)

        def show_document() -> None:  # the pane pictures areas from the open PDF
            if tab.view is not None:
                controller.pane.set_document(tab.view.document)

        if tab.view is not None:
            show_document()
        else:
            tab.opened.connect(show_document)
        return controller

    def current_item_id(self) -> int | None:
        """The item of the reading tab in front, else the item selected in the library."""
        widget = self.window.tabs.currentWidget()
        if isinstance(widget, PdfTab):
            return widget.item_id
        return self.window.items.current_item_id()

    def export_current(self, out: str | Path | None = None) -> int | None:
        item_id = self.current_item_id()
        item = self.window.library.item(item_id) if item_id is not None else None
        if item is None or not item.has_pdf:
            self.window.show_error("Select an item with a PDF to export its annotations.")
            return None
        if out is None:
            stem = Path(item.pdf_path or "document.pdf").stem
            choices = self.window.library.file_choices()
            chosen, _ = QFileDialog.getSaveFileName(
                self.window,
                "Export annotated PDF",
                str(choices.folder(FileDialogPurpose.ANNOTATED_PDF) / f"{stem}-annotated.pdf"),
                "PDF (*.pdf)",
            )
            if not chosen:
                return None
            choices.remember(FileDialogPurpose.ANNOTATED_PDF, chosen)
            out = chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf"
        try:
            self.service.import_from_pdf(item.id)  # never export without the file's own ones
            count = self.service.export_pdf(item.id, out)
        except UserError as exc:
            self.window.show_error(str(exc))
            return None
        self.window.statusBar().showMessage(
            f"Wrote {out} with {count} annotation{'s' if count != 1 else ''}.", 8000
        )
        return count


def install_annotation_actions(window: MainWindow) -> AnnotationActions:
    return AnnotationActions(window)
