"""Drives :class:`FeedService` from the GUI: a QTimer looks for due feeds every minute (and once
at start-up, which is the catch-up), fetching and parsing run on a TaskRunner (one task per host,
so a slow server holds only its own feeds), and the results are stored back on the GUI thread
(the one that owns the database connection)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import partial

from PySide6.QtCore import QObject, QTimer, Signal

from readerapp.core.feed_rules import RuleMatcher
from readerapp.qt.tasks import TaskRunner
from readerapp.services.feeds import (
    REFRESH_THREADS,
    Feed,
    FeedResult,
    FeedService,
    FetchOutcome,
    RefreshReport,
)

log = logging.getLogger(__name__)

CHECK_EVERY_MS = 60 * 1000


class FeedPoller(QObject):
    """Background refreshes; one round at a time, a feed never fetched twice at once."""

    feedRefreshed = Signal(int)  # feed id, after its result is stored
    # A feed's outcome, sent from the worker that fetched it: stored on the GUI thread at once,
    # not when the slowest feed on the same host is done too.
    _arrived = Signal(object, object)
    roundFinished = Signal(object)  # RefreshReport
    busyChanged = Signal(bool)

    def __init__(
        self,
        service: FeedService,
        parent: QObject | None = None,
        *,
        threads: int = REFRESH_THREADS,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.runner = TaskRunner("feeds", threads, self)
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.refresh_due)
        self.startup = QTimer(self)  # the catch-up, once the event loop runs
        self.startup.setSingleShot(True)
        self.startup.setInterval(0)
        self.startup.timeout.connect(self.refresh_due)
        self.cancel = threading.Event()
        self._in_flight: set[int] = set()
        self._report = RefreshReport()
        self._matcher: RuleMatcher | None = None
        self._arrived.connect(self._store)  # queued: emitted by the fetching worker

    def start(self) -> None:
        """Poll on schedule from now on; due feeds (missed while the app was closed) go now."""
        self.timer.start()
        self.startup.start()

    def stop(self) -> None:
        """No more rounds (the window is closing and the database with it)."""
        self.timer.stop()
        self.startup.stop()
        self.cancel.set()
        # Workers never touch the database, so one still blocked in a read may finish alone.
        self.runner.wait(2000)

    @property
    def busy(self) -> bool:
        return bool(self._in_flight)

    def refresh_due(self) -> None:
        if not self.cancel.is_set():
            self.refresh(self.service.due_feeds())

    def refresh_all(self) -> None:
        if not self.cancel.is_set():
            self.refresh([f for f in self.service.feeds() if not f.paused])

    def refresh(self, feeds: Iterable[Feed]) -> None:
        if self.cancel.is_set():
            return
        todo = [f for f in feeds if f.id not in self._in_flight]
        if not todo:
            return
        # Built here, on the GUI thread: two workers racing to build it could each make an
        # arXiv client, and arXiv's rate limit must be one per process.
        self.service.fetcher  # noqa: B018
        was_busy = self.busy
        if not was_busy:
            self._report = RefreshReport()
            self._matcher = RuleMatcher(self.service.rules())
        for group in self.service.connection_groups(todo):
            self._in_flight.update(f.id for f in group)
            self.runner.submit(
                partial(self.service.fetch_group, group, self.cancel, self._deliver),
                on_result=partial(self._store_group, group),
                on_error=partial(self._group_failed, group),
            )
        if not was_busy:
            self.busyChanged.emit(True)

    def _deliver(self, feed: Feed, outcome: FetchOutcome) -> None:
        """On the fetching worker: hand the outcome to the GUI thread, unless the poller was
        stopped (the window closing may have deleted it by the time a slow fetch ends)."""
        if not self.cancel.is_set():
            self._arrived.emit(feed, outcome)

    def _group_failed(self, group: list[Feed], exc: BaseException) -> None:
        for feed in group:  # the ones whose outcome had not arrived yet
            if feed.id in self._in_flight:
                self._store(feed, exc)

    def _store_group(self, group: list[Feed], outcomes: list[tuple[Feed, FetchOutcome]]) -> None:
        """The group is done: each outcome was stored as it arrived (the queued signals came
        before this); feeds left out were skipped because the round was cancelled."""
        fetched = {feed.id for feed, _ in outcomes}
        self._in_flight.difference_update(f.id for f in group if f.id not in fetched)

    def _store(self, feed: Feed, outcome: FetchOutcome) -> None:
        if self.cancel.is_set():  # stopped: the database may be closed already
            self._in_flight.discard(feed.id)
            return
        try:
            result = self.service.apply_fetch(
                feed, outcome, now=datetime.now(UTC), matcher=self._matcher
            )
        except Exception as exc:  # the database refused: say so on the feed, keep going
            log.exception("Storing the refresh of feed %s failed", feed.id)
            result = FeedResult(feed.id, feed.display_title, ok=False, error=str(exc))
        self._report.results.append(result)
        self._in_flight.discard(feed.id)
        self.feedRefreshed.emit(feed.id)
        if not self._in_flight:
            try:
                self._report.removed_by_retention = self.service.apply_retention()
            except Exception:  # retention can wait for the next round
                log.exception("Removing old feed entries failed")
            self.busyChanged.emit(False)
            self.roundFinished.emit(self._report)
