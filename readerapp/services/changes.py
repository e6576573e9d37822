"""Noticing what other processes changed in the library: the command line, a second window."""

from __future__ import annotations

import logging
import sqlite3

from readerapp.storage.change_counts import RESTORE, count_own_writes, others_counts
from readerapp.storage.db import Database

log = logging.getLogger(__name__)

LIBRARY = "library"  # topics, items and their filing
ANNOTATIONS = "annotations"
RESTORED = RESTORE  # the whole library was replaced by a backup


class ChangeWatch:
    """Tells which parts of the library other connections changed since the last look.

    Meant for a timer: most looks cost one ``PRAGMA data_version`` (no disk access); only
    after another connection committed does it read the change counts, less this connection's
    own writes (the window knows about those: it made them).
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        count_own_writes(db.conn)  # TEMP objects only: no write lock on the library is taken
        self._version = db.data_version()
        self._counts = others_counts(db.conn)

    def changed_elsewhere(self) -> set[str]:
        """The parts (:data:`LIBRARY`, :data:`ANNOTATIONS`) changed since the last call, and
        :data:`RESTORED` when a backup replaced the library meanwhile."""
        try:
            version = self.db.data_version()
            if version == self._version:
                return set()
            counts = others_counts(self.db.conn)
        except sqlite3.Error:  # busy or gone for a moment: the next look will tell
            log.warning("could not look for changes made elsewhere", exc_info=True)
            return set()
        self._version = version
        changed = {scope for scope, n in counts.items() if self._counts.get(scope) != n}
        self._counts = counts
        if changed:
            log.debug("changed elsewhere: %s", ", ".join(sorted(changed)))
        return changed
