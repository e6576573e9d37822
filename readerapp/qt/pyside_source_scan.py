"""Make PySide6's per-import source scan cheap (about 25 ms of every start-up).

PySide6 hooks ``import``: the first time any module is imported after shiboken6 is loaded
(standard library ones too), ``shibokensupport.feature._mod_uses_pyside`` calls
``inspect.getsource()`` on it and looks for the text "PySide6", to learn whether the module may
switch on ``from __feature__ import ...``. ``inspect.getsource`` decodes and splits the whole file
into lines through ``linecache``: for the ~120 modules a launch imports that is 20-25 ms, 5 ms of
it for PyMuPDF's 1 MB ``__init__.py`` alone (measured with a timing wrapper around the scan).

The replacement asks the same question of the same file, as bytes: same answer, a fraction of the
time. Anything that is not a plain ``.py`` file on disk (built-in and extension modules, a frozen
app's archive) goes to PySide's own scan as before. Installed before ``PySide6`` is imported.
"""

from __future__ import annotations

import sys
from types import ModuleType

_MARK = "_readerapp_bytes_scan"


def install() -> bool:
    """Swap in the bytes scan; False if this PySide6 has no such scan (nothing to speed up)."""
    import shiboken6  # noqa: F401  (loads shibokensupport.feature, PySide's import hook)

    feature = sys.modules.get("shibokensupport.feature")
    pyside_scan = getattr(feature, "_mod_uses_pyside", None)
    if pyside_scan is None or getattr(pyside_scan, _MARK, False):
        return pyside_scan is not None

    def mod_uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return pyside_scan(module)
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:  # not readable here: a loader may still have the source
            return pyside_scan(module)

    setattr(mod_uses_pyside, _MARK, True)
    mod_uses_pyside.pyside_scan = pyside_scan  # type: ignore[attr-defined]  (kept for tests)
    feature._mod_uses_pyside = mod_uses_pyside  # type: ignore[union-attr]
    return True
