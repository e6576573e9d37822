"""Every setting the app keeps in the library, declared once with its type and default.

The values live in the library's state table as text; this module is the one place that knows
how each one is written ("1"/"0" for a switch), so callers read and write typed values only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from readerapp.storage.library import ALL_ITEMS

log = logging.getLogger(__name__)

T = TypeVar("T", bool, int, str)


@dataclass(frozen=True, slots=True)
class Setting(Generic[T]):
    """One setting: where it is kept, its type and the value it has until the user changes it."""

    key: str
    kind: type[T]
    default: T

    def decode(self, raw: str | None) -> T:
        """The stored text as a typed value; the default when it was never set or is unreadable."""
        if raw is None or raw == "" and self.kind is not str:
            return self.default
        if self.kind is bool:
            return self.kind(raw == "1")
        if self.kind is int:
            try:
                return self.kind(int(raw))
            except ValueError:
                log.warning(
                    "setting %s holds %r, not a number: using %r", self.key, raw, self.default
                )
                return self.default
        return self.kind(raw)

    def encode(self, value: T) -> str:
        if self.kind is bool:
            return "1" if value else "0"
        return str(value)


class StateStore(Protocol):
    """Where the text of settings is kept (the library's state table)."""

    def get_state(self, key: str, default: str | None = None) -> str | None: ...

    def set_state(self, key: str, value: str) -> None: ...


def read(store: StateStore, setting: Setting[T]) -> T:
    return setting.decode(store.get_state(setting.key))


def write(store: StateStore, setting: Setting[T], value: T) -> None:
    store.set_state(setting.key, setting.encode(value))


# ---- the main window ----------------------------------------------------------------------------
SUBTOPIC_ITEMS = Setting("ui.subtopic_items", bool, False)  # a topic lists its subtopics' items too
WINDOW_GEOMETRY = Setting("ui.geometry", str, "")  # Qt's saveGeometry(), base64
SPLITTER = Setting("ui.splitter", str, "")  # Qt's splitter state, base64
DETAILS_SPLITTER = Setting("ui.details_splitter", str, "")
CURRENT_TOPIC = Setting("ui.topic", int, ALL_ITEMS)
CURRENT_ITEM = Setting("ui.item", int, 0)  # 0: none
EXPANDED_TOPICS = Setting("ui.expanded", str, "")  # a JSON list of topic ids; "" before first close
ITEM_SORT = Setting("ui.sort", str, "")  # JSON [column, Qt sort order]

# ---- features ------------------------------------------------------------------------------------
DOWNLOAD_PDF_ON_ADD = Setting("feeds.download_pdf_on_add", bool, True)
ANNOTATION_COLOR = Setting("annotations.current_color", str, "")  # "": the palette's first colour
ANNOTATION_AUTHOR = Setting("annotations.author", str, "")  # "": the login name
WRITE_LIBRARY_PDF = Setting("annotations.write_library_file", bool, False)  # keep it annotated
NIGHT_KEEPS_IMAGES = Setting("viewer.night_keeps_images", bool, False)  # photos keep their colours
