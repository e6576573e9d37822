"""The annotations table: committed on creation, real deletes that undo restores with the same id."""

from __future__ import annotations

from pathlib import Path

import pytest

from readerapp.app import open_services
from readerapp.core.annotation import Annotation, AnnotationKind
from readerapp.storage.annotations import AnnotationRepository


def _ann(item_id: int, page: int, top: float, **kw) -> Annotation:
    return Annotation(
        id=0,
        item_id=item_id,
        kind=AnnotationKind.HIGHLIGHT,
        page=page,
        rects=[(72, top, 200, top + 12)],
        **kw,
    )


def test_add_is_visible_from_a_second_connection(empty_services, home: Path) -> None:
    item = empty_services.library.add_item("Paper")
    repo = AnnotationRepository(empty_services.db)
    ann = repo.add(_ann(item.id, 2, 100, quote="a quote", comment="why", color="#5fb236"))
    assert ann.id > 0 and ann.created
    other = open_services(str(home), seed=False)  # a separate connection sees it: committed
    try:
        (found,) = AnnotationRepository(other.db).for_item(item.id)
        assert (found.quote, found.comment, found.color, found.page) == (
            "a quote",
            "why",
            "#5fb236",
            2,
        )
        assert found.rects == [(72, 100, 200, 112)]
    finally:
        other.close()


def test_reading_order_is_page_then_top_then_left(empty_services) -> None:
    item = empty_services.library.add_item("Paper")
    repo = AnnotationRepository(empty_services.db)
    c = repo.add(_ann(item.id, 2, 50, quote="c"))
    b = repo.add(_ann(item.id, 1, 300, quote="b"))
    a = repo.add(_ann(item.id, 1, 90, quote="a"))
    assert [x.id for x in repo.for_item(item.id)] == [a.id, b.id, c.id]


def test_delete_then_restore_keeps_the_same_id(empty_services) -> None:
    item = empty_services.library.add_item("Paper")
    repo = AnnotationRepository(empty_services.db)
    ann = repo.add(_ann(item.id, 1, 90, quote="keep me", comment="important"))
    gone = repo.delete(ann.id)
    assert repo.get(ann.id) is None
    assert gone is not None
    back = repo.add(gone)
    assert back.id == ann.id
    assert repo.get(ann.id).comment == "important"  # type: ignore[union-attr]


def test_update_changes_fields_and_rejects_bad_colour(empty_services) -> None:
    item = empty_services.library.add_item("Paper")
    repo = AnnotationRepository(empty_services.db)
    ann = repo.add(_ann(item.id, 1, 90))
    after = repo.update(ann.id, color="#A28AE5", comment="question", kind=AnnotationKind.UNDERLINE)
    assert (after.color, after.comment, after.kind) == (
        "#a28ae5",
        "question",
        AnnotationKind.UNDERLINE,
    )
    with pytest.raises(ValueError):
        repo.update(ann.id, color="purple-ish")
    assert repo.get(ann.id).color == "#a28ae5"  # type: ignore[union-attr]


def test_deleting_the_item_deletes_its_annotations(empty_services) -> None:
    item = empty_services.library.add_item("Paper")
    repo = AnnotationRepository(empty_services.db)
    repo.add(_ann(item.id, 1, 90))
    with empty_services.db.transaction() as conn:
        conn.execute("DELETE FROM items WHERE id = ?", (item.id,))
    assert repo.for_item(item.id) == []


def test_colour_meanings_are_renamed_and_kept(empty_services, home: Path) -> None:
    repo = AnnotationRepository(empty_services.db)
    assert [p.meaning for p in repo.palette()][:5] == [
        "claim",
        "method",
        "result",
        "limitation",
        "question",
    ]
    repo.set_meaning("#ffd400", "key claim")
    with pytest.raises(ValueError):
        repo.set_meaning("#123456", "nope")
    with pytest.raises(ValueError):
        repo.set_meaning("#ffd400", "   ")
    other = open_services(str(home), seed=False)
    try:
        assert AnnotationRepository(other.db).meaning("#ffd400") == "key claim"
    finally:
        other.close()


def test_imported_keys_are_remembered_after_delete(empty_services) -> None:
    item = empty_services.library.add_item("Paper")
    repo = AnnotationRepository(empty_services.db)
    ann = repo.add(_ann(item.id, 1, 90, source="pdf", external_key="h:0:abc"))
    repo.delete(ann.id)
    assert repo.imported_keys(item.id) == {"h:0:abc"}
