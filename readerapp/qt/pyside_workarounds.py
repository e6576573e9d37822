"""Keep PySide6 6.12.0's reference-counting bugs from crashing the app.

In PySide6 6.12.0 every wrapped method that returns nothing hands back ``None`` without taking a
reference to it, and ``SignalInstance.emit()`` does the same with ``True``. Each call takes one
reference away; Python 3.11's ``None``/``True``/``False`` are not immortal, so after enough paints,
updates and emits (minutes of scrolling) the count reaches zero and the interpreter aborts with
"none_dealloc: deallocating None" or "bool_dealloc". Measured at import, not assumed: the fix
applies only when a call really loses a reference, and it does what Python 3.12 does for these
objects (a refcount so large it can never reach zero).
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

_IMMORTAL = 1 << 40
_applied = False


class _Probe(QObject):
    ping = Signal()


def calls_lose_references() -> bool:
    """True when a void method or an emit takes a reference from None or True."""
    probe = _Probe()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(16):
        probe.setObjectName("probe")  # returns None
        probe.ping.emit()  # returns True
    return sys.getrefcount(None) <= none_before - 8 or sys.getrefcount(True) <= true_before - 8


def apply() -> bool:
    """Make None, True and False effectively immortal if this PySide6 needs it (once)."""
    global _applied
    if _applied:
        return True
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False  # immortal there already
    if not calls_lose_references():
        return False
    import ctypes  # only where the bug is: it costs start-up time everywhere else

    for obj in (None, True, False):
        # ob_refcnt is the first field of every CPython object (non-debug builds).
        ctypes.c_ssize_t.from_address(id(obj)).value += _IMMORTAL
    _applied = True
    return True
