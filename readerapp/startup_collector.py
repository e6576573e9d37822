"""Python's cyclic garbage collector waits while the desktop app starts.

Start-up creates ~100,000 objects the collector tracks (modules, classes, Qt's wrappers and
enums), nearly all of which live as long as the app. The collector's automatic passes walk them
again and again and find almost nothing to free. Measured with ``gc.callbacks`` on a paper's
launch: ~26 ms of its ~310 ms to the first page went to collections, the full ones freeing 0
objects (``python -m benchmarks viewer``, time to first page).

So collection pauses while the window starts. Once the window is ready, what start-up built is
moved out of the collector's sight (``gc.freeze``) and collection resumes. Frozen objects are
still freed by their reference counts as usual; only cycles among them stay, a few hundred
objects made during the start (a full collection then would cost the stall it avoids). Without
the freeze, the first pass after the start would walk all of start-up's objects in one ~15 ms
stall, and every later full pass would walk them again.
"""

from __future__ import annotations

import gc
import logging

log = logging.getLogger(__name__)


class StartupCollectorPause:
    """Pauses automatic collection from its creation until :meth:`end`.

    ``end`` may be called more than once (the window's readiness, then the app's exit). A
    collector that was already off when the pause began is left off."""

    def __init__(self) -> None:
        self._paused = gc.isenabled()
        if self._paused:
            gc.disable()

    @property
    def paused(self) -> bool:
        return self._paused

    def end(self) -> None:
        if not self._paused:
            return
        self._paused = False
        gc.freeze()
        gc.enable()
        log.debug("start-up done: %d objects kept out of collection", gc.get_freeze_count())
