"""OPML keeps topics: each feed's topic goes out as its outline's category and comes back on
import, into a library that does not have the topic yet."""

from __future__ import annotations

from readerapp.app import open_services
from readerapp.core.opml import category_topic, parse_opml
from readerapp.services.opml import export_opml, import_opml


def test_each_feed_topic_is_its_category_and_is_restored_on_import(empty_services, tmp_path):
    lib, service = empty_services.library, empty_services.feeds
    lib.ensure_topic("Research focus/Interpretability")
    lib.ensure_topic("Reading, later")
    service.add("arxiv:cs.LG", topic_path="Research focus/Interpretability")
    service.add("https://blog.example/feed.xml", title="A blog", topic_path="Reading, later")
    service.add("query:induction heads")
    text = export_opml(empty_services)
    assert 'category="/Research focus/Interpretability"' in text
    assert 'category="/Reading, later"' in text
    path = tmp_path / "subs.opml"
    path.write_text(text, encoding="utf-8")

    other = open_services(str(tmp_path / "other"), seed=False)  # no topics at all
    try:
        assert len(import_opml(other, path).added) == 3
        paths = other.library.topic_paths()
        topics = {f.source: paths.get(f.topic_id) for f in other.feeds.store.feeds()}
        assert topics == {
            "cs.LG": "Research focus/Interpretability",
            "https://blog.example/feed.xml": "Reading, later",
            "induction heads": None,
        }
    finally:
        other.close()


def test_categories_written_by_other_readers(tmp_path):
    assert category_topic("/Harvard/Berkman,/Politics") == "Harvard/Berkman"
    assert category_topic("ml, /Research focus/ Interp ") == "Research focus/Interp"
    assert category_topic("just-a-tag") == ""
    feeds = parse_opml(
        b'<opml version="2.0"><body><outline text="Folder">'
        b'<outline type="rss" text="X" xmlUrl="https://x.example/f" category="tag,/A/B"/>'
        b"</outline></body></opml>"
    )
    assert [(f.folder, f.topic) for f in feeds] == [("Folder", "A/B")]
