"""What the main window asks of a tab beside the Library: a reading tab, the Feeds tab."""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class TabPage(Protocol):
    """A page of the main window's tabs; the window checks for it with isinstance, so a page
    that misses one of these is seen by the type checker, not skipped at run time."""

    title: str  # names the window while the page is in front ("" for the tab's own text)

    def status_text(self) -> str:
        """What the window's status bar says while the page is in front ("" for nothing)."""
        ...

    def take_focus(self) -> None:
        """Give the keyboard to what the user types into first when the page comes to front."""
        ...
