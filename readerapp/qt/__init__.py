"""Qt adapters without widgets: item models, background tasks, state. Imports PySide6."""

from readerapp.qt import pyside_source_scan

pyside_source_scan.install()  # before PySide6 is imported: see the module

from readerapp.qt import pyside_workarounds  # noqa: E402

pyside_workarounds.apply()  # before any signal is emitted: see the module for the bug
