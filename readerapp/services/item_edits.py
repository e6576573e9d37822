"""Saving what the user types into an item, checked against the revision the editor loaded.

Every editor (the details pane, a reading tab's notes, the command line) says which version of
the item it started from. When the row moved on meanwhile (an import merged notes, a restore, a
second window), a field only one side changed is simply written; a text both sides changed keeps
both versions (see :mod:`readerapp.core.text_merge`), and a one-line field both sides changed
keeps the user's value and names the other one. Nothing is silently dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from readerapp.core.errors import UserError
from readerapp.core.models import Item
from readerapp.storage.library import LibraryRepository

log = logging.getLogger(__name__)

MERGED_TEXT_FIELDS = frozenset({"notes"})  # long texts: both versions kept
FIELD_NAMES = {"title": "title", "authors": "authors", "year": "year", "venue": "venue"}


class ItemGoneError(UserError):
    """The item was deleted elsewhere while it was being edited."""


@dataclass(frozen=True, slots=True)
class SavedEdit:
    """The item as now stored, and what the user should be told about it."""

    item: Item
    merged_fields: tuple[str, ...] = ()  # texts changed elsewhere too: both versions kept
    notices: tuple[str, ...] = field(default=())

    @property
    def notice(self) -> str:
        return " ".join(self.notices)


class ItemEditService:
    """Writes an editor's changes to an item, refusing to overwrite what the editor never saw."""

    def __init__(self, library: LibraryRepository) -> None:
        self.library = library

    def item(self, item_id: int) -> Item | None:
        return self.library.item(item_id)

    def save(self, seen: Item, **changes: Any) -> SavedEdit:
        """Write ``changes`` made to ``seen`` (the item as the editor last loaded or saved it).

        An item deleted elsewhere meanwhile is put back, so what the user typed is kept with it;
        raises :class:`ItemGoneError` when it is gone for good (purged).
        """
        with self.library.db.transaction():
            current = self.library.item(seen.id)
            put_back = current is None
            if put_back:  # deleted elsewhere (to the trash) while the user was typing in it
                self.library.restore_items([seen.id])
                current = self.library.item(seen.id)
            if current is None:
                raise ItemGoneError(
                    f"“{seen.title}” was deleted elsewhere and cannot be put back; what you "
                    "typed was not saved: copy it from the editor before you switch items."
                )
            writes: dict[str, Any]
            merged: tuple[str, ...]
            notices: tuple[str, ...]
            if current.revision == seen.revision:
                writes, merged, notices = dict(changes), (), ()
            else:
                writes, merged, notices = self._reconcile(seen, current, changes)
            if put_back:
                notices = (
                    f"“{current.title}” had been deleted elsewhere while you were typing in it; "
                    "it is back, with what you typed.",
                    *notices,
                )
            writes = {k: v for k, v in writes.items() if getattr(current, k) != v}
            if writes:
                self.library.update_item(seen.id, **writes)
            stored = self.library.item(seen.id)
        assert stored is not None  # inside the transaction nobody else could delete it
        if merged or notices:
            log.info("item %s changed elsewhere while edited: %s", seen.id, ", ".join(merged))
        return SavedEdit(stored, tuple(merged), tuple(notices))

    def _reconcile(
        self, seen: Item, current: Item, changes: dict[str, Any]
    ) -> tuple[dict[str, Any], tuple[str, ...], tuple[str, ...]]:
        writes: dict[str, Any] = {}
        merged: list[str] = []
        notices: list[str] = []
        when = datetime.now().strftime("%H:%M")
        for name, mine in changes.items():
            base, theirs = getattr(seen, name), getattr(current, name)
            if theirs in (base, mine):
                writes[name] = mine
            elif mine == base:
                continue  # the user did not touch it here: what is stored stays
            elif name in MERGED_TEXT_FIELDS:
                from readerapp.core.text_merge import merge_text  # difflib: only when merging

                result = merge_text(base, mine, theirs, when=when)
                writes[name] = result.text
                if result.conflict:
                    merged.append(name)
                    notices.append(
                        f"The notes of “{current.title}” were also changed elsewhere; both "
                        "versions are kept (the other one is marked below yours)."
                    )
            else:
                writes[name] = mine
                shown = ", ".join(theirs) if isinstance(theirs, list) else theirs
                notices.append(
                    f"The {FIELD_NAMES.get(name, name)} had been changed elsewhere to “{shown}”; "
                    "yours was saved over it."
                )
        return writes, tuple(merged), tuple(notices)
