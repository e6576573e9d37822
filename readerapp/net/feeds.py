"""Fetching one feed: conditional GET over the polite clients, checks, then feedparser on bytes.

All arXiv traffic (RSS, API searches) goes through the shared :class:`ArxivClient` and its rate
limit; every other feed through a :class:`WebClient`. The body is capped, refused when it declares
XML entities (billion-laughs expansion), recognised when it is an HTML page or empty, and only then
handed to ``feedparser.parse`` inside a BytesIO: never as a string or bytes, which feedparser would
try to open as a URL or a local file path.
"""

from __future__ import annotations

import html
import io
import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode, urljoin, urlsplit

from readerapp.core.feed_entries import FeedError, ParsedFeed, normalise_feed
from readerapp.core.xml_safety import declares_entities
from readerapp.net.errors import FetchError

if TYPE_CHECKING:
    # The clients are handed in built; httpx behind them (~60 ms) loads on the first fetch, not
    # when the window installs its Feeds tab.
    from readerapp.net.http import ArxivClient, PoliteClient
    from readerapp.net.responses import FetchResponse

FEED_MAX_BYTES = 16 * 1024 * 1024  # arXiv's biggest daily RSS is about 3 MB
QUERY_MAX_RESULTS = 50
# Looking at an address for the feeds it names is a quick look: a page's <head> is near its start,
# and a feed too big or too slow for this is left for the refresh to judge.
DISCOVERY_MAX_BYTES = 2 * 1024 * 1024
DISCOVERY_DEADLINE = 15.0
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_ALTERNATE = re.compile(
    rb"<link\b[^>]*\btype=[\"']application/(?:rss|atom)\+xml[\"'][^>]*>", re.IGNORECASE
)
_HREF = re.compile(rb"\bhref=[\"']([^\"']+)[\"']", re.IGNORECASE)
_QUERY_FIELDS = re.compile(r"\b(?:ti|au|abs|co|jr|cat|rn|id|all):", re.IGNORECASE)


@dataclass(slots=True)
class FeedSource:
    """What to fetch: the stored feed's kind and source, and its validators from last time."""

    kind: str  # arxiv | query | url
    source: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass(slots=True)
class FetchedFeed:
    url: str
    status: int
    not_modified: bool
    feed: ParsedFeed | None
    etag: str | None = None
    last_modified: str | None = None


def arxiv_search_query(text: str) -> str:
    """A user's words as an arXiv ``search_query``: used as-is when it names fields (``au:``),
    otherwise every word must appear somewhere (``all:a AND all:b``)."""
    text = " ".join(text.split())
    if _QUERY_FIELDS.search(text):
        return text
    return " AND ".join(f"all:{w}" for w in text.split())


class FeedFetcher:
    """Fetches and parses feeds; thread-safe (the clients are)."""

    def __init__(
        self,
        arxiv: ArxivClient,
        web: PoliteClient,
        *,
        max_bytes: int = FEED_MAX_BYTES,
    ) -> None:
        self.arxiv = arxiv
        self.web = web
        self.max_bytes = max_bytes

    def url_for(self, source: FeedSource) -> str:
        if source.kind == "arxiv":
            return urljoin(self.arxiv.rss_base.rstrip("/") + "/", quote(source.source, safe="+.-"))
        if source.kind == "query":
            params = {
                "search_query": arxiv_search_query(source.source),
                "sortBy": "submittedDate",
                "sortOrder": "descending",
                "start": 0,
                "max_results": QUERY_MAX_RESULTS,
            }
            return f"{self.arxiv.api_url}?{urlencode(params)}"
        return source.source

    def client_for(self, source: FeedSource, url: str) -> PoliteClient:
        if source.kind in ("arxiv", "query"):
            return self.arxiv
        host = (urlsplit(url).hostname or "").lower()
        return self.arxiv if host == "arxiv.org" or host.endswith(".arxiv.org") else self.web

    def connection_key(self, source: FeedSource) -> str:
        """Feeds with equal keys share one connection (and one pacing): all of arXiv is one key,
        every other server (host and port) its own."""
        url = self.url_for(source)
        client = self.client_for(source, url)
        if client.shared_key:
            return client.shared_key
        try:
            return urlsplit(url).netloc.lower()
        except ValueError:
            return url

    def discover(self, url: str, cancel: threading.Event | None = None) -> list[str]:
        """The feeds the web page at ``url`` names ([] when it is not an HTML page, is a feed
        itself, or answers with an error); FetchError when it cannot be fetched."""
        client = self.client_for(FeedSource("url", url), url)
        headers = {"Accept": "text/html, application/xhtml+xml, application/rss+xml, "
                   "application/atom+xml, */*;q=0.5"}  # fmt: skip
        resp = client.get(
            url, headers, max_bytes=DISCOVERY_MAX_BYTES, cancel=cancel, deadline=DISCOVERY_DEADLINE
        )
        if not resp.ok or not is_html_page(resp):
            return []
        return feed_links(resp.body, resp.url)

    def fetch(self, source: FeedSource, cancel: threading.Event | None = None) -> FetchedFeed:
        """Fetch and parse; raises FeedError or FetchError (a sentence) when there is no feed."""
        url = self.url_for(source)
        headers: dict[str, str] = {"Accept": "application/rss+xml, application/atom+xml, "
                                   "application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"}  # fmt: skip
        if source.etag:
            headers["If-None-Match"] = source.etag
        if source.last_modified:
            headers["If-Modified-Since"] = source.last_modified
        client = self.client_for(source, url)
        resp = client.get(url, headers, max_bytes=self.max_bytes, cancel=cancel)
        if resp.status == 304:
            return FetchedFeed(
                url=url,
                status=304,
                not_modified=True,
                feed=None,
                etag=resp.headers.get("etag") or source.etag,
                last_modified=resp.headers.get("last-modified") or source.last_modified,
            )
        feed = parse_feed_response(resp)
        return FetchedFeed(
            url=url,
            status=resp.status,
            not_modified=False,
            feed=feed,
            etag=resp.headers.get("etag"),
            last_modified=resp.headers.get("last-modified"),
        )


def parse_feed_response(resp: FetchResponse) -> ParsedFeed:
    """The feed in an HTTP answer, or FeedError/FetchError saying in words why there is none."""
    body = resp.body
    looks_xml = body.lstrip()[:1] == b"<" and not _HTML_START.match(body[:4096])
    if resp.status >= 400:
        if looks_xml and resp.status in (400, 404):
            # arXiv reports a bad category or query as a feed (RSS channel / API error entry).
            try:
                parse_feed_bytes(body, resp.headers, http_status=resp.status)
            except FeedError as exc:
                if str(exc).startswith("arXiv says"):
                    raise
        resp.raise_for_status("The feed server")
        raise FetchError(f"The feed server answered HTTP {resp.status}.")
    if not body.strip():
        raise FeedError("The server sent an empty answer instead of a feed.")
    if is_html_page(resp):
        raise FeedError(_html_page_sentence(body, resp.url))
    return parse_feed_bytes(body, resp.headers, http_status=resp.status)


def parse_feed_bytes(
    body: bytes, headers: dict[str, str] | None = None, *, http_status: int = 200
) -> ParsedFeed:
    """arXiv's own feeds read by the fast parser, any other feed by feedparser on bytes (in a
    BytesIO), after refusing entity declarations; each body is parsed once."""
    if declares_entities(body):
        raise FeedError(
            "The feed declares its own XML entities, a trick used to exhaust memory; "
            "readerapp did not read it."
        )
    from readerapp.net.arxiv_feed_parser import parse_arxiv_feed  # ElementTree: on first parse

    parsed = parse_arxiv_feed(body, headers)
    if parsed is None:  # not arXiv's own feed, or not one it reads exactly as feedparser would
        import feedparser  # here: ~50 ms of start-up that only such feeds need

        parsed = feedparser.parse(io.BytesIO(body), response_headers=dict(headers or {}))
    return normalise_feed(parsed, http_status=http_status)


def _html_page_sentence(body: bytes, url: str) -> str:
    found = feed_links(body, url)
    if found:
        return f"Not a feed: this is an HTML page. Its feed seems to be {found[0]}"
    return "Not a feed: this is an HTML page."


def is_html_page(resp: FetchResponse) -> bool:
    body = resp.body
    return bool(_HTML_START.match(body[:4096])) or (
        resp.content_type in ("text/html", "application/xhtml+xml")
        and not body.lstrip().startswith(b"<?xml")
    )


def feed_links(body: bytes, base_url: str) -> list[str]:
    """The feeds an HTML page names (``<link rel="alternate" type="application/rss+xml">`` or
    atom+xml), as absolute http(s) addresses in page order."""
    found: list[str] = []
    for link in _ALTERNATE.finditer(body[: 256 * 1024]):
        href = _HREF.search(link.group(0))
        if href is None:
            continue
        url = urljoin(base_url, html.unescape(href.group(1).decode("utf-8", "replace")).strip())
        if urlsplit(url).scheme.lower() in ("http", "https") and url not in found:
            found.append(url)
    return found
