"""Seconds of steady typing lost when the app is killed (SIGKILL) while the user types notes.

Each run starts the real app offscreen (its own entry point), types into an item's notes with a
key every 60 ms, kills it after 3 to 5 s at a different moment relative to the saves, and
measures from the first key the database does not hold to the kill.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from benchmarks import Figure
from tests.typing_crash import library_with_empty_notes, type_then_kill

RUNS = 8
KEY_INTERVAL_MS = 60


def run() -> list[Figure]:
    lost: list[float] = []
    keys: list[int] = []
    for run_index in range(RUNS):
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp) / "library"
            item_id = library_with_empty_notes(home)
            seconds = 3.0 + 2.0 * run_index / (RUNS - 1)  # kill moments spread over the saves
            result = type_then_kill(home, item_id, seconds, KEY_INTERVAL_MS)
            lost.append(result.seconds_lost)
            keys.append(result.typed - result.saved)
    return [
        Figure("typing_sigkill_seconds_lost_max", max(lost), 1.0, "s"),
        Figure("typing_sigkill_seconds_lost_median", statistics.median(lost), 1.0, "s"),
        Figure("typing_sigkill_keys_lost_max", max(keys), 1000 / KEY_INTERVAL_MS, "keys"),
    ]
