"""What the viewer remembers between launches: the open reading tabs (each paper keeps its own
place, see storage/reading_position.py), the tab in front, and the night-mode preference."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readerapp.services import settings
from readerapp.storage.files import FileStore
from readerapp.storage.library import LibraryRepository

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class OpenPaper:
    """A reading tab: a library item, or a PDF from outside the library by its full path."""

    item_id: int | None = None
    path: Path | None = None


@dataclass(frozen=True, slots=True)
class Session:
    papers: list[OpenPaper] = field(default_factory=list)
    current: int = -1  # the paper in front (an index into ``papers``); -1: the Library tab


class ViewerState:
    """Reads and writes the viewer's remembered state in the library's state table."""

    def __init__(self, library: LibraryRepository, files: FileStore) -> None:
        self.library = library
        self.files = files

    # ---- the session ----------------------------------------------------------------------------
    def save_session(self, session: Session) -> None:
        data = {
            "papers": [
                {"item": p.item_id} if p.item_id is not None else {"path": str(p.path)}
                for p in session.papers
            ],
            "current": session.current,
        }
        settings.write(self.library, settings.VIEWER_SESSION, json.dumps(data))

    def session(self) -> Session:
        """The tabs open when the app last closed, less those that can no longer open (an item
        deleted since, a file moved away): they are left out, and the one in front follows."""
        raw = settings.read(self.library, settings.VIEWER_SESSION)
        if not raw:
            return Session()
        try:
            data = json.loads(raw)
            saved = [_paper(entry) for entry in data["papers"]]
            current = int(data.get("current", -1))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            log.warning("the saved reading session is unreadable (%s); starting without it", exc)
            return Session()
        papers: list[OpenPaper] = []
        front = -1
        for index, paper in enumerate(saved):
            if paper is None or not self._can_open(paper):
                continue
            if index == current:
                front = len(papers)
            papers.append(paper)
        return Session(papers, front)

    def _can_open(self, paper: OpenPaper) -> bool:
        if paper.item_id is not None:
            item = self.library.item(paper.item_id)
            return bool(item and item.pdf_path and self.files.absolute(item.pdf_path).is_file())
        return paper.path is not None and paper.path.is_file()

    # ---- preferences --------------------------------------------------------------------------
    @property
    def night_keeps_images(self) -> bool:
        """Night mode leaves images (photos, raster figures) in their own colours."""
        return settings.read(self.library, settings.NIGHT_KEEPS_IMAGES)

    def set_night_keeps_images(self, keep: bool) -> None:
        settings.write(self.library, settings.NIGHT_KEEPS_IMAGES, keep)


def _paper(entry: dict[str, Any]) -> OpenPaper | None:
    if "item" in entry:
        return OpenPaper(item_id=int(entry["item"]))
    if entry.get("path"):
        return OpenPaper(path=Path(entry["path"]))
    return None
