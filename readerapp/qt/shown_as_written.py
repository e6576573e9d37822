"""Text from a paper, a feed or an import, shown by Qt exactly as written.

Qt guesses the format of a label's or a tooltip's text: one whose first line holds something
like ``<img src="/dev/zero">`` is taken for HTML, and Qt then reads the file the image names
(the memory fills up; a FIFO hangs the window). A feed's title, a PDF link's address or a
highlight's quote can be written that way by anyone. Labels and message boxes that show such
text are set to plain text (:func:`plain_text`); tooltips, which cannot be, get the text escaped
inside HTML of ours (:func:`as_written`).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt

if TYPE_CHECKING:  # the reading view imports this module before its first page: no class built
    from PySide6.QtWidgets import QLabel, QMessageBox

_Shows = TypeVar("_Shows", "QLabel", "QMessageBox")


def as_written(text: str) -> str:
    """``text`` for a tooltip, shown as the characters it has; unchanged when there is nothing
    Qt could take for markup in it (most tooltips), so those look as they always did."""
    if "<" not in text and "&" not in text:
        return text
    return "<p style='white-space:pre-wrap'>" + html.escape(text, quote=False) + "</p>"


def plain_text(widget: _Shows) -> _Shows:
    """``widget`` (a label or a message box), set to show its text as plain text whatever it
    looks like."""
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget
