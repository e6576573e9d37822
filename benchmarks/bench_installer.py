"""Installer figures: installed size, .deb size, and start-up of the frozen app against start-up
from source, both measured in this run (issue 9).

Needs the artifacts of ``bash packaging/build-linux.sh`` in dist/; without them it prints one
MISS line that says so. Start-up is the time from launching the process to its exit after
``--screenshot`` has saved the painted main window (offscreen), the median of interleaved runs
on an already-seeded library, so both sides do the same work.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import Figure

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
FROZEN = DIST / "readerapp" / "readerapp"
RUNS = 7
MB = 1_000_000


def _tree_bytes(path: Path) -> int:
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def _startup_seconds(command: list[str], home: Path, shot: Path) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    start = time.perf_counter()
    subprocess.run(
        [*command, "--home", str(home), "--screenshot", str(shot)],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def run() -> list[Figure]:
    if not FROZEN.exists():
        return [
            Figure(
                "installer: no frozen app in dist/readerapp (run bash packaging/build-linux.sh)",
                float("nan"),
                1.2,
            )
        ]
    figures = [
        Figure(
            "installer: installed size of dist/readerapp",
            _tree_bytes(FROZEN.parent) / MB,
            180,
            "MB",
        )
    ]
    debs = sorted(DIST.glob("readerapp_*.deb"), key=lambda p: p.stat().st_mtime)
    if debs:
        figures.append(
            Figure(f"installer: {debs[-1].name}", debs[-1].stat().st_size / MB, 80, "MB")
        )
    else:
        figures.append(Figure("installer: no .deb in dist/ (run build-linux.sh)", float("nan"), 80))

    frozen = [str(FROZEN)]
    source = [sys.executable, "-m", "readerapp"]
    with tempfile.TemporaryDirectory() as tmp:
        home, shot = Path(tmp) / "library", Path(tmp) / "shot.png"
        try:
            for command in (source, frozen):  # seed the library; warm the disk cache for both
                _startup_seconds(command, home, shot)
        except subprocess.CalledProcessError as exc:
            # Most often a frozen app older than the source: it refuses the newer library.
            name = "the frozen app" if exc.cmd[0] == str(FROZEN) else "the app from source"
            print(
                f"installer: {name} could not start (exit {exc.returncode}); a dist/ older than "
                "the source? Run bash packaging/build-linux.sh",
                flush=True,
            )
            return figures
        times: dict[str, list[float]] = {"frozen": [], "source": []}
        for _ in range(RUNS):
            times["source"].append(_startup_seconds(source, home, shot))
            times["frozen"].append(_startup_seconds(frozen, home, shot))
    frozen_s, source_s = statistics.median(times["frozen"]), statistics.median(times["source"])
    figures.append(
        Figure(
            f"installer: start-up frozen / from source ({frozen_s * 1000:.0f} ms / "
            f"{source_s * 1000:.0f} ms, median of {RUNS})",
            frozen_s / source_s,
            1.2,
        )
    )
    return figures
