"""Widgets: the main window and its panes, the viewer, dialogs."""

from readerapp.qt import pyside_workarounds  # noqa: F401 (applied on import: see that module)
