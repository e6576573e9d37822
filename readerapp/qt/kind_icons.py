"""Small badges for item kinds, drawn once (no font or emoji dependency)."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

_NAMES = {  # kind -> what its badge means, for the legend
    "pdf": "a PDF you can read here",
    "paper": "paper",
    "openreview": "OpenReview submission",
    "article": "article",
    "post": "blog post",
    "thread": "thread (X/Twitter, forum)",
    "web": "web page",
}
_STYLE = {  # kind -> (letter, colour)
    "pdf": ("PDF", "#c0392b"),
    "paper": ("P", "#2e86c1"),
    "openreview": ("OR", "#8e44ad"),
    "article": ("A", "#16a085"),
    "post": ("B", "#d68910"),
    "thread": ("T", "#5d6d7e"),
    "web": ("W", "#7f8c8d"),
}


def kind_legend() -> str:
    """Every badge letter and what it means, one per line ("P  paper")."""
    return "\n".join(f"{letter}  {_NAMES[kind]}" for kind, (letter, _colour) in _STYLE.items())


def kind_name(kind: str) -> str:
    """The badge of ``kind`` and what it means: "P  paper"."""
    kind = kind if kind in _STYLE else "web"
    return f"{_STYLE[kind][0]}  {_NAMES[kind]}"


@cache
def kind_icon(kind: str) -> QIcon:
    letter, colour = _STYLE.get(kind, _STYLE["web"])
    icon = QIcon()
    for size in (16, 32):
        pixmap = QPixmap(size * 2 if len(letter) > 1 else size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(QColor(colour))
        painter.setPen(Qt.PenStyle.NoPen)
        rect = QRectF(pixmap.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.drawRoundedRect(rect, size / 4, size / 4)
        font = QFont()
        font.setBold(True)
        font.setPixelSize(int(size * 0.62))
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, letter)
        painter.end()
        icon.addPixmap(pixmap)
    return icon
