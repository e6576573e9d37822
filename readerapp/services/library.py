"""The library as the GUI and the CLI see it: topics, items, their filing, settings, reading places.

The one door to the library's tables: ``gui/``, ``qt/`` and ``commands/`` call this service and
never the repository, so a rule about topics or items has one home.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readerapp.core.models import Item, Topic
from readerapp.services.settings import StoredValue, V, read, write
from readerapp.storage.library import (
    ALL_ITEMS,
    UNFILED,
    ItemRow,
    LibraryRepository,
    TopicError,
    TopicSnapshot,
)
from readerapp.storage.reading_position import ReadingPosition, load_position, save_position

if TYPE_CHECKING:  # made on demand: a launch need not load them (text merging, dialogs)
    from readerapp.services.file_choices import FileChoices
    from readerapp.services.item_edits import ItemEditService

__all__ = [
    "ALL_ITEMS",
    "UNFILED",
    "ItemRow",
    "LibraryService",
    "ReadingPosition",
    "TopicError",
    "TopicSnapshot",
]


class LibraryService:
    """Topics, items, notes and statuses (item fields), typed settings and reading positions."""

    def __init__(self, repository: LibraryRepository) -> None:
        self._repo = repository

    # ---- topics ---------------------------------------------------------------------------------
    def topics(self) -> list[Topic]:
        return self._repo.topics()

    def topic(self, topic_id: int) -> Topic | None:
        return self._repo.topic(topic_id)

    def create_topic(self, name: str, parent_id: int | None = None) -> Topic:
        return self._repo.create_topic(name, parent_id)

    def rename_topic(self, topic_id: int, name: str) -> None:
        self._repo.rename_topic(topic_id, name)

    def move_topic(
        self, topic_id: int, new_parent_id: int | None, position: int | None = None
    ) -> None:
        self._repo.move_topic(topic_id, new_parent_id, position)

    def delete_topic(self, topic_id: int) -> TopicSnapshot:
        """Delete a topic and its subtree; the snapshot puts them back (undo)."""
        return self._repo.delete_topic(topic_id)

    def restore_topics(self, snapshot: TopicSnapshot) -> None:
        self._repo.restore_topics(snapshot)

    def subtree_ids(self, topic_id: int) -> list[int]:
        return self._repo.subtree_ids(topic_id)

    def topic_path(self, topic_id: int) -> str:
        return self._repo.topic_path(topic_id)

    def topic_paths(self) -> dict[int, str]:
        return self._repo.topic_paths()

    def find_topic(self, path: str) -> Topic | None:
        return self._repo.find_topic(path)

    def require_topic(self, path: str) -> Topic:
        """The topic at ``path``; raises TopicError with a sentence when there is none."""
        return self._repo.require_topic(path)

    def ensure_topic(self, path: str) -> Topic:
        return self._repo.ensure_topic(path)

    def topic_counts(self) -> dict[int, int]:
        return self._repo.topic_counts()

    def subtree_counts(self) -> dict[int, int]:
        return self._repo.subtree_counts()

    # ---- items ----------------------------------------------------------------------------------
    def add_item(self, title: str, topic_ids: Iterable[int] = (), **fields: Any) -> Item:
        return self._repo.add_item(title, topic_ids, **fields)

    def item(self, item_id: int) -> Item | None:
        return self._repo.item(item_id)

    def items(self, scope: int = ALL_ITEMS, *, with_subtopics: bool = False) -> list[Item]:
        return self._repo.items(scope, with_subtopics=with_subtopics)

    def item_rows(
        self,
        scope: int = ALL_ITEMS,
        *,
        sort: str | None = None,
        descending: bool = False,
        limit: int | None = None,
        with_subtopics: bool = False,
    ) -> list[ItemRow]:
        return self._repo.item_rows(
            scope, sort=sort, descending=descending, limit=limit, with_subtopics=with_subtopics
        )

    def item_count(self, scope: int = ALL_ITEMS, *, with_subtopics: bool = False) -> int:
        return self._repo.item_count(scope, with_subtopics=with_subtopics)

    def update_item(self, item_id: int, **fields: Any) -> None:
        """Write item fields (title, notes, status, ...) as they are, without a revision check."""
        self._repo.update_item(item_id, **fields)

    def trash_items(self, item_ids: Sequence[int]) -> None:
        self._repo.trash_items(item_ids)

    def restore_items(self, item_ids: Sequence[int]) -> None:
        self._repo.restore_items(item_ids)

    def find_by_arxiv_id(self, arxiv_id: str) -> Item | None:
        return self._repo.find_by_arxiv_id(arxiv_id)

    def find_by_url(self, url: str) -> Item | None:
        return self._repo.find_by_url(url)

    def file_items(self, item_ids: Sequence[int], topic_id: int) -> int:
        return self._repo.file_items(item_ids, topic_id)

    def unfile_items(self, item_ids: Sequence[int], topic_id: int) -> None:
        self._repo.unfile_items(item_ids, topic_id)

    def item_topic_ids(self, item_id: int) -> list[int]:
        return self._repo.item_topic_ids(item_id)

    def topic_item_ids(self, topic_id: int) -> list[int]:
        return self._repo.topic_item_ids(topic_id)

    def item_topic_paths(self, item_id: int, paths: dict[int, str] | None = None) -> list[str]:
        return self._repo.item_topic_paths(item_id, paths)

    def is_empty(self) -> bool:
        return self._repo.is_empty()

    # ---- citations (item_refs loads bibtexparser and markdown-it: only when one is copied) ------
    def plain_citations(self, item_ids: list[int]) -> str:
        from readerapp.services import item_refs

        return item_refs.plain_citations(self._repo, item_ids)

    def citation_key_text(self, item_ids: list[int]) -> str:
        from readerapp.services import item_refs

        return item_refs.citation_key_text(self._repo, item_ids)

    def bibtex_text(self, item_ids: list[int]) -> str:
        from readerapp.services import item_refs

        return item_refs.bibtex_text(self._repo, item_ids)

    # ---- settings and remembered places -------------------------------------------------------------
    def setting(self, setting: StoredValue[V]) -> V:
        return read(self._repo, setting)

    def set_setting(self, setting: StoredValue[V], value: V) -> None:
        write(self._repo, setting, value)

    def reading_position(self, paper: int | Path) -> ReadingPosition | None:
        """Where the reader left a library item (by id) or an outside PDF (by path), if anywhere."""
        return load_position(self._repo, paper)

    def save_reading_position(self, paper: int | Path, position: ReadingPosition) -> None:
        save_position(self._repo, paper, position)

    def item_edits(self) -> ItemEditService:
        """Edits of an item checked against the revision its editor showed."""
        from readerapp.services.item_edits import ItemEditService

        return ItemEditService(self._repo)

    def file_choices(self, home: Path | None = None) -> FileChoices:
        """The folders and formats the user last chose in file dialogs."""
        from readerapp.services.file_choices import FileChoices

        return FileChoices(self._repo, home)
