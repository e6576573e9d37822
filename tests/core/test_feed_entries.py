"""arXiv and RSS entries normalised from feeds in the real formats (tests/fixtures/feeds/)."""

from __future__ import annotations

import io
from collections import Counter

import feedparser
import pytest

from readerapp.core.feed_entries import FeedError, normalise_feed, split_authors
from readerapp.core.html_text import html_to_text, sanitize_html
from tests.feed_samples import LARGE_FEED_KINDS, LARGE_FEED_SIZE, feed_bytes, large_arxiv_rss


def parse(name: str):
    return normalise_feed(feedparser.parse(io.BytesIO(feed_bytes(name))))


@pytest.fixture(scope="module")
def rss():
    return parse("arxiv-rss.xml")


def by_id(feed, arxiv_id):
    return next(e for e in feed.entries if e.arxiv_id == arxiv_id)


def test_rss_entry_has_versionless_id_version_and_clean_abstract(rss):
    assert len(rss.entries) == 8
    e = by_id(rss, "2611.04262")
    assert (e.key, e.version, e.announce_type) == ("arxiv:2611.04262", 1, "new")
    assert e.summary.startswith("A robot arm learns where to grasp")
    assert "Announce Type" not in e.summary and not e.summary.startswith("arXiv:")
    assert e.categories == ["cs.RO", "cs.CV"]
    # TeX accents in dc:creator become letters
    assert e.authors == ["Ondřej Kubáček", "Renée Duval", "Jonas Müller-Sand"]
    assert e.link == "https://arxiv.org/abs/2611.04262"
    assert e.published == "2026-11-24T05:00:00Z"
    assert e.doi == "10.5555/grasp.2026.0417"
    assert e.journal_ref.startswith("Proc. Workshop on Learning from Demonstration 4")
    assert (by_id(rss, "2611.04211").doi, by_id(rss, "2611.04211").journal_ref) == ("", "")


def test_announce_types_and_replacements_carry_their_version(rss):
    kinds = Counter(e.announce_type for e in rss.entries)
    assert kinds == {"new": 4, "replace": 2, "cross": 1, "replace-cross": 1}
    replaced = [e for e in rss.entries if e.announce_type.startswith("replace")]
    assert [(e.arxiv_id, e.version) for e in replaced] == [
        ("2603.11872", 3),
        ("2510.20417", 2),
        ("2409.08813", 4),
    ]


def test_a_large_multi_category_day_is_read_whole():
    feed = normalise_feed(feedparser.parse(io.BytesIO(large_arxiv_rss())))
    assert len(feed.entries) == LARGE_FEED_SIZE == len({e.key for e in feed.entries})
    assert Counter(e.announce_type for e in feed.entries) == LARGE_FEED_KINDS
    assert all(e.arxiv_id and e.version and e.authors and e.categories for e in feed.entries)


def test_affiliations_with_commas_do_not_split_names(rss):
    assert by_id(rss, "2611.04230").authors == ["Lucía Ferreyra", "Tomás Gallo", "Henrik Aasland"]


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
    feed = parse("arxiv-legacy.rdf")
    assert len(feed.entries) == 6
    e = feed.entries[0]
    assert e.title == "Curriculum Order Matters Less Than Curriculum Length"
    assert (e.arxiv_id, e.version, e.categories) == ("1809.01044", 1, ["cs.LG"])
    assert e.authors == ["Anouk Verbeek", "Rashid Al-Amin"]  # out of HTML-escaped links
    assert e.link == "https://arxiv.org/abs/1809.01044"
    assert e.summary.startswith("We compare twelve") and "\n" not in e.summary
    assert not e.summary_is_html and "<p>" not in e.summary
    updated = [(e.arxiv_id, e.version) for e in feed.entries if e.announce_type == "replace"]
    assert updated == [("1805.07713", 3), ("1712.03390", 2)]
    assert all("UPDATED" not in e.title and "arXiv:" not in e.title for e in feed.entries)
    assert all(not e.title.endswith(".") for e in feed.entries)


@pytest.mark.parametrize("name", ["arxiv-api.xml", "arxiv-api-legacy.xml"])
def test_api_answers_old_and_new_format(name):
    feed = parse(name)
    assert len(feed.entries) == 4
    assert all(e.arxiv_id and e.version for e in feed.entries)
    assert all("\n" not in e.summary and "\n" not in e.title for e in feed.entries)  # unwrapped
    assert all(e.authors for e in feed.entries)


def test_old_style_ids_keep_their_archive():
    feed = parse("arxiv-api-legacy.xml")
    assert [(e.arxiv_id, e.version) for e in feed.entries][1:3] == [
        ("hep-th/9812045", 1),
        ("cond-mat/0307131", 3),
    ]
    assert feed.entries[1].link == "https://arxiv.org/abs/hep-th/9812045"


def test_primary_category_comes_first():
    feed = parse("arxiv-api.xml")
    assert feed.entries[0].categories == ["cs.CL", "cs.LG"]
    # listed third among the categories, shown first because arXiv calls it primary
    assert feed.entries[1].categories == ["cs.CL", "cs.LG", "cs.AI"]


def test_arxiv_error_channel_and_api_error_entry_are_errors():
    with pytest.raises(FeedError, match="no such category quantph"):
        parse("arxiv-rss-error.xml")
    with pytest.raises(FeedError, match="incorrect id format for 2611.x42"):
        parse("arxiv-api-error.xml")


def test_an_api_answer_with_no_results_is_an_empty_feed():
    feed = parse("arxiv-api-empty.xml")
    assert feed.entries == [] and feed.title.startswith("arXiv Query: search_query=all:qwzxv")


def test_plain_atom_blog_entries():
    feed = parse("atom.xml")
    assert (feed.title, feed.site_url) == (
        "Notes on Learning Dynamics",
        "https://learning-dynamics.example.org/",
    )
    first, second = feed.entries
    assert first.key == "guid:https://learning-dynamics.example.org/2026/11/20/plateaus"
    assert first.title == "Why loss curves have plateaus"  # the HTML title's <em> is gone
    assert first.published == "2026-11-20T15:05:00Z"  # +01:00 read as UTC
    assert first.arxiv_id is None and first.categories == ["optimisation"]
    assert second.authors == ["Greta Moravcová", "Samir Haddad"]


def test_entries_without_guid_are_keyed_by_link():
    feed = parse("rss-no-guid.xml")
    assert [e.key for e in feed.entries] == [
        f"link:https://gradient-digest.example.com/issues/{n}" for n in (212, 211, 210)
    ]
    # a paper mentioned in an entry's text does not make the entry that paper
    assert all(e.arxiv_id is None for e in feed.entries)
    assert feed.entries[2].summary_is_html and "arxiv.org/abs/2611.04262" in feed.entries[2].summary


def test_dates_that_cannot_be_read_leave_the_date_empty_and_keep_the_entry():
    feed = parse("rss-bad-dates.xml")
    assert [(e.title, e.published) for e in feed.entries] == [
        ("Two papers accepted", ""),
        ("Reading group moves to Thursdays", ""),
        ("Welcome to our new students", "2026-09-07T07:00:00Z"),
    ]


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
