"""Feed storage: dedupe across feeds and versions, library flags, rules and inbox, retention,
OPML round trip, and the CLI against a real server."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import feedparser
import pytest

from readerapp.cli import main
from readerapp.core.feed_entries import normalise_feed
from readerapp.core.feed_rules import WatchRule
from readerapp.core.feed_scope import ALL_ENTRIES, FeedScope
from readerapp.services.opml import export_opml, import_opml
from tests.feed_samples import LARGE_FEED_SIZE, large_arxiv_rss
from tests.net.feed_server import Route, feed_server

RSS = large_arxiv_rss()
N = LARGE_FEED_SIZE
NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def entries():
    return normalise_feed(feedparser.parse(io.BytesIO(RSS))).entries


def bump(entries, arxiv_id, version):
    from dataclasses import replace

    return [
        replace(e, version=version, announce_type="replace") if e.arxiv_id == arxiv_id else e
        for e in entries
    ]


def test_one_entry_per_paper_across_feeds_and_versions(empty_services, entries):
    store = empty_services.feeds.store
    a = store.add_feed("arxiv", "cs")
    b = store.add_feed("arxiv", "cs.LG")
    first = store.ingest(a.id, entries, now=NOW)
    second = store.ingest(b.id, entries[:300], now=NOW)
    assert (first.new_entries, second.new_entries) == (N, 0)
    count = empty_services.db.conn.execute("SELECT count(*) FROM feed_entries").fetchone()[0]
    assert count == N
    assert store.unread_counts() == {a.id: N, b.id: 300}
    target = entries[0].arxiv_id
    again = store.ingest(b.id, bump(entries[:1], target, 7), now=NOW)
    assert (again.new_entries, again.new_versions) == (0, 1)
    assert empty_services.db.conn.execute(
        "SELECT version, announce_type FROM feed_entries WHERE arxiv_id = ?", (target,)
    ).fetchone() == (7, "replace")
    assert (
        count == empty_services.db.conn.execute("SELECT count(*) FROM feed_entries").fetchone()[0]
    )


def test_replace_announcement_flags_the_library_item(empty_services, entries):
    replaced = next(e for e in entries if e.announce_type == "replace")
    item = empty_services.library.add_item(
        "Held paper", arxiv_id=replaced.arxiv_id, version=1, latest_version=1
    )
    store = empty_services.feeds.store
    feed = store.add_feed("arxiv", "cs")
    report = store.ingest(feed.id, entries, now=NOW)
    assert report.flagged_items == 1
    held = empty_services.library.item(item.id)
    assert held.latest_version == replaced.version and held.new_version_available
    row = next(
        r for r in store.entry_rows(FeedScope.feed(feed.id), limit=2000) if r.title == replaced.title
    )
    assert row.in_library


def test_rules_fill_the_topic_inbox_with_reasons(empty_services, entries):
    lib, store = empty_services.library, empty_services.feeds.store
    topic = lib.ensure_topic("Research focus/Interpretability")
    other = lib.ensure_topic("Research focus/Robotics")
    store.save_rule(WatchRule(topic.id, keywords=["sparse autoencoders", "interpretability"]))
    store.save_rule(WatchRule(other.id, categories=["cs.RO"]))
    feed = store.add_feed("arxiv", "cs")
    report = store.ingest(feed.id, entries, now=NOW)
    counts = empty_services.feeds.unread_match_counts()
    assert report.new_matches == sum(counts.values()) > 0
    assert counts[other.id] == sum("cs.RO" in e.categories for e in entries)
    inbox = store.entry_rows(FeedScope.topic(topic.id), limit=500)
    assert len(inbox) == counts[topic.id]
    reasons = {r for row in inbox for t, rs in row.matches if t == topic.id for r in rs}
    assert reasons == {
        "title: 'sparse autoencoders'",
        "abstract: 'sparse autoencoders'",
        "title: 'interpretability'",
        "abstract: 'interpretability'",
    }
    store.set_read([inbox[0].id])
    assert empty_services.feeds.unread_match_counts()[topic.id] == counts[topic.id] - 1
    # A rule added later matches what is already stored.
    late = lib.ensure_topic("Late")
    store.save_rule(WatchRule(late.id, authors=["Priya Raghunathan", "Marchetti"]))
    written = sum(
        any(a == "Priya Raghunathan" or a.endswith(" Marchetti") for a in e.authors)
        for e in entries
    )
    assert written > 0
    assert empty_services.feeds.unread_match_counts().get(late.id, 0) == written


def test_retention_keeps_starred_added_and_recent(empty_services):
    store = empty_services.feeds.store
    feed = store.add_feed("url", "https://blog.example/feed")
    from readerapp.core.feed_entries import FeedEntry

    def e(n):
        return FeedEntry(key=f"guid:{n}", title=f"Post {n}", link=f"https://blog.example/{n}")

    store.ingest(feed.id, [e(n) for n in range(6)], now=NOW - timedelta(days=40))
    ids = {r.title: r.id for r in store.entry_rows(FeedScope.feed(feed.id))}
    store.set_read([ids["Post 0"], ids["Post 1"]], now=NOW - timedelta(days=4))
    store.set_read([ids["Post 2"]], now=NOW - timedelta(days=1))
    store.set_starred([ids["Post 3"]])
    item = empty_services.feeds.add_to_library(ids["Post 4"])
    assert empty_services.library.item(item.id).url == "https://blog.example/4"
    removed = store.apply_retention(now=NOW)
    left = sorted(r.title for r in store.entry_rows(FeedScope.feed(feed.id)))
    # 0, 1: read 4 days ago; 5: unread for 40 days. 2 read yesterday; 3 starred; 4 added.
    assert removed == 3 and left == ["Post 2", "Post 3", "Post 4"]
    # Removed entries do not come back as new at the next refresh.
    again = store.ingest(feed.id, [e(n) for n in range(6)], now=NOW)
    assert again.new_entries == 0
    store.set_retention_days(0, 0)
    assert store.retention_days() == (0, 0)


def test_add_to_library_files_under_the_matching_topic(empty_services, entries):
    lib, service = empty_services.library, empty_services.feeds
    topic = lib.ensure_topic("Robots")
    service.store.save_rule(WatchRule(topic.id, categories=["cs.RO"]))
    feed = service.store.add_feed("arxiv", "cs")
    service.store.ingest(feed.id, entries, now=NOW)
    row = service.store.entry_rows(FeedScope.topic(topic.id), limit=1)[0]
    item = service.add_to_library(row.id)
    assert item.arxiv_id and item.version and lib.item_topic_ids(item.id) == [topic.id]
    assert item.authors and item.abstract and "Announce Type" not in item.abstract
    assert service.store.entry_rows(FeedScope.topic(topic.id), limit=1)[0].in_library
    assert service.add_to_library(row.id).id == item.id  # twice is still one item


def test_remove_feed_drops_entries_only_it_listed(empty_services, entries):
    store = empty_services.feeds.store
    a = store.add_feed("arxiv", "cs")
    b = store.add_feed("arxiv", "cs.LG")
    store.ingest(a.id, entries, now=NOW)
    store.ingest(b.id, entries[:10], now=NOW)
    store.set_starred([store.entry_rows(FeedScope.feed(a.id), limit=1, offset=1000)[0].id])
    store.remove_feed(a.id)
    assert len(store.entry_rows(ALL_ENTRIES, limit=5000)) == 11


def test_opml_round_trip(empty_services, tmp_path):
    lib, service = empty_services.library, empty_services.feeds
    lib.ensure_topic("Research focus/Interpretability")
    service.add("arxiv:cs.LG+cs.CL", topic_path="Research focus/Interpretability")
    service.add("query:induction heads")
    service.add("https://blog.example/feed.xml", title="A blog")
    text = export_opml(empty_services)
    assert "https://rss.arxiv.org/rss/cs.LG+cs.CL" in text
    assert 'text="Interpretability"' in text
    path = tmp_path / "subs.opml"
    path.write_text(text, encoding="utf-8")

    from readerapp.app import open_services

    other = open_services(str(tmp_path / "other"), seed=False)
    try:
        other.library.ensure_topic("Research focus/Interpretability")
        report = import_opml(other, path)
        assert len(report.added) == 3 and not report.problems
        feeds = {(f.kind, f.source, f.title): f for f in other.feeds.store.feeds()}
        assert set(feeds) == {
            ("arxiv", "cs.LG+cs.CL", ""),
            ("query", "induction heads", ""),
            ("url", "https://blog.example/feed.xml", "A blog"),
        }
        topic = other.library.find_topic("Research focus/Interpretability")
        assert feeds[("arxiv", "cs.LG+cs.CL", "")].topic_id == topic.id
        assert len(import_opml(other, path).already_followed) == 3
    finally:
        other.close()


@pytest.mark.parametrize(
    "data",
    [b"not xml", b"<html><body/></html>", b'<!DOCTYPE x [<!ENTITY a "b">]><opml/>'],
)
def test_bad_opml_is_a_sentence(empty_services, tmp_path, data):
    from readerapp.core.errors import BadInputError

    path = tmp_path / "bad.opml"
    path.write_bytes(data)
    with pytest.raises(BadInputError):
        import_opml(empty_services, path)


def test_cli_add_refresh_list(home, monkeypatch, capsys):
    with feed_server() as server:
        monkeypatch.setenv("READERAPP_ARXIV_RSS", server.url("/rss/"))
        server.routes["/rss/cs.LG"] = Route(RSS, etag='"d1"')
        server.routes["/broken"] = Route(b"<!doctype html><html></html>", content_type="text/html")
        base = ["--home", str(home)]
        assert main([*base, "feeds", "add", "arxiv:cs.LG", "--topic", "Research focus"]) == 0
        assert main([*base, "feeds", "add", server.url("/broken")]) == 0
        assert main([*base, "feeds", "add", "arxiv:cs.LG"]) == 2
        assert main([*base, "feeds", "add", "arxiv:cs.NOPE"]) == 2
        assert main([*base, "feeds", "add", "ftp://x"]) == 2
        capsys.readouterr()
        assert main([*base, "feeds", "refresh", "--json"]) == 0
        results = {r["title"]: r for r in json.loads(capsys.readouterr().out)}
        assert results["arXiv cs.LG"]["new_entries"] == N
        assert main([*base, "feeds", "refresh", "--json"]) == 0
        again = {r["title"]: r for r in json.loads(capsys.readouterr().out)}
        assert again["arXiv cs.LG"]["not_modified"] is True
        assert main([*base, "feeds", "list", "--json"]) == 0
        rows = {r["url"]: r for r in json.loads(capsys.readouterr().out)}
        ok = rows[server.url("/rss/cs.LG")]
        assert (ok["status"], ok["unread"], ok["last_error"]) == ("ok", N, None)
        assert ok["last_success"].endswith("Z")
        bad = rows[server.url("/broken")]
        assert bad["status"] == "error" and bad["last_error"].startswith("Not a feed")
        assert main([*base, "feeds", "list"]) == 0
        assert "Failed: Not a feed: this is an HTML page." in capsys.readouterr().out


def test_unread_counts_stay_true_through_every_change(empty_services, entries):
    store = empty_services.feeds.store
    a = store.add_feed("arxiv", "cs")
    b = store.add_feed("arxiv", "cs.LG")
    store.ingest(a.id, entries[:400], now=NOW)
    ids = [r.id for r in store.entry_rows(FeedScope.feed(a.id), limit=400)]
    store.set_read(ids[:50])
    store.ingest(b.id, entries[:100], now=NOW)  # read entries arrive read in the second feed
    store.set_read(ids[40:45], False)
    store.mark_scope_read(FeedScope.feed(b.id))
    store.set_starred(ids[200:210])  # unread, and listed by feed a only
    store.apply_retention(now=NOW + timedelta(days=31))

    def truth():
        rows = empty_services.db.conn.execute(
            "SELECT l.feed_id, count(*) FROM feed_entry_links l JOIN feed_entries e "
            "ON e.id = l.entry_id WHERE e.read = 0 GROUP BY l.feed_id"
        )
        return dict(rows.fetchall())

    assert store.unread_counts() == truth() == {a.id: 10}
    store.remove_feed(b.id)
    assert store.unread_counts() == truth()


def test_cli_watch_and_retention(services, capsys):
    from readerapp.cli import main as cli

    home = ["--home", str(services.paths.root)]
    assert cli([*home, "feeds", "watch", "Research focus", "--keyword", "induction heads"]) == 0
    assert "keywords 'induction heads'" in capsys.readouterr().out
    assert cli([*home, "feeds", "watch", "No such topic", "--keyword", "x"]) == 2
    assert cli([*home, "feeds", "watch", "Research focus"]) == 2
    assert cli([*home, "feeds", "watch", "Research focus", "--category", "cs.NOPE"]) == 2
    assert "no category “cs.NOPE”" in capsys.readouterr().err
    assert cli([*home, "feeds", "watch", "Research focus", "--category", "cs.lg"]) == 0
    assert "categories cs.LG" in capsys.readouterr().out
    assert cli([*home, "feeds", "retention", "--read-days", "7"]) == 0
    assert "kept 7 days, unread ones 30 days" in capsys.readouterr().out
    assert cli([*home, "feeds", "retention", "--unread-days", "0"]) == 2
