"""The fast arXiv feed parser reads arXiv's feeds exactly as feedparser does, and hands everything
else (other feeds, ill-formed XML, DOCTYPEs) back to feedparser."""

from __future__ import annotations

import io

import feedparser
import pytest

from readerapp.core.feed_entries import FeedError, normalise_feed
from readerapp.net.arxiv_feed_parser import parse_arxiv_feed
from tests.feed_samples import feed_bytes, large_arxiv_rss

ARXIV_FIXTURES = [
    "arxiv-rss.xml",
    "arxiv-rss-markup.xml",  # markup, entities, accents, affiliations: feedparser's sanitiser
    "arxiv-rss-error.xml",
    "arxiv-api.xml",
    "arxiv-api-legacy.xml",
    "arxiv-api-empty.xml",
    "arxiv-api-error.xml",
]


def _normalised(parsed):
    """What the app keeps of a parse: the normalised feed, or the sentence of its error."""
    try:
        return normalise_feed(parsed)
    except FeedError as exc:
        return f"FeedError: {exc}"


@pytest.mark.parametrize("name", ARXIV_FIXTURES)
def test_arxiv_fixtures_read_exactly_as_feedparser_reads_them(name):
    body = feed_bytes(name)
    fast = parse_arxiv_feed(body)
    assert fast is not None, "an arXiv feed should take the fast path"
    assert _normalised(fast) == _normalised(feedparser.parse(io.BytesIO(body)))


def test_the_large_arxiv_day_reads_exactly_as_feedparser_reads_it():
    body = large_arxiv_rss()
    fast = parse_arxiv_feed(body)
    assert fast is not None
    ours, theirs = _normalised(fast), _normalised(feedparser.parse(io.BytesIO(body)))
    assert len(ours.entries) == 1504
    assert ours == theirs


def test_accents_and_affiliations_come_through_the_fast_path():
    entries = normalise_feed(parse_arxiv_feed(feed_bytes("arxiv-rss-markup.xml"))).entries
    assert "p < 0.05 & a budget" in entries[0].summary
    assert entries[0].authors == ["Renée Faßbinder", "João Pereira-Lind", "Ana Šimić"]
    assert entries[1].authors == ["Mei-Ling Oyelaran", "T. Kähler"]


@pytest.mark.parametrize(
    "name", ["atom.xml", "arxiv-legacy.rdf", "truncated.xml", "incomplete-cdata.xml",
             "rss-bad-dates.xml", "rss-no-guid.xml"],
)  # fmt: skip
def test_other_and_illformed_feeds_are_left_to_feedparser(name):
    assert parse_arxiv_feed(feed_bytes(name)) is None


def test_a_truncated_arxiv_day_is_left_to_feedparser():
    body = large_arxiv_rss()
    assert parse_arxiv_feed(body[: len(body) // 2]) is None


def test_a_doctype_is_left_to_feedparser_and_its_entity_check():
    body = feed_bytes("arxiv-rss.xml").replace(
        b"<rss ", b'<!DOCTYPE rss [<!ENTITY a "aaaa">]>\n<rss ', 1
    )
    assert parse_arxiv_feed(body) is None


def test_an_element_it_does_not_know_is_left_to_feedparser():
    body = feed_bytes("arxiv-rss.xml").replace(
        b"<item>", b"<item><enclosure url='https://example.org/a.mp3' type='audio/mpeg'/>", 1
    )
    assert parse_arxiv_feed(body) is None


def test_a_charset_other_than_utf8_is_left_to_feedparser():
    body = feed_bytes("arxiv-rss.xml")
    headers = {"Content-Type": "application/rss+xml; charset=iso-8859-1"}
    assert parse_arxiv_feed(body, headers) is None
    assert parse_arxiv_feed(body, {"Content-Type": "application/rss+xml; charset=utf-8"})


def test_an_arxiv_feed_declaring_entities_is_still_refused():
    """The fast path does not bypass the entity refusal, wherever the DOCTYPE hides."""
    from readerapp.net.feeds import parse_feed_bytes

    laughs = b'<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
    padding = b"<!-- " + b"x" * 200_000 + b" -->\n"
    body = feed_bytes("arxiv-rss.xml").replace(b"<rss ", padding + laughs + b"<rss ", 1)
    with pytest.raises(FeedError, match="declares its own XML entities"):
        parse_feed_bytes(body)


def test_parse_feed_bytes_takes_the_fast_path_for_arxiv_and_feedparser_for_the_rest():
    from readerapp.net.feeds import parse_feed_bytes

    body = large_arxiv_rss()
    assert parse_feed_bytes(body) == normalise_feed(feedparser.parse(io.BytesIO(body)))
    atom = feed_bytes("atom.xml")
    assert parse_feed_bytes(atom) == normalise_feed(feedparser.parse(io.BytesIO(atom)))
