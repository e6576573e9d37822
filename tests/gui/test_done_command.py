"""The shared base of the undo commands: a change made before the push is not made twice."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack

from readerapp.qt.done_command import DoneCommand


class AddOne(DoneCommand):
    """Adds one to a counter, as a library edit changes a row; logs what the stack asked for."""

    def __init__(self, counter: list[int], log: list[str]) -> None:
        counter[0] += 1  # the change, made before the push (where a refusal would raise)
        super().__init__("Add one")
        self.counter, self.log = counter, log

    def do(self) -> None:
        self.counter[0] += 1

    def revert(self) -> None:
        self.counter[0] -= 1

    def redone(self, first: bool) -> None:
        self.log.append("pushed" if first else "redone")

    def undone(self) -> None:
        self.log.append("undone")


def test_the_push_does_not_make_the_change_again_and_undo_redo_do(qapp) -> None:
    stack = QUndoStack()
    counter, log = [0], []
    stack.push(AddOne(counter, log))
    assert counter == [1] and log == ["pushed"]
    stack.undo()
    assert counter == [0] and log == ["pushed", "undone"]
    stack.redo()
    assert counter == [1] and log == ["pushed", "undone", "redone"]
    stack.undo()
    stack.redo()
    assert counter == [1] and log[-2:] == ["undone", "redone"]


def test_every_undo_command_of_the_app_shares_the_base() -> None:
    from readerapp.gui import annotation_commands, feed_commands, import_export, library_commands

    bases = (
        library_commands._LibraryCommand,
        feed_commands._FeedCommand,
        annotation_commands._AnnotationCommand,
        import_export.ImportCommand,
    )
    assert all(issubclass(base, DoneCommand) for base in bases)
