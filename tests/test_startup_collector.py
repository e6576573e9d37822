"""The start-up pause of Python's garbage collector (see readerapp/startup_collector.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from readerapp.startup_collector import StartupCollectorPause


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    gc.unfreeze()  # nothing of the test run stays out of collection
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_the_pause_stops_collection_and_its_end_freezes_what_exists_then() -> None:
    gc.enable()
    pause = StartupCollectorPause()
    assert not gc.isenabled() and pause.paused
    made_at_start = [["a start-up object"]]
    assert any(o is made_at_start for o in gc.get_objects())
    pause.end()
    assert gc.isenabled() and not pause.paused
    # Out of the collector's sight: no later pass walks it.
    assert not any(o is made_at_start for o in gc.get_objects())
    assert gc.get_freeze_count() > 0


def test_ending_twice_is_harmless() -> None:
    gc.enable()
    pause = StartupCollectorPause()
    pause.end()
    frozen = gc.get_freeze_count()
    gc.unfreeze()
    pause.end()  # the app's exit after the window's readiness: nothing happens again
    assert gc.isenabled() and gc.get_freeze_count() == 0 < frozen


def test_a_collector_already_off_is_left_off() -> None:
    gc.disable()
    pause = StartupCollectorPause()
    assert not pause.paused
    pause.end()
    assert not gc.isenabled() and gc.get_freeze_count() == 0
