"""Imports add, never overwrite: an awesome list leaves the user's notes alone, new topics go
under one topic named after the file, notes are added once as a block of their own, and the
whole import is undone exactly."""

from __future__ import annotations

from pathlib import Path

from readerapp.services.importexport import import_undoable, redo_import, undo_import
from readerapp.storage.backup import export_backup
from readerapp.storage.importer import import_file
from readerapp.storage.merge import notes_to_add
from tests.library_snapshot import revisions, user_data

AWESOME = Path(__file__).resolve().parents[1] / "fixtures" / "imports" / "awesome-llm.md"
MT_NLG = (
    "Using DeepSpeed and Megatron to Train Megatron-Turing NLG 530B, "
    "A Large-Scale Generative Language Model"
)


def tables(services) -> dict:
    return user_data(services.db)


def test_an_awesome_list_leaves_an_existing_items_notes_and_title_untouched(services):
    lib = services.library
    attention = lib.find_by_arxiv_id("1706.03762")
    lib.update_item(attention.id, notes="My own notes.\n\n- read twice")
    before = lib.item(attention.id)
    import_file(services.db, AWESOME)
    after = lib.item(attention.id)
    assert (after.title, after.notes) == (before.title, before.notes)
    assert lib.find_by_arxiv_id("2201.11990").title == MT_NLG
    for item in lib.items():
        assert "|" not in item.notes and "<br" not in item.notes


def test_new_root_topics_go_under_one_topic_named_after_the_file(services):
    own_roots = {t.name for t in services.library.topics() if t.parent_id is None}
    report = import_file(services.db, AWESOME)
    roots = {t.name for t in services.library.topics() if t.parent_id is None}
    assert roots == own_roots | {"awesome-llm"}
    paths = set(services.library.topic_paths().values())
    assert "awesome-llm/Milestone Papers" in paths
    assert any("under “awesome-llm”" in note for note in report.notes)


def test_into_an_empty_library_the_topics_stay_at_the_root(empty_services):
    import_file(empty_services.db, AWESOME)
    roots = {t.name for t in empty_services.library.topics() if t.parent_id is None}
    assert "Milestone Papers" in roots and "awesome-llm" not in roots


def test_reimporting_adds_nothing(services):
    import_file(services.db, AWESOME)
    before = tables(services)
    again = import_file(services.db, AWESOME)
    assert (again.items_created, again.items_merged, again.topics_created) == (0, 0, 0)
    assert tables(services) == before


def test_imported_notes_are_added_once_as_their_own_block_and_only_when_new():
    mine = "Read *twice*.\n\nThe key idea is multi-head attention."
    assert notes_to_add(mine, "the key idea is   multi-head attention", "a.md") == mine
    added = notes_to_add(mine, "Compare with RNNs.", "a.md")
    assert added == f"{mine}\n\n*Imported from a.md:*\n\nCompare with RNNs."
    assert notes_to_add(added, "Compare with RNNs.", "b.md") == added
    raw = "| 2017 | [T](https://x.org) |        NeurIPS |\n| --- | --- | --- |\nGood <b>one</b>"
    assert notes_to_add("", raw) == "Good one"


def test_a_placeholder_title_never_replaces_a_parsed_one(empty_services, tmp_path):
    first = tmp_path / "first.md"
    first.write_text(f"## T\n\n- [{MT_NLG}](https://arxiv.org/abs/2201.11990)\n", encoding="utf-8")
    second = tmp_path / "second.md"
    second.write_text("## T\n\n- [link](https://arxiv.org/abs/2201.11990)\n", encoding="utf-8")
    import_file(empty_services.db, first)
    import_file(empty_services.db, second)
    assert empty_services.library.find_by_arxiv_id("2201.11990").title == MT_NLG


def test_an_import_is_undone_exactly_and_redone(services):
    lib = services.library
    attention = lib.find_by_arxiv_id("1706.03762")
    lib.update_item(attention.id, notes="")  # the import will fill these
    listing = services.paths.root / "list.md"
    listing.write_text(
        "## Transformers\n\n- [Attention](https://arxiv.org/abs/1706.03762) - the classic\n"
        "- [New one](https://example.org/new)\n",
        encoding="utf-8",
    )
    lib.trash_items([lib.find_by_arxiv_id("2306.02707").id])
    listing.write_text(
        listing.read_text() + "- [Orca](https://arxiv.org/abs/2306.02707)\n", encoding="utf-8"
    )
    before = tables(services)
    outcome = import_undoable(services, listing)
    assert outcome.backup.is_file() and outcome.changes
    after = tables(services)
    assert after != before
    merged_revision = revisions(services.db)[attention.id]
    undone = undo_import(services.db, outcome.changes, "list.md")
    assert tables(services) == before
    assert undone.sentence == "Undid the import of list.md."
    # an editor that saw the merged notes must notice the undo: revisions only count up
    assert revisions(services.db)[attention.id] > merged_revision
    redone = redo_import(services.db, undone.changes, "list.md")
    assert tables(services) == after
    undo_import(services.db, redone.changes, "list.md")
    assert tables(services) == before


def test_undoing_a_backup_merge_takes_back_its_annotations_and_feeds(services, tmp_path):
    from readerapp.app import open_services

    other = open_services(str(tmp_path / "other"))
    try:
        conn = other.db.conn
        item = other.library.add_item("Other paper", url="https://example.org/other")
        conn.execute(
            "INSERT INTO annotations(item_id, kind, page, color, quote) "
            "VALUES (?, 'highlight', 1, '#ffd400', 'a quote')",
            (item.id,),
        )
        topic = other.library.ensure_topic("Elsewhere/Deep")
        conn.execute(
            "INSERT INTO feeds(kind, source, title, topic_id) VALUES ('url', 'https://e.org/f', "
            "'F', ?)",
            (topic.id,),
        )
        backup = tmp_path / "other.json"
        backup.write_text(export_backup(other.db), encoding="utf-8")
    finally:
        other.close()
    before = tables(services)
    outcome = import_undoable(services, backup)
    assert tables(services)["annotations"]
    undo_import(services.db, outcome.changes, "other.json")
    assert tables(services) == before


def test_undo_says_when_rows_were_edited_since_and_keeps_a_backup(services, tmp_path):
    listing = tmp_path / "list.md"
    listing.write_text("## T\n\n- [New one](https://example.org/new)\n", encoding="utf-8")
    outcome = import_undoable(services, listing)
    item = next(i for i in services.library.items() if i.url == "https://example.org/new")
    services.library.update_item(item.id, notes="typed after the import")
    undone = undo_import(services.db, outcome.changes, "list.md")
    assert "were edited since" in undone.sentence and "backup library-" in undone.sentence
    assert any(b.reason == "undo" for b in services.backups.list())


def test_undo_keeps_counts_that_triggers_maintain(services, tmp_path):
    """Feed entries merged from a backup raise a feed's unread count (a trigger); undo and redo
    leave it exactly as it was each time."""
    from readerapp.app import open_services

    other = open_services(str(tmp_path / "other"))
    try:
        conn = other.db.conn
        conn.execute(
            "INSERT INTO feeds(kind, source, title) VALUES ('url', 'https://e.org/f', 'F')"
        )
        for n in range(3):
            conn.execute(
                "INSERT INTO feed_entries(key, title, first_seen) VALUES (?, ?, '2026-01-01')",
                (f"k{n}", f"Entry {n}"),
            )
            conn.execute(
                "INSERT INTO feed_entry_links(feed_id, entry_id, unread, sort_key) "
                "VALUES (1, ?, 1, ?)",
                (n + 1, n),
            )
        backup = tmp_path / "other.json"
        backup.write_text(export_backup(other.db), encoding="utf-8")
    finally:
        other.close()
    services.db.conn.execute(
        "INSERT INTO feeds(kind, source, title) VALUES ('url', 'https://e.org/f', 'F')"
    )
    before = tables(services)
    outcome = import_undoable(services, backup)
    after = tables(services)
    (unread,) = services.db.conn.execute("SELECT unread_count FROM feeds").fetchone()
    assert unread == 3
    undone = undo_import(services.db, outcome.changes, "other.json")
    assert tables(services) == before
    redo_import(services.db, undone.changes, "other.json")
    assert tables(services) == after
