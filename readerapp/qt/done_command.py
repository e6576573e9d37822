"""The base of every undoable change in the app: a change made *before* its command is pushed.

Making the change first lets a refused one (a duplicate topic name, a feed gone meanwhile) raise
a sentence for the user instead of entering the undo stack. ``QUndoStack.push()`` calls
``redo()`` at once; for a change already made that first call performs nothing, and only the
later ones (Redo after an Undo) perform it again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand


class DoneCommand(QUndoCommand):
    """A change already made: ``do()`` makes it again, ``revert()`` takes it back."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.pushed = False  # the stack's first redo() (from push) has come

    def redo(self) -> None:
        first = not self.pushed
        self.pushed = True
        if not first:
            self.perform(self.do)
        self.redone(first)

    def undo(self) -> None:
        self.perform(self.revert)
        self.undone()

    def perform(self, step: Callable[[], None]) -> None:
        """Run ``do`` or ``revert``; a subclass may catch what makes a step impossible."""
        step()

    # do() and revert() are abstract: every subclass defines both. (abc's ABCMeta cannot be
    # combined with the metaclass of PySide6's classes, hence the plain NotImplementedError.)
    def do(self) -> None:
        """Make the change again after an undo."""
        raise NotImplementedError

    def revert(self) -> None:
        """Take the change back."""
        raise NotImplementedError

    def redone(self, first: bool) -> None:
        """After each redo; ``first`` for the push, when the change was made by the caller."""

    def undone(self) -> None:
        """After each undo."""
