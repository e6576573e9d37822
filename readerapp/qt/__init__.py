"""Qt adapters without widgets: item models, background tasks, state. Imports PySide6."""
