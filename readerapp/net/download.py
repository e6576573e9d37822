"""PDF downloads that never leave a half-written or fake PDF in the library.

The body streams into a hidden temp file next to the target, is checked (starts with ``%PDF-``,
ends with ``%%EOF``, PyMuPDF opens it with at least one page), then replaces the target in one
rename. On any failure, cancel included, the temp file is removed and the target is untouched.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pymupdf

from readerapp.net.errors import NotAPdfError
from readerapp.net.responses import PDF_MAX_BYTES, ProgressFn

if TYPE_CHECKING:
    from readerapp.net.http import PoliteClient  # httpx: loaded with the first request

log = logging.getLogger(__name__)

_TAIL = 4096  # %%EOF may be followed by whitespace or a few junk bytes


def download_pdf(
    client: PoliteClient,
    url: str,
    target: Path,
    *,
    max_bytes: int = PDF_MAX_BYTES,
    cancel: threading.Event | None = None,
    progress: ProgressFn | None = None,
) -> Path:
    """Download the PDF at ``url`` to ``target`` atomically; returns ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=".incoming-", suffix=".part")
    os.close(fd)
    tmp = Path(name)
    try:
        client.download(url, tmp, max_bytes=max_bytes, cancel=cancel, progress=progress)
        check_pdf(tmp, urlsplit(url).hostname or url)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def check_pdf(path: Path, source: str = "the server") -> None:
    """Raise NotAPdfError with a sentence unless ``path`` holds a complete, openable PDF."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        head = fh.read(1024)
        fh.seek(max(0, size - _TAIL))
        tail = fh.read()
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped.startswith(b"%PDF-"):
        if stripped[:1] == b"<":
            raise NotAPdfError(
                f"{source} answered with a web page instead of a PDF (perhaps a login or error "
                "page); nothing was saved."
            )
        raise NotAPdfError(f"What {source} sent is not a PDF; nothing was saved.")
    if b"%%EOF" not in tail:
        raise NotAPdfError(
            f"The PDF from {source} is incomplete (the download was cut short); nothing was "
            "saved. Try again."
        )
    try:
        with pymupdf.open(path, filetype="pdf") as doc:
            pages = doc.page_count
    except Exception as exc:  # PyMuPDF raises several types for damaged files
        log.warning("MuPDF could not open the PDF downloaded from %s", source, exc_info=True)
        raise NotAPdfError(
            f"The PDF from {source} is damaged and cannot be opened; nothing was saved."
        ) from exc
    if pages < 1:
        raise NotAPdfError(f"The PDF from {source} has no pages; nothing was saved.")
