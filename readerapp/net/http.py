"""The one way readerapp talks HTTP: httpx with a descriptive User-Agent, timeouts, size caps,
streaming, and every request paced by a :class:`RateLimiter`.

``ArxivClient.from_env()`` is the client for all arXiv traffic (API, PDFs, RSS): 3 s between
requests (READERAPP_ARXIV_MIN_INTERVAL), one connection at a time, stop on 403. ``WebClient()`` is
for every other host (feeds of other sites, web pages): no fixed wait, but 429/503 back off.

Every request is bounded whatever the server does: an answer read into memory (a feed, an API
answer, a web page) must be complete within ``answer_deadline`` seconds in all, and a download
(a PDF) fails when fewer than ``min_progress`` bytes arrive in any ``progress_window`` seconds. A
read timeout alone bounds nothing: a server sending one byte a second restarts it with each byte.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypedDict, Unpack
from urllib.parse import urlsplit

import httpx

from readerapp import __version__
from readerapp.net.errors import (
    ArxivBlockedError,
    DownloadCancelled,
    FetchError,
    OfflineError,
    RateLimitedError,
    TooLargeError,
)
from readerapp.net.ratelimit import (
    BLOCKED_SENTENCE,
    RateLimiter,
    arxiv_min_interval,
    parse_retry_after,
)
from readerapp.net.responses import (
    DEFAULT_MAX_BYTES,
    PDF_MAX_BYTES,
    FetchResponse,
    ProgressFn,
)
from readerapp.net.shared_pacing import SharedPacing

USER_AGENT = (
    f"readerapp/{__version__} (desktop reading list for research papers; httpx/{httpx.__version__})"
)
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=60.0, write=30.0, pool=10.0)
ANSWER_DEADLINE = 60.0  # seconds for a whole feed, API answer or page
PROGRESS_WINDOW = 30.0  # a download must make progress within each window of this length ...
MIN_PROGRESS = 4096  # ... of at least this many bytes
ARXIV_KEY = "arxiv"  # arXiv's limits apply to arXiv as a whole, not per host name


class ClientOptions(TypedDict, total=False):
    """The keyword arguments of :class:`PoliteClient` its subclasses pass through."""

    timeout: httpx.Timeout | float
    max_attempts: int
    user_agent: str
    answer_deadline: float
    progress_window: float
    min_progress: int
    keep_alive: bool


class PoliteClient:
    """GET with pacing, retries on 429/503, size caps and cancellation. Thread-safe."""

    def __init__(
        self,
        limiter: RateLimiter,
        *,
        shared_key: str | None = None,
        block_on_403: bool = False,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        max_attempts: int = 4,
        user_agent: str = USER_AGENT,
        answer_deadline: float = ANSWER_DEADLINE,
        progress_window: float = PROGRESS_WINDOW,
        min_progress: int = MIN_PROGRESS,
        keep_alive: bool = True,
    ) -> None:
        self.limiter = limiter
        self.keep_alive = keep_alive
        self.answer_deadline = answer_deadline
        self.progress_window = progress_window
        self.min_progress = min_progress
        self.shared_key = shared_key
        self.block_on_403 = block_on_403
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.user_agent = user_agent
        self._client: httpx.Client | None = None
        self._client_lock = threading.Lock()

    @property
    def client(self) -> httpx.Client:
        # Built on first use: creating the TLS context costs tens of ms that a CLI `list` never needs.
        with self._client_lock:
            if self._client is None:
                self._client = httpx.Client(
                    headers={"User-Agent": self.user_agent},
                    timeout=self.timeout,
                    follow_redirects=True,
                    max_redirects=10,
                    # Without keep-alive every request makes its own connection, which the
                    # deadline's watchdog can then cut (see _Watchdog).
                    limits=httpx.Limits()
                    if self.keep_alive
                    else httpx.Limits(max_keepalive_connections=0),
                )
            return self._client

    def close(self) -> None:
        with self._client_lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    def key_for(self, url: str) -> str:
        return self.shared_key or (urlsplit(url).hostname or "").lower()

    # ---- public API ---------------------------------------------------------------------------
    def get(
        self,
        url: str,
        headers: dict[str, str] | None = None,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        cancel: threading.Event | None = None,
        progress: ProgressFn | None = None,
        deadline: float | None = None,
    ) -> FetchResponse:
        """GET ``url`` into memory, complete within ``deadline`` seconds (default: the client's
        ``answer_deadline``). Any status comes back (check ``ok``) except 403 from arXiv
        (ArxivBlockedError) and 429/503 that persist (RateLimitedError)."""

        bound = _Deadline(self.answer_deadline if deadline is None else deadline)

        def read(resp: httpx.Response) -> FetchResponse:
            chunks: list[bytes] = []
            for chunk in _stream_capped(resp, max_bytes, cancel, progress, bound):
                chunks.append(chunk)
            return _response(resp, b"".join(chunks))

        return self._request(url, headers, cancel, read, bound)

    def download(
        self,
        url: str,
        dest: Path,
        headers: dict[str, str] | None = None,
        *,
        max_bytes: int = PDF_MAX_BYTES,
        cancel: threading.Event | None = None,
        progress: ProgressFn | None = None,
    ) -> FetchResponse:
        """Stream a 2xx body into the file ``dest`` (created or truncated; the caller owns its
        cleanup). A non-2xx answer raises FetchError and leaves ``dest`` empty."""

        bound = _MinimumProgress(self.progress_window, self.min_progress)

        def save(resp: httpx.Response) -> FetchResponse:
            result = _response(resp, b"")
            result.raise_for_status()
            with open(dest, "wb") as out:
                for chunk in _stream_capped(resp, max_bytes, cancel, progress, bound):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            return result

        return self._request(url, headers, cancel, save, bound)

    # ---- the request loop ---------------------------------------------------------------------
    def _request(
        self,
        url: str,
        headers: dict[str, str] | None,
        cancel: threading.Event | None,
        consume: Callable[[httpx.Response], FetchResponse],
        bound: _Bound,
    ) -> FetchResponse:
        key = self.key_for(url)
        host = urlsplit(url).hostname or url
        last_status = 0
        retry_after: float | None = None
        for _attempt in range(self.max_attempts):
            with self.limiter.slot(key, cancel):
                bound.start()  # waiting for our turn does not count against the server
                watchdog = _Watchdog(bound.until_headers(), bound.through_body)
                try:
                    with (
                        watchdog,
                        self.client.stream(
                            "GET",
                            url,
                            headers=headers,
                            timeout=bound.timeout(self.timeout),
                            extensions={"trace": watchdog.trace},
                        ) as resp,
                    ):
                        watchdog.headers_arrived()
                        status = resp.status_code
                        if status == 403 and self.block_on_403:
                            self.limiter.block(BLOCKED_SENTENCE)
                            raise ArxivBlockedError(BLOCKED_SENTENCE)
                        if status in (429, 503):
                            last_status = status
                            retry_after = parse_retry_after(resp.headers.get("retry-after"))
                            self.limiter.backoff(key, retry_after)
                            continue
                        self.limiter.success(key)
                        return consume(resp)
                except httpx.HTTPError as exc:
                    if watchdog.expired:  # it was cut off at the deadline: say that, not why
                        raise OfflineError(bound.too_slow(host)) from exc
                    raise _fetch_error(exc, url, host) from exc
                except httpx.InvalidURL as exc:  # not an HTTPError
                    raise _fetch_error(exc, url, host) from exc
        raise RateLimitedError(
            f"{host} is busy (HTTP {last_status}) and asked readerapp to wait; try again later.",
            retry_after=retry_after,
        )


def _fetch_error(exc: httpx.HTTPError | httpx.InvalidURL, url: str, host: str) -> FetchError:
    """The sentence for an httpx failure."""
    if isinstance(exc, httpx.TimeoutException):
        return OfflineError(f"{host} did not answer in time; check your connection and try again.")
    if isinstance(exc, httpx.ConnectError | httpx.NetworkError):
        return OfflineError(
            f"Could not reach {host}; readerapp will try again when you are online."
        )
    if isinstance(exc, httpx.RemoteProtocolError):
        return OfflineError(
            f"The connection to {host} broke off before the answer was complete; try again."
        )
    if isinstance(exc, httpx.TooManyRedirects):
        return FetchError(f"{url} redirects in a loop; it cannot be fetched.")
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return FetchError(f"“{url}” is not a web address readerapp can fetch.")
    return FetchError(f"Fetching {url} failed: {exc}.")


def _response(resp: httpx.Response, body: bytes) -> FetchResponse:
    headers = {k.lower(): v for k, v in resp.headers.items()}
    return FetchResponse(url=str(resp.url), status=resp.status_code, headers=headers, body=body)


class _Bound(ABC):
    """How long a request may take; ``check`` raises OfflineError with a sentence when over."""

    through_body = False  # whether the watchdog stays armed while the body is read

    def start(self) -> None:
        self.started = time.monotonic()

    def timeout(self, base: httpx.Timeout | float) -> httpx.Timeout:
        return base if isinstance(base, httpx.Timeout) else httpx.Timeout(base)

    @abstractmethod
    def until_headers(self) -> float:
        """Seconds the server has to send its status and headers."""

    @abstractmethod
    def check(self, host: str, received: int) -> None:
        """Raise OfflineError when ``received`` bytes so far are too few for the time spent."""

    @abstractmethod
    def too_slow(self, host: str) -> str:
        """The sentence that says ``host`` was too slow for this bound."""


class _Watchdog:
    """Ends a request whose server is too slow even while the status line or headers trickle
    in (the read timeout restarts with every byte, and the body checks have not begun): when
    time is up it shuts the connection's socket down, which wakes the blocked read.

    The socket is learnt from httpcore's ``trace`` hook when the connection is made; a pooled
    connection reused from an earlier request is not watched (hence no keep-alive for strangers'
    servers, see :class:`WebClient`)."""

    def __init__(self, seconds: float, through_body: bool) -> None:
        self.seconds = seconds
        self.through_body = through_body
        self.expired = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def trace(self, event: str, info: dict[str, Any]) -> None:
        if event == "connection.connect_tcp.complete" and info.get("return_value") is not None:
            with self._lock:
                self._sock = info["return_value"].get_extra_info("socket")
                if self.expired:
                    self._shut()

    def headers_arrived(self) -> None:
        if not self.through_body:
            self._timer.cancel()

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            self._shut()

    def _shut(self) -> None:
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:  # already closed: nothing left to wake
                pass


class _Deadline(_Bound):
    """The whole answer within ``seconds`` (a feed, an API answer, a page)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started = time.monotonic()

    def timeout(self, base: httpx.Timeout | float) -> httpx.Timeout:
        # No single wait may outlast the deadline either (a server that sends nothing at all).
        base = super().timeout(base)
        return httpx.Timeout(
            connect=_at_most(base.connect, self.seconds),
            read=_at_most(base.read, self.seconds),
            write=_at_most(base.write, self.seconds),
            pool=_at_most(base.pool, self.seconds),
        )

    through_body = True

    def until_headers(self) -> float:
        return self.seconds

    def check(self, host: str, received: int) -> None:
        if time.monotonic() - self.started > self.seconds:
            raise OfflineError(self.too_slow(host))

    def too_slow(self, host: str) -> str:
        return (
            f"{host} sent its answer too slowly (not complete after {self.seconds:g} "
            "seconds), so readerapp stopped waiting."
        )


class _MinimumProgress(_Bound):
    """At least ``min_bytes`` in every ``window`` seconds (a PDF may be big and the link slow)."""

    def __init__(self, window: float, min_bytes: int) -> None:
        self.window = window
        self.min_bytes = min_bytes
        self.start()

    def start(self) -> None:
        super().start()
        self.window_start = self.started
        self.window_bytes = 0

    def timeout(self, base: httpx.Timeout | float) -> httpx.Timeout:
        base = super().timeout(base)
        return httpx.Timeout(
            connect=base.connect,
            read=_at_most(base.read, self.window),
            write=base.write,
            pool=base.pool,
        )

    def until_headers(self) -> float:
        return self.window

    def check(self, host: str, received: int) -> None:
        now = time.monotonic()
        if received - self.window_bytes >= self.min_bytes:
            self.window_start, self.window_bytes = now, received
        elif now - self.window_start > self.window:
            raise OfflineError(self.too_slow(host))

    def too_slow(self, host: str) -> str:
        return (
            f"The download from {host} almost stopped (less than "
            f"{self.min_bytes // 1024} KB in {self.window:g} seconds), so readerapp gave up; "
            "try again later."
        )


def _at_most(value: float | None, limit: float) -> float:
    return limit if value is None else min(value, limit)


def _stream_capped(
    resp: httpx.Response,
    max_bytes: int,
    cancel: threading.Event | None,
    progress: ProgressFn | None,
    bound: _Bound,
) -> Iterator[bytes]:
    """Yield the body as it arrives; stop with TooLargeError past ``max_bytes`` (whatever the
    server claims), with DownloadCancelled when ``cancel`` is set, with OfflineError when the
    server is too slow for ``bound``."""
    host = resp.url.host or str(resp.url)
    declared = resp.headers.get("content-length", "")
    total = int(declared) if declared.isdigit() else None
    if total is not None and total > max_bytes:
        raise TooLargeError(_too_large(host, max_bytes))
    received = 0
    if progress:
        progress(0, total)
    # No chunk size: httpx would otherwise hold back a trickle until a whole chunk had come.
    for chunk in resp.iter_bytes():
        if cancel is not None and cancel.is_set():
            raise DownloadCancelled("The download was cancelled.")
        received += len(chunk)
        if received > max_bytes:
            raise TooLargeError(_too_large(host, max_bytes))
        bound.check(host, received)
        if progress:
            progress(received, total)
        yield chunk


def _too_large(host: str, max_bytes: int) -> str:
    return (
        f"The answer from {host} is larger than {max_bytes // (1024 * 1024)} MB, "
        "so readerapp stopped reading it."
    )


ARXIV_API_ENV = "READERAPP_ARXIV_API"
ARXIV_PDF_ENV = "READERAPP_ARXIV_PDF"
ARXIV_RSS_ENV = "READERAPP_ARXIV_RSS"
DEFAULT_ARXIV_API = "https://export.arxiv.org/api/query"
DEFAULT_ARXIV_PDF = "https://export.arxiv.org/pdf/"
DEFAULT_ARXIV_RSS = "https://rss.arxiv.org/rss/"


class ArxivClient(PoliteClient):
    """The client for ALL arXiv traffic (API, PDFs, RSS). Share one per process: it holds the
    pacing state (READERAPP_ARXIV_MIN_INTERVAL between requests, one connection at a time, a
    blocked state after a 403). With ``pacing`` (a :class:`SharedPacing` file) that state is
    shared with every other readerapp process on the machine."""

    def __init__(
        self,
        *,
        api_url: str = DEFAULT_ARXIV_API,
        pdf_base: str = DEFAULT_ARXIV_PDF,
        rss_base: str = DEFAULT_ARXIV_RSS,
        min_interval: float | None = None,
        pacing: SharedPacing | None = None,
        **kwargs: Unpack[ClientOptions],
    ) -> None:
        interval = arxiv_min_interval() if min_interval is None else min_interval
        limiter = RateLimiter(interval, one_at_a_time=True, shared=pacing)
        super().__init__(limiter, shared_key=ARXIV_KEY, block_on_403=True, **kwargs)
        self.api_url = api_url
        self.pdf_base = pdf_base
        self.rss_base = rss_base

    @classmethod
    def from_env(
        cls,
        *,
        min_interval: float | None = None,
        pacing: SharedPacing | None = None,
        **kwargs: Unpack[ClientOptions],
    ) -> ArxivClient:
        """Endpoints from READERAPP_ARXIV_API / _PDF / _RSS (tests point them at 127.0.0.1)."""
        return cls(
            api_url=os.environ.get(ARXIV_API_ENV) or DEFAULT_ARXIV_API,
            pdf_base=os.environ.get(ARXIV_PDF_ENV) or DEFAULT_ARXIV_PDF,
            rss_base=os.environ.get(ARXIV_RSS_ENV) or DEFAULT_ARXIV_RSS,
            min_interval=min_interval,
            pacing=pacing,
            **kwargs,
        )

    @property
    def blocked(self) -> str | None:
        """The sentence saying why arXiv traffic stopped (after a 403), or None."""
        return self.limiter.blocked


class WebClient(PoliteClient):
    """The client for every other host: no fixed wait, but 429/503 back off per host. Strangers'
    servers get no kept-alive connections, so every request's deadline can be enforced."""

    def __init__(self, **kwargs: Unpack[ClientOptions]) -> None:
        kwargs.setdefault("keep_alive", False)
        super().__init__(RateLimiter(0.0), **kwargs)
