"""Fetching feeds from a real HTTP server on 127.0.0.1: real formats, ETag/304, and every bad case."""

from __future__ import annotations

import pytest

from readerapp.core.feed_entries import FeedError
from readerapp.net.errors import FetchError
from readerapp.net.feeds import FeedFetcher, FeedSource, arxiv_search_query
from readerapp.net.http import ArxivClient, WebClient
from tests.feed_samples import LARGE_FEED_SIZE, feed_bytes, large_arxiv_rss
from tests.net.feed_server import FeedServer, Route, feed_server

ITEM = b"<item><title>Post %d</title><link>https://blog.example/%d</link></item>"


def small_rss(n: int = 3, title: bytes = b"A blog") -> bytes:
    items = b"".join(ITEM % (i, i) for i in range(n))
    return (
        b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>'
        + title
        + b"</title><link>https://blog.example/</link>"
        + items
        + b"</channel></rss>"
    )


@pytest.fixture
def server():
    with feed_server() as s:
        yield s


def fetcher_for(server: FeedServer, **kwargs) -> FeedFetcher:
    arxiv = ArxivClient(
        api_url=server.url("/api/query"), rss_base=server.url("/rss/"), min_interval=0
    )
    web = WebClient(timeout=kwargs.pop("timeout", 5.0))
    return FeedFetcher(arxiv, web, **kwargs)


def url_source(server: FeedServer, path: str, **kw) -> FeedSource:
    return FeedSource("url", server.url(path), **kw)


def test_arxiv_category_feed_is_fetched_from_the_rss_base(server):
    server.routes["/rss/cs.LG+cs.CL"] = Route(large_arxiv_rss(), etag='"day-1"')
    fetched = fetcher_for(server).fetch(FeedSource("arxiv", "cs.LG+cs.CL"))
    assert fetched.feed is not None and len(fetched.feed.entries) == LARGE_FEED_SIZE
    assert fetched.etag == '"day-1"'
    assert server.hits("/rss/cs.LG+cs.CL")[0]["user-agent"].startswith("readerapp/")


def test_etag_gives_304_and_no_body(server):
    server.routes["/feed"] = Route(small_rss(), etag='"v1"')
    fetcher = fetcher_for(server)
    first = fetcher.fetch(url_source(server, "/feed"))
    second = fetcher.fetch(url_source(server, "/feed", etag=first.etag))
    assert first.feed is not None and not first.not_modified
    assert second.not_modified and second.feed is None and second.status == 304
    assert server.hits("/feed")[1]["if-none-match"] == '"v1"'


def test_last_modified_is_sent_back(server):
    server.routes["/feed"] = Route(
        small_rss(), headers={"Last-Modified": "Wed, 25 Nov 2026 10:00:00 GMT"}
    )
    fetcher = fetcher_for(server)
    first = fetcher.fetch(url_source(server, "/feed"))
    fetcher.fetch(url_source(server, "/feed", last_modified=first.last_modified))
    assert server.hits("/feed")[1]["if-modified-since"] == "Wed, 25 Nov 2026 10:00:00 GMT"


def test_arxiv_bad_category_channel_is_an_error_in_arxivs_words(server):
    server.routes["/rss/quantph"] = Route(feed_bytes("arxiv-rss-error.xml"), status=400)
    with pytest.raises(FeedError, match="arXiv says: no such category quantph"):
        fetcher_for(server).fetch(FeedSource("arxiv", "quantph"))


def test_arxiv_api_error_entry_is_an_error_not_a_paper(server):
    body = feed_bytes("arxiv-api-error.xml")
    server.routes["/api/query"] = Route(body, status=400, content_type="application/atom+xml")
    with pytest.raises(FeedError, match="incorrect id format for 2611.x42"):
        fetcher_for(server).fetch(FeedSource("query", "id:2611.x42"))


def test_api_search_query_is_built_from_words(server):
    body = feed_bytes("arxiv-api.xml")
    server.routes["/api/query"] = Route(body, content_type="application/atom+xml")
    fetched = fetcher_for(server).fetch(FeedSource("query", "induction heads"))
    assert fetched.feed is not None and len(fetched.feed.entries) == 4
    query = server.requests[0][0]
    assert "search_query=all%3Ainduction+AND+all%3Aheads" in query
    assert "sortBy=submittedDate" in query
    assert arxiv_search_query("au:Nanda AND ti:circuits") == "au:Nanda AND ti:circuits"


@pytest.mark.parametrize(
    ("route", "message"),
    [
        (Route(b"<rss version='2.0'><channel><title>x</title><item><title>a", 200), "broken"),
        (Route(b"<!DOCTYPE html><html><body>Hi</body></html>", content_type="text/html"), "HTML"),
        (Route(b"", 200), "empty answer"),
        (Route(b"   \n", 200), "empty answer"),
        (Route(b"just some text, no markup", content_type="text/plain"), "neither RSS nor Atom"),
    ],
    ids=["truncated-xml", "html-page", "empty", "blank", "plain-text"],
)
def test_bad_bodies_are_sentences(server, route, message):
    server.routes["/bad"] = route
    with pytest.raises(FeedError, match=message):
        fetcher_for(server).fetch(url_source(server, "/bad"))


def test_html_page_points_at_its_feed(server):
    page = (
        b'<!doctype html><html><head><link rel="alternate" type="application/rss+xml" '
        b'href="/feed.xml"></head><body>blog</body></html>'
    )
    server.routes["/blog"] = Route(page, content_type="text/html; charset=utf-8")
    with pytest.raises(FeedError, match=r"Its feed seems to be http://127\.0\.0\.1:\d+/feed\.xml"):
        fetcher_for(server).fetch(url_source(server, "/blog"))


def test_illformed_feeds_are_broken_not_empty(server):
    server.routes["/truncated"] = Route(feed_bytes("truncated.xml"))
    # bozo with one entry, but an entry with nothing in it: nothing to keep
    server.routes["/cdata"] = Route(feed_bytes("incomplete-cdata.xml"))
    fetcher = fetcher_for(server)
    for path in ("/truncated", "/cdata"):
        with pytest.raises(FeedError, match="The feed is broken"):
            fetcher.fetch(url_source(server, path))


def test_bozo_feed_with_entries_keeps_them_with_a_warning(server):
    body = small_rss(2)[: -len(b"</channel></rss>")] + b"<item><title>Cut off</title><link>htt"
    server.routes["/cut"] = Route(body)
    fetched = fetcher_for(server).fetch(url_source(server, "/cut"))
    assert fetched.feed is not None
    assert [e.title for e in fetched.feed.entries][:2] == ["Post 0", "Post 1"]
    assert "what could be read was kept" in fetched.feed.warning


def test_wrong_encoding_still_reads(server):
    body = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Café</title>'
        "<item><title>Résumé</title><link>http://x/1</link></item></channel></rss>"
    ).encode("latin-1")
    server.routes["/latin"] = Route(body)
    fetched = fetcher_for(server).fetch(url_source(server, "/latin"))
    assert fetched.feed is not None
    assert fetched.feed.title == "Café" and fetched.feed.entries[0].title == "Résumé"


@pytest.mark.parametrize("status", [401, 403, 404, 410, 500, 502])
def test_http_errors_are_sentences(server, status):
    server.routes["/err"] = Route(b"<html>no</html>", status=status, content_type="text/html")
    with pytest.raises(FetchError, match=f"HTTP {status}"):
        fetcher_for(server).fetch(url_source(server, "/err"))


def test_redirect_is_followed_and_a_loop_is_refused(server):
    server.routes["/old"] = Route(status=301, location="/new")
    server.routes["/new"] = Route(small_rss(1))
    server.routes["/loop"] = Route(status=302, location="/loop")
    fetcher = fetcher_for(server)
    assert fetcher.fetch(url_source(server, "/old")).feed.entries[0].title == "Post 0"
    with pytest.raises(FetchError, match="redirects in a loop"):
        fetcher.fetch(url_source(server, "/loop"))


def test_timeout_is_a_sentence(server):
    server.routes["/slow"] = Route(stall=True)
    with pytest.raises(FetchError, match="did not answer in time"):
        fetcher_for(server, timeout=0.3).fetch(url_source(server, "/slow"))


def test_body_over_the_cap_is_refused(server):
    server.routes["/big"] = Route(small_rss(200))
    with pytest.raises(FetchError, match="larger than"):
        fetcher_for(server, max_bytes=2000).fetch(url_source(server, "/big"))


def test_billion_laughs_is_refused_before_parsing(server):
    lol = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
            for i in range(1, 10)
        )
        + b']><rss version="2.0"><channel><title>&lol9;</title>'
        b"<item><title>x</title><link>http://a/</link></item></channel></rss>"
    )
    server.routes["/lol"] = Route(lol)
    with pytest.raises(FeedError, match="declares its own XML entities"):
        fetcher_for(server).fetch(url_source(server, "/lol"))


def test_a_body_that_names_a_local_file_is_not_opened(server, tmp_path):
    secret = tmp_path / "secret.xml"
    secret.write_bytes(small_rss(1, b"Local secret"))
    server.routes["/path"] = Route(str(secret).encode(), content_type="application/rss+xml")
    with pytest.raises(FeedError):
        fetcher_for(server).fetch(url_source(server, "/path"))


def test_unreachable_server_is_a_sentence():
    fetcher = FeedFetcher(ArxivClient(min_interval=0), WebClient(timeout=2))
    with pytest.raises(FetchError, match="(?i)could not reach"):
        fetcher.fetch(FeedSource("url", "http://127.0.0.1:9/feed"))
