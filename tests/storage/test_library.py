"""Topics, items and filing: what the tree and list rely on."""

from __future__ import annotations

from pathlib import Path

import pytest

from readerapp.app import Services, open_services
from readerapp.storage.library import (
    ALL_ITEMS,
    STARTER_SKIPPED,
    STARTER_STATE_KEY,
    UNFILED,
    TopicError,
)


def test_starter_library_reproduces_the_diary_sections(services: Services) -> None:
    lib = services.library
    paths = set(lib.topic_paths().values())
    assert {
        "Getting started",
        "What are transformers?",
        "Favourites",
        "Research focus",
        "Research focus/Alignment",
        "Research focus/Hallucination",
        "Research focus/Interpretability",
        "Research focus/Scaling Laws",
        "Research focus/In-context learning",
        "Research focus/World Models",
    } == paths
    world = lib.find_topic("Research focus/World Models")
    assert world is not None
    titles = {i.title for i in lib.items(world.id)}
    assert "Mastering Atari with Discrete World Models" in titles
    assert len(titles) == 4
    scaling = lib.find_by_arxiv_id("2001.08361")  # the diary's link has a typo; the data does not
    assert scaling is not None and scaling.authors[0] == "Jared Kaplan"
    guide = lib.items(lib.find_topic("Getting started").id)[0]
    assert guide.has_pdf and services.files.absolute(guide.pdf_path).read_bytes()[:5] == b"%PDF-"


def test_starter_library_is_loaded_once(services: Services) -> None:
    from readerapp.storage.starter import load_starter_library

    before = services.library.topic_counts()[ALL_ITEMS]
    assert load_starter_library(services.repository, services.files) is False
    assert services.library.topic_counts()[ALL_ITEMS] == before


def test_a_library_with_content_is_never_seeded_and_not_looked_at_again(home: Path) -> None:
    """A library made before the starter list (or by an import) keeps exactly its items; the
    next launches need not check it again."""
    services = open_services(str(home), seed=False)
    services.library.create_topic("My own")
    services.close()
    services = open_services(str(home))
    try:
        assert [t.name for t in services.library.topics()] == ["My own"]
        assert services.library.topic_counts()[ALL_ITEMS] == 0
        assert services.repository.get_state(STARTER_STATE_KEY) == STARTER_SKIPPED
    finally:
        services.close()


def test_topics_nest_rename_and_refuse_bad_names(empty_services: Services) -> None:
    lib = empty_services.library
    parent = lib.create_topic("Research focus")
    child = lib.create_topic("Alignment", parent.id)
    assert lib.topic_path(child.id) == "Research focus/Alignment"
    with pytest.raises(TopicError, match="already a topic"):
        lib.create_topic("alignment", parent.id)
    with pytest.raises(TopicError, match="needs a name"):
        lib.create_topic("   ")
    with pytest.raises(TopicError, match="/"):
        lib.rename_topic(child.id, "a/b")
    lib.rename_topic(child.id, "AI Alignment")
    assert lib.find_topic("research focus/ai alignment").id == child.id


def test_a_topic_cannot_move_into_its_own_subtree(empty_services: Services) -> None:
    lib = empty_services.library
    a = lib.create_topic("A")
    b = lib.create_topic("B", a.id)
    with pytest.raises(TopicError, match="inside itself"):
        lib.move_topic(a.id, b.id)
    lib.move_topic(b.id, None, 0)
    assert [t.name for t in lib.topics() if t.parent_id is None] == ["B", "A"]


def test_deleting_a_topic_keeps_its_items_and_undo_restores_everything(
    empty_services: Services,
) -> None:
    lib = empty_services.library
    top = lib.create_topic("Research focus")
    sub = lib.create_topic("Interpretability", top.id)
    item = lib.add_item("Open Problems in Mechanistic Interpretability", [sub.id, top.id])
    snapshot = lib.delete_topic(top.id)
    assert lib.topics() == []
    assert lib.item(item.id) is not None, "deleting a topic must never delete its items"
    assert lib.topic_counts()[UNFILED] == 1
    lib.restore_topics(snapshot)
    assert lib.topic_paths() == {
        top.id: "Research focus",
        sub.id: "Research focus/Interpretability",
    }
    assert sorted(lib.item_topic_ids(item.id)) == sorted([top.id, sub.id])


def test_items_sit_in_several_topics_and_unfiling_never_deletes(empty_services: Services) -> None:
    lib = empty_services.library
    a, b = lib.create_topic("Alignment"), lib.create_topic("Favourites")
    item = lib.add_item("A closer look at RLHF", [a.id])
    assert lib.file_items([item.id], b.id) == 1
    assert lib.file_items([item.id], b.id) == 0
    counts = lib.topic_counts()
    assert counts[a.id] == counts[b.id] == 1
    lib.unfile_items([item.id], a.id)
    lib.unfile_items([item.id], b.id)
    assert lib.item(item.id) is not None
    assert [r.id for r in lib.item_rows(UNFILED)] == [item.id]


def test_trashed_items_vanish_everywhere_until_restored(empty_services: Services) -> None:
    lib = empty_services.library
    t = lib.create_topic("T")
    item = lib.add_item("Paper", [t.id], arxiv_id="2304.15004")
    lib.trash_items([item.id])
    assert lib.item_rows(ALL_ITEMS) == [] and lib.item_rows(t.id) == []
    assert lib.find_by_arxiv_id("2304.15004") is None
    assert lib.topic_counts().get(t.id, 0) == 0
    lib.restore_items([item.id])
    assert [r.id for r in lib.item_rows(t.id)] == [item.id]


def test_a_second_connection_sees_changes_and_waits_for_locks(home, services: Services) -> None:
    """The CLI and the GUI share the file: WAL lets one read while the other writes."""
    from readerapp.app import open_services

    other = open_services(str(home))
    try:
        with services.db.transaction():
            services.library.create_topic("Written by the GUI")
            # the other connection still reads (WAL) while this write is open
            assert other.library.find_topic("Getting started") is not None
        assert other.library.find_topic("Written by the GUI") is not None
    finally:
        other.close()


def test_state_values_round_trip(empty_services: Services) -> None:
    lib = empty_services.repository
    assert lib.get_state("ui.topic") is None
    lib.set_state("ui.topic", "7")
    lib.set_state("ui.topic", "8")
    assert lib.get_state("ui.topic") == "8"
