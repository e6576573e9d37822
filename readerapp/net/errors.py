"""Network failures, each carrying a sentence a user understands (``str(exc)``).

``transient`` says whether trying again later may succeed (offline, rate limited, blocked); the
paper service keeps work pending on those instead of giving up.
"""

from __future__ import annotations

from readerapp.core.errors import UserError


class FetchError(UserError):
    """A fetch failed; str() is the sentence to show. CLI exit code 1."""

    transient = False


class OfflineError(FetchError):
    """The server could not be reached or did not answer in time."""

    transient = True


class RateLimitedError(FetchError):
    """The server asked us to slow down (429/503) for longer than we are willing to wait now."""

    transient = True

    def __init__(self, sentence: str, retry_after: float | None = None) -> None:
        super().__init__(sentence)
        self.retry_after = retry_after


class ArxivBlockedError(FetchError):
    """arXiv answered 403: all arXiv traffic has stopped for this session."""

    transient = True


class TooLargeError(FetchError):
    """The answer was bigger than the cap for its kind (a page, a feed, a PDF)."""


class NotAPdfError(FetchError):
    """A download that should be a PDF is not one (an HTML page, a truncated file)."""


class DownloadCancelled(FetchError):
    """The user cancelled the request."""


class ArxivApiError(FetchError):
    """The arXiv API answered with an error entry (for example a malformed id)."""
