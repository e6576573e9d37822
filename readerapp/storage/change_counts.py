"""Counting writes to what a window shows, so it can tell other processes' changes from its own.

Schema 6's triggers count every write to the library (topics, items, filing) and to the
annotations in ``change_counts``. :func:`count_own_writes` adds TEMP triggers, which fire for
one connection's writes only, counting those in a TEMP table: the difference is what every
other connection (the command line, a second window) wrote.
"""

from __future__ import annotations

import sqlite3

# Moved by every restore (storage/db_backups.py): the library was replaced, so a window's undo
# steps, which name rows of the library it replaced, no longer apply.
RESTORE = "restore"

# Which count a write to each table moves (as migration m006 set up for all writers).
COUNTED = {
    "items": "library",
    "topics": "library",
    "item_topics": "library",
    "annotations": "annotations",
}


def count_own_writes(conn: sqlite3.Connection) -> None:
    """Start counting this connection's own writes (idempotent)."""
    statements = [
        "CREATE TEMP TABLE IF NOT EXISTS own_change_counts "
        "(scope TEXT PRIMARY KEY, count INTEGER NOT NULL DEFAULT 0)",
        "INSERT OR IGNORE INTO temp.own_change_counts(scope) SELECT scope FROM main.change_counts",
    ]
    statements += [
        f"CREATE TEMP TRIGGER IF NOT EXISTS own_{table}_{event.lower()} AFTER {event} "
        f"ON main.{table} BEGIN UPDATE own_change_counts SET count = count + 1 "
        f"WHERE scope = '{scope}'; END"
        for table, scope in COUNTED.items()
        for event in ("INSERT", "UPDATE", "DELETE")
    ]
    for statement in statements:
        conn.execute(statement)


def others_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Per scope, how many writes other connections made (all writes less this one's)."""
    rows = conn.execute(
        "SELECT c.scope, c.count - coalesce(o.count, 0) FROM main.change_counts c "
        "LEFT JOIN temp.own_change_counts o ON o.scope = c.scope"
    )
    return dict(rows)
