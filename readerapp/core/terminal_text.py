"""Text from feeds, APIs and files made safe to print on a terminal.

A title can carry escape sequences (``ESC[2J`` clears the screen; others retitle the window, move
the cursor over earlier lines, or on some terminals write files) and bidirectional overrides that
make a line read differently from what it holds. Every such character is printed as a visible
``\\uXXXX`` escape instead: readable, and still valid inside JSON strings. Newlines and tabs stay.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TextIO

_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 controls but \t and \n, DEL, C1 controls (CSI is \x9b)
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"  # bidirectional marks and overrides
)


def terminal_safe(text: str) -> str:
    """``text`` with control and bidi-override characters written as ``\\uXXXX``."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class TerminalSafeWriter:
    """A text stream that writes everything through :func:`terminal_safe`; ``raw`` is the
    stream beneath, for the program's own control output (a progress line's carriage return)."""

    def __init__(self, stream: TextIO) -> None:
        self.raw = stream

    def write(self, text: str) -> int:
        self.raw.write(terminal_safe(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding, ...
        return getattr(self.raw, name)
