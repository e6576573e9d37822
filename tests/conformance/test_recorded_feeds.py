"""Recorded arXiv API and RSS answers and feedparser's ill-formed samples (../shared/fixtures/feeds,
see its SOURCES.md) through the app's parsers: the facts SOURCES.md states hold."""

from __future__ import annotations

import io
from collections import Counter

import feedparser
import pytest

from readerapp.core.feed_entries import FeedError, normalise_feed
from readerapp.net.arxiv import parse_api_response
from readerapp.net.errors import ArxivApiError
from readerapp.net.feeds import FeedFetcher, FeedSource
from readerapp.net.http import ArxivClient, WebClient
from tests.conformance.conftest import FEEDS
from tests.net.feed_server import Route, feed_server

API_CURRENT = "arxivpy_q_testing_s0_m10_bc5a6c384fe9.xml"
API_ERROR = "arxivpy_id_abc_s0_m100_b79c8dcf6bc3.xml"
API_LEGACY = "rsxiv_legacy-2025-08_query.xml"
RSS = "aioarxiv_rss_mock_feed.xml"
RSS_ERROR = "aioarxiv_error_rss_mock_feed.xml"
RDF = "nimrss_test.rdf"
TRUNCATED = "feedparser_aaa_illformed.xml"
CDATA = "feedparser_rss_incomplete_cdata.xml"


def body(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


def normalise(name: str):
    return normalise_feed(feedparser.parse(io.BytesIO(body(name))))


@pytest.fixture(scope="module")
def rss():
    return normalise(RSS)


def by_id(feed, arxiv_id):
    return next(e for e in feed.entries if e.arxiv_id == arxiv_id)


# The table at the top of SOURCES.md: feedparser's own reading of each file.
@pytest.mark.parametrize(
    ("name", "version", "bozo", "entries"),
    [
        (API_CURRENT, "atom10", False, 10),
        (API_ERROR, "atom10", False, 1),
        (API_LEGACY, "atom10", False, 10),
        (RSS, "rss20", False, 1504),
        (RSS_ERROR, "rss20", False, 0),
        (RDF, "rss10", False, 185),
        (TRUNCATED, "rss20", True, 0),
        (CDATA, "rss20", True, 1),
    ],
)
def test_feedparser_reads_each_recording_as_sources_md_says(name, version, bozo, entries):
    parsed = feedparser.parse(io.BytesIO(body(name)))
    assert (parsed.version, bool(parsed.bozo), len(parsed.entries)) == (version, bozo, entries)


# ---- arXiv RSS (2024+) -------------------------------------------------------------------------


def test_rss_day_every_item_with_kind_version_and_optional_fields(rss):
    assert len(rss.entries) == 1504
    assert Counter(e.announce_type for e in rss.entries) == {"new": 926, "replace": 569, "cross": 9}
    assert all(e.version and e.version > 1 for e in rss.entries if e.announce_type == "replace")
    assert sum(bool(e.doi) for e in rss.entries) == 111
    assert sum(bool(e.journal_ref) for e in rss.entries) == 97
    assert all(e.key == f"arxiv:{e.arxiv_id}" for e in rss.entries)
    assert all(e.link == f"https://arxiv.org/abs/{e.arxiv_id}" for e in rss.entries)


def test_rss_entry_has_versionless_id_version_and_clean_abstract(rss):
    e = by_id(rss, "2411.17705")
    assert (e.key, e.version, e.announce_type) == ("arxiv:2411.17705", 1, "new")
    assert e.summary.startswith("The electroencephalography (EEG)-based")
    assert "Announce Type" not in e.summary and not e.summary.startswith("arXiv:")
    assert e.categories == ["eess.SP", "cs.AI", "cs.LG"]
    assert e.authors == ["Wei Peng", "Kang Liu", "Jiaxi Shi", "Jianchen Hu"]
    assert e.published == "2024-11-28T05:00:00Z"


def test_rss_affiliations_with_commas_do_not_split_names(rss):
    names = next(e.authors for e in rss.entries if "Aleteia Araujo" in e.authors)
    assert names == [
        "Aleteia Araujo",
        "Breno Costa",
        "Joao Bachiega Jr",
        "Leonardo R. Carvalho",
        "Rajkumar Buyya",
    ]
    assert "Benjamin Rémy" in next(e.authors for e in rss.entries if "Nicolas Blet" in e.authors)


def test_rss_error_channel_is_an_error_though_feedparser_sees_no_fault():
    assert not feedparser.parse(io.BytesIO(body(RSS_ERROR))).bozo
    with pytest.raises(FeedError, match="no such category astroph"):
        normalise(RSS_ERROR)


def test_rss_error_at_http_400_from_a_server_is_arxivs_sentence():
    with feed_server() as server:
        server.routes["/rss/astroph"] = Route(body(RSS_ERROR), status=400)
        arxiv = ArxivClient(rss_base=server.url("/rss/"), min_interval=0)
        fetcher = FeedFetcher(arxiv, WebClient(timeout=5))
        with pytest.raises(FeedError, match="arXiv says: no such category astroph"):
            fetcher.fetch(FeedSource("arxiv", "astroph"))


# ---- arXiv RSS 1.0/RDF (before 2024) -----------------------------------------------------------


def test_legacy_rdf_titles_lose_their_id_suffix():
    feed = normalise(RDF)
    assert len(feed.entries) == 185
    e = feed.entries[0]
    assert e.title.startswith("QuasarNET: Human-level spectral classification")
    assert "arXiv:" not in e.title and not e.title.endswith(".")
    assert (e.arxiv_id, e.version, e.categories) == ("1808.09955", 1, ["astro-ph.IM"])
    assert e.authors == ["Nicolas Busca", "Christophe Balland"]
    assert len([e for e in feed.entries if e.announce_type == "replace"]) == 74
    assert all("UPDATED" not in e.title for e in feed.entries)
    assert all(e.link == f"https://arxiv.org/abs/{e.arxiv_id}" for e in feed.entries)


# ---- the arXiv API -----------------------------------------------------------------------------


def test_current_api_format_gives_every_field():
    papers = parse_api_response(body(API_CURRENT))
    assert len(papers) == 10
    first = papers[0]
    assert first.arxiv_id == "2202.12139" and first.version == 1
    assert first.title.startswith("Testing Deep Learning Models")
    assert first.authors == ["Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker"]
    assert first.categories == ["cs.SE", "cs.LG"] and first.primary_category == "cs.SE"
    assert first.published == "2022-02-24T15:05:19Z" and first.year == 2022
    assert first.doi == "10.1109/ICSTW55395.2022.00035"
    assert first.journal_ref.startswith("Artificial Intelligence in Software Testing @ 2022")
    assert first.comment.startswith("Artificial Intelligence in Software Testing 2022")
    assert first.abstract.startswith("Deep Learning (DL) has revolutionized")
    assert normalise(API_CURRENT).entries[0].categories[0] == "cs.SE"  # primary first


def test_legacy_api_format_unwraps_text_and_reads_old_style_ids():
    papers = parse_api_response(body(API_LEGACY))
    assert len(papers) == 10
    assert {"astro-ph/9904306", "hep-ph/9411242"} <= {p.arxiv_id for p in papers}
    old = papers[1]
    assert (old.arxiv_id, old.version) == ("hep-ph/9411242", 1)
    assert "\n" not in old.title and "  " not in old.title
    assert old.title.startswith("Proton-ring and Electron-linac Collider (PRELC) as a (first) TeV")
    assert old.abstract.startswith("The use of the existing proton storage rings")
    assert "\n" not in old.abstract
    assert old.primary_category == "hep-ph" and old.comment == "4 pages, revtex"
    assert old.authors == ["Raimo Vuopionperä"]
    feed = normalise(API_LEGACY)
    assert all("\n" not in e.summary and e.authors and e.version for e in feed.entries)


def test_api_error_entry_is_an_error_never_a_paper():
    with pytest.raises(ArxivApiError, match="incorrect id format for abc"):
        parse_api_response(body(API_ERROR))
    with pytest.raises(FeedError, match="incorrect id format for abc"):
        normalise(API_ERROR)


# ---- ill-formed feeds --------------------------------------------------------------------------


@pytest.mark.parametrize("name", [TRUNCATED, CDATA])
def test_illformed_recordings_are_broken_feeds(name):
    with pytest.raises(FeedError, match="The feed is broken"):
        normalise(name)
