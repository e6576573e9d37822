"""Text typed in the window that the library could not take (a locked database, a full disk),
kept in a file when the window must close anyway: the user's words are never just dropped."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

log = logging.getLogger(__name__)


def keep_unsaved_text(text: str, folders: Iterable[Path], now: datetime) -> Path | None:
    """Write ``text`` to a new file ``unsaved-<time>.md`` in the first of ``folders`` that takes
    it (made if missing, readable by the user only); None if none could. Several folders
    because the one beside the library may sit on the disk that is full."""
    header = f"# Typed in readerapp on {now:%Y-%m-%d %H:%M}, not saved in the library\n\n"
    data = (header + text).encode("utf-8")
    for folder in folders:
        path: Path | None = None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = _new_file(folder, now)
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
        except OSError:
            log.warning("Could not keep unsaved text in %s", folder, exc_info=True)
            if path is not None:
                path.unlink(missing_ok=True)  # half a file is not a copy of the text
            continue
        log.warning("Text the library could not take was kept in %s", path)
        return path
    return None


def _new_file(folder: Path, now: datetime) -> Path:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    path, n = folder / f"unsaved-{stamp}.md", 1
    while path.exists():
        n += 1
        path = folder / f"unsaved-{stamp}-{n}.md"
    return path
