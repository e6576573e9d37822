"""Storage failures, each carrying a sentence a user understands."""

from readerapp.core.errors import UserError


class StorageError(UserError):
    """A storage problem the user must be told about; str() is the sentence."""


class NotADatabaseError(StorageError):
    """The file at the database path is not an SQLite database; it was left untouched."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"The file {path} is not a readerapp library (it is not an SQLite database). "
            "It was left untouched; move it aside to start a new library there."
        )
        self.path = path


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
