"""Undoable library edits (Ctrl+Z / Ctrl+Shift+Z) on the window's QUndoStack.

Each command is performed once *before* it is pushed (see qt/done_command.py), so a refused edit
(a duplicate name, a move into itself) raises a sentence for the user instead of entering the stack.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from readerapp.qt.done_command import DoneCommand
from readerapp.services.library import LibraryService, TopicSnapshot


class _LibraryCommand(DoneCommand):
    def __init__(self, text: str, library: LibraryService, on_change: Callable[[], None]):
        super().__init__(text)
        self.library = library
        self.on_change = on_change

    def redone(self, first: bool) -> None:
        self.on_change()

    def undone(self) -> None:
        self.on_change()


class CreateTopic(_LibraryCommand):
    def __init__(self, library, on_change, name: str, parent_id: int | None) -> None:
        super().__init__(f"New topic “{name}”", library, on_change)
        self.name, self.parent_id = name, parent_id
        self.snapshot: TopicSnapshot | None = None
        self.topic_id = library.create_topic(name, parent_id).id

    def do(self) -> None:
        assert self.snapshot is not None
        self.library.restore_topics(self.snapshot)

    def revert(self) -> None:
        self.snapshot = self.library.delete_topic(self.topic_id)


class RenameTopic(_LibraryCommand):
    def __init__(self, library, on_change, topic_id: int, new_name: str) -> None:
        topic = library.topic(topic_id)
        self.old_name = topic.name if topic else ""
        super().__init__(f"Rename topic “{self.old_name}”", library, on_change)
        self.topic_id, self.new_name = topic_id, new_name
        library.rename_topic(topic_id, new_name)

    def do(self) -> None:
        self.library.rename_topic(self.topic_id, self.new_name)

    def revert(self) -> None:
        self.library.rename_topic(self.topic_id, self.old_name)


class MoveTopic(_LibraryCommand):
    def __init__(self, library, on_change, topic_id: int, parent_id: int | None, position: int):
        topic = library.topic(topic_id)
        super().__init__(f"Move topic “{topic.name if topic else ''}”", library, on_change)
        self.topic_id = topic_id
        self.old = (topic.parent_id, topic.position) if topic else (None, 0)
        self.new = (parent_id, position)
        library.move_topic(topic_id, parent_id, position)

    def do(self) -> None:
        self.library.move_topic(self.topic_id, *self.new)

    def revert(self) -> None:
        self.library.move_topic(self.topic_id, *self.old)


class DeleteTopic(_LibraryCommand):
    def __init__(self, library, on_change, topic_id: int) -> None:
        topic = library.topic(topic_id)
        super().__init__(f"Delete topic “{topic.name if topic else ''}”", library, on_change)
        self.topic_id = topic_id
        self.snapshot = library.delete_topic(topic_id)

    def do(self) -> None:
        self.snapshot = self.library.delete_topic(self.topic_id)

    def revert(self) -> None:
        self.library.restore_topics(self.snapshot)


class TrashItems(_LibraryCommand):
    def __init__(self, library, on_change, item_ids: list[int]) -> None:
        n = len(item_ids)
        super().__init__(f"Delete {n} item{'s' if n != 1 else ''}", library, on_change)
        self.item_ids = list(item_ids)
        library.trash_items(self.item_ids)

    def do(self) -> None:
        self.library.trash_items(self.item_ids)

    def revert(self) -> None:
        self.library.restore_items(self.item_ids)


class FileItems(_LibraryCommand):
    """File items under a topic; undo removes only the filings this command added."""

    def __init__(self, library, on_change, item_ids: list[int], topic_id: int) -> None:
        topic = library.topic(topic_id)
        super().__init__(f"File under “{topic.name if topic else ''}”", library, on_change)
        self.topic_id = topic_id
        already = set(library.topic_item_ids(topic_id))
        self.added = [i for i in item_ids if i not in already]
        library.file_items(self.added, topic_id)

    def do(self) -> None:
        self.library.file_items(self.added, self.topic_id)

    def revert(self) -> None:
        self.library.unfile_items(self.added, self.topic_id)


class UnfileItems(_LibraryCommand):
    """Remove items from one topic; the items stay in the library and their other topics."""

    def __init__(self, library, on_change, item_ids: list[int], topic_id: int) -> None:
        topic = library.topic(topic_id)
        super().__init__(f"Remove from “{topic.name if topic else ''}”", library, on_change)
        self.item_ids, self.topic_id = list(item_ids), topic_id
        library.unfile_items(self.item_ids, topic_id)

    def do(self) -> None:
        self.library.unfile_items(self.item_ids, self.topic_id)

    def revert(self) -> None:
        self.library.file_items(self.item_ids, self.topic_id)


class EditItem(_LibraryCommand):
    """An edit of an item's fields made already (in the details pane); undo puts the old values
    back."""

    MERGE_ID = 0x1D17  # QUndoCommand.id(): consecutive saves of one field merge

    def __init__(self, library, on_change, item_id: int, old: dict, new: dict) -> None:
        super().__init__(f"Edit {', '.join(new)}", library, on_change)
        self.item_id, self.old, self.new = item_id, dict(old), dict(new)

    def redone(self, first: bool) -> None:
        if not first:  # the push: saved already, and the pane shows it; no reload while typing
            self.on_change()

    def id(self) -> int:
        return self.MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt's name)
        """The saves of one stretch of typing in a field (every second or so) are one step."""
        if not isinstance(other, EditItem) or other.item_id != self.item_id:
            return False
        if set(other.new) != set(self.new):
            return False
        self.new.update(other.new)
        return True

    def do(self) -> None:
        self.library.update_item(self.item_id, **self.new)

    def revert(self) -> None:
        self.library.update_item(self.item_id, **self.old)
