"""The item list's context menu entries for reaching an item elsewhere: its link, its file in
the file manager, and copies of its citation, citation key, BibTeX and arXiv/DOI links."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QProcess, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMenu

from readerapp.core.errors import UserError
from readerapp.services import item_refs

if TYPE_CHECKING:
    from readerapp.gui.main_window import MainWindow


class ItemMenu:
    """Fills the item list's context menu for ``window`` (its library and its link opener)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def add_open_actions(self, menu: QMenu, ids: list[int]) -> None:
        item = self.window.library.item(ids[0]) if len(ids) == 1 else None
        if item is None:
            return
        links = item_refs.item_links(item)
        if links.page:
            # Through the window's one opener, so its check of the link's scheme applies.
            menu.addAction("Open Link", lambda: self.window.open_url(links.page))
        if item.has_pdf:
            menu.addAction("Show File in Folder", lambda: self.show_file(item.id))

    def add_copy_actions(self, menu: QMenu, ids: list[int]) -> None:
        library = self.window.library
        many = "s" if len(ids) > 1 else ""
        menu.addAction(
            f"Copy Citation{many}",
            lambda: self.copy(library.plain_citations(ids), "citation" + many),
        )
        menu.addAction(
            f"Copy Citation Key{many}",
            lambda: self.copy(library.citation_key_text(ids), "citation key" + many),
        )
        menu.addAction(
            "Copy BibTeX", lambda: self.copy(library.bibtex_text(ids), "BibTeX")
        )
        items = [item for i in ids if (item := library.item(i)) is not None]
        arxiv = [links.arxiv for links in map(item_refs.item_links, items) if links.arxiv]
        doi = [links.doi for links in map(item_refs.item_links, items) if links.doi]
        if arxiv:
            menu.addAction(
                f"Copy arXiv Link{'s' if len(arxiv) > 1 else ''}",
                lambda: self.copy("\n".join(arxiv), "arXiv link" + ("s" if len(arxiv) > 1 else "")),
            )
        if doi:
            menu.addAction(
                f"Copy DOI Link{'s' if len(doi) > 1 else ''}",
                lambda: self.copy("\n".join(doi), "DOI link" + ("s" if len(doi) > 1 else "")),
            )

    def copy(self, text: str, what: str) -> None:
        QApplication.clipboard().setText(text)
        self.window.statusBar().showMessage(f"Copied the {what}.", 5000)

    def show_file(self, item_id: int) -> None:
        """The PDF's folder in the file manager, with the file selected where the system can."""
        item = self.window.library.item(item_id)
        if item is None:
            return
        try:
            path = item_refs.pdf_file(self.window.services.files, item)
        except UserError as exc:
            self.window.show_error(str(exc))
            return
        if not reveal_in_file_manager(path):
            self.window.statusBar().showMessage(f"Could not open the folder {path.parent}.", 8000)


def reveal_in_file_manager(path: Path) -> bool:
    """Show ``path`` in the system's file manager: selected on Windows and macOS, its folder
    opened elsewhere (Linux file managers have no common way to select a file)."""
    if sys.platform == "win32":
        return QProcess.startDetached("explorer.exe", [f"/select,{path}"])[0]
    if sys.platform == "darwin":
        return QProcess.startDetached("open", ["-R", str(path)])[0]
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
