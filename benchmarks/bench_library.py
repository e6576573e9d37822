"""Issue 2 figures, on a generated library of 10,000 items in 200 topics.

- start-up to the painted main window / a bare QMainWindow started the same way (<= 2.0)
- switching topics and sorting the item list: median ms (<= 16)
- resident memory after start-up (<= 150 MB)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import Figure, compile_app_bytecode
from benchmarks._library_gen import generate_library

ROOT = Path(__file__).resolve().parents[1]


def _probe(mode: str, home: Path) -> tuple[float, float]:
    t0 = time.time()
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks._startup_probe", mode, str(home), repr(t0)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
    )
    out = done.stdout.split()
    if done.returncode != 0 or len(out) < 2:
        raise RuntimeError(f"the {mode} start-up probe failed: {done.stderr.strip()[-2000:]}")
    return float(out[0]), float(out[1])


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def run() -> list[Figure]:
    # Generated once per checkout (it takes a while) and kept in its build/ folder: a library
    # left in a shared temp folder by another checkout may have a newer schema.
    home = ROOT / "build" / "bench-cache" / "library-10k"
    generate_library(home)
    compile_app_bytecode()
    _probe("app", home)  # warm the file cache for both
    _probe("bare", home)
    bare, app = [], []
    for n in range(15):  # back-to-back pairs, alternating who goes first
        pair = [("bare", bare), ("app", app)]
        for mode, runs in pair if n % 2 else pair[::-1]:
            runs.append(_probe(mode, home))
    # The median of the pairs' ratios: a pair sees one moment of the shared machine's speed.
    ratio = statistics.median(a / b for (a, _), (b, _) in zip(app, bare, strict=True))
    rss = max(m for _, m in app)

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from readerapp.app import open_services
    from readerapp.gui.main_window import MainWindow

    qapp = QApplication.instance() or QApplication([])
    services = open_services(str(home))
    window = MainWindow(services)
    window.show()
    qapp.processEvents()
    topic_ids = [t.id for t in services.library.topics()]
    switch: list[float] = []
    for topic_id in topic_ids:
        start = time.perf_counter()
        window.tree.select_topic(topic_id)
        window.items.viewport().repaint()
        switch.append(time.perf_counter() - start)
    window.tree.select_topic(-1)  # All items: 10,000 rows
    sort: list[float] = []
    for _ in range(3):
        window.reload_items()  # fresh rows: no order computed yet (the model caches each one)
        for column in (0, 1, 2, 3, 4):
            for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
                start = time.perf_counter()
                window.items.sortByColumn(column, order)
                window.items.viewport().repaint()
                sort.append(time.perf_counter() - start)
    window.close()
    services.close()
    return [
        Figure("startup_ratio_vs_bare_qmainwindow", ratio, 2.0),
        Figure("topic_switch_median", _median_ms(switch), 16, "ms"),
        Figure("sort_10k_items_median", _median_ms(sort), 16, "ms"),
        Figure("rss_after_startup", rss, 150, "MB"),
    ]
