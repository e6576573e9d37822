"""Thousands of paints and emits must not exhaust None's or True's reference count.

PySide6 6.12.0 drops a reference on every void call and every emit; without the workaround the
interpreter aborts ("none_dealloc"/"bool_dealloc") long before these loops end. pyproject.toml
excludes that release; the workaround covers an environment that has it anyway.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from readerapp.qt import pyside_workarounds


def test_many_emits_and_void_calls_leave_none_and_true_alive(qapp) -> None:
    probe = pyside_workarounds._Probe()
    received = []
    probe.ping.connect(lambda: received.append(1))
    image = QImage(20, 20, QImage.Format.Format_RGB32)
    target = QImage(40, 40, QImage.Format.Format_RGB32)
    painter = QPainter(target)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(20000):
        probe.ping.emit()
        painter.drawImage(QRectF(0, 0, 20, 20), image)
    painter.end()
    assert len(received) == 20000
    # Either this PySide6 keeps its references, or the workaround made None/True immortal:
    # in both cases 20,000 calls leave the counts where they were.
    assert sys.getrefcount(None) >= none_before - 100
    assert sys.getrefcount(True) >= true_before - 100
