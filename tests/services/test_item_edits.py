"""Every write of typed text is checked against the revision its editor showed."""

from __future__ import annotations

from pathlib import Path

import pytest

from readerapp.app import Services, open_services
from readerapp.services import settings
from readerapp.services.changes import ANNOTATIONS, LIBRARY
from readerapp.services.item_edits import ItemGoneError
from tests.annotation_helpers import PAGE_ONE, add_pdf_item, line_rects, make_pdf


@pytest.fixture
def other(home: Path, empty_services: Services):
    """A second process on the same library (the command line, another window)."""
    second = open_services(str(home), seed=False)
    yield second
    second.close()


def test_every_writer_moves_the_revision(empty_services: Services) -> None:
    item = empty_services.library.add_item("Attention Is All You Need")
    assert item.revision == 0
    empty_services.library.update_item(item.id, notes="read it")  # knows nothing of revisions
    assert empty_services.library.item(item.id).revision == 1


def test_a_save_from_the_current_revision_is_written(empty_services: Services) -> None:
    seen = empty_services.library.add_item("Scaling Laws")
    saved = empty_services.item_edits.save(seen, notes="power laws", year=2020)
    assert (saved.item.notes, saved.item.year, saved.notice) == ("power laws", 2020, "")
    assert saved.item.revision > seen.revision


def test_notes_changed_elsewhere_meanwhile_keep_both_versions(
    empty_services: Services, other: Services
) -> None:
    seen = empty_services.library.add_item("Chinchilla", notes="compute-optimal")
    other.library.update_item(seen.id, notes="compute-optimal\n\nImported: 20 tokens per parameter")
    saved = empty_services.item_edits.save(seen, notes="compute-optimal, and data matters")
    stored = empty_services.library.item(seen.id).notes
    assert stored.startswith("compute-optimal, and data matters")
    assert "Imported: 20 tokens per parameter" in stored
    assert "Written elsewhere" in stored
    assert saved.merged_fields == ("notes",) and "both versions are kept" in saved.notice


def test_a_field_changed_only_elsewhere_is_not_overwritten(
    empty_services: Services, other: Services
) -> None:
    seen = empty_services.library.add_item("GPT-3", year=2020)
    other.library.update_item(seen.id, title="Language Models are Few-Shot Learners")
    saved = empty_services.item_edits.save(seen, notes="in-context learning")
    assert saved.item.title == "Language Models are Few-Shot Learners"
    assert saved.item.notes == "in-context learning"
    assert saved.notice == ""


def test_a_one_line_field_changed_on_both_sides_names_the_other_value(
    empty_services: Services, other: Services
) -> None:
    seen = empty_services.library.add_item("Palm")
    other.library.update_item(seen.id, title="PaLM: Scaling Language Modeling")
    saved = empty_services.item_edits.save(seen, title="PaLM")
    assert saved.item.title == "PaLM"
    assert "PaLM: Scaling Language Modeling" in saved.notice


def test_an_item_deleted_elsewhere_comes_back_with_what_was_typed(
    empty_services: Services, other: Services
) -> None:
    seen = empty_services.library.add_item("Deleted meanwhile")
    other.library.trash_items([seen.id])
    saved = empty_services.item_edits.save(seen, notes="typed")
    assert other.library.item(seen.id).notes == "typed"
    assert "it is back, with what you typed" in saved.notice


def test_an_item_purged_elsewhere_is_a_sentence(empty_services: Services, other: Services) -> None:
    seen = empty_services.library.add_item("Gone")
    with other.db.transaction() as conn:
        conn.execute("DELETE FROM items WHERE id = ?", (seen.id,))
    with pytest.raises(ItemGoneError, match="copy it from the editor"):
        empty_services.item_edits.save(seen, notes="typed")


def test_a_comment_changed_elsewhere_keeps_both(
    empty_services: Services, other: Services, tmp_path: Path
) -> None:
    pdf = make_pdf(tmp_path / "paper.pdf", [PAGE_ONE])
    item_id = add_pdf_item(empty_services, pdf)
    seen = empty_services.annotations.create_text(
        item_id, 0, line_rects(pdf, 0, "residual stream"), "residual stream", comment="which"
    )
    other.annotations.update(seen.id, comment="which head?")
    saved = empty_services.annotations.save_comment(seen, "which layer?")
    assert saved.after.comment.startswith("which layer?")
    assert "which head?" in saved.after.comment
    assert saved.before.comment == "which head?"  # undo puts back what was there
    assert "both versions are kept" in saved.notice


def test_an_annotation_deleted_elsewhere_comes_back_with_the_comment(
    empty_services: Services, other: Services, tmp_path: Path
) -> None:
    pdf = make_pdf(tmp_path / "paper.pdf", [PAGE_ONE])
    item_id = add_pdf_item(empty_services, pdf)
    seen = empty_services.annotations.create_note(item_id, 0, (72, 72), "half a")
    other.annotations.delete(seen.id)
    saved = empty_services.annotations.save_comment(seen, "half a thought")
    assert other.annotations.repo.get(seen.id).comment == "half a thought"
    assert "it is back" in saved.notice


def test_the_watch_sees_what_other_connections_change_in_the_library(
    empty_services: Services, other: Services
) -> None:
    watch = empty_services.changes
    assert watch.changed_elsewhere() == set()
    empty_services.library.add_item("ours")  # the window's own write: it knows about it
    other.library.set_setting(settings.SUBTOPIC_ITEMS, True)  # a commit, but nothing a window shows
    assert watch.changed_elsewhere() == set()
    other.library.add_item("theirs")
    assert watch.changed_elsewhere() == {LIBRARY}
    assert watch.changed_elsewhere() == set()


def test_the_watch_tells_annotation_changes_apart(
    empty_services: Services, other: Services, tmp_path: Path
) -> None:
    pdf = make_pdf(tmp_path / "paper.pdf", [PAGE_ONE])
    item_id = add_pdf_item(empty_services, pdf)
    watch = empty_services.changes
    watch.changed_elsewhere()
    other.annotations.create_note(item_id, 0, (72, 72), "from the command line")
    assert watch.changed_elsewhere() == {ANNOTATIONS}
