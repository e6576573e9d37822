"""Undoable feed changes (Ctrl+Z / Ctrl+Shift+Z) on the window's QUndoStack.

Like the library's commands, each is performed once before it is pushed (see
qt/done_command.py). A change that cannot be taken back any more (the feed was followed again
meanwhile) says so in a sentence and leaves the stack.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from readerapp.core.errors import UserError
from readerapp.core.feed_scope import FeedScope
from readerapp.qt.done_command import DoneCommand
from readerapp.services.feeds import FeedService

log = logging.getLogger(__name__)


class _FeedCommand(DoneCommand):
    def __init__(
        self,
        text: str,
        service: FeedService,
        on_change: Callable[[], None],
        on_error: Callable[[str], None],
    ) -> None:
        super().__init__(text)
        self.service = service
        self.on_change = on_change
        self.on_error = on_error

    def perform(self, step: Callable[[], None]) -> None:
        try:
            step()
        except UserError as exc:
            log.info("feed change not taken back: %s", exc)
            self.setObsolete(True)  # the stack drops it: it cannot be repeated either
            self.on_error(str(exc))

    def redone(self, first: bool) -> None:
        self.on_change()

    def undone(self) -> None:
        self.on_change()


class RemoveFeed(_FeedCommand):
    def __init__(self, service, on_change, on_error, feed_id: int, title: str) -> None:
        super().__init__(f"Remove feed “{title}”", service, on_change, on_error)
        self.feed_id = feed_id
        self.removed = service.remove_feed(feed_id)

    def do(self) -> None:
        self.removed = self.service.remove_feed(self.feed_id)

    def revert(self) -> None:
        self.service.restore_feed(self.removed)


class MarkAllRead(_FeedCommand):
    def __init__(self, service, on_change, on_error, scope: FeedScope, name: str) -> None:
        super().__init__(f"Mark all read in {name}", service, on_change, on_error)
        self.entry_ids = service.mark_scope_read(scope)

    def do(self) -> None:
        self.service.set_read(self.entry_ids, True)

    def revert(self) -> None:
        self.service.mark_unread(self.entry_ids)
