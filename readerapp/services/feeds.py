"""The feed watcher: subscriptions, polling on schedule, ingest, inbox, adding entries to the library.

Plain Python, shared by the CLI (``readerapp feeds ...``) and the GUI (whose Qt adapter runs
:meth:`FeedService.fetch_group` on worker threads and stores the outcomes on the GUI thread).

A refresh fetches concurrently, a few hosts at a time but one connection per host (all of arXiv
counts as one host and keeps its pacing), so a slow or hostile server holds only its own feeds;
the database is written only by the thread that called :meth:`FeedService.refresh`.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from readerapp.core.arxiv_categories import parse_category_list
from readerapp.core.errors import BadInputError, UserError
from readerapp.core.feed_entries import FeedError
from readerapp.core.feed_rules import MatchMode, RuleMatcher, WatchRule
from readerapp.core.feed_schedule import next_poll, parse_time
from readerapp.core.feed_scope import FeedScope
from readerapp.core.latex_text import latex_title, latex_to_text
from readerapp.core.models import FeedKind, Item, ItemKind
from readerapp.net.feeds import FeedFetcher, FeedSource, FetchedFeed
from readerapp.storage.feeds import (
    EntryRow,
    Feed,
    FeedStore,
    RemovedFeed,
    StoredEntry,
)
from readerapp.storage.library import LibraryRepository

# The feed store's row types, for the feed panel and its models (they never import storage).
__all__ = ["EntryRow", "Feed", "StoredEntry"]

log = logging.getLogger(__name__)

REFRESH_THREADS = 4  # hosts fetched at once; each host still gets one connection at a time
FetchOutcome = FetchedFeed | BaseException


@dataclass(slots=True)
class FeedResult:
    feed_id: int
    title: str
    ok: bool
    error: str | None = None
    not_modified: bool = False
    entries: int = 0
    new_entries: int = 0
    new_versions: int = 0
    new_matches: int = 0


@dataclass(slots=True)
class RefreshReport:
    results: list[FeedResult] = field(default_factory=list)
    removed_by_retention: int = 0

    @property
    def new_entries(self) -> int:
        return sum(r.new_entries for r in self.results)

    @property
    def new_matches(self) -> int:
        return sum(r.new_matches for r in self.results)

    @property
    def errors(self) -> list[FeedResult]:
        return [r for r in self.results if not r.ok]


def parse_feed_spec(spec: str) -> tuple[FeedKind, str]:
    """``arxiv:CAT[+CAT]``, ``query:TEXT`` or an http(s) URL as (kind, source)."""
    spec = spec.strip()
    lowered = spec.lower()
    if lowered.startswith("arxiv:"):
        known, unknown = parse_category_list(spec[6:])
        if unknown:
            raise BadInputError(
                f"arXiv has no category “{unknown[0]}”; try one like cs.LG, cs.CL or stat.ML."
            )
        if not known:
            raise BadInputError("Name an arXiv category after “arxiv:”, for example arxiv:cs.LG.")
        return FeedKind.ARXIV, "+".join(dict.fromkeys(known))
    if lowered.startswith("query:"):
        text = " ".join(spec[6:].split())
        if not text:
            raise BadInputError("Say what to search arXiv for after “query:”.")
        return FeedKind.QUERY, text
    parts = urlsplit(spec)
    if parts.scheme.lower() in ("http", "https") and parts.hostname:
        host = parts.hostname.lower()
        if host == "rss.arxiv.org" and parts.path.startswith(("/rss/", "/atom/")):
            known, unknown = parse_category_list(unquote(parts.path.split("/", 2)[2]))
            if known and not unknown:
                return FeedKind.ARXIV, "+".join(known)
        if host.endswith("arxiv.org") and parts.path.rstrip("/") == "/api/query":
            query = parse_qs(parts.query).get("search_query", [""])[0].strip()
            if query:
                return FeedKind.QUERY, query
        return FeedKind.URL, spec
    raise BadInputError(
        f"“{spec}” is not a feed readerapp understands: give a web address (https://...), "
        "arxiv:CATEGORY (e.g. arxiv:cs.LG) or query:WORDS."
    )


def feed_spec(feed: Feed) -> str:
    return {FeedKind.ARXIV: "arxiv:", FeedKind.QUERY: "query:"}.get(feed.kind, "") + feed.source


class FeedService:
    """Subscriptions and refreshes over one database connection."""

    def __init__(
        self,
        store: FeedStore,
        library: LibraryRepository,
        fetcher: FeedFetcher | Callable[[], FeedFetcher],
    ) -> None:
        self.store = store
        self.library = library
        self._fetcher = fetcher

    @property
    def fetcher(self) -> FeedFetcher:
        if not isinstance(self._fetcher, FeedFetcher):  # built on first use: CLI lists need none
            self._fetcher = self._fetcher()
        return self._fetcher

    # ---- subscriptions ------------------------------------------------------------------------
    def add(self, spec: str, *, topic_path: str | None = None, title: str = "") -> Feed:
        kind, source = parse_feed_spec(spec)
        topic_id = None
        if topic_path:
            topic_id = self.library.require_topic(topic_path).id
        return self.store.add_feed(kind, source, title=title, topic_id=topic_id)

    def discover_feeds(self, spec: str, cancel: threading.Event | None = None) -> list[str]:
        """When ``spec`` is the address of a web page (not a feed), the feeds that page names,
        in its order; otherwise, or when the page cannot be fetched now, []. No database: safe
        on a worker thread."""
        kind, source = parse_feed_spec(spec)
        if kind != FeedKind.URL:
            return []
        try:
            return self.fetcher.discover(source, cancel)
        except UserError as exc:  # the subscription is still made; a refresh will say more
            log.info("Could not look for feeds on %s: %s", source, exc)
            return []

    def feeds(self) -> list[Feed]:
        return self.store.feeds()

    # ---- polling ------------------------------------------------------------------------------
    def next_poll(self, feed: Feed, now: datetime | None = None) -> datetime:
        now = now or datetime.now(UTC)
        return next_poll(
            daily_arxiv=feed.daily_arxiv,
            last_success=parse_time(feed.last_success),
            last_attempt=parse_time(feed.last_attempt),
            failed=bool(feed.last_error),
            interval_minutes=feed.interval_minutes,
            now=now,
        )

    def due_feeds(self, now: datetime | None = None) -> list[Feed]:
        now = now or datetime.now(UTC)
        return [f for f in self.store.feeds() if not f.paused and self.next_poll(f, now) <= now]

    def refresh(
        self,
        feed_ids: Iterable[int] | None = None,
        *,
        only_due: bool = False,
        now: datetime | None = None,
        cancel: threading.Event | None = None,
    ) -> RefreshReport:
        """Fetch feeds (the given ones, the due ones, or every unpaused one), store what they
        hold, then apply retention. A failing feed records its sentence; the others go on."""
        if feed_ids is not None:
            wanted = set(feed_ids)
            feeds = [f for f in self.store.feeds() if f.id in wanted]
        elif only_due:
            feeds = self.due_feeds(now)
        else:
            feeds = [f for f in self.store.feeds() if not f.paused]
        report = RefreshReport()
        matcher = RuleMatcher(self.store.rules())
        order = {feed.id: n for n, feed in enumerate(feeds)}
        for feed, outcome in self.fetch_concurrently(feeds, cancel):
            report.results.append(self.apply_fetch(feed, outcome, now=now, matcher=matcher))
        report.results.sort(key=lambda r: order.get(r.feed_id, 0))
        report.removed_by_retention = self.store.apply_retention(now=now)
        return report

    def connection_groups(self, feeds: Iterable[Feed]) -> list[list[Feed]]:
        """The feeds grouped by the connection they share (one group per host; arXiv is one)."""
        groups: dict[str, list[Feed]] = {}
        for feed in feeds:
            key = self.fetcher.connection_key(_source(feed))
            groups.setdefault(key, []).append(feed)
        return list(groups.values())

    def fetch_concurrently(
        self, feeds: list[Feed], cancel: threading.Event | None = None
    ) -> Iterable[tuple[Feed, FetchOutcome]]:
        """Fetch ``feeds`` on a small pool, one host per worker at a time; yields each outcome in
        the calling thread as soon as it is in (so the caller stores it with its own connection)."""
        if not feeds:
            return
        groups = self.connection_groups(feeds)
        arrived: queue.Queue[tuple[Feed, FetchOutcome]] = queue.Queue()
        threads = min(REFRESH_THREADS, len(groups))
        from concurrent.futures import ThreadPoolExecutor  # the CLI's parallel refresh only

        with ThreadPoolExecutor(threads, thread_name_prefix="feed-refresh") as pool:
            jobs = [
                pool.submit(self.fetch_group, group, cancel, lambda f, o: arrived.put((f, o)))
                for group in groups
            ]
            while True:
                try:
                    yield arrived.get(timeout=0.1)
                except queue.Empty:
                    if all(job.done() for job in jobs) and arrived.empty():
                        break

    def fetch_group(
        self,
        feeds: list[Feed],
        cancel: threading.Event | None = None,
        deliver: Callable[[Feed, FetchOutcome], None] | None = None,
    ) -> list[tuple[Feed, FetchOutcome]]:
        """Fetch feeds that share a connection one after another (safe on a worker thread: no
        database); each outcome goes to ``deliver`` as it comes, and all are returned."""
        done: list[tuple[Feed, FetchOutcome]] = []
        for feed in feeds:
            if cancel is not None and cancel.is_set():
                break
            outcome: FetchOutcome
            try:
                outcome = self.fetch(feed, cancel)
            except Exception as exc:  # a bug must cost one feed its refresh, not the round
                log.exception("Refreshing feed %s failed unexpectedly", feed.id)
                outcome = exc
            done.append((feed, outcome))
            if deliver is not None:
                deliver(feed, outcome)
        return done

    def fetch(self, feed: Feed, cancel: threading.Event | None = None) -> FetchedFeed | UserError:
        """The network and parsing half of a refresh (safe on a worker thread: no database).
        A failure comes back as the error, whose str() is the sentence to store."""
        try:
            return self.fetcher.fetch(_source(feed), cancel=cancel)
        except FeedError as exc:
            return UserError(str(exc))
        except UserError as exc:
            return exc

    def apply_fetch(
        self,
        feed: Feed,
        outcome: FetchedFeed | BaseException,
        *,
        now: datetime | None = None,
        matcher: RuleMatcher | None = None,
    ) -> FeedResult:
        """The storage half of a refresh: record the state, ingest the entries."""
        when = now or datetime.now(UTC)
        result = FeedResult(feed.id, feed.display_title, ok=True)
        if isinstance(outcome, BaseException):
            sentence = (
                str(outcome)
                if isinstance(outcome, UserError)
                else (f"Something unexpected went wrong: {outcome}.")
            )
            result.ok, result.error = False, sentence
            self.store.record_attempt(feed.id, when=when, error=sentence)
            return result
        if outcome.not_modified or outcome.feed is None:
            result.not_modified = True
            self.store.record_attempt(feed.id, when=when, not_modified=True)
            return result
        parsed = outcome.feed
        ingest = self.store.ingest(feed.id, parsed.entries, now=when, matcher=matcher)
        self.store.record_attempt(
            feed.id,
            when=when,
            warning=parsed.warning or None,
            title=parsed.title if feed.kind == FeedKind.URL else None,
            etag=outcome.etag,
            last_modified=outcome.last_modified,
        )
        result.entries = ingest.entries
        result.new_entries = ingest.new_entries
        result.new_versions = ingest.new_versions
        result.new_matches = ingest.new_matches
        return result

    # ---- entries ------------------------------------------------------------------------------
    def default_topic(self, entry_id: int) -> int | None:
        """Where "Add to library" files an entry: its first matching rule's topic, else the
        topic its feed is attached to."""
        stored = self.store.entry(entry_id)
        if stored is None:
            return None
        if stored.matches:
            return stored.matches[0][0]
        row = self.store.conn.execute(
            "SELECT f.topic_id FROM feed_entry_links l JOIN feeds f ON f.id = l.feed_id "
            "WHERE l.entry_id = ? AND f.topic_id IS NOT NULL ORDER BY f.id LIMIT 1",
            (entry_id,),
        ).fetchone()
        return row[0] if row else None

    def add_to_library(self, entry_id: int, topic_id: int | None = None) -> Item:
        """File the entry as a library item (an existing item with the same arXiv id or URL is
        reused), under ``topic_id`` or the default topic."""
        stored = self.store.entry(entry_id)
        if stored is None:
            raise UserError("That feed entry is gone (removed by retention or unsubscribed).")
        if topic_id is None:
            topic_id = self.default_topic(entry_id)
        entry = stored.entry
        topics = [topic_id] if topic_id is not None else []
        item = None
        if entry.arxiv_id:
            item = self.library.find_by_arxiv_id(entry.arxiv_id)
        if item is None and entry.link:
            item = self.library.find_by_url(entry.link)
        if item is None:
            year = int(entry.published[:4]) if entry.published[:4].isdigit() else None
            abstract = entry.summary
            if entry.summary_is_html:
                from readerapp.core.html_text import html_to_text

                abstract = html_to_text(abstract)
            else:  # the library shows what the feed showed: LaTeX read as text
                abstract = latex_to_text(abstract)
            item = self.library.add_item(
                latex_title(entry.title),
                topics,
                kind=ItemKind.PAPER if entry.arxiv_id else ItemKind.WEB,
                authors=entry.authors,
                year=year,
                venue="arXiv" if entry.arxiv_id else "",
                url=entry.link,
                arxiv_id=entry.arxiv_id,
                version=entry.version,
                latest_version=entry.version,
                abstract=abstract,
                categories=entry.categories,
                primary_category=entry.categories[0] if entry.categories and entry.arxiv_id else "",
                published=entry.published,
                doi=entry.doi,
                journal_ref=entry.journal_ref,
            )
        elif topics:
            self.library.file_items([item.id], topics[0])
        self.store.set_added(entry_id, item.id)
        return item

    # ---- watch rules --------------------------------------------------------------------------
    def match_mode(self, topic_id: int) -> MatchMode:
        """How the topic's rules match: any term, or a term of every kind (one mode per topic)."""
        rules = self.store.rules(topic_id)
        return rules[0].mode if rules else MatchMode.ANY

    def set_match_mode(self, topic_id: int, mode: MatchMode | str) -> None:
        """Make every rule of the topic match the ``mode`` way; its inbox is matched again."""
        try:
            mode = MatchMode(mode)
        except ValueError:
            raise BadInputError(f"“{mode}” is not a way to match; use any or all.") from None
        with self.store.db.transaction():
            for rule in self.store.rules(topic_id):
                if rule.mode != mode:
                    rule.mode = mode
                    self.store.save_rule(rule)

    def add_rule(self, rule: WatchRule) -> WatchRule:
        """Save a new rule for its topic, matching the way the topic's other rules match."""
        rule.mode = self.match_mode(rule.topic_id) if self.store.rules(rule.topic_id) else rule.mode
        return self.store.save_rule(rule)

    def unread_match_counts(self) -> dict[int, int]:
        """Unread inbox entries per topic id, for the topic tree."""
        return self.store.unread_match_counts()

    # ---- what the feed panel shows and changes ---------------------------------------------------
    def feed(self, feed_id: int) -> Feed | None:
        return self.store.feed(feed_id)

    def update_feed(self, feed_id: int, **fields: Any) -> None:
        """Change a subscription's title, topic, interval or pause."""
        self.store.update_feed(feed_id, **fields)

    def unread_counts(self) -> dict[int, int]:
        """Unread entries per feed id."""
        return self.store.unread_counts()

    def total_unread(self) -> int:
        return self.store.total_unread()

    def starred_count(self) -> int:
        return self.store.starred_count()

    def entry_rows(
        self, scope: FeedScope, *, limit: int = 200, offset: int = 0
    ) -> list[EntryRow]:
        """A page of a scope's entries (a feed, a topic's inbox, starred, all), newest first."""
        return self.store.entry_rows(scope, limit=limit, offset=offset)

    def entry_rows_by_id(self, entry_ids: Sequence[int]) -> list[EntryRow]:
        return self.store.entry_rows_by_id(entry_ids)

    def entry(self, entry_id: int) -> StoredEntry | None:
        return self.store.entry(entry_id)

    def set_read(self, entry_ids: Iterable[int], read: bool = True) -> None:
        self.store.set_read(entry_ids, read)

    def set_starred(self, entry_ids: Iterable[int], starred: bool = True) -> None:
        self.store.set_starred(entry_ids, starred)

    def rules(self, topic_id: int | None = None) -> list[WatchRule]:
        """The watch rules of one topic, or of every topic."""
        return self.store.rules(topic_id)

    def save_rule(self, rule: WatchRule) -> WatchRule:
        """Save a changed (or restored) rule; the stored entries are matched against it again."""
        return self.store.save_rule(rule)

    def delete_rule(self, rule_id: int) -> None:
        self.store.delete_rule(rule_id)

    def retention_days(self) -> tuple[int, int]:
        """(read, unread): how many days entries are kept."""
        return self.store.retention_days()

    def set_retention_days(self, read_days: int, unread_days: int) -> None:
        if read_days < 1 or unread_days < 1:
            raise BadInputError("Keep entries for at least 1 day.")
        self.store.set_retention_days(read_days, unread_days)

    def apply_retention(self) -> int:
        """Drop old read entries that are neither starred nor in the library; how many went."""
        return self.store.apply_retention()

    # ---- undoable changes (the GUI's Ctrl+Z; the CLI has none) ----------------------------------
    def remove_feed(self, feed_id: int) -> RemovedFeed:
        """Unsubscribe, dropping the entries only it listed; the result undoes it."""
        return self.store.remove_feed(feed_id)

    def restore_feed(self, removed: RemovedFeed) -> None:
        """Follow a removed feed again with its entries as they were (read, starred, matched)."""
        self.store.restore_feed(removed)

    def mark_scope_read(self, scope: FeedScope) -> list[int]:
        """Mark a scope's unread entries read; returns their ids, which :meth:`mark_unread`
        takes to undo it."""
        return self.store.mark_scope_read_ids(scope)

    def mark_unread(self, entry_ids: list[int]) -> None:
        self.store.set_read(entry_ids, False)


def _source(feed: Feed) -> FeedSource:
    return FeedSource(feed.kind, feed.source, feed.etag, feed.last_modified)


def feed_state_text(feed: Feed, now: datetime | None = None) -> str:
    """The feed's state in words: when it last worked, and what went wrong if it did not."""
    now = now or datetime.now(UTC)
    if feed.paused:
        base = "Paused."
    elif feed.last_success is None and feed.last_error is None:
        base = "Not fetched yet."
    else:
        base = ""
    success = parse_time(feed.last_success)
    parts = [base] if base else []
    if feed.last_error:
        parts.append(f"Failed: {feed.last_error.rstrip('.')}.")
        if success:
            parts.append(f"Last worked {relative_time(success, now)}.")
    elif success:
        parts.append(f"Updated {relative_time(success, now)}.")
        if feed.last_warning:
            parts.append(feed.last_warning)
    return " ".join(parts)


def relative_time(moment: datetime, now: datetime) -> str:
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 90:
        return "just now"
    minutes = seconds // 60
    if minutes < 90:
        return f"{minutes} minutes ago"
    hours = minutes // 60
    if hours < 36:
        return f"{hours} hours ago"
    return f"{hours // 24} days ago"
