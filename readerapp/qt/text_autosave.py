"""Saving what the user types while they type: soon after a pause, and at least every
:data:`MAX_WAIT_MS` while typing goes on, so a crash loses at most the last second.

One :class:`TextAutosave` serves an editor (or a group of fields saved together): the editor
calls :meth:`TextAutosave.touch` on each change and :meth:`TextAutosave.flush` when the text
must be in the database now (item switch, tab close, quit); watched widgets flush on focus-out.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

IDLE_MS = 300  # a pause this long saves at once
MAX_WAIT_MS = 750  # typing without pauses still saves this often (the crash-loss bound, < 1 s)
RETRY_MS = 2000  # after a failed save (a locked database, a full disk): the text stays, retried


class TextAutosave(QObject):
    """Calls ``save()`` after a pause of :data:`IDLE_MS` or :data:`MAX_WAIT_MS` after the first
    unsaved change, whichever comes first. ``save`` returns False when it could not save: the
    change stays pending and is tried again after :data:`RETRY_MS` (or at the next flush)."""

    def __init__(
        self,
        save: Callable[[], bool],
        parent: QObject | None = None,
        *,
        idle_ms: int = IDLE_MS,
        max_wait_ms: int = MAX_WAIT_MS,
        retry_ms: int = RETRY_MS,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self._retry_ms = retry_ms
        self._pending = False
        self._saving = False
        self._idle = QTimer(self, singleShot=True, interval=idle_ms)
        self._deadline = QTimer(self, singleShot=True, interval=max_wait_ms)
        self._idle.timeout.connect(self.flush)
        self._deadline.timeout.connect(self.flush)

    @property
    def pending(self) -> bool:
        """Something typed is not in the database yet."""
        return self._pending

    def touch(self) -> None:
        """The text changed: save it soon. The deadline is never pushed back by more typing."""
        if not self._pending:
            self._pending = True
            self._deadline.start()
        elif not self._deadline.isActive():  # waiting to retry after a failure
            self._deadline.start()
        self._idle.start()

    def flush(self) -> bool:
        """Save now if anything is pending; True when nothing is left unsaved."""
        self._idle.stop()
        self._deadline.stop()
        if not self._pending or self._saving:
            return not self._pending
        self._saving = True  # a focus change inside save() must not save twice
        try:
            saved = self._save()
        finally:
            self._saving = False
        if saved:
            self._pending = False
        else:
            self._idle.start(self._retry_ms)
        return saved

    def discard(self) -> None:
        """Forget the pending change (the editor was loaded with other text)."""
        self._idle.stop()
        self._deadline.stop()
        self._pending = False

    def watch(self, *widgets: QWidget) -> None:
        """Flush when any of ``widgets`` loses the keyboard focus."""
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.FocusOut and self._pending:
            self.flush()
        return False


def show_stored_text(editor: QPlainTextEdit | QLineEdit, text: str) -> None:
    """Put ``text`` (what was stored) into ``editor`` without losing the user's place in it.

    Text that only grew at the end (the other version of a merged text) is appended, so the
    cursor, the selection and Ctrl+Z stay as they were; anything else replaces the text and
    puts the cursor back where it was (clamped to the new length).
    """
    if isinstance(editor, QLineEdit):
        current = editor.text()
        if text == current:
            return
        position = editor.cursorPosition()
        if text.startswith(current):
            editor.end(False)
            editor.insert(text[len(current) :])
        else:
            editor.setText(text)
        editor.setCursorPosition(min(position, len(text)))
        return
    current = editor.toPlainText()
    if text == current:
        return
    if text.startswith(current):
        own = editor.textCursor()
        anchor, position = own.anchor(), own.position()
        end = QTextCursor(editor.document())
        end.movePosition(QTextCursor.MoveOperation.End)
        end.insertText(text[len(current) :])
        own.setPosition(anchor)  # the user's cursor (and selection) stay where they were,
        own.setPosition(position, QTextCursor.MoveMode.KeepAnchor)  # even at the very end
        editor.setTextCursor(own)
        return
    position = editor.textCursor().position()
    scroll = editor.verticalScrollBar().value()
    editor.setPlainText(text)
    cursor = editor.textCursor()
    cursor.setPosition(min(position, len(text)))
    editor.setTextCursor(cursor)
    editor.verticalScrollBar().setValue(scroll)
