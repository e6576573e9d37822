"""What the user last chose in a file dialog (its folder, its format), per purpose, kept in the
library's state so the next dialog opens where the last one left off, across restarts too."""

from __future__ import annotations

from pathlib import Path

from readerapp.services.settings import (
    FileDialogPurpose,
    StateStore,
    dialog_folder,
    dialog_format,
    read,
    write,
)


class FileChoices:
    """Last folder and format per purpose (adding a PDF, importing, exporting, ...)."""

    def __init__(self, state: StateStore, home: Path | None = None) -> None:
        self.state = state
        self.home = home or Path.home()

    def folder(self, purpose: FileDialogPurpose) -> Path:
        """The folder last used for ``purpose`` if it still exists, else the home folder."""
        remembered = read(self.state, dialog_folder(purpose))
        if remembered and Path(remembered).is_dir():
            return Path(remembered)
        return self.home

    def remember(self, purpose: FileDialogPurpose, chosen: str | Path) -> None:
        """Remember the folder of a chosen file (or a chosen folder itself)."""
        path = Path(chosen)
        write(self.state, dialog_folder(purpose), str(path if path.is_dir() else path.parent))

    def format(self, purpose: FileDialogPurpose, default: str = "") -> str:
        return read(self.state, dialog_format(purpose)) or default

    def remember_format(self, purpose: FileDialogPurpose, fmt: str) -> None:
        if fmt:
            write(self.state, dialog_format(purpose), fmt)
