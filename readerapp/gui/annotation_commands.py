"""Undoable annotation edits: create, change (comment, colour, kind) and delete.

Like the library's commands, each is performed once before it is pushed (see qt/done_command.py),
so a refused edit shows a sentence instead of entering the stack. Undoing a
create deletes the row; redoing it puts the same row (same id) back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from readerapp.core.annotation import Annotation
from readerapp.qt.done_command import DoneCommand
from readerapp.services.annotations import AnnotationService

OnChange = Callable[[int | None], None]  # the annotation to show selected, or None


class _AnnotationCommand(DoneCommand):
    def __init__(self, text: str, service: AnnotationService, on_change: OnChange) -> None:
        super().__init__(text)
        self.service = service
        self.on_change = on_change

    def redone(self, first: bool) -> None:
        self.on_change(self.focus_after_do())

    def undone(self) -> None:
        self.on_change(self.focus_after_revert())

    def focus_after_do(self) -> int | None:
        return None

    def focus_after_revert(self) -> int | None:
        return None


class CreateAnnotation(_AnnotationCommand):
    """``make()`` creates the annotation (through the service) and returns it."""

    def __init__(self, service: AnnotationService, on_change: OnChange, make) -> None:
        self.annotation: Annotation = make()
        super().__init__(f"New {self.annotation.kind}", service, on_change)

    def do(self) -> None:
        self.service.restore(self.annotation)

    def revert(self) -> None:
        gone = self.service.delete(self.annotation.id)
        if gone is not None:  # keep later edits (a comment typed after creating) for redo
            self.annotation = gone

    def focus_after_do(self) -> int | None:
        return self.annotation.id


class UpdateAnnotation(_AnnotationCommand):
    """Change some fields of one annotation (comment, colour, kind)."""

    def __init__(
        self, service: AnnotationService, on_change: OnChange, annotation_id: int, **fields
    ) -> None:
        before, after = service.update(annotation_id, **fields)
        self.annotation_id = annotation_id
        self.after = {k: getattr(after, k) for k in fields}
        self.before = {k: getattr(before, k) for k in fields}
        what = "comment" if set(fields) == {"comment"} else ", ".join(sorted(fields))
        super().__init__(f"Change {what}", service, on_change)

    def do(self) -> None:
        self.service.update(self.annotation_id, **self.after)

    def revert(self) -> None:
        self.service.update(self.annotation_id, **self.before)

    def focus_after_do(self) -> int | None:
        return self.annotation_id

    def focus_after_revert(self) -> int | None:
        return self.annotation_id


class EditComment(_AnnotationCommand):
    """A comment saved while it is typed. The saves of one typing session are one undo step:
    each merges into the one before it on the stack."""

    MERGE_ID = 0x7E57  # any number of our own: commands with the same id may merge

    def __init__(
        self,
        service: AnnotationService,
        on_change: OnChange,
        seen: Annotation,
        text: str,
        session: int = 0,
    ) -> None:
        saved = service.save_comment(seen, text)
        self.annotation_id, self.session = seen.id, session
        self.before, self.stored, self.notice = saved.before.comment, saved.after, saved.notice
        super().__init__("Change comment", service, on_change)

    def id(self) -> int:
        return self.MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt's name)
        if not isinstance(other, EditComment) or (other.annotation_id, other.session) != (
            self.annotation_id,
            self.session,
        ):
            return False
        self.stored = other.stored
        return True

    def do(self) -> None:
        self.service.update(self.annotation_id, comment=self.stored.comment)

    def revert(self) -> None:
        self.service.update(self.annotation_id, comment=self.before)

    def focus_after_do(self) -> int | None:
        return self.annotation_id

    def focus_after_revert(self) -> int | None:
        return self.annotation_id


class DeleteAnnotation(_AnnotationCommand):
    def __init__(self, service: AnnotationService, on_change: OnChange, annotation_id: int) -> None:
        gone = service.delete(annotation_id)
        if gone is None:
            raise LookupError("That annotation was already deleted.")
        self.annotation = gone
        super().__init__(f"Delete {gone.kind}", service, on_change)

    def do(self) -> None:
        self.service.delete(self.annotation.id)

    def revert(self) -> None:
        self.service.restore(self.annotation)

    def focus_after_revert(self) -> int | None:
        return self.annotation.id
