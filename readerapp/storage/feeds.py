"""Feeds, entries, watch rules and matches in SQLite.

Ingest is one transaction per fetched feed: new papers are inserted once (keyed by base arXiv id,
else guid, else link), a higher version updates the entry and flags the library item
(``items.latest_version``), every entry is linked to the feed that listed it, and new entries are
matched against the topics' watch rules.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from readerapp.core.errors import BadInputError, UserError
from readerapp.core.feed_entries import FeedEntry
from readerapp.core.feed_rules import MatchMode, RuleMatcher, WatchRule
from readerapp.core.feed_schedule import format_time
from readerapp.core.feed_scope import FeedScope, FeedScopeKind
from readerapp.core.models import FeedKind
from readerapp.storage.db import Database

RETENTION_READ_KEY = "feeds.retention_read_days"
RETENTION_UNREAD_KEY = "feeds.retention_unread_days"
DEFAULT_READ_DAYS = 3
DEFAULT_UNREAD_DAYS = 30
TOMBSTONE_DAYS = 120
_CHUNK = 500

# Which entries of feed_entries each kind of scope holds (its id, if it takes one, is the ?).
_SCOPE_FILTERS = {
    FeedScopeKind.ALL: "1",
    FeedScopeKind.STARRED: "starred = 1",
    FeedScopeKind.TOPIC: "id IN (SELECT entry_id FROM rule_matches WHERE topic_id = ?)",
    FeedScopeKind.FEED: "id IN (SELECT entry_id FROM feed_entry_links WHERE feed_id = ?)",
}


class FeedExistsError(BadInputError):
    """The feed is already subscribed; str() says so."""


@dataclass(slots=True)
class Feed:
    id: int
    kind: FeedKind
    source: str
    title: str = ""
    topic_id: int | None = None
    interval_minutes: int | None = None
    paused: bool = False
    etag: str | None = None
    last_modified: str | None = None
    last_attempt: str | None = None
    last_success: str | None = None
    last_error: str | None = None
    last_warning: str | None = None

    @property
    def status(self) -> str:
        return "error" if self.last_error else "ok"

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        if self.kind == FeedKind.ARXIV:
            return f"arXiv {self.source}"
        if self.kind == FeedKind.QUERY:
            return f"arXiv search: {self.source}"
        return self.source

    @property
    def daily_arxiv(self) -> bool:
        return self.kind in (FeedKind.ARXIV, FeedKind.QUERY)


_ROW_COLUMNS = (
    "e.id, e.title, e.authors, e.published, e.categories, e.read, e.starred, "
    "e.added_item_id IS NOT NULL OR EXISTS (SELECT 1 FROM items i WHERE "
    "i.arxiv_id = e.arxiv_id AND i.trashed IS NULL), e.version, e.announce_type, "
    "(SELECT group_concat(m.topic_id || char(9) || m.reasons, char(10)) "
    "FROM rule_matches m WHERE m.entry_id = e.id)"
)
_FEED_COLUMNS = (
    "id, kind, source, title, topic_id, interval_minutes, paused, etag, last_modified, "
    "last_attempt, last_success, last_error, last_warning"
)


@dataclass(frozen=True, slots=True)
class EntryRow:
    """What the entry list shows for one entry: cheap to load a page of."""

    id: int
    title: str
    authors: str
    published: str
    categories: str
    read: bool
    starred: bool
    in_library: bool
    version: int | None
    announce_type: str
    matches: tuple[tuple[int, tuple[str, ...]], ...]  # (topic id, reasons)


@dataclass(slots=True)
class StoredEntry:
    id: int
    entry: FeedEntry
    read: bool
    starred: bool
    first_seen: str
    added_item_id: int | None
    library_item_id: int | None
    matches: list[tuple[int, list[str]]] = field(default_factory=list)


@dataclass(slots=True)
class IngestReport:
    feed_id: int
    entries: int = 0
    new_entries: int = 0
    new_versions: int = 0
    new_matches: int = 0
    flagged_items: int = 0
    matched_topics: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RemovedFeed:
    """The rows removing a feed deleted, each table's as (column names, rows)."""

    feed: tuple[list[str], list[tuple[Any, ...]]]
    links: tuple[list[str], list[tuple[Any, ...]]]
    entries: tuple[list[str], list[tuple[Any, ...]]]
    matches: tuple[list[str], list[tuple[Any, ...]]]

    @property
    def entry_count(self) -> int:
        return len(self.links[1])


def _table_rows(
    conn: sqlite3.Connection, table: str, where: str, args: tuple[Any, ...] = ()
) -> tuple[list[str], list[tuple[Any, ...]]]:
    cur = conn.execute(f"SELECT * FROM {table} WHERE {where}", args)
    return [d[0] for d in cur.description], [tuple(r) for r in cur.fetchall()]


def _now() -> datetime:
    return datetime.now(UTC)


class FeedStore:
    """CRUD over feeds, entries and watch rules; every write is one transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    # ---- feeds --------------------------------------------------------------------------------
    def add_feed(
        self,
        kind: FeedKind | str,
        source: str,
        *,
        title: str = "",
        topic_id: int | None = None,
        interval_minutes: int | None = None,
    ) -> Feed:
        kind = FeedKind(kind)  # ValueError for any other text: a caller's bug
        existing = self.find_feed(source)
        if existing is not None:
            raise FeedExistsError(f"You already follow {existing.display_title}.")
        with self.db.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO feeds(kind, source, title, topic_id, interval_minutes) "
                "VALUES (?, ?, ?, ?, ?)",
                (kind, source, title, topic_id, interval_minutes),
            )
        feed = self.feed(int(cur.lastrowid or 0))
        assert feed is not None
        return feed

    def feeds(self) -> list[Feed]:
        rows = self.conn.execute(
            f"SELECT {_FEED_COLUMNS} FROM feeds ORDER BY "
            "coalesce(nullif(title, ''), source) COLLATE NOCASE"
        )
        return [_feed(r) for r in rows]

    def feed(self, feed_id: int) -> Feed | None:
        row = self.conn.execute(
            f"SELECT {_FEED_COLUMNS} FROM feeds WHERE id = ?", (feed_id,)
        ).fetchone()
        return _feed(row) if row else None

    def find_feed(self, source: str) -> Feed | None:
        row = self.conn.execute(
            f"SELECT {_FEED_COLUMNS} FROM feeds WHERE source = ?", (source,)
        ).fetchone()
        return _feed(row) if row else None

    def update_feed(self, feed_id: int, **fields: Any) -> None:
        allowed = {"title", "topic_id", "interval_minutes", "paused", "source"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"unknown feed fields: {sorted(unknown)}")
        if not fields:
            return
        sets = ", ".join(f"{k} = ?" for k in fields)
        with self.db.transaction() as conn:
            conn.execute(f"UPDATE feeds SET {sets} WHERE id = ?", (*fields.values(), feed_id))

    def remove_feed(self, feed_id: int) -> RemovedFeed:
        """Unsubscribe; entries no other feed lists go too, unless starred or added.

        Returns every row it deleted, so :meth:`restore_feed` can bring the feed back as it was
        (its entries' read and starred state included): removing a feed can be undone.
        """
        orphans = (
            "starred = 0 AND added_item_id IS NULL AND "
            "NOT EXISTS (SELECT 1 FROM feed_entry_links l WHERE l.entry_id = feed_entries.id)"
        )
        with self.db.transaction() as conn:
            feed = _table_rows(conn, "feeds", "id = ?", (feed_id,))
            links = _table_rows(conn, "feed_entry_links", "feed_id = ?", (feed_id,))
            conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
            entries = _table_rows(conn, "feed_entries", orphans)
            doomed = f"entry_id IN (SELECT id FROM feed_entries WHERE {orphans})"
            matches = _table_rows(conn, "rule_matches", doomed)
            conn.execute(f"DELETE FROM feed_entries WHERE {orphans}")
        return RemovedFeed(feed, links, entries, matches)

    def restore_feed(self, removed: RemovedFeed) -> None:
        """Put back what :meth:`remove_feed` deleted, with the same ids."""
        columns, rows = removed.feed
        # The links' insert trigger counts the unread entries again: start the count at zero.
        counted = columns.index("unread_count")
        rows = [(*r[:counted], 0, *r[counted + 1 :]) for r in rows]
        try:
            with self.db.transaction() as conn:
                for table, (cols, values) in (
                    ("feeds", (columns, rows)),
                    ("feed_entries", removed.entries),
                    ("feed_entry_links", removed.links),
                    ("rule_matches", removed.matches),
                ):
                    if values:
                        marks = ", ".join("?" * len(cols))
                        conn.executemany(
                            f"INSERT INTO {table}({', '.join(cols)}) VALUES ({marks})", values
                        )
        except sqlite3.IntegrityError as exc:  # followed again meanwhile, or a topic deleted
            raise UserError(
                "The feed cannot come back as it was: it is followed again, or its topic is gone."
            ) from exc

    def record_attempt(
        self,
        feed_id: int,
        *,
        when: datetime,
        error: str | None = None,
        warning: str | None = None,
        title: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        not_modified: bool = False,
    ) -> None:
        """Store how a fetch went: an error sentence, or success (with validators for next time)."""
        stamp = format_time(when)
        with self.db.transaction() as conn:
            if error:
                conn.execute(
                    "UPDATE feeds SET last_attempt = ?, last_error = ? WHERE id = ?",
                    (stamp, error, feed_id),
                )
                return
            if not_modified:
                conn.execute(
                    "UPDATE feeds SET last_attempt = ?, last_success = ?, last_error = NULL "
                    "WHERE id = ?",
                    (stamp, stamp, feed_id),
                )
                return
            conn.execute(
                "UPDATE feeds SET last_attempt = ?, last_success = ?, last_error = NULL, "
                "last_warning = ?, etag = ?, last_modified = ?, "
                "title = CASE WHEN title = '' AND ? != '' THEN ? ELSE title END WHERE id = ?",
                (stamp, stamp, warning, etag, last_modified, title or "", title or "", feed_id),
            )

    def unread_counts(self) -> dict[int, int]:
        """Unread entries per feed id (feeds with none are left out)."""
        return dict(
            self.conn.execute(
                "SELECT id, unread_count FROM feeds WHERE unread_count > 0"
            ).fetchall()
        )

    def total_unread(self) -> int:
        return self._count("SELECT count(*) FROM feed_entries WHERE read = 0")

    def starred_count(self) -> int:
        return self._count("SELECT count(*) FROM feed_entries WHERE starred = 1")

    def _count(self, sql: str) -> int:
        return int(self.conn.execute(sql).fetchone()[0])

    # ---- ingest -------------------------------------------------------------------------------
    def ingest(
        self,
        feed_id: int,
        entries: Sequence[FeedEntry],
        *,
        now: datetime | None = None,
        matcher: RuleMatcher | None = None,
    ) -> IngestReport:
        """Store a fetched feed's entries: dedupe, version updates, links, rule matches."""
        stamp = format_time(now or _now())
        report = IngestReport(feed_id=feed_id, entries=len(entries))
        if matcher is None:
            matcher = RuleMatcher(self.rules())
        with self.db.transaction() as conn:
            keys = [e.key for e in entries]
            known = self._lookup(conn, "SELECT key, id, version, read FROM feed_entries", keys)
            buried = self._lookup(conn, "SELECT key, version FROM feed_tombstones", keys)
            links: list[tuple[int, int, str, int]] = []
            matches: list[tuple[int, int, int, str, str]] = []
            updates: list[tuple[Any, ...]] = []
            for entry in entries:
                found = known.get(entry.key)
                if found is None:
                    grave = buried.get(entry.key)
                    if grave is not None and (entry.version or 0) <= (grave[0] or 0):
                        continue  # removed by retention; only a newer version comes back
                    entry_id = _insert_entry(conn, entry, stamp)
                    known[entry.key] = (entry_id, entry.version, 0)
                    read = 0
                    report.new_entries += 1
                    if matcher:
                        for rule, reasons in matcher.match(entry):
                            matches.append(
                                (rule.id or 0, entry_id, rule.topic_id, json.dumps(reasons), stamp)
                            )
                else:
                    entry_id, version, read = found
                    if entry.version and version and entry.version > version:
                        updates.append(_update_values(entry, stamp, entry_id))
                        known[entry.key] = (entry_id, entry.version, read)
                        report.new_versions += 1
                links.append((feed_id, entry_id, entry.published, int(not read)))
            if updates:
                conn.executemany(
                    "UPDATE feed_entries SET "
                    + ", ".join(f"{c.strip()} = ?" for c in _CONTENT_COLUMNS.split(","))
                    + ", updated_seen = ? WHERE id = ?",
                    updates,
                )
            conn.executemany(
                "INSERT INTO feed_entry_links(feed_id, entry_id, sort_key, unread) "
                "VALUES (?, ?, ?, ?) "
                "ON CONFLICT(feed_id, entry_id) DO UPDATE SET sort_key = excluded.sort_key",
                links,
            )
            if matches:
                before = conn.total_changes
                conn.executemany(
                    "INSERT OR IGNORE INTO rule_matches(rule_id, entry_id, topic_id, reasons, "
                    "matched) VALUES (?, ?, ?, ?, ?)",
                    matches,
                )
                report.new_matches = conn.total_changes - before
                for _rule, _entry, topic_id, _r, _m in matches:
                    report.matched_topics[topic_id] = report.matched_topics.get(topic_id, 0) + 1
            versions = [
                (e.version, e.arxiv_id, e.version) for e in entries if e.arxiv_id and e.version
            ]
            if versions:
                flagged = conn.executemany(  # its count: total_changes counts triggers' writes too
                    "UPDATE items SET latest_version = ? WHERE arxiv_id = ? AND "
                    "coalesce(latest_version, 0) < ?",
                    versions,
                )
                report.flagged_items = flagged.rowcount
        return report

    @staticmethod
    def _lookup(
        conn: sqlite3.Connection, select: str, keys: Sequence[str]
    ) -> dict[str, tuple[Any, ...]]:
        """Rows of ``select`` by key (its first column), the other columns as a tuple."""
        found: dict[str, tuple[Any, ...]] = {}
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for row in conn.execute(f"{select} WHERE key IN ({marks})", chunk):
                found[row[0]] = tuple(row[1:])
        return found

    # ---- entries ------------------------------------------------------------------------------
    def entry_rows(self, scope: FeedScope, *, limit: int = 200, offset: int = 0) -> list[EntryRow]:
        """One page of a scope's entries, newest first."""
        kind, ident = scope.kind, scope.ident
        cols = _ROW_COLUMNS
        if kind is FeedScopeKind.FEED:
            sql = (
                f"SELECT {cols} FROM feed_entry_links l JOIN feed_entries e ON e.id = l.entry_id "
                "WHERE l.feed_id = ? ORDER BY l.sort_key DESC, l.entry_id DESC LIMIT ? OFFSET ?"
            )
            args: tuple[Any, ...] = (ident, limit, offset)
        elif kind is FeedScopeKind.TOPIC:
            sql = (
                f"SELECT {cols} FROM feed_entries e WHERE e.id IN "
                "(SELECT entry_id FROM rule_matches WHERE topic_id = ?) "
                "ORDER BY e.published DESC, e.id DESC LIMIT ? OFFSET ?"
            )
            args = (ident, limit, offset)
        elif kind is FeedScopeKind.STARRED:
            sql = (
                f"SELECT {cols} FROM feed_entries e WHERE e.starred = 1 "
                "ORDER BY e.published DESC, e.id DESC LIMIT ? OFFSET ?"
            )
            args = (limit, offset)
        else:
            sql = (
                f"SELECT {cols} FROM feed_entries e "
                "ORDER BY e.published DESC, e.id DESC LIMIT ? OFFSET ?"
            )
            args = (limit, offset)
        return [_entry_row(r) for r in self.conn.execute(sql, args)]

    def entry_rows_by_id(self, entry_ids: Sequence[int]) -> list[EntryRow]:
        marks = ",".join("?" * len(entry_ids))
        sql = f"SELECT {_ROW_COLUMNS} FROM feed_entries e WHERE e.id IN ({marks})"
        return [_entry_row(r) for r in self.conn.execute(sql, tuple(entry_ids))]

    def entry(self, entry_id: int) -> StoredEntry | None:
        row = self.conn.execute(
            "SELECT e.id, e.key, e.arxiv_id, e.version, e.title, e.link, e.authors, e.summary, "
            "e.summary_is_html, e.categories, e.announce_type, e.published, e.doi, e.journal_ref, "
            "e.read, e.starred, e.first_seen, e.added_item_id, "
            "(SELECT i.id FROM items i WHERE i.arxiv_id = e.arxiv_id AND i.trashed IS NULL) "
            "FROM feed_entries e WHERE e.id = ?",
            (entry_id,),
        ).fetchone()
        if row is None:
            return None
        entry = FeedEntry(
            key=row[1],
            arxiv_id=row[2],
            version=row[3],
            title=row[4],
            link=row[5],
            authors=json.loads(row[6]),
            summary=row[7],
            summary_is_html=bool(row[8]),
            categories=json.loads(row[9]),
            announce_type=row[10],
            published=row[11],
            doi=row[12],
            journal_ref=row[13],
        )
        library_id = row[18]
        if library_id is None and row[17] is not None:
            alive = self.conn.execute(
                "SELECT id FROM items WHERE id = ? AND trashed IS NULL", (row[17],)
            ).fetchone()
            library_id = alive[0] if alive else None
        if library_id is None and entry.link:
            found = self.conn.execute(
                "SELECT id FROM items WHERE url = ? AND trashed IS NULL", (entry.link,)
            ).fetchone()
            library_id = found[0] if found else None
        matches = [
            (topic_id, json.loads(reasons))
            for topic_id, reasons in self.conn.execute(
                "SELECT topic_id, reasons FROM rule_matches WHERE entry_id = ? ORDER BY topic_id",
                (entry_id,),
            )
        ]
        return StoredEntry(
            id=row[0],
            entry=entry,
            read=bool(row[14]),
            starred=bool(row[15]),
            first_seen=row[16],
            added_item_id=row[17],
            library_item_id=library_id,
            matches=matches,
        )

    def set_read(
        self, entry_ids: Iterable[int], read: bool = True, *, now: datetime | None = None
    ) -> None:
        stamp = format_time(now or _now()) if read else None
        with self.db.transaction() as conn:
            conn.executemany(
                "UPDATE feed_entries SET read = ?, read_at = ? WHERE id = ?",
                [(int(read), stamp, i) for i in entry_ids],
            )

    def mark_scope_read(self, scope: FeedScope, *, now: datetime | None = None) -> int:
        """Mark every unread entry of a scope read; returns how many changed."""
        return len(self.mark_scope_read_ids(scope, now=now))

    def mark_scope_read_ids(self, scope: FeedScope, *, now: datetime | None = None) -> list[int]:
        """Mark every unread entry of a scope read; returns the ids it changed (to undo it)."""
        stamp = format_time(now or _now())
        where = _SCOPE_FILTERS[scope.kind]
        args: tuple[Any, ...] = (scope.ident,) if "?" in where else ()
        with self.db.transaction() as conn:
            ids = [
                r[0]
                for r in conn.execute(
                    f"SELECT id FROM feed_entries WHERE read = 0 AND {where}", args
                )
            ]
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                conn.execute(
                    "UPDATE feed_entries SET read = 1, read_at = ? "
                    f"WHERE id IN ({', '.join('?' * len(chunk))})",
                    (stamp, *chunk),
                )
            return ids

    def set_starred(self, entry_ids: Iterable[int], starred: bool = True) -> None:
        with self.db.transaction() as conn:
            conn.executemany(
                "UPDATE feed_entries SET starred = ? WHERE id = ?",
                [(int(starred), i) for i in entry_ids],
            )

    def set_added(self, entry_id: int, item_id: int) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "UPDATE feed_entries SET added_item_id = ?, read = 1, "
                "read_at = coalesce(read_at, ?) WHERE id = ?",
                (item_id, format_time(_now()), entry_id),
            )

    # ---- retention ----------------------------------------------------------------------------
    def retention_days(self) -> tuple[int, int]:
        """(read, unread) days an entry is kept; Zotero's defaults 3 and 30, set in state."""
        values = []
        for key, default in (
            (RETENTION_READ_KEY, DEFAULT_READ_DAYS),
            (RETENTION_UNREAD_KEY, DEFAULT_UNREAD_DAYS),
        ):
            row = self.conn.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
            try:
                values.append(max(0, int(row[0])) if row else default)
            except ValueError:
                values.append(default)
        return values[0], values[1]

    def set_retention_days(self, read_days: int, unread_days: int) -> None:
        with self.db.transaction() as conn:
            conn.executemany(
                "INSERT INTO state(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [(RETENTION_READ_KEY, str(read_days)), (RETENTION_UNREAD_KEY, str(unread_days))],
            )

    def apply_retention(self, *, now: datetime | None = None) -> int:
        """Drop read entries after N days and unread ones after M; starred, added and in-library
        entries stay. Returns how many went."""
        now = now or _now()
        read_days, unread_days = self.retention_days()
        read_cutoff = format_time(now - timedelta(days=read_days))
        unread_cutoff = format_time(now - timedelta(days=unread_days))
        doomed = (
            "starred = 0 AND added_item_id IS NULL AND NOT EXISTS (SELECT 1 FROM items i "
            "WHERE i.arxiv_id = feed_entries.arxiv_id AND i.trashed IS NULL) AND "
            "((read = 1 AND coalesce(read_at, first_seen) < ?) OR (read = 0 AND first_seen < ?))"
        )
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO feed_tombstones(key, version, removed) "
                f"SELECT key, version, ? FROM feed_entries WHERE {doomed}",
                (format_time(now), read_cutoff, unread_cutoff),
            )
            cur = conn.execute(
                f"DELETE FROM feed_entries WHERE {doomed}", (read_cutoff, unread_cutoff)
            )
            conn.execute(
                "DELETE FROM feed_tombstones WHERE removed < ?",
                (format_time(now - timedelta(days=TOMBSTONE_DAYS)),),
            )
            return cur.rowcount

    # ---- watch rules --------------------------------------------------------------------------
    def rules(self, topic_id: int | None = None) -> list[WatchRule]:
        sql = "SELECT id, topic_id, categories, keywords, authors, mode, enabled FROM watch_rules"
        args: tuple[Any, ...] = ()
        if topic_id is not None:
            sql += " WHERE topic_id = ?"
            args = (topic_id,)
        return [
            WatchRule(
                id=r[0],
                topic_id=r[1],
                categories=json.loads(r[2]),
                keywords=json.loads(r[3]),
                authors=json.loads(r[4]),
                mode=MatchMode(r[5]),  # the table allows no other value
                enabled=bool(r[6]),
            )
            for r in self.conn.execute(sql + " ORDER BY id", args)
        ]

    def save_rule(self, rule: WatchRule, *, rematch: bool = True) -> WatchRule:
        """Insert or update a rule, then match the stored entries against it (the inbox fills
        at once instead of at the next refresh)."""
        rule.mode = MatchMode(rule.mode)  # ValueError for any other text: a caller's bug
        values = (
            rule.topic_id,
            json.dumps(rule.categories, ensure_ascii=False),
            json.dumps(rule.keywords, ensure_ascii=False),
            json.dumps(rule.authors, ensure_ascii=False),
            rule.mode,
            int(rule.enabled),
        )
        with self.db.transaction() as conn:
            if rule.id is None:
                cur = conn.execute(
                    "INSERT INTO watch_rules(topic_id, categories, keywords, authors, mode, "
                    "enabled) VALUES (?, ?, ?, ?, ?, ?)",
                    values,
                )
                rule.id = int(cur.lastrowid or 0)
            else:
                conn.execute(
                    "UPDATE watch_rules SET topic_id = ?, categories = ?, keywords = ?, "
                    "authors = ?, mode = ?, enabled = ? WHERE id = ?",
                    (*values, rule.id),
                )
                conn.execute("DELETE FROM rule_matches WHERE rule_id = ?", (rule.id,))
            if rematch:
                self._rematch(conn, rule)
        return rule

    def delete_rule(self, rule_id: int) -> None:
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM watch_rules WHERE id = ?", (rule_id,))

    def _rematch(self, conn: sqlite3.Connection, rule: WatchRule) -> None:
        matcher = RuleMatcher([rule])
        if not matcher:
            return
        stamp = format_time(_now())
        rows = conn.execute(
            "SELECT id, key, title, summary, summary_is_html, authors, categories, read "
            "FROM feed_entries"
        )
        found = []
        for ident, key, title, summary, is_html, authors, categories, read in rows:
            entry = FeedEntry(
                key=key,
                title=title,
                summary=summary,
                summary_is_html=bool(is_html),
                authors=json.loads(authors),
                categories=json.loads(categories),
            )
            for matched, reasons in matcher.match(entry):
                found.append(
                    (matched.id, ident, matched.topic_id, json.dumps(reasons), stamp, int(not read))
                )
        conn.executemany(
            "INSERT OR IGNORE INTO rule_matches(rule_id, entry_id, topic_id, reasons, matched, "
            "unread) VALUES (?, ?, ?, ?, ?, ?)",
            found,
        )

    def unread_match_counts(self) -> dict[int, int]:
        """Unread entries matched by each topic's rules: the topic tree's inbox badge."""
        return dict(
            self.conn.execute(
                "SELECT topic_id, count(DISTINCT entry_id) FROM rule_matches "
                "WHERE unread = 1 GROUP BY topic_id"
            ).fetchall()
        )


_CONTENT_COLUMNS = (
    "version, title, authors, summary, summary_is_html, categories, announce_type, published, "
    "doi, journal_ref"
)


def _content(e: FeedEntry, stamp: str) -> tuple[Any, ...]:
    """The values of :data:`_CONTENT_COLUMNS`: what a newer version replaces."""
    return (
        e.version,
        e.title,
        json.dumps(e.authors, ensure_ascii=False),
        e.summary,
        int(e.summary_is_html),
        json.dumps(e.categories),
        e.announce_type,
        e.published or stamp,
        e.doi,
        e.journal_ref,
    )


def _insert_entry(conn: sqlite3.Connection, e: FeedEntry, stamp: str) -> int:
    cur = conn.execute(
        f"INSERT INTO feed_entries(key, arxiv_id, link, first_seen, {_CONTENT_COLUMNS}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (e.key, e.arxiv_id, e.link, stamp, *_content(e, stamp)),
    )
    return int(cur.lastrowid or 0)


def _update_values(e: FeedEntry, stamp: str, entry_id: int) -> tuple[Any, ...]:
    return (*_content(e, stamp), stamp, entry_id)


def _feed(row: Sequence[Any]) -> Feed:
    """A row of :data:`_FEED_COLUMNS` (their order is Feed's field order)."""
    fields = list(row)
    fields[1] = FeedKind(fields[1])  # the table allows no other text
    fields[6] = bool(fields[6])  # paused, stored as 0/1
    return Feed(*fields)


def _short_authors(names: list[str], keep: int = 6) -> str:
    """A list cell's authors: collaborations list hundreds, and drawing them all costs ms."""
    if len(names) <= keep:
        return ", ".join(names)
    return ", ".join(names[:keep]) + f", … (+{len(names) - keep})"


def _entry_row(r: Sequence[Any]) -> EntryRow:
    matches: list[tuple[int, tuple[str, ...]]] = []
    if r[10]:
        for line in r[10].split("\n"):
            topic, _, reasons = line.partition("\t")
            matches.append((int(topic), tuple(json.loads(reasons))))
    return EntryRow(
        id=r[0],
        title=r[1],
        authors=_short_authors(json.loads(r[2])),
        published=r[3],
        categories=" ".join(json.loads(r[4])),
        read=bool(r[5]),
        starred=bool(r[6]),
        in_library=bool(r[7]),
        version=r[8],
        announce_type=r[9],
        matches=tuple(matches),
    )
