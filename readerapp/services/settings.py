"""Every setting and remembered state the app keeps in the library, declared once with its type
and default.

The values live in the library's state table as text; this module is the one place that knows
each one's key and how it is written ("1"/"0" for a switch, ISO text for a time), so callers read
and write typed values only and never spell a key.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Generic, Protocol, TypeVar

from readerapp.storage.library import ALL_ITEMS

log = logging.getLogger(__name__)

T = TypeVar("T", bool, int, str)
V = TypeVar("V")

TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # UTC, to the second: how every stored time is written


class StoredValue(Protocol[V]):
    """A declared value in the state table: its key and its text form both ways."""

    @property
    def key(self) -> str: ...

    def decode(self, raw: str | None) -> V: ...

    def encode(self, value: V) -> str: ...


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


@dataclass(frozen=True, slots=True)
class MomentSetting:
    """A point in time, kept as UTC text; None until it is first written (or when unreadable)."""

    key: str

    def decode(self, raw: str | None) -> datetime | None:
        if not raw:
            return None
        try:
            return datetime.strptime(raw, TIME_FORMAT).replace(tzinfo=UTC)
        except ValueError:
            log.warning("setting %s holds %r, not a time: taken as never", self.key, raw)
            return None

    def encode(self, value: datetime | None) -> str:
        return value.astimezone(UTC).strftime(TIME_FORMAT) if value is not None else ""


class StateStore(Protocol):
    """Where the text of settings is kept (the library's state table)."""

    def get_state(self, key: str, default: str | None = None) -> str | None: ...

    def set_state(self, key: str, value: str) -> None: ...


def read(store: StateStore, setting: StoredValue[V]) -> V:
    return setting.decode(store.get_state(setting.key))


def write(store: StateStore, setting: StoredValue[V], value: V) -> None:
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

# ---- file dialogs: each opens in the folder, and with the format, its purpose last used -----------
class FileDialogPurpose(StrEnum):
    ADD_PDF = "add-pdf"
    IMPORT = "import"
    EXPORT = "export"
    ANNOTATED_PDF = "annotated-pdf"


def dialog_folder(purpose: FileDialogPurpose) -> Setting[str]:
    return Setting(f"ui.folder.{purpose}", str, "")  # "": the home folder


def dialog_format(purpose: FileDialogPurpose) -> Setting[str]:
    return Setting(f"ui.format.{purpose}", str, "")  # "": the dialog's own default


# ---- the reader ----------------------------------------------------------------------------------
# The reading tabs open at the last close: JSON {"papers": [{"item": id} | {"path": p}], "current": i}
VIEWER_SESSION = Setting("viewer.session", str, "")

# ---- arXiv ---------------------------------------------------------------------------------------
ARXIV_BLOCKED_UNTIL = MomentSetting("arxiv.blocked_until")  # no arXiv traffic before it (a 403)
LAST_VERSION_CHECK = MomentSetting("arxiv.last_version_check")  # the last batched version check

# ---- features ------------------------------------------------------------------------------------
DOWNLOAD_PDF_ON_ADD = Setting("feeds.download_pdf_on_add", bool, True)
ANNOTATION_COLOR = Setting("annotations.current_color", str, "")  # "": the palette's first colour
ANNOTATION_AUTHOR = Setting("annotations.author", str, "")  # "": the login name
WRITE_LIBRARY_PDF = Setting("annotations.write_library_file", bool, False)  # keep it annotated
NIGHT_KEEPS_IMAGES = Setting("viewer.night_keeps_images", bool, False)  # photos keep their colours
