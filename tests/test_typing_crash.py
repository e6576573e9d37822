"""SIGKILL while the user types steadily into the notes of the real app loses at most the last
second of typing (the crash-loss bound of :mod:`readerapp.qt.text_autosave`)."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.typing_crash import library_with_empty_notes, type_then_kill

KEY_INTERVAL_MS = 60


@pytest.mark.slow
def test_sigkill_during_steady_typing_loses_at_most_the_last_second(home: Path) -> None:
    item_id = library_with_empty_notes(home)
    result = type_then_kill(home, item_id, seconds=4.0, interval_ms=KEY_INTERVAL_MS)
    assert result.typed >= 30  # it really typed for seconds without a pause
    assert result.saved > 0  # the old way: nothing saved while the typing went on
    # Counted in keys (a loaded machine delays the typing and the saving alike): at most a
    # second's worth of keys at this rate, plus the one on its way.
    keys_per_second = 1000 / KEY_INTERVAL_MS
    assert result.typed - result.saved <= keys_per_second + 1, result


@pytest.mark.slow
def test_sigterm_during_typing_saves_everything_typed(home: Path) -> None:
    """A logout or `kill` asks the app to end: it closes as Quit does and saves the typing."""
    item_id = library_with_empty_notes(home)
    result = type_then_kill(home, item_id, 1.5, KEY_INTERVAL_MS, signal.SIGTERM)
    assert result.saved == result.typed > 0
