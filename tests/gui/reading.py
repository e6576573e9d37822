"""A library item's reading tab with its highlight tools, as the main window makes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtGui import QUndoStack

from readerapp.app import Services
from readerapp.core.annotation import Annotation
from readerapp.gui.annotation_controller import AnnotationController
from readerapp.gui.pdf_tab import PdfTab
from tests.annotation_helpers import add_pdf_item, line_rects


@dataclass
class Reading:
    tab: PdfTab
    controller: AnnotationController
    stack: QUndoStack
    item_id: int
    pdf: Path
    messages: list[str] = field(default_factory=list)

    def highlight(self, text: str, page: int = 0, **fields) -> Annotation:
        """Highlight ``text`` on ``page`` (0-based) through the service; the tab shows it."""
        rects = line_rects(self.pdf, page, text)
        made = self.controller.service.create_text(self.item_id, page, rects, text, **fields)
        self.controller.reload()
        return made


def open_reading_tab(qtbot, services: Services, pdf: Path, size=(1100, 800)) -> Reading:
    item_id = add_pdf_item(services, pdf)
    path = services.annotations.pdf_path(item_id)
    tab = PdfTab(path, title="Sparse features", item_id=item_id, library=services.library)
    qtbot.addWidget(tab)
    stack = QUndoStack(tab)
    messages: list[str] = []
    controller = AnnotationController(
        tab, item_id, services.annotations, services.library, stack, messages.append
    )
    tab.resize(*size)
    tab.show()
    qtbot.waitExposed(tab)
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)  # its shortcuts (H, 1-6) go to the active window
    return Reading(tab, controller, stack, item_id, pdf, messages)
