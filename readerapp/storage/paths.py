"""Where the library lives: --home, READERAPP_HOME, or platformdirs' user data dir."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

HOME_ENV = "READERAPP_HOME"


@dataclass(frozen=True, slots=True)
class LibraryPaths:
    """Every path under one library root."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "library.sqlite3"

    @property
    def files(self) -> Path:
        return self.root / "files"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    def ensure(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.files.mkdir(exist_ok=True)


def resolve_home(cli_home: str | os.PathLike[str] | None = None) -> LibraryPaths:
    """The library root: the --home flag wins, then READERAPP_HOME, then the user data dir."""
    if cli_home:
        root = Path(cli_home)
    elif os.environ.get(HOME_ENV):
        root = Path(os.environ[HOME_ENV])
    else:
        from platformdirs import user_data_dir  # only when no folder was given

        root = Path(user_data_dir("readerapp", appauthor=False))
    return LibraryPaths(root.expanduser().absolute())
