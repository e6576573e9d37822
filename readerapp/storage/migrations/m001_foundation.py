"""Topics, items, their many-to-many filing, and a key/value table for UI state."""

import sqlite3

from readerapp.storage.migrations import execute_script

VERSION = 1


def apply(conn: sqlite3.Connection) -> None:
    execute_script(
        conn,
        """
        CREATE TABLE topics (
            id INTEGER PRIMARY KEY,
            parent_id INTEGER REFERENCES topics(id) ON DELETE CASCADE,
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            position INTEGER NOT NULL DEFAULT 0,
            created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE INDEX topics_parent ON topics(parent_id, position);

        CREATE TABLE items (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL DEFAULT 'web',
            title TEXT NOT NULL DEFAULT '',
            authors TEXT NOT NULL DEFAULT '[]',        -- JSON list of names
            year INTEGER,
            venue TEXT NOT NULL DEFAULT '',
            url TEXT NOT NULL DEFAULT '',
            arxiv_id TEXT UNIQUE,                      -- versionless
            version INTEGER,                           -- the version we hold
            latest_version INTEGER,                    -- the newest arXiv knows of
            abstract TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'to-read'
                CHECK (status IN ('to-read', 'reading', 'read')),
            pdf_path TEXT,                             -- relative to files/
            doi TEXT NOT NULL DEFAULT '',
            categories TEXT NOT NULL DEFAULT '[]',
            primary_category TEXT NOT NULL DEFAULT '',
            published TEXT NOT NULL DEFAULT '',
            updated TEXT NOT NULL DEFAULT '',
            journal_ref TEXT NOT NULL DEFAULT '',
            comment TEXT NOT NULL DEFAULT '',
            added TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            trashed TEXT                               -- set when deleted; undo clears it
        );
        CREATE INDEX items_url ON items(url);
        CREATE INDEX items_trashed ON items(trashed);

        CREATE TABLE item_topics (
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
            PRIMARY KEY (item_id, topic_id)
        ) WITHOUT ROWID;
        CREATE INDEX item_topics_topic ON item_topics(topic_id, item_id);

        CREATE TABLE state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """,
    )
