"""Widgets set up in a typed way. PySide accepts any Qt property as a constructor keyword
(``QLabel(objectName="hint")``, ``QToolButton(text="x", toolTip="...")``), but its type stubs list
only some of them: these helpers set the others through their setters. Also the one place for
ways round PySide6's own costs (``own_viewport``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:  # types only: PySide builds a class on first import, which costs start-up time
    from PySide6.QtWidgets import (
        QAbstractScrollArea,
        QToolButton,
        QTreeWidget,
        QTreeWidgetItem,
        QWidget,
    )

_Object = TypeVar("_Object", bound=QObject)


def named(obj: _Object, name: str) -> _Object:
    """``obj`` with its object name (what style sheets, tests and screenshots find it by)."""
    obj.setObjectName(name)
    return obj


def tool_button(
    parent: QWidget | None, text: str, tip: str = "", *, checkable: bool = False
) -> QToolButton:
    """A tool button showing ``text``, with ``tip`` as its tooltip."""
    from PySide6.QtWidgets import QToolButton

    button = QToolButton(parent)
    button.setText(text)
    if tip:
        button.setToolTip(tip)
    button.setCheckable(checkable)
    return button


def application() -> QApplication:
    """The running QApplication (the GUI makes one before any widget)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication), "no QApplication is running"
    return app


def top_level_items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    items = (tree.topLevelItem(i) for i in range(tree.topLevelItemCount()))
    return [item for item in items if item is not None]


def child_items(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    children = (item.child(i) for i in range(item.childCount()))
    return [child for child in children if child is not None]


def own_viewport(area: QAbstractScrollArea) -> None:
    """Give a scroll area (a list, a tree) a viewport made here, in Python.

    The viewport Qt makes itself is a QWidget whose Python class PySide6 looks up, the first
    time it is handed over, by trying every QWidget subclass it knows: that creates ~60 classes
    and their enums, ~12 ms of the launch before the library's first paint. A viewport made in
    Python is known already. (Qt makes a plain QWidget too when none is given.)
    """
    from PySide6.QtWidgets import QWidget

    area.setViewport(QWidget())
