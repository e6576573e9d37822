"""Per-key request pacing in plain Python (after Picard's ``webservice/ratecontrol.py``).

A key is a host, or one shared key for a whole service such as arXiv. For each key: a minimum
interval between the end of one request and the start of the next, capped exponential backoff
that honours ``Retry-After``, and optionally one connection at a time (arXiv's terms of use). A
403 from arXiv puts the limiter in a blocked state that refuses every further request.

Given a :class:`~readerapp.net.shared_pacing.SharedPacing`, the interval, back-offs and blocks also
hold across processes: the limiter takes the shared lock for each request and honours (and
records) the shared state as well as its own.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext

from readerapp.net.errors import ArxivBlockedError, DownloadCancelled, RateLimitedError
from readerapp.net.shared_pacing import PacingState, SharedPacing

MIN_INTERVAL_ENV = "READERAPP_ARXIV_MIN_INTERVAL"
DEFAULT_ARXIV_INTERVAL = 3.0
BLOCK_SECONDS = 3600.0  # how long a 403 stops arXiv traffic in every process

BLOCKED_SENTENCE = (
    "arXiv refused readerapp's requests (HTTP 403), so readerapp has stopped contacting arXiv "
    "for an hour. Try again later; your library is unchanged."
)


def arxiv_min_interval() -> float:
    """Seconds between arXiv requests, from READERAPP_ARXIV_MIN_INTERVAL (default 3)."""
    raw = os.environ.get(MIN_INTERVAL_ENV, "").strip()
    try:
        value = float(raw) if raw else DEFAULT_ARXIV_INTERVAL
    except ValueError:
        return DEFAULT_ARXIV_INTERVAL
    return value if math.isfinite(value) and value >= 0 else DEFAULT_ARXIV_INTERVAL


class RateLimiter:
    """Paces requests per key; thread-safe. Use ``with limiter.slot(key): <one request>``."""

    def __init__(
        self,
        min_interval: float = 0.0,
        *,
        one_at_a_time: bool = False,
        backoff_base: float = 1.0,
        backoff_cap: float = 60.0,
        max_wait: float = 120.0,
        clock: Callable[[], float] = time.monotonic,
        shared: SharedPacing | None = None,
    ) -> None:
        self.min_interval = min_interval
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.max_wait = max_wait  # longer waits fail fast with RateLimitedError instead of hanging
        self._clock = clock
        self._state = threading.Lock()
        self._connection = threading.Lock() if one_at_a_time else None
        self._next_start: dict[str, float] = {}
        self._failures: dict[str, int] = {}
        self._blocked: str | None = None
        self.shared = shared
        self._turn = threading.local()  # the shared state while this thread holds the lock

    # ---- blocked state (arXiv 403) -----------------------------------------------------------
    @property
    def blocked(self) -> str | None:
        """The sentence explaining why all requests stopped, or None."""
        return self._blocked

    def block(self, sentence: str = BLOCKED_SENTENCE) -> None:
        self._blocked = sentence
        shared = self._shared_state()
        if shared is not None and self.shared is not None:
            shared.blocked_until = self.shared.now() + BLOCK_SECONDS
            shared.blocked_sentence = sentence

    def _check_blocked(self) -> None:
        if self._blocked:
            raise ArxivBlockedError(self._blocked)

    # ---- pacing -------------------------------------------------------------------------------
    def delay_for(self, key: str) -> float:
        """Seconds until a request for ``key`` may start."""
        with self._state:
            return max(0.0, self._next_start.get(key, 0.0) - self._clock())

    @contextmanager
    def slot(self, key: str, cancel: threading.Event | None = None) -> Iterator[None]:
        """Wait for ``key``'s turn (and the connection, if serialized), run one request."""
        self._check_blocked()
        waiter = cancel or threading.Event()
        if self._connection is not None:
            while not self._connection.acquire(timeout=0.1):
                if waiter.is_set():
                    raise DownloadCancelled("The request was cancelled.")
        try:
            turn = self.shared.turn(waiter, self.max_wait) if self.shared else nullcontext()
            with turn as shared:
                delay = self.delay_for(key)
                if shared is not None and self.shared is not None:
                    now = self.shared.now()
                    if shared.blocked_until > now:
                        self._blocked = shared.blocked_sentence or BLOCKED_SENTENCE
                        raise ArxivBlockedError(self._blocked)
                    delay = max(delay, shared.next_start - now)
                if delay > self.max_wait:
                    raise RateLimitedError(_slow_down_sentence(delay), retry_after=delay)
                if delay > 0 and waiter.wait(delay):
                    raise DownloadCancelled("The request was cancelled.")
                self._check_blocked()  # another thread may have hit a 403 while we waited
                self._turn.state = shared
                try:
                    yield
                finally:
                    self._turn.state = None
                    with self._state:
                        earliest = self._clock() + self.min_interval
                        self._next_start[key] = max(self._next_start.get(key, 0.0), earliest)
                    if shared is not None and self.shared is not None:
                        wall = self.shared.now() + self.min_interval
                        shared.next_start = max(shared.next_start, wall)
        finally:
            if self._connection is not None:
                self._connection.release()

    def _shared_state(self) -> PacingState | None:
        return getattr(self._turn, "state", None)

    def backoff(self, key: str, retry_after: float | None = None) -> float:
        """Record a 429/503; the next request for ``key`` waits the returned number of seconds."""
        with self._state:
            failures = self._failures.get(key, 0) + 1
            self._failures[key] = failures
            exponential = min(self.backoff_cap, self.backoff_base * 2.0 ** (failures - 1))
            delay = max(exponential, retry_after or 0.0)
            self._next_start[key] = max(self._next_start.get(key, 0.0), self._clock() + delay)
        shared = self._shared_state()
        if shared is not None and self.shared is not None:  # every process waits as long
            shared.next_start = max(shared.next_start, self.shared.now() + delay)
        return delay

    def success(self, key: str) -> None:
        with self._state:
            self._failures.pop(key, None)


def _slow_down_sentence(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    return (
        f"The server asked readerapp to slow down; it will try again in about {minutes} "
        f"minute{'s' if minutes != 1 else ''}."
    )


def parse_retry_after(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - now())
