"""arXiv: version history (old PDFs stay reachable) and work waiting for the network."""

import sqlite3

from readerapp.storage.migrations import execute_script

VERSION = 3


def apply(conn: sqlite3.Connection) -> None:
    execute_script(
        conn,
        """
        -- One row per version an item held before it was updated to a newer one.
        CREATE TABLE item_versions (
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            pdf_path TEXT,                             -- relative to files/, kept on disk
            title TEXT NOT NULL DEFAULT '',
            updated TEXT NOT NULL DEFAULT '',          -- arXiv's date for that version
            replaced TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            PRIMARY KEY (item_id, version)
        ) WITHOUT ROWID;

        -- Items added while arXiv (or the web) could not be reached: retried later.
        CREATE TABLE fetch_pending (
            item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
            need_metadata INTEGER NOT NULL DEFAULT 0,
            need_pdf INTEGER NOT NULL DEFAULT 0,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,                           -- a sentence for the user
            last_attempt TEXT
        );
        """,
    )
