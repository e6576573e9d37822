"""Revisions: every item and annotation row counts its changes.

An editor remembers the revision it loaded and says so when it writes; a different revision means
someone else (the command line, an import, a restore, another window) changed the row meanwhile.
Triggers bump the count on every UPDATE, so every writer - including ones that know nothing of
revisions - is counted. An UPDATE that sets the revision itself is left alone.

``change_counts`` counts writes to what the window shows (the library, the annotations), so a
window that sees another connection commit (``PRAGMA data_version``) can tell in one cheap
lookup whether that commit touched anything it shows, or only, say, the search index.
"""

import sqlite3

from readerapp.storage.migrations import execute_script

VERSION = 6

_SQL = """
ALTER TABLE items ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE annotations ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER items_revision AFTER UPDATE ON items
WHEN new.revision = old.revision BEGIN
    UPDATE items SET revision = old.revision + 1 WHERE id = new.id;
END;

CREATE TRIGGER annotations_revision AFTER UPDATE ON annotations
WHEN new.revision = old.revision BEGIN
    UPDATE annotations SET revision = old.revision + 1 WHERE id = new.id;
END;

CREATE TABLE change_counts (scope TEXT PRIMARY KEY, count INTEGER NOT NULL DEFAULT 0);
INSERT INTO change_counts(scope) VALUES ('library'), ('annotations');
"""

# Which count a write to each table moves.
_COUNTED = {
    "items": "library",
    "topics": "library",
    "item_topics": "library",
    "annotations": "annotations",
}


def _counting_triggers() -> str:
    return "".join(
        f"CREATE TRIGGER {table}_{event.lower()}_counted AFTER {event} ON {table} BEGIN "
        f"UPDATE change_counts SET count = count + 1 WHERE scope = '{scope}'; END;\n"
        for table, scope in _COUNTED.items()
        for event in ("INSERT", "UPDATE", "DELETE")
    )


def apply(conn: sqlite3.Connection) -> None:
    execute_script(conn, _SQL)
    execute_script(conn, _counting_triggers())
