"""Qt adapters without widgets: item models, background tasks, state. Imports PySide6."""

from readerapp.qt import pyside_workarounds

pyside_workarounds.apply()  # before any signal is emitted: see the module for the bug
