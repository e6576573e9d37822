"""Keep a PySide6 reference-counting bug from crashing the app.

PySide6 6.12.0's ``SignalInstance.emit()`` returns ``True`` without taking a reference to it, so every
signal emitted from Python takes one reference away from ``True``. Python 3.11's ``True`` is not
immortal: after some hundreds of emits its count reaches zero and the interpreter aborts with
"bool_dealloc: deallocating True or False". Measured here, not assumed: the fix applies only when an
emit really loses a reference, and it does what Python 3.12 does for these objects (a refcount so
large it never reaches zero).
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal

_IMMORTAL = 1 << 40


class _Probe(QObject):
    ping = Signal()


def emit_loses_references() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(16):
        probe.ping.emit()
    return sys.getrefcount(True) <= before - 8


def apply() -> bool:
    """Make True and False effectively immortal if this PySide6 needs it; returns whether it did."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False  # 3.12+ bools are immortal already
    if not emit_loses_references():
        return False
    for obj in (True, False):
        # ob_refcnt is the first field of every CPython object (non-debug builds).
        ctypes.c_ssize_t.from_address(id(obj)).value += _IMMORTAL
    return True
