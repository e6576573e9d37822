"""``readerapp feeds add|list|refresh|watch``: subscriptions and topic watch rules, headless."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime

from readerapp.core.errors import BadInputError
from readerapp.core.feed_rules import MatchMode, WatchRule, check_categories, parse_terms


def register(subparsers: argparse._SubParsersAction) -> None:
    feeds = subparsers.add_parser("feeds", help="follow arXiv categories, searches and RSS feeds")
    sub = feeds.add_subparsers(dest="feeds_command", metavar="ACTION", required=True)

    add = sub.add_parser("add", help="follow a feed: URL, arxiv:CAT or query:TEXT")
    add.add_argument("spec", metavar="URL|arxiv:CAT|query:TEXT")
    add.add_argument("--topic", metavar="PATH", help="file its entries under this topic by default")
    add.add_argument("--title", default="", help="a name to show instead of the feed's own")
    add.set_defaults(handler=cmd_feeds_add)

    lst = sub.add_parser("list", help="the feeds you follow, with unread counts and state")
    lst.add_argument("--json", action="store_true", help="machine-readable output")
    lst.set_defaults(handler=cmd_feeds_list)

    refresh = sub.add_parser("refresh", help="fetch every feed now")
    refresh.add_argument("--json", action="store_true", help="machine-readable output")
    refresh.set_defaults(handler=cmd_feeds_refresh)

    watch = sub.add_parser("watch", help="give a topic a watch rule for new feed entries")
    watch.add_argument("topic", metavar="PATH", help="the topic whose inbox gets the matches")
    watch.add_argument("--category", action="append", default=[], help="e.g. cs.LG (repeatable)")
    watch.add_argument("--keyword", action="append", default=[], help="a word or phrase")
    watch.add_argument("--author", action="append", default=[], help="an author's name")
    how = watch.add_mutually_exclusive_group()
    how.add_argument(
        "--all", action="store_true", help="every kind of term must match (all the topic's rules)"
    )
    how.add_argument(
        "--any", action="store_true", help="one term is enough (all the topic's rules)"
    )
    watch.set_defaults(handler=cmd_feeds_watch)

    keep = sub.add_parser("retention", help="how long read and unread entries are kept")
    keep.add_argument("--read-days", type=int, metavar="N", help="read entries (default 3)")
    keep.add_argument("--unread-days", type=int, metavar="N", help="unread entries (default 30)")
    keep.set_defaults(handler=cmd_feeds_retention)


def cmd_feeds_add(args: argparse.Namespace, services) -> int:
    spec = args.spec
    found = services.feeds.discover_feeds(spec)  # a blog's home page names its feed
    if found:
        which = f" (the first of the {len(found)} it names)" if len(found) > 1 else ""
        print(f"{spec} is a web page; following its feed {found[0]}{which}.")
        spec = found[0]
    feed = services.feeds.add(spec, topic_path=args.topic, title=args.title)
    print(f"Following {feed.display_title} (feed {feed.id}); `readerapp feeds refresh` fetches it.")
    return 0


def _feed_rows(services) -> list[dict]:
    from readerapp.services.feeds import feed_spec  # httpx and feedparser: only when run

    unread = services.feeds.unread_counts()
    paths = services.library.topic_paths()
    return [
        {
            "id": f.id,
            "url": _display_url(services, f),
            "spec": feed_spec(f),
            "kind": f.kind,
            "title": f.display_title,
            "topic": paths.get(f.topic_id) if f.topic_id else None,
            "unread": unread.get(f.id, 0),
            "status": f.status,
            "last_error": f.last_error,
            "last_success": f.last_success,
            "paused": f.paused,
        }
        for f in services.feeds.feeds()
    ]


def _display_url(services, feed) -> str:
    from readerapp.net.feeds import FeedSource

    return services.feeds.fetcher.url_for(FeedSource(feed.kind, feed.source))


def cmd_feeds_list(args: argparse.Namespace, services) -> int:
    rows = _feed_rows(services)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("You follow no feeds yet; `readerapp feeds add arxiv:cs.LG` is one way to start.")
        return 0
    from readerapp.services.feeds import feed_state_text

    now = datetime.now(UTC)
    by_id = {f.id: f for f in services.feeds.feeds()}
    for row in rows:
        state = feed_state_text(by_id[row["id"]], now)
        print(f"{row['id']:>4}  {row['title']}  ({row['unread']} unread)  {state}".rstrip())
    return 0


def cmd_feeds_refresh(args: argparse.Namespace, services) -> int:
    report = services.feeds.refresh()
    if args.json:
        rows = [
            {
                "id": r.feed_id,
                "title": r.title,
                "status": "ok" if r.ok else "error",
                "error": r.error,
                "not_modified": r.not_modified,
                "entries": r.entries,
                "new_entries": r.new_entries,
                "new_versions": r.new_versions,
                "new_matches": r.new_matches,
            }
            for r in report.results
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for r in report.results:
            if r.ok and r.not_modified:
                print(f"{r.title}: unchanged since the last refresh.")
            elif r.ok:
                print(
                    f"{r.title}: {r.new_entries} new, {r.new_versions} new versions, "
                    f"{r.new_matches} matching your topics."
                )
            else:
                print(f"{r.title}: {r.error}")
        if not report.results:
            print("You follow no feeds yet; `readerapp feeds add arxiv:cs.LG` is one way to start.")
    # Exit 1 only when every feed failed: one dead blog should not fail a cron job.
    return 1 if report.results and len(report.errors) == len(report.results) else 0


def cmd_feeds_watch(args: argparse.Namespace, services) -> int:
    topic = services.library.require_topic(args.topic)
    categories = check_categories([t for c in args.category for t in parse_terms(c)])
    rule = WatchRule(
        topic_id=topic.id,
        categories=categories,
        keywords=[t for k in args.keyword for t in parse_terms(k)],
        authors=[t for a in args.author for t in parse_terms(a)],
    )
    if rule.is_empty():
        raise BadInputError("A watch rule needs at least one --category, --keyword or --author.")
    # "Match when" belongs to the topic: --all/--any set it for every rule of the topic, and a
    # rule given neither matches the way the topic's other rules do.
    if args.all or args.any:
        mode = MatchMode.ALL if args.all else MatchMode.ANY
        services.feeds.set_match_mode(topic.id, mode)
        rule.mode = mode
    services.feeds.add_rule(rule)
    count = services.feeds.unread_match_counts().get(topic.id, 0)
    print(f"Watching for {rule.describe()} in {args.topic}; {count} unread entries match now.")
    return 0


def cmd_feeds_retention(args: argparse.Namespace, services) -> int:
    read_days, unread_days = services.feeds.retention_days()
    if args.read_days is not None or args.unread_days is not None:
        read_days = args.read_days if args.read_days is not None else read_days
        unread_days = args.unread_days if args.unread_days is not None else unread_days
        services.feeds.set_retention_days(read_days, unread_days)
    print(
        f"Read entries are kept {read_days} days, unread ones {unread_days} days; "
        "starred entries and those added to the library are always kept."
    )
    return 0
