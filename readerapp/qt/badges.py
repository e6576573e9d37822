"""The model role under which a cell gives its badges, apart from the delegate that draws them, so
models can name it without loading the drawing code (start-up imports only what it shows)."""

from __future__ import annotations

from PySide6.QtCore import Qt

BADGES_ROLE = Qt.ItemDataRole.UserRole + 40
Badge = tuple[str, str, str]  # key, text, colour (#rrggbb)
