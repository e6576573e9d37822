"""Stored file paths stay inside the library: a path kept in the database (an item's PDF, an old
version's PDF) is relative to the library's files folder, never absolute and never climbing out
with ``..``; it is resolved and checked to be inside the folder before anything reads or writes it.

A backup or an import is data from elsewhere: a crafted one could otherwise make the library read,
index or rewrite any file the user can reach.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath, PureWindowsPath

from readerapp.core.errors import BadInputError, UserError

_DRIVE = re.compile(r"^[A-Za-z]:")


class OutsideLibraryError(UserError):
    """A stored path points outside the library folder; str() is the sentence."""


def is_library_relative(text: object) -> bool:
    """True when ``text`` is a relative path that stays below the folder it is joined to."""
    if not isinstance(text, str) or not text.strip() or "\x00" in text:
        return False
    if text.startswith(("/", "\\", "~")) or _DRIVE.match(text):
        return False
    if PurePosixPath(text).is_absolute() or PureWindowsPath(text).is_absolute():
        return False
    parts = re.split(r"[\\/]+", text)
    return ".." not in parts


def inside_library(folder: Path, relative: str) -> Path:
    """``folder / relative``, after checking that it is and stays inside ``folder`` (symbolic
    links included); OutsideLibraryError otherwise."""
    if not is_library_relative(relative):
        raise OutsideLibraryError(_sentence(relative))
    path = folder / relative
    try:
        escapes = not path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a symlink loop: not a file the library can use
        escapes = True
    if escapes:
        raise OutsideLibraryError(_sentence(relative))
    return path


class InsideLibraryError(BadInputError):
    """A file to write (an export, a screenshot) was chosen inside the library folder."""


def outside_library_folder(root: Path, target: Path) -> Path:
    """``target``, after checking that it is not inside the library folder ``root``, symbolic
    links followed; InsideLibraryError otherwise.

    The database, its journal, the library's PDFs and its backups live there: an export written
    over one of them would destroy it, and no backup is made of a file being exported over.
    """
    try:
        inside = target.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a symlink loop: nothing can be written there anyway
        inside = False
    if inside:
        raise InsideLibraryError(
            f"{target} is inside the library folder ({root}), where readerapp keeps the library "
            "itself; choose a file outside it."
        )
    return target


def _sentence(relative: object) -> str:
    shown = str(relative)[:200].encode("unicode_escape").decode("ascii")
    return (
        f"The stored file path “{shown}” points outside the library folder, so readerapp "
        "did not use it."
    )
