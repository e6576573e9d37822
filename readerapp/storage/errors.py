"""Storage failures, each carrying a sentence a user understands.

The GUI shows ``str(error)`` as it is (a dialog or the status bar) and the CLI prints it; code that
must react to the cause (keep unsaved text and retry once space returns) tests the subclass.
"""

import shlex
from pathlib import PurePath

from readerapp.core.errors import UserError


class StorageError(UserError):
    """A storage problem the user must be told about; str() is the sentence."""

    @property
    def sentence(self) -> str:
        """The one sentence to show the user (the same as ``str()``)."""
        return str(self)


class NotADatabaseError(StorageError):
    """The file at the database path is not an SQLite database; it was left untouched."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"The file {path} is not a readerapp library (it is not an SQLite database). "
            "It was left untouched; move it aside to start a new library there."
        )
        self.path = path


class ForeignDatabaseError(NotADatabaseError):
    """An SQLite database of another program sits at the library path; it was not touched."""

    def __init__(self, path: str) -> None:
        StorageError.__init__(
            self,
            f"The file {path} is an SQLite database of another program, not a readerapp "
            "library. It was left untouched; move it aside to start a new library there, or "
            "choose another folder with --home.",
        )
        self.path = path


def restore_command(library_root: str | PurePath, backup: str | PurePath) -> str:
    """The command that restores ``backup`` into the library at ``library_root``, spelled out
    with its --home so that it restores this library whichever one is the default."""
    home = shlex.quote(str(library_root))
    return f"readerapp --home {home} restore {shlex.quote(PurePath(backup).name)}"


class DamagedDatabaseError(StorageError):
    """The library failed SQLite's integrity check; it was not opened (nor changed)."""

    def __init__(self, path: str, detail: str, newest_backup: str | None = None) -> None:
        offer = (
            " Restore the newest good backup with "
            f"`{restore_command(PurePath(path).parent, newest_backup)}` "
            "(the damaged file is kept beside it)."
            if newest_backup
            else " No good backup was found in its backups folder."
        )
        super().__init__(f"The library {path} is damaged ({detail}); it was not opened.{offer}")
        self.path = path
        self.detail = detail
        self.newest_backup = newest_backup


class NewerSchemaError(StorageError):
    """The database was written by a newer readerapp; we refuse to touch it."""

    def __init__(self, path: str, found: int, supported: int) -> None:
        super().__init__(
            f"The library {path} was made by a newer version of readerapp (schema {found}; "
            f"this version understands up to {supported}). Please update readerapp; "
            "the library was not changed."
        )


class LibraryUnavailableError(StorageError):
    """The data dir cannot be written (read-only, full) or the database is locked."""


class DiskFullError(LibraryUnavailableError):
    """The disk holding the library is full; the write was rolled back (nothing changed)."""

    def __init__(self, folder: str) -> None:
        super().__init__(
            f"The disk holding {folder} is full; nothing was changed. Free some space and try "
            "again."
        )
        self.folder = folder


class ReadOnlyError(LibraryUnavailableError):
    """The library folder or file cannot be written (read-only medium or no permission)."""

    def __init__(self, folder: str) -> None:
        super().__init__(
            f"readerapp cannot write to {folder} (read-only or no permission); nothing was "
            "changed. Choose another library folder with --home, or fix its permissions."
        )
        self.folder = folder
