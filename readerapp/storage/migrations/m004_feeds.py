"""Feeds, their entries (one per paper however many feeds list it), topic watch rules, matches."""

import sqlite3

from readerapp.storage.migrations import execute_script

VERSION = 4


def apply(conn: sqlite3.Connection) -> None:
    execute_script(
        conn,
        """
        CREATE TABLE feeds (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('arxiv', 'query', 'url')),
            source TEXT NOT NULL UNIQUE,     -- 'cs.LG+cs.CL', the query text, or the URL
            title TEXT NOT NULL DEFAULT '',
            topic_id INTEGER REFERENCES topics(id) ON DELETE SET NULL,
            interval_minutes INTEGER,        -- NULL: the default for its kind
            paused INTEGER NOT NULL DEFAULT 0,
            etag TEXT,
            last_modified TEXT,
            last_attempt TEXT,
            last_success TEXT,
            last_error TEXT,                 -- a sentence; NULL when the last fetch worked
            last_warning TEXT,
            unread_count INTEGER NOT NULL DEFAULT 0,  -- kept by the triggers below
            created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );

        -- A paper is one row however many feeds list it: key = 'arxiv:<base id>', else
        -- 'guid:<guid>', else 'link:<url>'.
        CREATE TABLE feed_entries (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            arxiv_id TEXT,
            version INTEGER,
            title TEXT NOT NULL DEFAULT '',
            link TEXT NOT NULL DEFAULT '',
            authors TEXT NOT NULL DEFAULT '[]',
            summary TEXT NOT NULL DEFAULT '',
            summary_is_html INTEGER NOT NULL DEFAULT 0,
            categories TEXT NOT NULL DEFAULT '[]',
            announce_type TEXT NOT NULL DEFAULT '',
            published TEXT NOT NULL DEFAULT '',
            doi TEXT NOT NULL DEFAULT '',
            journal_ref TEXT NOT NULL DEFAULT '',
            first_seen TEXT NOT NULL,
            updated_seen TEXT,               -- when a newer version was announced
            read INTEGER NOT NULL DEFAULT 0,
            read_at TEXT,
            starred INTEGER NOT NULL DEFAULT 0,
            added_item_id INTEGER REFERENCES items(id) ON DELETE SET NULL
        );
        CREATE INDEX feed_entries_arxiv ON feed_entries(arxiv_id);
        CREATE INDEX feed_entries_unread ON feed_entries(read, id);
        CREATE INDEX feed_entries_published ON feed_entries(published DESC, id DESC);

        CREATE TABLE feed_entry_links (
            feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
            entry_id INTEGER NOT NULL REFERENCES feed_entries(id) ON DELETE CASCADE,
            sort_key TEXT NOT NULL DEFAULT '',  -- published, copied so a feed lists by index
            unread INTEGER NOT NULL DEFAULT 1,  -- copied from the entry: counts by index alone
            PRIMARY KEY (feed_id, entry_id)
        ) WITHOUT ROWID;
        CREATE INDEX feed_entry_links_order ON feed_entry_links(feed_id, sort_key DESC, entry_id DESC);
        CREATE INDEX feed_entry_links_entry ON feed_entry_links(entry_id);
        CREATE INDEX feed_entry_links_unread ON feed_entry_links(unread, feed_id);

        -- Each feed's unread count, kept as links come, go and change, so the panel reads it
        -- in microseconds however many entries there are.
        CREATE TRIGGER feed_links_count_insert AFTER INSERT ON feed_entry_links
        WHEN new.unread BEGIN
            UPDATE feeds SET unread_count = unread_count + 1 WHERE id = new.feed_id;
        END;
        CREATE TRIGGER feed_links_count_delete AFTER DELETE ON feed_entry_links
        WHEN old.unread BEGIN
            UPDATE feeds SET unread_count = unread_count - 1 WHERE id = old.feed_id;
        END;
        CREATE TRIGGER feed_links_count_update AFTER UPDATE OF unread ON feed_entry_links
        WHEN old.unread IS NOT new.unread BEGIN
            UPDATE feeds SET unread_count = unread_count + new.unread - old.unread
            WHERE id = new.feed_id;
        END;

        -- Entries removed by retention, so the next refresh does not bring them back as new.
        CREATE TABLE feed_tombstones (
            key TEXT PRIMARY KEY,
            version INTEGER,
            removed TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE watch_rules (
            id INTEGER PRIMARY KEY,
            topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
            categories TEXT NOT NULL DEFAULT '[]',
            keywords TEXT NOT NULL DEFAULT '[]',
            authors TEXT NOT NULL DEFAULT '[]',
            mode TEXT NOT NULL DEFAULT 'any' CHECK (mode IN ('any', 'all')),
            enabled INTEGER NOT NULL DEFAULT 1,
            created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE INDEX watch_rules_topic ON watch_rules(topic_id);

        CREATE TABLE rule_matches (
            rule_id INTEGER NOT NULL REFERENCES watch_rules(id) ON DELETE CASCADE,
            entry_id INTEGER NOT NULL REFERENCES feed_entries(id) ON DELETE CASCADE,
            topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
            reasons TEXT NOT NULL DEFAULT '[]',
            matched TEXT NOT NULL,
            unread INTEGER NOT NULL DEFAULT 1,  -- copied from the entry, like the links'
            PRIMARY KEY (rule_id, entry_id)
        ) WITHOUT ROWID;
        CREATE INDEX rule_matches_topic ON rule_matches(topic_id, entry_id);
        CREATE INDEX rule_matches_entry ON rule_matches(entry_id);
        CREATE INDEX rule_matches_unread ON rule_matches(unread, topic_id, entry_id);

        -- Unread counts per feed and per topic inbox are read on every refresh of the panel; with
        -- 50,000 entries a join costs tens of ms, a copy of the flag in an index a few.
        CREATE TRIGGER feed_entries_read_copy AFTER UPDATE OF read ON feed_entries
        WHEN old.read IS NOT new.read BEGIN
            UPDATE feed_entry_links SET unread = (new.read = 0) WHERE entry_id = new.id;
            UPDATE rule_matches SET unread = (new.read = 0) WHERE entry_id = new.id;
        END;
        """,
    )
