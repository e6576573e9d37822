"""OPML import and export of feed subscriptions (``readerapp import x.opml``,
``readerapp export --format opml``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from readerapp.core.errors import BadInputError, UserError
from readerapp.core.models import FeedKind, Topic
from readerapp.core.opml import OpmlFeed, build_opml, parse_opml
from readerapp.net.http import DEFAULT_ARXIV_API, DEFAULT_ARXIV_RSS
from readerapp.services.feeds import parse_feed_spec
from readerapp.storage.feeds import Feed
from readerapp.storage.library import LibraryRepository

if TYPE_CHECKING:
    from readerapp.app import Services

log = logging.getLogger(__name__)


@dataclass(slots=True)
class OpmlImportReport:
    added: list[str] = field(default_factory=list)
    already_followed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # sentences, one per skipped outline

    def summary(self) -> str:
        text = f"Imported {len(self.added)} feeds"
        if self.already_followed:
            text += f"; {len(self.already_followed)} were already followed"
        if self.problems:
            text += f"; {len(self.problems)} skipped"
        return text + "."


def public_url(feed: Feed) -> str:
    """The address other feed readers can use (never a test or proxy endpoint)."""
    if feed.kind == FeedKind.ARXIV:
        return DEFAULT_ARXIV_RSS + feed.source
    if feed.kind == FeedKind.QUERY:
        params = {"search_query": feed.source, "sortBy": "submittedDate", "sortOrder": "descending"}
        return f"{DEFAULT_ARXIV_API}?{urlencode(params)}"
    return feed.source


def export_opml(services: Services) -> str:
    """Every subscription as OPML 2.0, in folders named by the feeds' topic paths."""
    paths = services.repository.topic_paths()
    feeds: list[OpmlFeed] = []
    for f in services.feeds.store.feeds():
        topic = paths.get(f.topic_id, "") if f.topic_id is not None else ""
        feeds.append(OpmlFeed(public_url(f), f.title or f.display_title, topic, topic))
    return build_opml(feeds)


def import_opml(services: Services, path: str | Path) -> OpmlImportReport:
    """Follow every feed in an OPML file, under its topic: the one its ``category`` names
    (created when missing, as an export of ours writes it), else an existing topic its folder
    names."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UserError(f"readerapp cannot read {path}: {exc.strerror or exc}.") from exc
    report = OpmlImportReport()
    store = services.feeds.store
    for item in parse_opml(data):
        try:
            kind, source = parse_feed_spec(item.url)
        except BadInputError as exc:
            report.problems.append(str(exc))
            continue
        if store.find_feed(source) is not None:
            report.already_followed.append(item.url)
            continue
        topic = _topic_for(services.repository, item)
        title = item.title if kind == FeedKind.URL and item.title != item.url else ""
        store.add_feed(kind, source, title=title, topic_id=topic.id if topic else None)
        report.added.append(item.url)
    return report


def _topic_for(library: LibraryRepository, item: OpmlFeed) -> Topic | None:
    if item.topic:
        try:
            return library.ensure_topic(item.topic)
        except BadInputError as exc:  # a name readerapp cannot use: no topic for this feed
            log.info("OPML category %r names no usable topic: %s", item.topic, exc)
    return library.find_topic(item.folder) if item.folder else None
