"""What a GET brings back and the limits it is held to, without the HTTP client itself.

Parsers, services and the GUI read answers through these; httpx behind :mod:`readerapp.net.http`
(~60 ms of imports) loads only when the first request is made.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from readerapp.net.errors import FetchError, OfflineError

DEFAULT_MAX_BYTES = 32 * 1024 * 1024  # feeds and API answers; the biggest arXiv RSS is ~3 MB
PDF_MAX_BYTES = 200 * 1024 * 1024

ProgressFn = Callable[[int, int | None], None]  # bytes so far, total (None when unknown)


@dataclass(frozen=True, slots=True)
class FetchResponse:
    """A finished GET: status, headers (lowercase names), body bytes (empty for downloads)."""

    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def text(self) -> str:
        return self.body.decode(charset_of(self.headers.get("content-type", "")), errors="replace")

    def raise_for_status(self, what: str = "The server") -> FetchResponse:
        """Raise a FetchError with a sentence unless the status is 2xx (or 304)."""
        if self.ok or self.status == 304:
            return self
        host = urlsplit(self.url).hostname or self.url
        if self.status == 404:
            raise FetchError(f"{what} at {host} has no such page (HTTP 404): {self.url}")
        if self.status >= 500:
            raise OfflineError(
                f"{what} at {host} had a problem (HTTP {self.status}); try again later."
            )
        raise FetchError(f"{what} at {host} refused the request (HTTP {self.status}).")


def charset_of(content_type: str) -> str:
    """The charset a Content-Type header names, if Python knows it; else UTF-8."""
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"')
            try:
                codecs.lookup(charset)
            except LookupError:
                break
            return charset
    return "utf-8"
