"""arXiv and RSS entries normalised from the real fixtures."""

from __future__ import annotations

import io

import feedparser
import pytest

from readerapp.core.feed_entries import FeedError, normalise_feed, split_authors
from readerapp.core.html_text import html_to_text, sanitize_html
from tests.conftest import FIXTURES


def parse(name: str):
    return normalise_feed(feedparser.parse(io.BytesIO((FIXTURES / name).read_bytes())))


@pytest.fixture(scope="module")
def rss():
    return parse("aioarxiv_rss_mock_feed.xml")


def by_id(feed, arxiv_id):
    return next(e for e in feed.entries if e.arxiv_id == arxiv_id)


def test_rss_entry_has_versionless_id_version_and_clean_abstract(rss):
    assert len(rss.entries) == 1504
    e = by_id(rss, "2411.17705")
    assert (e.key, e.version, e.announce_type) == ("arxiv:2411.17705", 1, "new")
    assert e.summary.startswith("The electroencephalography (EEG)-based")
    assert "Announce Type" not in e.summary and not e.summary.startswith("arXiv:")
    assert e.categories == ["eess.SP", "cs.AI", "cs.LG"]
    assert e.authors == ["Wei Peng", "Kang Liu", "Jiaxi Shi", "Jianchen Hu"]
    assert e.link == "https://arxiv.org/abs/2411.17705"
    assert e.published == "2024-11-28T05:00:00Z"


def test_announce_types_and_replacements_carry_their_version(rss):
    kinds = {}
    for e in rss.entries:
        kinds[e.announce_type] = kinds.get(e.announce_type, 0) + 1
    assert kinds == {"new": 926, "replace": 569, "cross": 9}
    assert all(e.version and e.version > 1 for e in rss.entries if e.announce_type == "replace")


def test_affiliations_with_commas_do_not_split_names(rss):
    names = next(e.authors for e in rss.entries if "Aleteia Araujo" in e.authors)
    assert names == [
        "Aleteia Araujo",
        "Breno Costa",
        "Joao Bachiega Jr",
        "Leonardo R. Carvalho",
        "Rajkumar Buyya",
    ]
    assert "Benjamin Rémy" in next(e.authors for e in rss.entries if "Nicolas Blet" in e.authors)


@pytest.mark.parametrize(
    ("creator", "names"),
    [
        ("A. One (MIT, Cambridge, USA), B. Two", ["A. One", "B. Two"]),
        ("A. One, B. Two (X (Y), Z), and C. Three", ["A. One", "B. Two", "C. Three"]),
        ("Jos\\'e Ram\\'irez, M. M\\\"uller", ["José Ramírez", "M. Müller"]),
        ("", []),
    ],
)
def test_split_authors(creator, names):
    assert split_authors(creator) == names


def test_legacy_rdf_titles_lose_their_id_suffix():
    feed = parse("nimrss_test.rdf")
    assert len(feed.entries) == 185
    e = feed.entries[0]
    assert e.title.startswith("QuasarNET: Human-level spectral classification")
    assert "arXiv:" not in e.title and not e.title.endswith(".")
    assert (e.arxiv_id, e.version, e.categories) == ("1808.09955", 1, ["astro-ph.IM"])
    assert e.authors == ["Nicolas Busca", "Christophe Balland"]
    updated = [e for e in feed.entries if e.announce_type == "replace"]
    assert len(updated) == 74
    assert all("UPDATED" not in e.title for e in feed.entries)


@pytest.mark.parametrize(
    "name", ["arxivpy_q_testing_s0_m10_bc5a6c384fe9.xml", "rsxiv_legacy-2025-08_query.xml"]
)
def test_api_answers_old_and_new_format(name):
    feed = parse(name)
    assert len(feed.entries) == 10
    assert all(e.arxiv_id and e.version for e in feed.entries)
    assert all("\n" not in e.summary for e in feed.entries)  # hard wraps joined
    assert all(e.authors for e in feed.entries)


def test_old_style_ids_keep_their_archive():
    feed = parse("rsxiv_legacy-2025-08_query.xml")
    assert "astro-ph/9904306" in {e.arxiv_id for e in feed.entries}


def test_primary_category_comes_first():
    e = parse("arxivpy_q_testing_s0_m10_bc5a6c384fe9.xml").entries[0]
    assert e.categories[0] == "cs.SE"


def test_arxiv_error_channel_and_api_error_entry_are_errors():
    with pytest.raises(FeedError, match="no such category astroph"):
        parse("aioarxiv_error_rss_mock_feed.xml")
    with pytest.raises(FeedError, match="incorrect id format for abc"):
        parse("arxivpy_id_abc_s0_m100_b79c8dcf6bc3.xml")


def test_empty_channel_is_an_empty_feed_not_an_error():
    body = b'<rss version="2.0"><channel><title>cs updates</title></channel></rss>'
    feed = normalise_feed(feedparser.parse(io.BytesIO(body)))
    assert feed.entries == [] and feed.title == "cs updates"


def test_non_arxiv_entries_key_by_guid_then_link():
    body = (
        b'<rss version="2.0"><channel><title>b</title>'
        b"<item><title>A</title><guid>tag:blog,1</guid><link>https://b/1</link></item>"
        b"<item><title>B</title><link>https://b/2</link></item>"
        b"<item><title>Paper</title><link>https://arxiv.org/abs/2401.00001v3</link></item>"
        b"</channel></rss>"
    )
    keys = [e.key for e in normalise_feed(feedparser.parse(io.BytesIO(body))).entries]
    assert keys == ["guid:tag:blog,1", "link:https://b/2", "arxiv:2401.00001"]


def test_sanitizer_drops_scripts_remote_images_and_bad_links():
    dirty = (
        '<p onclick="x()">Hi <b>there</b><script>alert(1)</script>'
        '<img src="https://tracker/p.gif" alt="chart"><a href="javascript:evil()">x</a>'
        '<a href="https://ok.example/">ok</a><iframe src="https://e/"></iframe>'
        "<style>p{}</style></p>"
    )
    clean = sanitize_html(dirty)
    assert clean == ('<p>Hi <b>there</b>[chart]<a>x</a><a href="https://ok.example/">ok</a></p>')
    assert html_to_text("<p>A &amp; B</p><p>C</p>") == "A & B C"
