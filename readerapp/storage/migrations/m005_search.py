"""Full-text search: FTS5 indexes over items, annotations and the text of each PDF page.

The indexes are external-content FTS5 tables kept current by triggers, so every writer (the
library, the annotation store, a download, an import) updates search without knowing it exists.
PDF text lives in ``pdf_pages`` (one row per page), filled by the background extractor;
``pdf_text_state`` records which file was read so a changed or replaced file is read again.
"""

import sqlite3

from readerapp.storage.migrations import execute_script

VERSION = 5

# Prefix indexes keep as-you-type queries ("mo", "tra") fast: 2 to 4 characters for item details,
# 2 and 3 for page text (each one costs as much again when a paper is indexed).
# Porter stemming finds "models" for "model"; remove_diacritics finds "Schölkopf" for "scholkopf".
TOKENIZE = "porter unicode61 remove_diacritics 2"

# Authors are indexed as stored (a JSON list): the tokenizer skips its brackets and quotes, and
# search.py cleans them out of snippets.
_ITEMS_SQL = """
CREATE VIRTUAL TABLE search_items USING fts5(
    title, authors, abstract, notes,
    content = 'items', content_rowid = 'id',
    tokenize = '{TOKENIZE}', prefix = '2 3 4'
);

CREATE TRIGGER search_items_insert AFTER INSERT ON items BEGIN
    INSERT INTO search_items(rowid, title, authors, abstract, notes)
    VALUES (new.id, new.title, new.authors, new.abstract, new.notes);
END;

CREATE TRIGGER search_items_delete AFTER DELETE ON items BEGIN
    INSERT INTO search_items(search_items, rowid, title, authors, abstract, notes)
    VALUES ('delete', old.id, old.title, old.authors, old.abstract, old.notes);
END;

CREATE TRIGGER search_items_update AFTER UPDATE OF id, title, authors, abstract, notes
ON items BEGIN
    INSERT INTO search_items(search_items, rowid, title, authors, abstract, notes)
    VALUES ('delete', old.id, old.title, old.authors, old.abstract, old.notes);
    INSERT INTO search_items(rowid, title, authors, abstract, notes)
    VALUES (new.id, new.title, new.authors, new.abstract, new.notes);
END;

INSERT INTO search_items(search_items) VALUES ('rebuild');
""".replace("{TOKENIZE}", TOKENIZE)


_PAGES_SQL = f"""
CREATE TABLE pdf_pages (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    page INTEGER NOT NULL,                     -- 1-based
    text TEXT NOT NULL,
    UNIQUE (item_id, page)
);

CREATE TABLE pdf_text_state (
    item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
    pdf_path TEXT NOT NULL,                    -- the file that was read (relative to files/)
    size INTEGER NOT NULL,                     -- with mtime_ns: a replaced file is read again
    mtime_ns INTEGER NOT NULL,
    pages INTEGER NOT NULL DEFAULT 0,
    text_pages INTEGER NOT NULL DEFAULT 0,     -- 0 of N: no text layer, metadata only
    error TEXT,                                -- a sentence when the file could not be read
    indexed TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE VIRTUAL TABLE search_pages USING fts5(
    text, content = 'pdf_pages', content_rowid = 'id', tokenize = '{TOKENIZE}', prefix = '2 3'
);

-- Merging is run by the indexer after a batch (PdfTextIndex.merge), not during a paper's insert.
INSERT INTO search_pages(search_pages, rank) VALUES ('automerge', 0);

CREATE TRIGGER search_pages_insert AFTER INSERT ON pdf_pages BEGIN
    INSERT INTO search_pages(rowid, text) VALUES (new.id, new.text);
END;

CREATE TRIGGER search_pages_delete AFTER DELETE ON pdf_pages BEGIN
    INSERT INTO search_pages(search_pages, rowid, text) VALUES ('delete', old.id, old.text);
END;

CREATE TRIGGER search_pages_update AFTER UPDATE ON pdf_pages BEGIN
    INSERT INTO search_pages(search_pages, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO search_pages(rowid, text) VALUES (new.id, new.text);
END;

-- A new file (another version, another download) makes the old text wrong at once.
CREATE TRIGGER pdf_text_forget AFTER UPDATE OF pdf_path ON items
WHEN old.pdf_path IS NOT new.pdf_path BEGIN
    DELETE FROM pdf_pages WHERE item_id = new.id;
    DELETE FROM pdf_text_state WHERE item_id = new.id;
END;
"""

_ANNOTATIONS_SQL = f"""
CREATE VIRTUAL TABLE search_annotations USING fts5(
    quote, comment, content = 'annotations', content_rowid = 'id', tokenize = '{TOKENIZE}'
);

CREATE TRIGGER search_annotations_insert AFTER INSERT ON annotations BEGIN
    INSERT INTO search_annotations(rowid, quote, comment)
    VALUES (new.id, coalesce(new.quote, ''), coalesce(new.comment, ''));
END;

CREATE TRIGGER search_annotations_delete AFTER DELETE ON annotations BEGIN
    INSERT INTO search_annotations(search_annotations, rowid, quote, comment)
    VALUES ('delete', old.id, coalesce(old.quote, ''), coalesce(old.comment, ''));
END;

CREATE TRIGGER search_annotations_update AFTER UPDATE OF id, quote, comment ON annotations BEGIN
    INSERT INTO search_annotations(search_annotations, rowid, quote, comment)
    VALUES ('delete', old.id, coalesce(old.quote, ''), coalesce(old.comment, ''));
    INSERT INTO search_annotations(rowid, quote, comment)
    VALUES (new.id, coalesce(new.quote, ''), coalesce(new.comment, ''));
END;

INSERT INTO search_annotations(search_annotations) VALUES ('rebuild');
"""


def apply(conn: sqlite3.Connection) -> None:
    execute_script(conn, _ITEMS_SQL)
    execute_script(conn, _PAGES_SQL)
    execute_script(conn, _ANNOTATIONS_SQL)
