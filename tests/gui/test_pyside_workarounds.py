"""Thousands of signal emits must not exhaust ``True``'s reference count (PySide6 6.12.0 bug)."""

from __future__ import annotations

import sys

from readerapp.qt import pyside_workarounds


def test_many_emits_leave_true_alive(qapp) -> None:
    probe = pyside_workarounds._Probe()
    received = []
    probe.ping.connect(lambda: received.append(1))
    before = sys.getrefcount(True)
    for _ in range(5000):  # without the workaround the interpreter aborts long before this
        probe.ping.emit()
    assert len(received) == 5000
    assert sys.getrefcount(True) > 1_000_000
    assert before - sys.getrefcount(True) < 5000 or before > 1_000_000
