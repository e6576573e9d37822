"""Hostile servers on 127.0.0.1: every fetch is bounded, XML defences cover the whole document,
and one slow feed never holds the others. Deadlines are configured short for the tests; wall-clock
appears only as generous upper bounds on operations that are bounded by design."""

from __future__ import annotations

import threading
import time

import pytest

from readerapp.core.errors import BadInputError
from readerapp.core.feed_entries import FeedError
from readerapp.core.opml import parse_opml
from readerapp.net.download import download_pdf
from readerapp.net.errors import FetchError, OfflineError
from readerapp.net.feeds import FeedFetcher, FeedSource
from readerapp.net.http import ArxivClient, WebClient
from tests.net.arxiv_answers import make_pdf
from tests.net.hostile_answers import (
    RSS_TYPE,
    entity_bomb,
    redirect_loop,
    rss,
    send_feed,
    trickle,
    trickled_headers,
)
from tests.net.server import Reply, ScriptedServer


def fetcher(server: ScriptedServer, **web) -> FeedFetcher:
    arxiv = ArxivClient(api_url=server.url("/api/query"), rss_base=server.url("/rss/"))
    return FeedFetcher(arxiv, WebClient(**web))


def test_a_trickling_feed_fails_at_the_deadline_in_words(server: ScriptedServer) -> None:
    server.route("/trickle", trickle(rss(items=50), every=0.05, release=server.release))
    started = time.monotonic()
    with pytest.raises(OfflineError, match="too slowly") as info:
        fetcher(server, answer_deadline=1.0).fetch(FeedSource("url", server.url("/trickle")))
    assert "127.0.0.1" in str(info.value)
    assert time.monotonic() - started < 20  # the whole body would take ~100 s


def test_trickling_headers_fail_at_the_deadline_too(server: ScriptedServer) -> None:
    server.route("/headers", trickled_headers(every=0.05, release=server.release))
    started = time.monotonic()
    with pytest.raises(OfflineError, match="too slowly"):
        fetcher(server, answer_deadline=1.0).fetch(FeedSource("url", server.url("/headers")))
    assert time.monotonic() - started < 20  # the headers alone would take ~200 s


def test_a_trickling_pdf_fails_when_too_little_arrives_in_a_window(
    server: ScriptedServer, tmp_path
) -> None:
    pdf = make_pdf("Slow paper", pages=30)
    server.route("/paper.pdf", trickle(pdf, every=0.05, release=server.release))
    client = WebClient(progress_window=1.0, min_progress=4096)
    target = tmp_path / "paper.pdf"
    with pytest.raises(OfflineError, match="almost stopped"):
        download_pdf(client, server.url("/paper.pdf"), target)
    assert not target.exists() and not list(tmp_path.iterdir())  # no partial file left


def test_a_slow_but_steady_pdf_still_downloads(server: ScriptedServer, tmp_path) -> None:
    pdf = make_pdf("Steady paper", pages=3)
    server.route("/paper.pdf", Reply(200, pdf, {"Content-Type": "application/pdf"}))
    client = WebClient(progress_window=1.0, min_progress=16)
    target = download_pdf(client, server.url("/paper.pdf"), tmp_path / "paper.pdf")
    assert target.read_bytes() == pdf


def test_an_entity_bomb_after_a_long_comment_is_refused_before_parsing(
    server: ScriptedServer,
) -> None:
    server.route("/bomb", Reply(200, entity_bomb(padding=1_100_000), RSS_TYPE))
    with pytest.raises(FeedError, match="declares its own XML entities"):
        fetcher(server).fetch(FeedSource("url", server.url("/bomb")))


def test_an_entity_bomb_in_utf16_is_refused(server: ScriptedServer) -> None:
    body = entity_bomb(padding=10).decode().replace('"?>', ' encoding="utf-16"?>', 1)
    server.route("/bomb16", Reply(200, body.encode("utf-16"), RSS_TYPE))
    with pytest.raises(FeedError, match="declares its own XML entities"):
        fetcher(server).fetch(FeedSource("url", server.url("/bomb16")))


def test_an_opml_file_with_a_late_entity_declaration_is_refused() -> None:
    opml = (
        f'<?xml version="1.0"?><!-- {"x" * 1_100_000} -->'
        '<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        '<opml version="2.0"><body><outline text="&b;" xmlUrl="https://a.example/feed"/>'
        "</body></opml>"
    ).encode()
    with pytest.raises(BadInputError, match="declares XML entities"):
        parse_opml(opml)


def test_a_redirect_loop_is_a_sentence(server: ScriptedServer) -> None:
    server.route("/loop", redirect_loop("/loop"))
    with pytest.raises(FetchError, match="redirects in a loop"):
        fetcher(server).fetch(FeedSource("url", server.url("/loop")))


def test_one_slow_feed_does_not_hold_the_others(server: ScriptedServer, services) -> None:
    """The slow server answers only once the good feed has been fetched, or after 10 s: fetched
    one after another, the good feed would come only after the slow one gave up."""
    slow = ScriptedServer()  # another host (port), as a slow site would be
    good_seen = threading.Event()
    saw_good_while_open: list[bool] = []

    def slow_answer(handler) -> None:
        saw_good_while_open.append(good_seen.wait(10))
        send_feed(handler, "Slow but fine")

    def good_answer(handler) -> None:
        good_seen.set()
        send_feed(handler, "Good")

    with slow:
        slow.route("/feed", slow_answer)
        server.route("/feed", good_answer)
        # Titled so that the slow feed comes first in the list.
        first = services.feeds.add(slow.url("/feed"), title="A slow blog")
        second = services.feeds.add(server.url("/feed"), title="B good blog")
        report = services.feeds.refresh()
    assert [r.feed_id for r in report.results] == [first.id, second.id]
    assert all(r.ok for r in report.results)
    assert saw_good_while_open == [True]
