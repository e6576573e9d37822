"""Issue 17 figures: an import made undoable, on the 5,000-item reading list of bench_importexport.

- import_recorded_ratio_vs_plain: the import as the app runs it (a backup first, every changed row
  recorded) against the bare import of the same file into a fresh library, same run
- import_undo_ratio_vs_plain_import: Edit -> Undo of that import (every row put back, one
  transaction) against the bare import
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks import Figure
from benchmarks.bench_importexport import _reading_list
from readerapp.app import open_services
from readerapp.services.importexport import import_undoable, undo_import
from readerapp.storage.importer import import_file

ROUNDS = 3


def _timed(func) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = func()
    return time.perf_counter() - t0, result


def run() -> list[Figure]:
    text = _reading_list()
    recorded, undone = [], []
    with tempfile.TemporaryDirectory(prefix="readerapp-bench-undo-") as tmp:
        source = Path(tmp) / "big.md"
        source.write_text(text, encoding="utf-8")
        for n in range(ROUNDS):
            plain_lib = open_services(str(Path(tmp) / f"plain-{n}"), seed=False)
            undo_lib = open_services(str(Path(tmp) / f"undo-{n}"), seed=False)
            try:
                plain, _ = _timed(lambda lib=plain_lib: import_file(lib.db, source))
                made, outcome = _timed(lambda lib=undo_lib: import_undoable(lib, source))
                back, _ = _timed(
                    lambda lib=undo_lib, o=outcome: undo_import(lib.db, o.changes, "big.md")
                )
            finally:
                plain_lib.close()
                undo_lib.close()
            recorded.append(made / plain)
            undone.append(back / plain)
    return [
        Figure("import_recorded_ratio_vs_plain", min(recorded), 1.5),
        Figure("import_undo_ratio_vs_plain_import", min(undone), 0.6),
    ]
