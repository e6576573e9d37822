"""What the user last chose in a file dialog (its folder, its format), per purpose, kept in the
library's state so the next dialog opens where the last one left off, across restarts too."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol


class _StateStore(Protocol):
    def get_state(self, key: str, default: str | None = None) -> str | None: ...

    def set_state(self, key: str, value: str) -> None: ...


class FileChoices:
    """Last folder and format per purpose ("import", "export", "add-pdf", ...)."""

    def __init__(self, state: _StateStore, home: Path | None = None) -> None:
        self.state = state
        self.home = home or Path.home()

    def folder(self, purpose: str) -> Path:
        """The folder last used for ``purpose`` if it still exists, else the home folder."""
        remembered = self.state.get_state(f"ui.folder.{purpose}")
        if remembered and Path(remembered).is_dir():
            return Path(remembered)
        return self.home

    def remember(self, purpose: str, chosen: str | Path) -> None:
        """Remember the folder of a chosen file (or a chosen folder itself)."""
        path = Path(chosen)
        self.state.set_state(f"ui.folder.{purpose}", str(path if path.is_dir() else path.parent))

    def format(self, purpose: str, default: str = "") -> str:
        return self.state.get_state(f"ui.format.{purpose}") or default

    def remember_format(self, purpose: str, fmt: str) -> None:
        if fmt:
            self.state.set_state(f"ui.format.{purpose}", fmt)
