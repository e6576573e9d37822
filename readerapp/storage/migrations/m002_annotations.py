"""Annotations on items' PDFs, and the external keys of annotations already imported from files."""

import sqlite3

from readerapp.storage.migrations import execute_script

VERSION = 2


def apply(conn: sqlite3.Connection) -> None:
    execute_script(
        conn,
        """
        CREATE TABLE annotations (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            page INTEGER NOT NULL,                      -- 1-based
            color TEXT NOT NULL,                        -- '#rrggbb'
            quote TEXT NOT NULL DEFAULT '',
            comment TEXT NOT NULL DEFAULT '',
            quads TEXT NOT NULL DEFAULT '[]',           -- JSON [[x0, y0, x1, y1], ...] per line
            prefix TEXT NOT NULL DEFAULT '',            -- text just before the quote
            suffix TEXT NOT NULL DEFAULT '',            -- text just after it
            detached INTEGER NOT NULL DEFAULT 0,        -- 1: not found in the current PDF
            source TEXT NOT NULL DEFAULT 'readerapp',   -- 'pdf' when imported from the file
            external_key TEXT,                          -- identity of an imported annotation
            author TEXT NOT NULL DEFAULT '',
            extra TEXT NOT NULL DEFAULT '{}',           -- JSON: ink strokes, note icon
            created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE INDEX annotations_item ON annotations(item_id, page);

        -- Every external annotation ever imported, so deleting one here does not bring it back
        -- the next time the PDF is opened.
        CREATE TABLE annotation_imports (
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            external_key TEXT NOT NULL,
            PRIMARY KEY (item_id, external_key)
        ) WITHOUT ROWID;
        """,
    )
