"""arXiv's pacing shared by every readerapp process on the machine (the GUI and any number of CLI
commands): a small JSON file, guarded by a lock file, holding when the next request may start and
any block a 403 or a long Retry-After imposed.

A process holds the lock for the whole of its request, so requests from different processes never
overlap (arXiv asks for one connection at a time) and the next one starts no sooner than the
interval after the previous one ended. Times in the file are wall-clock (``time.time()``): the
monotonic clocks of two processes cannot be compared.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from readerapp.net.errors import DownloadCancelled, RateLimitedError

if TYPE_CHECKING:
    from filelock import FileLock

log = logging.getLogger(__name__)

PACING_FILE = "arxiv-pacing.json"
LOCK_POLL = 0.05  # seconds between attempts to take the lock (and to notice a cancel)


@dataclass(slots=True)
class PacingState:
    """What the file holds: the earliest start of the next request, and any block."""

    next_start: float = 0.0  # wall-clock seconds
    blocked_until: float = 0.0
    blocked_sentence: str = ""


def default_pacing_path() -> Path:
    """The pacing file under the user state dir (platformdirs; XDG_STATE_HOME on Linux)."""
    from platformdirs import user_state_dir

    return Path(user_state_dir("readerapp", appauthor=False)) / PACING_FILE


class SharedPacing:
    """The pacing file and its lock. ``with pacing.turn(cancel, max_wait) as state:`` waits for
    this process's turn (cancellable, bounded), yields the state to read and change, and writes
    it back when the request is over."""

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self._clock = clock
        self._lock: FileLock | None = None  # made on the first request: filelock imports slowly

    def now(self) -> float:
        return self._clock()

    @contextmanager
    def turn(self, cancel: threading.Event | None, max_wait: float) -> Iterator[PacingState]:
        from filelock import FileLock, Timeout

        if self._lock is None:
            self._lock = FileLock(str(self.path) + ".lock")
        lock = self._lock
        self.path.parent.mkdir(parents=True, exist_ok=True)
        give_up = time.monotonic() + max_wait
        while True:
            if cancel is not None and cancel.is_set():
                raise DownloadCancelled("The request was cancelled.")
            try:
                lock.acquire(timeout=LOCK_POLL)
                break
            except Timeout:
                if time.monotonic() > give_up:
                    raise RateLimitedError(
                        "Another readerapp window or command has been talking to arXiv for a "
                        "long time; try again in a few minutes.",
                        retry_after=60.0,
                    ) from None
        try:
            state = self._read()
            try:
                yield state
            finally:  # a failed request's back-off or block must reach the other processes too
                self._write(state)
        finally:
            lock.release()

    def _read(self) -> PacingState:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return PacingState(
                next_start=float(raw.get("next_start", 0.0)),
                blocked_until=float(raw.get("blocked_until", 0.0)),
                blocked_sentence=str(raw.get("blocked_sentence", "")),
            )
        except FileNotFoundError:
            return PacingState()
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            # A damaged file must not stop arXiv traffic for good: start afresh (and say so).
            log.warning("Ignoring the unreadable arXiv pacing file %s: %s", self.path, exc)
            return PacingState()

    def _write(self, state: PacingState) -> None:
        tmp = self.path.with_suffix(".tmp")
        try:
            tmp.write_text(json.dumps(asdict(state)), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:
            log.warning("Could not save the arXiv pacing file %s: %s", self.path, exc)
