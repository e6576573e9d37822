"""The library's own copies of PDFs under ``files/``, written atomically with safe names."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from readerapp.core.arxiv_ids import safe_file_stem
from readerapp.core.library_paths import inside_library
from readerapp.storage.paths import LibraryPaths


def _slug(text: str, limit: int = 60) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return slug[:limit].rstrip("-") or "document"


class FileStore:
    """Stores PDFs under the library root; paths handed out are relative to ``files/``."""

    def __init__(self, paths: LibraryPaths) -> None:
        self.paths = paths

    def absolute(self, relative: str) -> Path:
        """The file a stored path names, checked to be inside ``files/`` (OutsideLibraryError)."""
        return inside_library(self.paths.files, relative)

    def name_for(
        self, *, item_id: int, arxiv_id: str | None, version: int | None, title: str
    ) -> str:
        """A relative file name that is safe for any id (old arXiv ids contain '/')."""
        if arxiv_id:
            suffix = f"v{version}" if version else ""
            return f"arxiv/{safe_file_stem(arxiv_id)}{suffix}.pdf"
        return f"items/{item_id}-{_slug(title)}.pdf"

    def store_copy(self, source: Path, relative: str) -> Path:
        """Copy ``source`` to ``relative`` atomically (temp file, fsync, rename)."""
        import shutil  # imported on first copy: start-up never needs it

        with open(source, "rb") as src:
            return self._atomic_write(relative, lambda out: shutil.copyfileobj(src, out, 1 << 20))

    def store_bytes(self, data: bytes, relative: str) -> Path:
        return self._atomic_write(relative, lambda out: out.write(data))

    def _atomic_write(self, relative: str, write: Callable[[BinaryIO], object]) -> Path:
        """A reader never sees a half-written file, and a failure leaves nothing behind."""
        import tempfile  # imported on first write: start-up never needs it

        target = self.absolute(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-", suffix=".pdf")
        try:
            with os.fdopen(fd, "wb") as out:
                write(out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target
